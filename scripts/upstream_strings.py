#!/usr/bin/env python3
# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""List the strings of Tryton's own modules that the municipal staff see
and that Tryton's catalogues leave untranslated (empty or fuzzy).

Activates the demo's modules with bg and ro on a SQLite database of its own
(var/db/upstream.sqlite, rebuilt by --update), then collects what a clerk
meets in sao: the menus their groups reach, the models behind them and the
models their forms open, with those models' names, the fields their views
show (label, help, selection values), the views' own texts and buttons,
plus the upstream error messages and the preferences, attachments and notes
dialogs. Every such string lacking a loaded bg or ro translation is written,
per municipal module that overrides it, to var/upstream/<module>-<lang>.po,
with Tryton's fuzzy suggestion in a comment, for a translator to complete
and merge into addons/<module>/locale/override/<lang>.po.
"""
import argparse
import os
import re
import secrets
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import polib
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
MODULES = [
    'muni_base', 'muni_finance', 'muni_docs', 'muni_eservices',
    'muni_bg_localization', 'muni_ro_localization']
LANGUAGES = ['bg', 'ro']
# The municipal module whose override catalogues hold an upstream module's
# translations: it must depend on it, so that its catalogue loads after.
OWNERS = {
    'ir': 'muni_base', 'res': 'muni_base', 'party': 'muni_base',
    'company': 'muni_base', 'country': 'muni_base', 'currency': 'muni_base',
    }
DEFAULT_OWNER = 'muni_finance'
# Upstream modules whose error messages a clerk can meet
MESSAGE_MODULES = {
    'ir', 'res', 'party', 'company', 'currency', 'bank', 'account',
    'account_statement', 'account_payment', 'account_invoice'}
# The attributes of a view's elements that trytond translates
VIEW_ATTRIBUTES = ['string', 'sum', 'confirm', 'help']
# Dialogs sao opens from every form: preferences, attachments, notes
# Tryton's catalogues call a party a partner and the company a firm; our
# staff, and our own catalogues, say person and municipality.
VOCABULARY = {
    'bg': re.compile(r'партньор|фирм|компани', re.IGNORECASE),
    'ro': re.compile(
        r'(?<!fac )(?<!face )\bpart(e|ea|ener|eneri|enerul|enerului|enerii)\b'
        r'|\bpărț(i|ile|ilor)\b|compani'
        # a move is a notă contabilă; stock moves are another thing
        r'|mi[șş]c[aă]r(?!i de stoc)',
        re.IGNORECASE),
    }
# Names that Bulgarian keeps in Latin letters
NAMES = {'Skype', 'Jabber'}
# Country subdivision types of other countries: Bulgarian and Romanian
# addresses use regions, counties (departments) and municipalities.
SKIP = {('selection', 'country.subdivision,type')}
EXTRA_VIEWS = [
    ('res.user', 'res.user_view_form_preferences'),
    ('ir.attachment', None),
    ('ir.note', None),
    ]


def clerk_groups(pool):
    "The municipal groups that are not administrators"
    ModelData = pool.get('ir.model.data')
    Group = pool.get('res.group')
    data = ModelData.search([
            ('model', '=', 'res.group'),
            ('module', 'like', 'muni_%'),
            ])
    return Group.browse([d.db_id for d in data
            if not d.fs_id.endswith('_admin')])


def visible_menus(pool, groups):
    "The menus a user of the groups sees"
    from trytond.transaction import Transaction
    User = pool.get('res.user')
    Menu = pool.get('ir.ui.menu')
    user, = User.create([{
                'name': "Clerk", 'login': 'upstream_strings_clerk',
                'groups': [('add', [g.id for g in groups])],
                }])
    with Transaction().set_user(user.id), \
            Transaction().set_context(_check_access=True):
        menus = Menu.search([])
        return Menu.browse([m.id for m in menus])


def view_fields(pool, model, view_id=None, view_type='form'):
    """The fields a view of the model shows, with their relation targets,
    and the view's own texts (pages, groups, separators, buttons)"""
    Model = pool.get(model)
    try:
        view = Model.fields_view_get(view_id=view_id, view_type=view_type)
    except Exception:
        return {}, set()
    texts = set()
    for node in etree.fromstring(view['arch']).iter():
        if node.tag == 'field':
            continue
        for attribute in VIEW_ATTRIBUTES:
            if node.get(attribute):
                texts.add(node.get(attribute))
    return view['fields'], texts


def seen(pool):
    """The (type, name, res_id, src) of the ir.translation records of the
    strings the clerks see"""
    ModelData = pool.get('ir.model.data')
    Translation = pool.get('ir.translation')
    Button = pool.get('ir.model.button')
    Message = pool.get('ir.message')
    Domain = pool.get('ir.action.act_window.domain')

    menus = visible_menus(pool, clerk_groups(pool))
    records = defaultdict(set)  # model -> ids whose translations are seen
    records['ir.ui.menu'].update(m.id for m in menus)
    models, views = set(), set()
    for menu in menus:
        action = menu.action
        if not action:
            continue
        records['ir.action'].add(action.action.id)
        if action.__name__ == 'ir.action.act_window':
            if action.res_model:
                models.add(action.res_model)
            records['ir.action.act_window.domain'].update(
                d.id for d in Domain.search([('act_window', '=', action.id)]))
            for view in action.act_window_views:
                views.add((action.res_model, view.view.id, view.view.type))
    for model in list(models):
        views.add((model, None, 'form'))
        views.add((model, None, 'tree'))
    for model, xml_id in EXTRA_VIEWS:
        view_id = ModelData.get_id(*xml_id.split('.')) if xml_id else None
        views.add((model, view_id, 'form'))
        if not xml_id:
            views.add((model, None, 'tree'))
        models.add(model)

    fields = defaultdict(set)  # model -> field names shown
    view_texts = defaultdict(set)  # model -> texts of its views
    # every field of the models behind the menus: their search bar and
    # their column chooser offer them all
    for model in models:
        fields[model].update(pool.get(model)._fields)
    # what the menus open, then what their forms open
    for depth in range(2):
        targets = set()
        for model, view_id, view_type in sorted(views, key=str):
            shown, texts = view_fields(pool, model, view_id, view_type)
            view_texts[model] |= texts
            for name, field in shown.items():
                fields[model].add(name)
                relation = field.get('relation')
                if relation and not relation.startswith('ir.'):
                    targets.add(relation)
        views = set()
        for model in targets - models:
            models.add(model)
            views.add((model, None, 'form'))
            views.add((model, None, 'tree'))
    keys, view_sources = set(), set()
    for model in models:
        keys.add(('model', f'{model},string', -1))
        keys.add(('view', model, -1))
        for name in fields[model]:
            for ttype in ['field', 'help', 'selection']:
                keys.add((ttype, f'{model},{name}', -1))
        records['ir.model.button'].update(
            b.id for b in Button.search([('model', '=', model)]))
    records['ir.message'].update(m.id for m in Message.search([]))

    # trytond keeps no English record of the views' texts: those of the
    # other languages, loaded from the catalogues, name their module
    for model, texts in view_texts.items():
        for translation in Translation.search([
                    ('type', '=', 'view'),
                    ('name', '=', model),
                    ('src', 'in', list(texts)),
                    ('lang', 'in', LANGUAGES),
                    ]):
            keys.add(('view', model, -1))
            view_sources.add((translation.module, model, translation.src))
    translations = Translation.search([('lang', '=', 'en')])
    translations += [Translation(module=m, type='view', name=n, res_id=-1,
            src=s, lang='en') for m, n, s in sorted(view_sources)]
    found = []
    for translation in translations:
        if translation.module.startswith('muni_'):
            continue
        model = translation.name.split(',')[0]
        if translation.res_id >= 0:
            if translation.res_id not in records.get(model, ()):
                continue
            if (model == 'ir.message'
                    and translation.module not in MESSAGE_MODULES):
                continue
        elif (translation.type, translation.name, -1) not in keys:
            continue
        found.append(translation)
    return found


def ctxt(translation, fs_ids):
    "The msgctxt of an override entry for the translation"
    module = translation.module
    res_id = ''
    if translation.res_id >= 0:
        model = translation.name.split(',')[0]
        res_id = fs_ids.get((model, translation.res_id), '')
        if not res_id:
            return None
    return f'{translation.type}:{translation.name}:{module}.{res_id}'


def fs_id_map(pool):
    ModelData = pool.get('ir.model.data')
    Translation = pool.get('ir.translation')
    result = {}
    for data in ModelData.search([]):
        result[data.model, data.db_id] = data.fs_id
        for extra in Translation.extra_model_data(data):
            result[extra, data.db_id] = data.fs_id
    return result


def untranslated(lang, source, value):
    """Whether the value is no translation: empty, or the English source
    kept in a Bulgarian catalogue (acronyms such as IBAN and names pass)"""
    if not value:
        return True
    return (lang == 'bg' and value == source and source not in NAMES
        and bool(re.search(r'[a-z]{2}', source)))


def off_vocabulary(lang, value):
    "The words of Tryton's catalogues our staff do not use"
    return bool(VOCABULARY[lang].search(value or ''))


def missing(pool, translations):
    """Per (owner, lang), the entries without a loaded translation or with
    one off our vocabulary"""
    Translation = pool.get('ir.translation')
    fs_ids = fs_id_map(pool)
    loaded = {}
    for lang in LANGUAGES:
        for t in Translation.search([('lang', '=', lang)]):
            key = (t.module, t.type, t.name, t.res_id, t.src)
            if (not t.fuzzy and not untranslated(lang, t.src, t.value)
                    and not (off_vocabulary(lang, t.value)
                        and t.overriding_module is None)):
                loaded[lang, key] = t.value
            else:
                loaded.setdefault((lang, key), None)
                if t.value and t.value != t.src:
                    loaded['fuzzy', lang, key] = t.value
    # An override finds the translation it replaces without its source,
    # except for these types: per-value help texts of a selection share
    # their name and cannot be overridden.
    keyed_by_source = {'report', 'view', 'wizard_button', 'selection'}
    sources = defaultdict(int)
    for t in translations:
        if t.type not in keyed_by_source:
            sources[t.module, t.type, t.name, t.res_id] += 1
    result = defaultdict(list)
    for t in translations:
        key = (t.module, t.type, t.name, t.res_id, t.src)
        msgctxt = ctxt(t, fs_ids)
        if (not msgctxt or not t.src or (t.type, t.name) in SKIP
                or sources.get(key[:4], 0) > 1):
            continue
        owner = OWNERS.get(t.module, DEFAULT_OWNER)
        for lang in LANGUAGES:
            if loaded.get((lang, key)):
                continue
            result[owner, lang].append(polib.POEntry(
                    msgctxt=msgctxt, msgid=t.src, msgstr='',
                    tcomment=('was: ' + loaded['fuzzy', lang, key])
                    if ('fuzzy', lang, key) in loaded else '',
                    comment=('not in Tryton\'s catalogue'
                        if (lang, key) not in loaded else '')))
    return result


def merge(directory):
    """Copy the translated entries of the listings into the override
    catalogues, keeping the entries these already have"""
    for path in sorted(directory.glob('*-*.po')):
        owner, lang = path.stem.rsplit('-', 1)
        target = ROOT / 'addons' / owner / 'locale' / 'override' / f'{lang}.po'
        entries = {}
        if target.exists():
            entries = {(e.msgctxt, e.msgid): e for e in polib.pofile(
                    str(target))}
        for entry in polib.pofile(str(path)):
            if entry.msgstr and 'fuzzy' not in entry.flags:
                entries[entry.msgctxt, entry.msgid] = polib.POEntry(
                    msgctxt=entry.msgctxt, msgid=entry.msgid,
                    msgstr=entry.msgstr)
        po = polib.POFile(wrapwidth=78)
        po.metadata = {'Content-Type': 'text/plain; charset=utf-8'}
        for key in sorted(entries):
            po.append(entries[key])
        target.parent.mkdir(exist_ok=True)
        po.save(str(target))
        print(f'{target.relative_to(ROOT)}: {len(po)} entries')


def activate(database, directory):
    env = dict(os.environ,
        TRYTOND_CONFIG=str(ROOT / 'config' / 'trytond.conf'),
        TRYTOND_DATABASE__PATH=str(directory))
    path = directory / f'{database}.sqlite'
    new = []
    if not path.exists():
        path.touch()
        # no one logs in: a first run only needs the admin's email and
        # password not to be asked
        password = directory / f'{database}.password'
        password.write_text(secrets.token_urlsafe(16))
        env['TRYTONPASSFILE'] = str(password)
        new = ['--email', 'admin@example.org']
    subprocess.run([
            str(Path(sys.executable).parent / 'trytond-admin'),
            '-d', database, '-u', *MODULES, '--activate-dependencies',
            '-l', *LANGUAGES, *new], env=env, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--update', action='store_true',
        help="activate or update the modules and reload the catalogues")
    parser.add_argument('--output', type=Path,
        default=ROOT / 'var' / 'upstream',
        help="where the listings to translate go")
    parser.add_argument('--merge', action='store_true',
        help="copy the translated entries of the listings into "
        "addons/<module>/locale/override/<lang>.po")
    args = parser.parse_args()
    if args.merge:
        merge(args.output)
        return
    directory = ROOT / 'var' / 'db'
    directory.mkdir(parents=True, exist_ok=True)
    database = 'upstream'
    if args.update or not (directory / f'{database}.sqlite').exists():
        activate(database, directory)

    os.environ['TRYTOND_CONFIG'] = str(ROOT / 'config' / 'trytond.conf')
    os.environ['TRYTOND_DATABASE__PATH'] = str(directory)
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(database)
    pool.init()
    with Transaction().start(database, 0, readonly=False,
            context={'language': 'en'}) as transaction:
        try:
            result = missing(pool, seen(pool))
        finally:
            transaction.rollback()
    args.output.mkdir(parents=True, exist_ok=True)
    for path in args.output.glob('*-*.po'):
        path.unlink()
    if not result:
        print("every upstream string the clerks see is translated")
    for (owner, lang), entries in sorted(result.items()):
        po = polib.POFile(wrapwidth=78)
        po.metadata = {'Content-Type': 'text/plain; charset=utf-8'}
        for entry in sorted(entries, key=lambda e: e.msgctxt):
            po.append(entry)
        path = args.output / f'{owner}-{lang}.po'
        po.save(str(path))
        print(f'{path.relative_to(ROOT)}: {len(entries)} to translate')


if __name__ == '__main__':
    main()
