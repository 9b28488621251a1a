# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Every user-facing string has its Bulgarian and Romanian translation"
import re
from pathlib import Path

import polib
import pytest

ADDONS = Path(__file__).resolve().parent.parent / 'addons'
MODULES = sorted(p.parent.name for p in ADDONS.glob('*/tryton.cfg'))
LANGUAGES = ['bg', 'ro']
PLACEHOLDER = re.compile(r'%\([a-z_]+\)[sdf]')


def catalogue(module, language):
    return polib.pofile(str(ADDONS / module / 'locale' / f'{language}.po'))


@pytest.mark.parametrize('module', MODULES)
@pytest.mark.parametrize('language', LANGUAGES)
def test_catalogue_complete(module, language):
    "No entry is left untranslated, fuzzy or with other placeholders"
    po = catalogue(module, language)
    for entry in po:
        assert entry.msgstr.strip(), f'{entry.msgctxt}: not translated'
        assert 'fuzzy' not in entry.flags, f'{entry.msgctxt}: fuzzy'
        assert (sorted(PLACEHOLDER.findall(entry.msgid))
            == sorted(PLACEHOLDER.findall(entry.msgstr))), (
            f'{entry.msgctxt}: placeholders differ')


def source_strings(module):
    "The (context, source) pairs trytond would export for the module"
    from trytond.pool import Pool
    Translation = Pool().get('ir.translation')
    exported = Translation.translation_export('en', module)
    if exported is None:
        return set()
    return {(e.msgctxt, e.msgid) for e in polib.pofile(exported.decode())}
