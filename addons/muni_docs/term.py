# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import StateAction, StateTransition, Wizard

from muni_base.settlement import fields_clause


class TermMixin:
    "The fields of a time limit, of a municipality or of the law"
    __slots__ = ()
    name = fields.Char("Name", required=True)
    code = fields.Char(
        "Code", help="A short code to find the term, e.g. OG27.")
    days = fields.Integer(
        "Days", required=True, domain=[('days', '>=', 0)],
        help="The time limit counted from the registration date.")
    day_type = fields.Selection([
            ('calendar', "Calendar Days"),
            ('working', "Working Days"),
            ], "Day Type", required=True,
        help="Calendar days end on the next working day when the last day "
        "is not one; working days skip weekends and public holidays.")
    extension_days = fields.Integer(
        "Extension Days", required=True,
        domain=[('extension_days', '>=', 0)],
        help="The days the head of the institution may add once, "
        "counted in the same way.")
    legal_basis = fields.Char(
        "Legal Basis", help="The article of law that sets the time limit.")

    @classmethod
    def default_day_type(cls):
        return 'calendar'

    @classmethod
    def default_extension_days(cls):
        return 0

    def get_rec_name(self, name):
        if self.code:
            return f'[{self.code}] {self.name}'
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        return fields_clause(clause, 'name', 'code')


class Term(TermMixin, DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'muni.document.term'
    __string__ = "Document Term"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_code_unique', Unique(t, t.company, t.code),
                'muni_docs.msg_term_code_unique'),
            ]
        cls._order.insert(0, ('name', 'ASC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def create_defaults(cls, company):
        """Create the legal terms of the company's localisation (data of
        the localisation module) that it does not have"""
        LegalTerm = Pool().get('muni.document.term.legal')
        if not company.localisation:
            return []
        existing = {t.code for t in cls.search([
                    ('company', '=', company.id),
                    ('active', 'in', [True, False]),
                    ])}
        terms = [cls(company=company, **{
                    n: getattr(legal, n) for n in LegalTerm.copied_fields()})
            for legal in LegalTerm.search([
                    ('localisation', '=', company.localisation),
                    ])
            if legal.code not in existing]
        cls.save(terms)
        return terms

    def compute_deadline(self, company, start, extended=False):
        "Return the deadline of the term counted from the start date"
        days = self.days + (self.extension_days if extended else 0)
        return add_days(company, start, days, self.day_type)


def add_days(company, start, days, day_type):
    if day_type == 'working':
        return company.add_working_days(start, days)
    return company.next_working_day(start + dt.timedelta(days=days))


class LegalTerm(TermMixin, ModelSQL, ModelView):
    """A time limit the law of a localisation sets: the localisation module
    gives them as data, and each municipality starts with its own copy
    (Create Legal Terms), which it may correct"""
    __name__ = 'muni.document.term.legal'
    __string__ = "Legal Term"

    localisation = fields.Selection(
        'get_localisations', "Localisation", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('localisation_code_unique',
                Unique(t, t.localisation, t.code),
                'muni_docs.msg_legal_term_code_unique'),
            ]
        cls.code.required = True
        cls._order.insert(0, ('localisation', 'ASC'))
        cls._order.insert(1, ('code', 'ASC'))

    @classmethod
    def get_localisations(cls):
        from muni_base.settlement import localisations
        return localisations()

    @classmethod
    def copied_fields(cls):
        "The fields a municipality's term takes from the law's"
        return ['code', 'name', 'days', 'day_type', 'extension_days',
            'legal_basis']


class CreateDefaultTerms(Wizard):
    __name__ = 'muni.document.term.create_defaults'

    start_state = 'create_'
    create_ = StateTransition()
    open_ = StateAction('muni_docs.act_term_form')

    def transition_create_(self):
        pool = Pool()
        Company = pool.get('company.company')
        Term = pool.get('muni.document.term')
        company_id = Transaction().context.get('company')
        if company_id is not None and company_id >= 0:
            Term.create_defaults(Company(company_id))
        return 'open_'

    def do_open_(self, action):
        return action, {}
