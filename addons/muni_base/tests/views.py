# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"What the web client can build of the views of a module"
from lxml import etree

from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

# The column widgets of sao 8.0's lists (Sao.View.TreeXMLViewParser.WIDGETS
# in sao's src/view/tree.js). A field of another type without one of these
# as its widget is a column sao cannot build: the view never opens and the
# browser logs "ColumnFactory is not a constructor". Date-times are shown
# as two columns, widget="date" and widget="time", as trytond's own lists
# do (ir/view/cron_list.xml).
SAO_TREE_WIDGETS = {
    'binary', 'boolean', 'callto', 'char', 'date', 'dict', 'email',
    'float', 'image', 'integer', 'many2many', 'many2one', 'numeric',
    'one2many', 'one2one', 'progressbar', 'reference', 'selection',
    'multiselection', 'sip', 'text', 'time', 'timedelta', 'url',
    }


def sao_tree_faults(module):
    """The (view, field, widget) of the lists of module, the extensions it
    makes to other lists included, that sao cannot show"""
    pool = Pool()
    View = pool.get('ir.ui.view')
    faults = []
    for view in View.search([('module', '=', module)]):
        root = view
        while root.inherit:
            root = root.inherit
        if root.type != 'tree':
            continue
        Model = pool.get(root.model)
        result = Model.fields_view_get(view_id=root.id)
        fields = result['fields']
        for node in etree.fromstring(result['arch']).iter('field'):
            name = node.get('name')
            if name not in fields:
                continue
            widget = node.get('widget') or fields[name]['type']
            if widget not in SAO_TREE_WIDGETS:
                faults.append((view.name, name, widget))
    return sorted(set(faults))


class SaoViewsMixin:
    "Check that the web client can build the views of the module"

    @with_transaction()
    def test_sao_tree_widgets(self):
        "Every column of the module's lists has a widget sao 8.0 knows"
        self.assertEqual(sao_tree_faults(self.module), [])
