# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from decimal import Decimal
from fractions import Fraction

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.pool import Pool
from trytond.pyson import Eval

from .assessment import message, token
from .exceptions import AssessmentError

_account_domain = [
    ('closed', '!=', True),
    ('company', '=', Eval('context', {}).get('company', -1)),
    ]


class RevenueType(
        DeactivableMixin, ModelSQL, ModelView, CompanyMultiValueMixin):
    __name__ = 'muni.revenue.type'
    __string__ = "Revenue Type"

    code = fields.Char("Code", required=True)
    name = fields.Char("Name", required=True, translate=True)
    kind = fields.Selection([
            ('tax', "Tax"),
            ('fee', "Fee"),
            ('price', "Price"),
            ('fine', "Fine"),
            ('interest', "Interest"),
            ('cost', "Enforcement Costs"),
            ], "Kind", required=True)
    localisation = fields.Selection(
        'get_localisations', "Localisation",
        help="The country whose law the revenue type follows; "
        "empty for a revenue any municipality may use.")
    calculator = fields.Selection([
            (None, ""),
            ('fixed', "Fixed Amount per Object"),
            ], "Calculator",
        help="The rule that computes the assessments; "
        "each localisation adds the rules of its law.")
    object_kinds = fields.MultiSelection(
        'get_object_kinds', "Object Kinds",
        help="The kinds of tax object the annual levy assesses.")
    payment_code = fields.Char(
        "Payment Code",
        help="The code the payer writes on the transfer, "
        "e.g. 44 21 00 for the Bulgarian property tax.")
    budget_code = fields.Many2One(
        'muni.budget.code', "Budget Code", ondelete='RESTRICT',
        domain=[('localisation', '=', Eval('localisation'))])
    allocation_group = fields.Char(
        "Allocation Group",
        help="Payments are allocated within a group of revenue types "
        "as the law orders.")
    legal_basis = fields.Char("Legal Basis")
    receivable_account = fields.MultiValue(fields.Many2One(
            'account.account', "Receivable Account",
            domain=_account_domain + [
                ('type.receivable', '=', True),
                ('party_required', '=', True),
                ]))
    revenue_account = fields.MultiValue(fields.Many2One(
            'account.account', "Revenue Account",
            domain=_account_domain + [('type.revenue', '=', True)]))
    interest_account = fields.MultiValue(fields.Many2One(
            'account.account', "Interest Revenue Account",
            domain=_account_domain + [('type.revenue', '=', True)]))
    accounts = fields.One2Many(
        'muni.revenue.type.account', 'revenue_type', "Accounts")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('localisation_code_unique', Unique(t, t.localisation, t.code),
                'muni_finance.msg_revenue_type_code_unique'),
            ]
        cls._order.insert(0, ('code', 'ASC'))

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field in {
                'receivable_account', 'revenue_account', 'interest_account'}:
            return pool.get('muni.revenue.type.account')
        return super().multivalue_model(field)

    @classmethod
    def get_object_kinds(cls):
        TaxObject = Pool().get('muni.tax.object')
        return TaxObject.fields_get(['kind'])['kind']['selection']

    @classmethod
    def get_localisations(cls):
        from muni_base.settlement import localisations
        return [(None, '')] + localisations()

    def get_rec_name(self, name):
        return f'{self.code} {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        from muni_base.settlement import code_name_clause
        return code_name_clause(clause)

    def get_accounts(self, company):
        "Return the receivable and revenue accounts for the company"
        accounts = []
        for name in ['receivable_account', 'revenue_account']:
            account = self.get_multivalue(name, company=company.id)
            if not account:
                raise AssessmentError(gettext(
                        'muni_finance.msg_revenue_type_no_account',
                        revenue_type=self.rec_name,
                        company=company.rec_name))
            accounts.append(account)
        return accounts

    def compute(self, object_, owner, rates):
        """Return the values of the assessment of the owner for the object
        with the rates of the year, or None when nothing is due:
        base, amount and trace, a list of (label, value)"""
        return getattr(self, f'_compute_{self.calculator}')(
            object_, owner, rates)

    def _compute_None(self, object_, owner, rates):
        raise AssessmentError(gettext(
                'muni_finance.msg_revenue_type_no_calculator',
                revenue_type=self.rec_name))

    def _compute_fixed(self, object_, owner, rates):
        amount = rates.get('amount', object_)
        months = owner.months_in(rates.year)
        if not months:
            return
        due = (amount * owner.share * months / 12).quantize(
            Decimal('0.01'))
        share = Fraction(owner.share)
        trace = [
            [message('muni_finance.msg_trace_amount'),
                token('amount', amount)],
            [message('muni_finance.msg_trace_share'),
                token('fraction', share)],
            [message('muni_finance.msg_trace_months'),
                token('number', months)],
            ]
        factors = [token('amount', amount)]
        if share != 1:
            factors.append(token('fraction', share))
        if months != 12:
            factors.append(token('months', months))
        return {'base': amount, 'amount': due, 'trace': trace,
            'formulas': [[None, factors, token('amount', due)]]}


class RevenueTypeAccount(ModelSQL, CompanyValueMixin):
    __name__ = 'muni.revenue.type.account'
    __string__ = "Revenue Type Account"

    revenue_type = fields.Many2One(
        'muni.revenue.type', "Revenue Type", required=True,
        ondelete='CASCADE',
        context={'company': Eval('company', -1)}, depends={'company'})
    receivable_account = fields.Many2One(
        'account.account', "Receivable Account",
        domain=[
            ('closed', '!=', True),
            ('company', '=', Eval('company', -1)),
            ('type.receivable', '=', True),
            ('party_required', '=', True),
            ])
    revenue_account = fields.Many2One(
        'account.account', "Revenue Account",
        domain=[
            ('closed', '!=', True),
            ('company', '=', Eval('company', -1)),
            ('type.revenue', '=', True),
            ])
    interest_account = fields.Many2One(
        'account.account', "Interest Revenue Account",
        domain=[
            ('closed', '!=', True),
            ('company', '=', Eval('company', -1)),
            ('type.revenue', '=', True),
            ])
