#!/usr/bin/env python3
# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Export the bg and ro catalogues of every module into its locale/ folder.

Works on a scratch copy of the demo database (make demo-setup creates it),
so the demo keeps its data. Existing translations are kept; new strings
arrive with an empty msgstr for a translator to fill, and
tests/test_translations.py fails until they are.
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(p.parent.name for p in (ROOT / 'addons').glob('*/tryton.cfg'))
LANGUAGES = ['bg', 'ro']
HEADER = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n'


def main():
    # scripts/translations.py [module ...]: only those modules
    modules = sys.argv[1:] or MODULES
    demo = ROOT / 'var' / 'db' / 'demo.sqlite'
    if not demo.exists():
        sys.exit("run 'make demo-setup' first: it creates var/db/demo.sqlite")
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(demo, Path(tmp) / 'translations.sqlite')
        env = dict(os.environ,
            TRYTOND_CONFIG=str(ROOT / 'config' / 'trytond.conf'),
            TRYTOND_DATABASE__PATH=tmp)
        subprocess.run([
                str(Path(sys.executable).parent / 'trytond-admin'),
                '-d', 'translations', '-u', *modules, '-l', *LANGUAGES,
                '--export-translations'], env=env, check=True)
    # trytond removes the catalogue of a module without strings; keep an
    # empty one so that every module has its bg and ro files.
    for module in modules:
        for language in LANGUAGES:
            path = ROOT / 'addons' / module / 'locale' / f'{language}.po'
            if not path.exists():
                path.write_text(HEADER, encoding='utf-8')
            print(path.relative_to(ROOT))


if __name__ == '__main__':
    main()
