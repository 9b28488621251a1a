# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The taxpayer's statement (лицева сметка): per revenue type and year each
instalment, what the posted payments paid of it, what remains with the
interest to a chosen date, the credits and the balance."""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from muni_base.report import ModuleFilesReport

ZERO = Decimal(0)
AMOUNTS = ['charged', 'principal', 'interest', 'discount',
    'open_principal', 'open_interest', 'credit']


def statement(taxpayer, date):
    """Return the statement of the taxpayer with the interest to date as
    (sections, totals): sections are dicts with the revenue type, the year
    and the rows, each a dict of the fields of the statement line;
    totals sums the amounts and gives the balance"""
    pool = Pool()
    Assessment = pool.get('muni.assessment')
    Allocation = pool.get('muni.payment.allocation')
    ChargeLine = pool.get('muni.interest.charge.line')
    Payment = pool.get('muni.payment')
    lang = pool.get('ir.lang').get()
    Line = pool.get('account.move.line')
    Configuration = pool.get('muni.finance.configuration')
    company, party = taxpayer.company, taxpayer.party
    assessments = Assessment.search([
            ('company', '=', company.id),
            ('party', '=', party.id),
            ('state', '=', 'posted'),
            ], order=[('revenue_type.code', 'ASC'), ('year', 'ASC'),
            ('id', 'ASC')])
    instalments = [(a, l) for a in assessments for l in a.instalments]
    paid = defaultdict(list)
    for allocation in Allocation.search([
                ('line', 'in', [l.id for _, l in instalments]),
                ('payment.state', '=', 'posted'),
                ], order=[('payment.date', 'ASC'), ('payment.id', 'ASC')]):
        paid[allocation.line.id].append(allocation)
    charges = defaultdict(list)
    for charge_line in ChargeLine.search([
                ('line', 'in', [l.id for _, l in instalments]),
                ('charge.state', '=', 'posted'),
                ], order=[('charge.date', 'ASC'), ('id', 'ASC')]):
        charges[charge_line.line.id].append(charge_line)
    open_ = {i.line: i for i in Payment.open_items(company, party, date)}

    sections = {}
    for assessment, line in instalments:
        key = (assessment.revenue_type.id, assessment.year)
        if key not in sections:
            sections[key] = {
                'revenue_type': assessment.revenue_type,
                'year': assessment.year,
                'rows': [],
                }
        rows = sections[key]['rows']
        number = assessment.instalments.index(line) + 1
        item = open_.get(line.id)
        object_ = assessment.object
        rows.append(_row(
                'instalment', line.maturity_date or line.date, object_,
                gettext('muni_finance.msg_statement_instalment',
                    instalment=number, period=assessment.period or ''
                    ).strip(),
                charged=line.debit - line.credit,
                open_principal=item.principal if item else ZERO,
                open_interest=item.interest if item else ZERO))
        for charge_line in charges[line.id]:
            # the interest the clerk charged: part of the interest to date
            rows.append(_row(
                    'interest', charge_line.charge.date, object_,
                    gettext('muni_finance.msg_statement_interest_charged',
                        date=lang.strftime(charge_line.charge.date),
                        instalment=number),
                    charged=charge_line.amount))
        for allocation in paid[line.id]:
            rows.append(_row(
                    'payment', allocation.payment.date, object_,
                    gettext('muni_finance.msg_statement_payment',
                        payment=allocation.payment.rec_name,
                        instalment=number),
                    principal=allocation.principal,
                    interest=allocation.interest,
                    discount=allocation.discount))

    credits = []
    account = Configuration(1).get_multivalue(
        'credit_account', company=company.id)
    if account:
        # the lines of a cancelled payment and their reversal
        cancelled = set()
        for payment in Payment.search([
                    ('company', '=', company.id),
                    ('party', '=', party.id),
                    ('state', '=', 'cancelled'),
                    ('move', '!=', None),
                    ]):
            cancelled.update(payment.get_own_lines())
            cancelled.update(payment.cancel_move.lines)
        for line in Line.search([
                    ('account', '=', account.id),
                    ('party', '=', party.id),
                    ('move.state', '=', 'posted'),
                    ], order=[('date', 'ASC'), ('id', 'ASC')]):
            if line in cancelled:
                continue
            origin = line.move.origin
            if isinstance(line.origin, Payment):
                origin = line.origin
            credits.append(_row(
                    'credit', line.date, None,
                    gettext('muni_finance.msg_statement_credit',
                        document=origin.rec_name if origin
                        else line.move.rec_name),
                    credit=line.credit - line.debit))

    sections = list(sections.values())
    totals = {n: ZERO for n in AMOUNTS}
    for row in [r for s in sections for r in s['rows']] + credits:
        for name in AMOUNTS:
            totals[name] += row[name]
    totals['balance'] = (totals['open_principal'] + totals['open_interest']
        - totals['credit'])
    if credits:
        sections.append({'revenue_type': None, 'year': None,
                'rows': credits})
    return sections, totals


def _row(kind, date, object_, description, **amounts):
    row = {n: amounts.get(n, ZERO) for n in AMOUNTS}
    row.update(kind=kind, date=date, object=object_, description=description)
    return row


class StatementStart(ModelView):
    __name__ = 'muni.taxpayer.statement.start'
    __string__ = "Taxpayer Statement"

    taxpayer = fields.Many2One('muni.taxpayer', "Taxpayer", readonly=True)
    date = fields.Date(
        "Interest To", required=True,
        help="The day the interest on the open instalments is computed "
        "to.")
    currency = fields.Many2One('currency.currency', "Currency", readonly=True)
    lines = fields.One2Many(
        'muni.taxpayer.statement.line', None, "Lines", readonly=True)
    open_principal = Monetary(
        "Open Principal", currency='currency', digits='currency',
        readonly=True)
    open_interest = Monetary(
        "Interest", currency='currency', digits='currency', readonly=True)
    credit = Monetary(
        "Credit", currency='currency', digits='currency', readonly=True)
    balance = Monetary(
        "Balance", currency='currency', digits='currency', readonly=True,
        help="Open principal and interest less the credits.")

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('taxpayer', 'date', 'lines', 'currency',
        'open_principal', 'open_interest', 'credit', 'balance')
    def on_change_date(self):
        pool = Pool()
        Line = pool.get('muni.taxpayer.statement.line')
        if not self.taxpayer or not self.date:
            self.lines = []
            return
        sections, totals = statement(self.taxpayer, self.date)
        currency = self.taxpayer.company.currency
        lines = []
        for section in sections:
            for row in section['rows']:
                lines.append(Line(
                        revenue_type=section['revenue_type'],
                        year=section['year'], currency=currency, **row))
        self.lines = lines
        self.currency = currency
        for name in ['open_principal', 'open_interest', 'credit',
                'balance']:
            setattr(self, name, totals[name])


class StatementLine(ModelView):
    __name__ = 'muni.taxpayer.statement.line'
    __string__ = "Taxpayer Statement Line"

    revenue_type = fields.Many2One(
        'muni.revenue.type', "Revenue Type", readonly=True)
    year = fields.Integer("Year", readonly=True)
    kind = fields.Selection([
            ('instalment', "Instalment"),
            ('payment', "Payment"),
            ('interest', "Interest Charged"),
            ('credit', "Credit"),
            ], "Kind", readonly=True)
    date = fields.Date("Date", readonly=True)
    object = fields.Many2One('muni.tax.object', "Object", readonly=True)
    description = fields.Char("Description", readonly=True)
    currency = fields.Many2One('currency.currency', "Currency", readonly=True)
    charged = Monetary(
        "Charged", currency='currency', digits='currency', readonly=True)
    principal = Monetary(
        "Paid Principal", currency='currency', digits='currency',
        readonly=True)
    interest = Monetary(
        "Paid Interest", currency='currency', digits='currency',
        readonly=True)
    discount = Monetary(
        "Discount", currency='currency', digits='currency', readonly=True)
    open_principal = Monetary(
        "Open Principal", currency='currency', digits='currency',
        readonly=True)
    open_interest = Monetary(
        "Interest to Date", currency='currency', digits='currency',
        readonly=True)
    credit = Monetary(
        "Credit", currency='currency', digits='currency', readonly=True)


class Statement(Wizard):
    __name__ = 'muni.taxpayer.statement'

    start = StateView(
        'muni.taxpayer.statement.start',
        'muni_finance.taxpayer_statement_start_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('muni.taxpayer.statement')

    def default_start(self, fields):
        # the form computes the statement when its date is set
        return {'taxpayer': self.record.id} if self.record else {}

    def do_print_(self, action):
        return action, {
            'model': 'muni.taxpayer',
            'id': self.start.taxpayer.id,
            'ids': [self.start.taxpayer.id],
            'date': self.start.date,
            }

    def transition_print_(self):
        return 'end'


class StatementReport(ModuleFilesReport, Report):
    __name__ = 'muni.taxpayer.statement'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Date = pool.get('ir.date')
        Taxpayer = pool.get('muni.taxpayer')
        context = super().get_context(records, header, data)
        date = data.get('date')
        if date is None:
            with Transaction().set_context(
                    company=records[0].company.id if records else None):
                date = Date.today()
        context['date'] = date
        # what a localisation's report varies in the one template: the
        # name of the charge on overdue principal, and per revenue type
        # id the (budget code, account) it is paid into
        context['late_payment_charges'] = False
        context['treasuries'] = {}
        context['statements'] = statements = {}
        for record in records:
            taxpayer = Taxpayer(record.id)
            statements[record.id] = statement(taxpayer, date)
        return context
