# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Every user-facing string has its Bulgarian and Romanian translation"
import re
import unittest
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


def override_catalogues():
    "The (module, language, path) of the override catalogues"
    return sorted(
        (p.parent.parent.parent.name, p.stem, p)
        for p in ADDONS.glob('*/locale/override/*.po'))


def dependencies(module):
    "The modules the module needs, however indirectly"
    from trytond.modules import get_module_info
    result, todo = set(), [module]
    while todo:
        info = get_module_info(todo.pop())
        for name in info.get('depends', []):
            if name not in result:
                result.add(name)
                todo.append(name)
    return result


def test_override_catalogues_exist():
    "The municipal modules override Tryton's translations in both languages"
    found = {(m, lang) for m, lang, _ in override_catalogues()}
    assert {(m, lang) for m in ['muni_base', 'muni_finance']
        for lang in LANGUAGES} <= found
    assert {lang for _, lang in found} <= set(LANGUAGES)


@pytest.mark.parametrize('module,language,path', override_catalogues(),
    ids=lambda v: str(v) if not isinstance(v, Path) else '')
def test_override_complete(module, language, path):
    """An override catalogue follows the rules of ours and names only
    strings of the modules its module depends on"""
    needed = dependencies(module)
    po = polib.pofile(str(path))
    assert len(po)
    for entry in po:
        assert entry.msgstr.strip(), f'{entry.msgctxt}: not translated'
        assert 'fuzzy' not in entry.flags, f'{entry.msgctxt}: fuzzy'
        assert (sorted(PLACEHOLDER.findall(entry.msgid))
            == sorted(PLACEHOLDER.findall(entry.msgstr))), (
            f'{entry.msgctxt}: placeholders differ')
        if language == 'bg':
            assert not looks_english(entry.msgid, entry.msgstr), (
                f'{entry.msgctxt}: English')
        ttype, name, res_id = entry.msgctxt.split(':')
        assert '.' in res_id, f'{entry.msgctxt}: names no module'
        assert res_id.split('.')[0] in needed, (
            f'{entry.msgctxt}: {module} does not depend on its module')


CYRILLIC = re.compile('[\u0400-\u04ff]')
# Tryton's catalogues call a party a partner and the company a firm; the
# staff and our catalogues say person (лице, persoană) and municipality.
OFF_VOCABULARY = {
    'bg': re.compile(r'партньор|фирм|компани', re.IGNORECASE),
    'ro': re.compile(
        r'(?<!fac )(?<!face )\bpart(e|ea|ener|eneri|enerul|enerului|enerii)\b'
        r'|\bpărț(i|ile|ilor)\b|compani'
        # a move is a notă contabilă (stock moves are another thing)
        r'|mi[șş]c[aă]r(?!i de stoc)', re.IGNORECASE),
    }
# Names and codes that Bulgarian writes in Latin letters
LATIN_NAMES = {'Skype', 'Jabber'}


def looks_english(source, value):
    "Whether a Bulgarian translation is the English text"
    return (not CYRILLIC.search(value) and value not in LATIN_NAMES
        and bool(re.search(r'[a-z]{2}', value)))


# The product variant's form is the product's: trytond translates its texts
# under product.product, which no catalogue of Tryton's has, and an override
# catalogue can only replace an existing translation. (Products are not part
# of the municipal work; their menu is open to every user.)
UNTRANSLATABLE_VIEW_TEXTS = {
    ('product.product', 'General'), ('product.product', 'Accounting')}


class ClerkInterfaceTestCase(unittest.TestCase):
    """What the municipal staff see is in their language, once the
    catalogues are loaded as trytond-admin -l bg ro loads them"""
    # the modules of the demo, as CrossBorderTestCase activates them
    modules = ['muni_bg_localization', 'muni_ro_localization',
        'muni_eservices']

    @classmethod
    def setUpClass(cls):
        from trytond.tests.test_tryton import activate_module
        activate_module(cls.modules)

    def load_catalogues(self):
        "Load every activated module's bg and ro catalogues in graph order"
        from trytond.modules import create_graph, load_translations
        from trytond.pool import Pool
        pool = Pool()
        Module = pool.get('ir.module')
        Lang = pool.get('ir.lang')
        activated = {m.name for m in Module.search([
                    ('state', '=', 'activated')])}
        langs = Lang.search([('code', 'in', LANGUAGES)])
        Lang.write(langs, {'translatable': True})
        for node in create_graph(activated):
            load_translations(pool, node, LANGUAGES)

    def clerk_menus(self):
        "The menus a user of the non-administrator municipal groups sees"
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        Menu = pool.get('ir.ui.menu')
        groups = [d.db_id for d in ModelData.search([
                    ('model', '=', 'res.group'),
                    ('module', 'like', 'muni_%'),
                    ]) if not d.fs_id.endswith('_admin')]
        self.assertGreaterEqual(len(groups), 5)
        clerk, = User.create([{
                    'name': "Clerk", 'login': 'clerk',
                    'groups': [('add', groups)],
                    }])
        with Transaction().set_user(clerk.id), \
                Transaction().set_context(_check_access=True):
            menus = [m.id for m in Menu.search([])]
        return Menu.browse(menus)

    def test_clerk_strings_translated(self):
        """Every menu a clerk sees, the models behind them, their names,
        every field label and their views' texts have a bg and a ro
        translation"""
        from lxml import etree

        from trytond.pool import Pool
        from trytond.tests.test_tryton import with_transaction
        from trytond.tools.string_ import LazyString
        from trytond.transaction import Transaction

        @with_transaction()
        def check():
            pool = Pool()
            Translation = pool.get('ir.translation')
            self.load_catalogues()
            menus = self.clerk_menus()
            models = {m.action.res_model for m in menus
                if m.action and m.action.__name__ == 'ir.action.act_window'
                and m.action.res_model}
            # the interface reaches Tryton's own menus and models
            self.assertIn('party.party', models)
            self.assertIn('muni.taxpayer', models)
            self.assertIn('bank.account', models)

            ModelData = pool.get('ir.model.data')
            wanted = {('model', 'ir.ui.menu,name', m.id): m.name
                for m in menus}
            for model in models:
                Model = pool.get(model)
                wanted['model', f'{model},string', -1] = Model.__string__
                for name, field in Model._fields.items():
                    # the labels of id, create_date... are messages
                    lazy = [p for p in field.string
                        if isinstance(p, LazyString)]
                    for part in lazy:
                        message_id = part._args[0]
                        wanted['model', 'ir.message,text', ModelData.get_id(
                                *message_id.split('.'))] = message_id
                    if not lazy:
                        wanted['field', f'{model},{name}', -1] = field.string
            # the texts of their forms and lists: pages, groups, buttons
            for model in models:
                Model = pool.get(model)
                for view_type in ['form', 'tree']:
                    arch = etree.fromstring(Model.fields_view_get(
                            view_type=view_type)['arch'])
                    for node in arch.iter():
                        # a button's text is its ir.model.button's
                        if (node.tag not in {'field', 'button'}
                                and node.get('string')
                                and (model, node.get('string'))
                                not in UNTRANSLATABLE_VIEW_TEXTS):
                            wanted['view', model, node.get('string')] = (
                                node.get('string'))
            self.assertGreater(len(wanted), 300)
            for language in LANGUAGES:
                with self.subTest(language=language):
                    translated = {}
                    for translation in Translation.search([
                                ('lang', '=', language),
                                ('type', 'in', ['model', 'field', 'view']),
                                ('fuzzy', '=', False),
                                ('value', '!=', None),
                                ('value', '!=', ''),
                                ]):
                        key = (translation.type, translation.name,
                            translation.res_id if translation.type != 'view'
                            else translation.src)
                        if key in wanted:
                            translated[key] = translation.value
                    missing = sorted(
                        f'{t}:{n}:{r} {wanted[t, n, r]!r}'
                        for t, n, r in wanted.keys() - translated.keys())
                    if language == 'bg':
                        missing += sorted(
                            f'{t}:{n}:{r} {v!r} (English)'
                            for (t, n, r), v in translated.items()
                            if looks_english(wanted[t, n, r], v))
                    missing += sorted(
                        f'{t}:{n}:{r} {v!r} (not our words)'
                        for (t, n, r), v in translated.items()
                        if OFF_VOCABULARY[language].search(v))
                    self.assertFalse(missing,
                        "translate them in an override catalogue, see "
                        "scripts/upstream_strings.py")

                    # and sao receives them
                    with Transaction().set_context(language=language):
                        Party = pool.get('party.party')
                        label = Party.fields_get(['name'])['name']['string']
                    self.assertNotEqual(label, 'Name')
        check()

    def test_years_without_grouping(self):
        """No view shows a year as a quantity: every Integer field whose
        name holds 'year' has grouping="0" (sao prints 2026, not 2,026)"""
        from lxml import etree

        from trytond.pool import Pool
        from trytond.tests.test_tryton import with_transaction

        @with_transaction()
        def check():
            pool = Pool()
            View = pool.get('ir.ui.view')
            checked, wrong = 0, []
            for view in View.search([('module', 'like', 'muni_%')]):
                if view.type == 'board' or not view.model:
                    continue
                target = view
                while target.inherit and target.inherit.model == view.model:
                    target = target.inherit
                result = pool.get(view.model).fields_view_get(
                    view_id=target.id)
                arch = etree.fromstring(result['arch'])
                for node in arch.iter('field'):
                    name = node.get('name')
                    field = result['fields'].get(name, {})
                    if field.get('type') == 'integer' and 'year' in name:
                        checked += 1
                        if node.get('grouping') != '0':
                            wrong.append(f'{view.module}.{view.name}: {name}')
            self.assertGreaterEqual(checked, 10)
            self.assertFalse(wrong, 'add grouping="0" to these fields')
        check()


SAO = ADDONS.parent / 'var' / 'sao' / 'package'
SAO_PLACEHOLDER = re.compile(r'%\d')


@pytest.mark.parametrize('language', LANGUAGES)
def test_sao_catalogue_complete(language):
    """sao's own texts, the buttons and dialogs around every form, are
    translated: all those of the installed sao, and sao loads them"""
    po = polib.pofile(str(ADDONS.parent / 'sao' / 'locale' / f'{language}.po'))
    for entry in po:
        values = ([entry.msgstr] if not entry.msgid_plural
            else list(entry.msgstr_plural.values()))
        assert values and all(v.strip() for v in values), (
            f'{entry.msgid!r}: not translated')
        assert 'fuzzy' not in entry.flags, f'{entry.msgid!r}: fuzzy'
        for value in values:
            assert (sorted(SAO_PLACEHOLDER.findall(entry.msgid))
                == sorted(SAO_PLACEHOLDER.findall(value))), (
                f'{entry.msgid!r}: placeholders differ')
            if language == 'bg':
                assert not looks_english(entry.msgid, value), (
                    f'{entry.msgid!r}: English')
    template = SAO / 'locale' / 'messages.pot'
    if not template.exists():
        pytest.skip("sao is not installed: run scripts/install.sh")
    missing = ({e.msgid for e in polib.pofile(str(template))}
        - {e.msgid for e in po})
    assert not missing, "texts of the installed sao left in English"
    custom = (SAO / 'custom.js').read_text(encoding='utf-8')
    assert 'Sao.i18n.loadJSON' in custom, "run scripts/sao_locale.py"
    save, = [e.msgstr for e in po if e.msgid == 'Save']
    assert save in custom
