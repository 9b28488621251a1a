#!/usr/bin/env python3
# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Give sao, the web client, its own texts in Bulgarian and Romanian.

sao's npm package ships an empty Bulgarian catalogue and an incomplete
Romanian one. Our catalogues, sao/locale/<lang>.po, are complete; this
script writes them into custom.js, the file sao's index.html loads after
sao itself for local customisations, with a hook that lays them over sao's
catalogue when sao loads a language. sao's own files stay as npm installed
them. scripts/install.sh runs it.
"""
import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / 'sao' / 'locale'

HOOK = '''\
// sao's texts in the staff's languages (sao/locale/*.po), laid over sao's
// own catalogues when sao loads one. Written by scripts/sao_locale.py.
(function() {
    'use strict';
    var catalogues = %s;
    var loadJSON = Sao.i18n.loadJSON;
    Sao.i18n.loadJSON = function(data, domain) {
        var language = ((data[''] || {}).language || '').split('_')[0];
        var catalogue = catalogues[language] || {};
        for (var key in catalogue) {
            data[key] = catalogue[key];
        }
        return loadJSON.call(this, data, domain);
    };
}());
'''


def catalogue(path):
    "The entries as sao keeps them once loaded: a text, or the plurals"
    result = {}
    for entry in polib.pofile(str(path)):
        if entry.obsolete or 'fuzzy' in entry.flags:
            continue
        if entry.msgid_plural:
            value = [entry.msgstr_plural[i]
                for i in sorted(entry.msgstr_plural)]
            if all(value):
                result[entry.msgid] = value
        elif entry.msgstr:
            result[entry.msgid] = entry.msgstr
    return result


def main():
    sao = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        ROOT / 'var' / 'sao' / 'package')
    catalogues = {p.stem: catalogue(p) for p in sorted(LOCALE.glob('*.po'))}
    template = sao / 'locale' / 'messages.pot'
    if template.exists():
        sources = {e.msgid for e in polib.pofile(str(template))}
        for language, entries in catalogues.items():
            missing = sources - entries.keys()
            if missing:
                print(f"sao/locale/{language}.po lacks {len(missing)} texts "
                    f"of this sao: {sorted(missing)[:5]}...", file=sys.stderr)
    script = HOOK % json.dumps(catalogues, ensure_ascii=False, indent=4,
        sort_keys=True)
    custom = ROOT / 'sao' / 'custom.js'
    if custom.exists():
        # the project's other customisations of sao come first
        script = custom.read_text(encoding='utf-8') + '\n' + script
    (sao / 'custom.js').write_text(script, encoding='utf-8')


if __name__ == '__main__':
    main()
