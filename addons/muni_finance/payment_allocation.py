# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"What a payment paid of each instalment, and its move lines"
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool

from muni_base.export import FormulaSafeExport

from .locked import LockedAfterDraft


class PaymentAllocation(
        FormulaSafeExport, LockedAfterDraft, ModelSQL, ModelView):
    __name__ = 'muni.payment.allocation'
    _locked_parent = 'payment'
    __string__ = "Payment Allocation"

    payment = fields.Many2One(
        'muni.payment', "Payment", required=True, ondelete='CASCADE')
    sequence = fields.Integer("Sequence")
    line = fields.Many2One(
        'account.move.line', "Instalment", required=True,
        ondelete='RESTRICT')
    assessment = fields.Many2One(
        'muni.assessment', "Assessment", required=True, ondelete='RESTRICT')
    revenue_type = fields.Many2One(
        'muni.revenue.type', "Revenue Type", required=True,
        ondelete='RESTRICT')
    year = fields.Integer("Year", required=True)
    due_date = fields.Date("Due Date")
    instalment = fields.Integer("Instalment")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    principal = Monetary(
        "Principal", currency='currency', digits='currency', required=True)
    interest = Monetary(
        "Interest", currency='currency', digits='currency', required=True)
    interest_charged = Monetary(
        "Interest Charged Before", currency='currency', digits='currency',
        required=True,
        help="Of the interest paid, what an interest charge had posted.")
    discount = Monetary(
        "Discount", currency='currency', digits='currency', required=True)
    remaining = Monetary(
        "Remaining", currency='currency', digits='currency',
        help="What remains due on the instalment after the payment, "
        "interest included.")
    interest_trace = fields.Text("Interest Computation", readonly=True)
    principal_line = fields.Many2One(
        'account.move.line', "Principal Line", readonly=True,
        ondelete='RESTRICT')
    interest_charge_line = fields.Many2One(
        'account.move.line', "Interest Charge Line", readonly=True,
        ondelete='RESTRICT')
    interest_line = fields.Many2One(
        'account.move.line', "Interest Line", readonly=True,
        ondelete='RESTRICT')
    discount_line = fields.Many2One(
        'account.move.line', "Discount Line", readonly=True,
        ondelete='RESTRICT')
    description = fields.Function(
        fields.Char("Description"), 'get_description')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('payment')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.line, Index.Range())))
        cls._order = [
            ('payment', 'DESC'), ('sequence', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_principal(cls):
        return Decimal(0)

    default_interest = default_discount = default_principal
    default_interest_charged = default_principal

    def get_currency(self, name):
        return self.payment.company.currency.id

    def get_description(self, name):
        lang = Pool().get('ir.lang').get()
        text = gettext('muni_finance.msg_allocation_description',
            year=self.year, revenue_type=self.revenue_type.name,
            instalment=self.instalment or 1,
            principal=lang.format('%.2f', self.principal),
            interest=lang.format('%.2f', self.interest))
        if self.discount:
            text += gettext('muni_finance.msg_allocation_discount',
                discount=lang.format('%.2f', self.discount))
        return text

    def get_lines(self, accounts):
        """Return the move lines of the principal and the discount the
        allocation paid, and remember which is which; the interest is the
        payment's (Payment.get_move_lines). accounts: the Accounts of the
        bulk (payment_items)"""
        pool = Pool()
        Payment = pool.get('muni.payment')
        company = self.payment.company
        party = self.payment.party
        revenue_type = self.revenue_type
        budget_code = revenue_type.budget_code
        lines = []
        description = self.get_description(None)
        if self.principal:
            self.principal_line = Payment.move_line(
                account=accounts.of_instalment(self.line), party=party,
                credit=self.principal, budget_code=budget_code,
                origin=self.payment, description=description)
            lines.append(self.principal_line)
        if self.discount:
            _, revenue = accounts.of_revenue_type(revenue_type, company)
            self.discount_line = Payment.move_line(
                account=accounts.of_instalment(self.line), party=party,
                credit=self.discount, origin=self.payment,
                description=description)
            lines.append(self.discount_line)
            lines.append(Payment.move_line(
                    account=revenue, debit=self.discount,
                    budget_code=budget_code, description=description))
        return lines

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('payment.rec_name',) + tuple(clause[1:])]
