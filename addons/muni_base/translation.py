# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Override catalogues that confirm a fuzzy translation of another module.

trytond loads locale/override/<lang>.po after a module's own catalogues and
replaces there the translations of the modules it names, but only the texts
that differ (translation_import in trytond/ir/translation.py): a fuzzy
translation that an override confirms with the same text stays fuzzy, and
sao shows the English source instead. The override's entry clears the
flag."""
import os

import polib

from trytond.pool import Pool, PoolMeta

KEYED_BY_SOURCE = {'report', 'view', 'wizard_button', 'selection'}


class Translation(metaclass=PoolMeta):
    __name__ = 'ir.translation'

    @classmethod
    def translation_import(cls, lang, module, po_path):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        result = super().translation_import(lang, module, po_path)
        if isinstance(po_path, str):
            po_path = [po_path]
        override = os.sep + 'override' + os.sep
        to_save = []
        for path in po_path:
            if override not in path:
                continue
            for entry in polib.pofile(path):
                if (entry.obsolete or 'fuzzy' in entry.flags
                        or not entry.msgstr):
                    continue
                ttype, name, res_id = entry.msgctxt.split(':')
                if '.' not in res_id:
                    continue
                res_module, fs_id = res_id.split('.')
                domain = [
                    ('lang', '=', lang),
                    ('type', '=', ttype),
                    ('name', '=', name),
                    ('module', '=', res_module),
                    ('res_id', '=',
                        ModelData.get_id(res_module, fs_id) if fs_id else -1),
                    ('value', '=', entry.msgstr),
                    ('fuzzy', '=', True),
                    ]
                if ttype in KEYED_BY_SOURCE:
                    domain.append(('src', '=', entry.msgid))
                for translation in cls.search(domain):
                    translation.fuzzy = False
                    translation.overriding_module = module
                    to_save.append(translation)
        cls.save(to_save)
        return result
