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
from .sampling import ValidatedBySample, digits_regular, stored


def object_label(object_):
    """The tax object as its owner knows it: its description, its address
    when the description does not hold it, and its reference (cadastral
    identifier, registration plate) that tells two flats of one building
    apart"""
    parts = [p for p in [object_.description, object_.address]
        if p and p.strip()]
    if len(parts) == 2 and parts[1] in parts[0]:
        parts = parts[:1]
    if not parts:
        return object_.reference
    return '%s (%s)' % (', '.join(parts), object_.reference)


class PaymentAllocation(
        ValidatedBySample, FormulaSafeExport, LockedAfterDraft, ModelSQL,
        ModelView):
    __name__ = 'muni.payment.allocation'
    _locked_parent = 'payment'
    __string__ = "Payment Allocation"

    # What a payment paid, from its plan (Payment._allocation_records):
    # validated by sample (sampling.py)
    _sample_key = ()
    _sample_exempt = {
        name: "only whether it is set is in the key (required)"
        for name in ['payment', 'line', 'assessment', 'revenue_type',
            'year']}
    _sample_exempt.update({
            name: "its digits are checked on each allocation; only whether "
            "it is set is in the key"
            for name in ['principal', 'interest', 'interest_charged',
                'discount', 'remaining']})
    _sample_exempt['explanation'] = (
        "the rule's text of each allocation, empty when created")
    _sample_exempt['currency'] = (
        "the company's of the payment, whose digits are read for each "
        "allocation")

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
    explanation = fields.Text(
        "Rule Applied", readonly=True,
        help="Why the payment paid the instalment so, as the allocation "
        "rule of the localisation tells it.")
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

    def get_description(self, name, with_object=True):
        """The instalment paid as the payer reads it: the year, the revenue
        type, the object taxed and the amounts in the user's language; no
        account"""
        lang = Pool().get('ir.lang').get()

        def amount(value):
            return lang.format('%.2f', value, grouping=True, monetary=True)
        values = dict(
            year=self.year, revenue_type=self.revenue_type.name,
            instalment=self.instalment or 1,
            principal=amount(self.principal),
            interest=amount(self.interest))
        object_ = (self.assessment.object
            if with_object and self.assessment else None)
        if object_:
            text = gettext('muni_finance.msg_allocation_description_object',
                object=object_label(object_), **values)
        else:
            text = gettext(
                'muni_finance.msg_allocation_description', **values)
        if self.discount:
            text += gettext('muni_finance.msg_allocation_discount',
                discount=amount(self.discount))
        return text

    def get_lines(self, accounts):
        """Return the move lines of the principal and the discount the
        allocation paid, and remember which is which; the interest is the
        payment's (Payment.get_move_lines). accounts: the Accounts of the
        bulk (payment_posting)"""
        pool = Pool()
        Payment = pool.get('muni.payment')
        company = self.payment.company
        party = self.payment.party
        revenue_type = self.revenue_type
        budget_code = revenue_type.budget_code
        lines = []
        # the lines of a bulk do without the object: its read per
        # allocation would cost a bank statement a query each
        description = self.get_description(None, with_object=False)
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

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each allocation the values the generic checks depend
        on: whether each required value is there (the payment, instalment,
        assessment, revenue type and year the plan read), its move lines;
        or None when an amount does not fit the currency"""
        pool = Pool()
        Payment = pool.get('muni.payment')
        required = ['payment', 'line', 'assessment', 'revenue_type', 'year']
        amounts = ['principal', 'interest', 'interest_charged', 'discount',
            'remaining']
        lines = ['principal_line', 'interest_charge_line', 'interest_line',
            'discount_line']
        rows = stored(cls, ids, required + amounts + lines)
        digits = {p.id: p.company.currency.digits for p in Payment.browse(
                list({r['payment'] for r in rows if r['payment']}))}
        keys = {}
        for row in rows:
            if row['payment'] and all(
                    digits_regular(row[n], digits[row['payment']])
                    for n in amounts if row[n] is not None):
                keys[row['id']] = (
                    tuple(row[n] is None for n in required + amounts)
                    + tuple(row[n] is None for n in lines))
            else:
                keys[row['id']] = None
        return keys
