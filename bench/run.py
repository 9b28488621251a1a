#!/usr/bin/env python3
# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Run the benchmarks and print one JSON object per line.

Each bench/bench_<name>.py has a main(scale) that prints its own lines;
make bench runs them all on PostgreSQL (TRYTOND_DATABASE__URI), with
BENCH_SCALE (default 1) to run a fraction for a quick check, and
BENCH_ONLY=name[,name] to choose.
"""
import importlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    scale = float(os.environ.get('BENCH_SCALE', '1'))
    only = {n for n in os.environ.get('BENCH_ONLY', '').split(',') if n}
    sys.path.insert(0, str(HERE))
    names = sorted(p.stem[len('bench_'):] for p in HERE.glob('bench_*.py'))
    status = 0
    for name in names:
        if only and name not in only:
            continue
        start = time.monotonic()
        print(f"==> bench {name} (scale {scale})", file=sys.stderr,
            flush=True)
        try:
            importlib.import_module(f'bench_{name}').main(scale)
        except Exception:
            import traceback
            traceback.print_exc()
            status = 1
        print(f"==> bench {name} done in {time.monotonic() - start:.0f} s",
            file=sys.stderr, flush=True)
    return status


if __name__ == '__main__':
    sys.exit(main())
