# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, tree)
from trytond.pyson import Bool, Eval, If


class BudgetCode(DeactivableMixin, tree(), ModelSQL, ModelView):
    __name__ = 'muni.budget.code'
    __string__ = "Budget Code"

    code = fields.Char("Code", required=True)
    name = fields.Char("Name", required=True, translate=True)
    localisation = fields.Selection(
        'get_localisations', "Localisation", required=True,
        help="The budget classification is national: "
        "ЕБК in Bulgaria, clasificația bugetară in Romania.")
    parent = fields.Many2One(
        'muni.budget.code', "Parent", ondelete='RESTRICT',
        domain=[('localisation', '=', Eval('localisation'))])
    children = fields.One2Many('muni.budget.code', 'parent', "Children")
    start_date = fields.Date("Start Date")
    end_date = fields.Date(
        "End Date",
        domain=[
            If(Bool(Eval('start_date')) & Bool(Eval('end_date')),
                ('end_date', '>=', Eval('start_date')), ()),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('localisation_code_start_unique',
                Unique(t, t.localisation, t.code, t.start_date),
                'muni_finance.msg_budget_code_unique'),
            ]
        cls._order.insert(0, ('code', 'ASC'))

    @classmethod
    def get_localisations(cls):
        from muni_base.settlement import localisations
        return localisations()

    def get_rec_name(self, name):
        return f'{self.code} {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        from muni_base.settlement import code_name_clause
        return code_name_clause(clause)

    def is_valid(self, date):
        return ((not self.start_date or self.start_date <= date)
            and (not self.end_date or date <= self.end_date))
