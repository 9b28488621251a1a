# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction


def localisations():
    "The localisations the activated modules offer, for selections"
    Company = Pool().get('company.company')
    return [s for s in Company.localisation.selection if s[0]]


def fields_clause(clause, *names):
    "Search the operand of a rec_name clause in each of the fields"
    _, operator, operand, *extra = clause
    bool_op = 'AND' if operator.startswith(('!', 'not ')) else 'OR'
    return [bool_op, *((name, operator, operand, *extra) for name in names)]


def code_name_clause(clause):
    "Search records by code or by name"
    return fields_clause(clause, 'code', 'name')


class Settlement(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'muni.settlement'
    __string__ = "Settlement"

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char(
        "Code", required=True,
        help="The national statistical code of the settlement: "
        "ЕКАТТЕ in Bulgaria, SIRUTA in Romania.")
    kind = fields.Selection([
            ('city', "City"),
            ('town', "Town"),
            ('village', "Village"),
            ('resort', "Resort"),
            ('other', "Other"),
            ], "Kind", required=True)
    localisation = fields.Selection(
        'get_localisations', "Localisation", required=True,
        help="The country whose statistical code the settlement carries.")
    country = fields.Many2One(
        'country.country', "Country", ondelete='RESTRICT')
    subdivision = fields.Many2One(
        'country.subdivision', "Subdivision", ondelete='RESTRICT',
        domain=[('country', '=', Eval('country', -1))],
        help="The region (област, județ) the settlement lies in.")
    municipality = fields.Char(
        "Municipality",
        help="The name of the municipality the settlement belongs to.")
    postal_code = fields.Char("Postal Code")
    zones = fields.One2Many('muni.zone', 'settlement', "Zones")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('localisation_code_unique', Unique(t, t.localisation, t.code),
                'muni_base.msg_settlement_code_unique'),
            ]
        cls._order.insert(0, ('name', 'ASC'))

    @classmethod
    def default_kind(cls):
        return 'village'

    @classmethod
    def get_localisations(cls):
        return localisations()

    def get_rec_name(self, name):
        return f'{self.name} [{self.code}]'

    @classmethod
    def search_rec_name(cls, name, clause):
        return code_name_clause(clause)


class Zone(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'muni.zone'
    __string__ = "Zone"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    code = fields.Char("Code", required=True)
    name = fields.Char("Name", required=True, translate=True)
    settlement = fields.Many2One(
        'muni.settlement', "Settlement", ondelete='RESTRICT',
        help="Leave empty when the zone spans several settlements.")
    description = fields.Text(
        "Description",
        help="The streets or areas of the zone as the council decided them.")
    legal_basis = fields.Char(
        "Legal Basis", help="The council decision that defines the zone.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_code_unique', Unique(t, t.company, t.code),
                'muni_base.msg_zone_code_unique'),
            ]
        cls._order.insert(0, ('code', 'ASC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return f'{self.code} - {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return code_name_clause(clause)
