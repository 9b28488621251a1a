# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Payments of taxpayers: the allocation the law orders, interest to the
payment date, posting and reconciliation; the cash desk's session a
payment is taken in, the receipt's values, the bank statement line a
payment comes from, and the validation by sample of the payments of a
bulk.

The engine is country-neutral: it gathers the open items of the taxpayer
(the principal of each instalment, and the late-payment charge the
localisation computes on it, ``_interest_<localisation>``, as an item of
its own), asks the rule of the company's localisation
(``_allocate_<localisation>``) how the amount pays them, given the payer's
choice, the items designated and the enforcement state, stores each
allocation and posts the payments: a move of its own for a payment alone,
one shared by the payments posted together."""
from collections import defaultdict
from decimal import Decimal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from muni_base.export import FormulaSafeExport

from .exceptions import PaymentError, PaymentWarning
from .interest import total as interest_total
from .locked import LockedAfterDraft
from .open_items import (
    REVENUE_KINDS, Allocated, AllocationContext, Item, OpenInstalment, Paid,
    charged_of, open_instalments, paid_of)
from .payment_posting import Accounts, lock_for, reconcile_settled
from .sampling import (
    FREE_TEXT, ValidatedBySample, digits_regular, save_checked, stored)

CHANNELS = [
    ('cash', "Cash Desk"),
    ('bank', "Bank Transfer"),
    ('online', "Online Payment"),
    ('card', "Card Terminal"),
    ]


class Payment(
        ValidatedBySample, FormulaSafeExport, LockedAfterDraft, Workflow,
        ModelSQL, ModelView):
    __name__ = 'muni.payment'
    __string__ = "Payment"
    _rec_name = 'number'

    # The payments of a bank file's receipts (StatementLine.allocate) are
    # validated by sample (sampling.py)
    _sample_key = ('company', 'account', 'journal', 'channel',
        'revenue_type', 'designated', 'session', 'state')
    _sample_exempt = {
        'amount': "checked on each payment: its digits by _checked_keys, "
        "its sign by check_amount (_validate_sampled)",
        'credit': "empty when a payment is created",
        'debts': "empty when a payment is created (computed when posted)",
        'cancel_reason': "empty when a payment is created (the cancel "
        "wizard writes it); its states only hide it",
        'currency': "the company's, which is in the key",
        'date': "only whether it is set is in the key (required)",
        'taxpayer': "only its company, which its domain compares to the "
        "payment's, and whether it is set are in the key",
        'party': "only the domain of the designated instalment reads it: a "
        "payment that designates one is a sample of its own",
        'reference': FREE_TEXT,
        'number': "empty when a payment is created (given when posted)",
        'origin': "only the model of the origin is in the key (the "
        "selection of the field); the record is the bulk path's own",
        }

    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        states=_states)
    number = fields.Char(
        "Number", readonly=True,
        help="Given from the strict sequence of payments when posted.")
    taxpayer = fields.Many2One(
        'muni.taxpayer', "Taxpayer", required=True, ondelete='RESTRICT',
        states=_states,
        domain=[('company', '=', Eval('company', -1))])
    party = fields.Many2One(
        'party.party', "Party", readonly=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    date = fields.Date("Date", required=True, states=_states)
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        states=_states)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    channel = fields.Selection(
        CHANNELS, "Channel", required=True, states=_states)
    revenue_type = fields.Many2One(
        'muni.revenue.type', "Revenue Type", ondelete='RESTRICT',
        states=_states,
        context={'company': Eval('company', -1)}, depends={'company'},
        help="The type of debt the payer chose to pay; empty to pay the "
        "oldest debts of any type.")
    designated = fields.Many2One(
        'account.move.line', "Designated Instalment", ondelete='RESTRICT',
        states=_states,
        domain=[
            ('party', '=', Eval('party', -1)),
            ('account.type.receivable', '=', True),
            ('reconciliation', '=', None),
            ('move.company', '=', Eval('company', -1)),
            ],
        help="An instalment of the current year the payer designated, "
        "paid before the others of its type and year.")
    reference = fields.Char(
        "Reference", states=_states,
        help="The reason the payer gave, or the reference of the bank or "
        "gateway.")
    account = fields.Many2One(
        'account.account', "Account", required=True, ondelete='RESTRICT',
        states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ('closed', '!=', True),
            ],
        help="The account the money is received on: the cash desk, "
        "the bank or the clearing account of a statement.")
    journal = fields.Many2One(
        'account.journal', "Journal", required=True, ondelete='RESTRICT',
        states=_states,
        context={'company': Eval('company', -1)}, depends={'company'})
    session = fields.Many2One(
        'muni.cash.session', "Cash Session", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft',
                ('state', '=', 'open'), ()),
            ],
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('channel') != 'cash',
            },
        help="The session of the cash desk the payment is taken in; "
        "empty to take it in the open session of the user.")
    origin = fields.Reference(
        "Origin", selection='get_origin', readonly=True)
    move = fields.Many2One(
        'account.move', "Move", readonly=True, ondelete='RESTRICT')
    cancel_move = fields.Many2One(
        'account.move', "Cancellation Move", readonly=True,
        ondelete='RESTRICT')
    allocations = fields.One2Many(
        'muni.payment.allocation', 'payment', "Allocations", readonly=True)
    credit = Monetary(
        "Credit", currency='currency', digits='currency', readonly=True,
        help="What the payment leaves over: a credit of the taxpayer.")
    debts = Monetary(
        "Debts Due", currency='currency', digits='currency', readonly=True,
        help="All the taxpayer owed on the day of the payment, before it, "
        "interest to that day included.")
    posted_by = fields.Many2One(
        'res.user', "Posted By", readonly=True, ondelete='RESTRICT',
        help="The user who took the payment: the cashier on the receipt.")
    summary = fields.Function(fields.Text("Summary"), 'get_summary')
    cancel_reason = fields.Text(
        "Reason for Cancellation", readonly=True,
        states={'invisible': Eval('state') != 'cancelled'},
        help="Why the payment was cancelled, as the supervisor who "
        "cancelled it gave it.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('posted', "Posted"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.number, Index.Equality())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state == 'draft'),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'posted'),
            ('draft', 'cancelled'),
            ('posted', 'cancelled'),
            }
        cls._buttons.update({
                'compute': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'post': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'cancel_wizard': {
                    'invisible': Eval('state') == 'cancelled',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_channel():
        return 'cash'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def _default_session(cls):
        "The open session of the user, when there is only one"
        company = Transaction().context.get('company')
        if company is not None:
            sessions = cls._open_sessions(company)
            if len(sessions) == 1:
                return sessions[0]

    @classmethod
    def default_session(cls):
        session = cls._default_session()
        return session.id if session else None

    @classmethod
    def default_journal(cls):
        pool = Pool()
        session = cls._default_session()
        if session:
            return session.desk.journal.id
        Configuration = pool.get('muni.finance.configuration')
        company = Transaction().context.get('company')
        if company is not None:
            journal = Configuration(1).get_multivalue(
                'payment_journal', company=company)
            return journal.id if journal else None

    @classmethod
    def default_account(cls):
        session = cls._default_session()
        if session:
            return session.desk.account.id
        company = Transaction().context.get('company')
        journal = cls.default_journal()
        if company is not None and journal is not None:
            pool = Pool()
            Company = pool.get('company.company')
            Journal = pool.get('account.journal')
            account = cls._account_of_journal(
                Company(company), Journal(journal), cls.default_channel())
            return account.id if account else None

    @classmethod
    def _journal_accounts(cls, company, journal, channel):
        """Return the lists of the accounts money received in the journal
        goes to, the most fitting list first: cash is received on the
        account of the journal's cash desks; then those of the bank
        statements' journals"""
        pool = Pool()
        StatementJournal = pool.get('account.statement.journal')
        Desk = pool.get('muni.cash.desk')
        accounts = [[j.account for j in StatementJournal.search([
                        ('company', '=', company.id),
                        ('journal', '=', journal.id),
                        ])]]
        if channel != 'cash':
            return accounts
        return [[d.account for d in Desk.search([
                        ('company', '=', company.id),
                        ('journal', '=', journal.id),
                        ])]] + accounts

    @classmethod
    def _account_of_journal(cls, company, journal, channel):
        "The account the journal receives the money of the channel on"
        for accounts in cls._journal_accounts(company, journal, channel):
            if len(set(accounts)) == 1:
                return accounts[0]

    @fields.depends('company', 'journal', 'channel', 'account')
    def on_change_journal(self):
        if self.company and self.journal:
            account = self._account_of_journal(
                self.company, self.journal, self.channel)
            if account:
                self.account = account

    @classmethod
    def _get_origin(cls):
        "Return the models a payment may come from"
        return ['muni.cash.session', 'account.statement.line']

    @classmethod
    def get_origin(cls):
        Model = Pool().get('ir.model')
        models = cls._get_origin()
        return [(None, '')] + [
            (m, Model.get_name(m)) for m in models]

    @fields.depends(
        'channel', 'company', 'session', 'journal', 'account',
        methods=['on_change_session', 'on_change_journal'])
    def on_change_channel(self):
        if self.channel != 'cash':
            if self.session:
                # the desk's cash account is not where other money goes
                self.session = None
                self.account = None
        elif not self.session and self.company:
            sessions = self._open_sessions(self.company)
            if len(sessions) == 1:
                self.session, = sessions
        if self.session:
            self.on_change_session()
        else:
            self.on_change_journal()

    @fields.depends('session', 'account', 'journal')
    def on_change_session(self):
        if self.session and self.session.desk:
            self.account = self.session.desk.account
            self.journal = self.session.desk.journal

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('taxpayer')
    def on_change_taxpayer(self):
        self.party = self.taxpayer.party if self.taxpayer else None

    def get_rec_name(self, name):
        return self.number or str(self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        from muni_base.settlement import fields_clause
        return fields_clause(clause, 'number', 'taxpayer.rec_name')

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Taxpayer = pool.get('muni.taxpayer')
        values = super().preprocess_values(mode, values)
        if values.get('taxpayer'):
            values['party'] = Taxpayer(values['taxpayer']).party.id
        return values

    @classmethod
    def validate_fields(cls, payments, field_names):
        super().validate_fields(payments, field_names)
        if field_names & {'amount', 'revenue_type', 'designated'}:
            cls.check_amount(payments)

    @classmethod
    def _validate_sampled(cls, payments):
        super()._validate_sampled(payments)
        # what validate_fields checks of each payment's own values
        cls.check_amount(payments)

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each payment of a receipt the values the generic
        checks depend on, but its taxpayer (its company only) and party,
        reference and origin record; or None when its amount does not fit
        the currency or it designates an instalment"""
        pool = Pool()
        Company = pool.get('company.company')
        Taxpayer = pool.get('muni.taxpayer')
        names = list(cls._sample_key)
        rows = stored(
            cls, ids, names + ['amount', 'date', 'origin', 'taxpayer'])
        digits = {c.id: c.currency.digits for c in Company.browse(
                list({r['company'] for r in rows}))}
        taxpayer_companies = {t['id']: t['company'] for t in stored(
                Taxpayer, list({r['taxpayer'] for r in rows
                        if r['taxpayer']}), ['company'])}
        keys = {}
        for row in rows:
            if (digits_regular(row['amount'], digits[row['company']])
                    and not row['designated']):
                keys[row['id']] = tuple(row[n] for n in names) + (
                    row['date'] is None,
                    row['origin'].split(',')[0] if row['origin'] else None,
                    row['taxpayer'] is None,
                    taxpayer_companies.get(row['taxpayer']))
            else:
                keys[row['id']] = None
        return keys

    @classmethod
    def check_amount(cls, payments):
        for payment in payments:
            if payment.amount is not None and payment.amount <= 0:
                raise PaymentError(gettext(
                        'muni_finance.msg_payment_amount_positive'))

    @classmethod
    def check_modification(
            cls, mode, payments, values=None, external=False):
        super().check_modification(
            mode, payments, values=values, external=external)
        if mode == 'delete':
            for payment in payments:
                if payment.state != 'draft':
                    raise PaymentError(gettext(
                            'muni_finance.msg_payment_delete_posted',
                            payment=payment.rec_name))

    @classmethod
    def copy(cls, payments, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'move', 'cancel_move', 'allocations',
                'credit', 'debts', 'origin', 'cancel_reason', 'posted_by',
                'session']:
            default.setdefault(name)
        return super().copy(payments, default=default)

    def get_summary(self, name):
        """The allocation as the clerk and the payer read it: each
        instalment with the interest's computation, then what remains"""
        pool = Pool()
        lang = pool.get('ir.lang').get()
        if not self.allocations:
            return
        lines = []
        for allocation in self.allocations:
            lines.append(allocation.description)
            if allocation.explanation:
                lines.extend('    ' + l
                    for l in allocation.explanation.splitlines())
            if allocation.interest_trace:
                lines.extend('    ' + l
                    for l in allocation.interest_trace.splitlines())
        paid = sum((a.principal + a.interest for a in self.allocations),
            Decimal(0))
        discount = sum((a.discount for a in self.allocations), Decimal(0))
        remaining = sum(
            (a.remaining for a in self.allocations if a.remaining),
            Decimal(0))
        date = lang.strftime(self.date)

        def money(value):
            return lang.currency(value, self.currency, grouping=True)
        lines.append(gettext('muni_finance.msg_payment_summary_paid',
                paid=money(paid)))
        if discount:
            lines.append(gettext('muni_finance.msg_payment_summary_discount',
                    discount=money(discount)))
        lines.append(gettext('muni_finance.msg_payment_summary_remaining',
                date=date,
                remaining=money(remaining)))
        if self.debts is not None:
            due = max(self.debts - paid - discount, Decimal(0))
            lines.append(gettext('muni_finance.msg_payment_summary_due',
                    date=date, due=money(due)))
        lines.append(gettext('muni_finance.msg_payment_summary_credit',
                credit=money(self.credit or 0)))
        return '\n'.join(lines)

    # The open items and their interest

    @classmethod
    def read_open(cls, company, parties):
        """Return for each party id its open instalments in the company,
        what the posted payments paid of them, the date of its enforcement
        case and the interest charged on them: what open_items computes
        from, read at once for the parties of a bulk"""
        pool = Pool()
        Currency = pool.get('currency.currency')
        Taxpayer = pool.get('muni.taxpayer')
        by_party = open_instalments(company, [p.id for p in parties])
        instalments = [i for p in by_party.values() for i in p.values()]
        paid = paid_of([i.id for i in instalments])
        charged = charged_of([i.id for i in instalments])
        currencies = {c.id: c for c in Currency.browse(list({
                        i.second_currency for i in instalments
                        if i.second_currency}))}
        for instalment in instalments:
            if instalment.second_currency:
                instalment.second_currency = currencies[
                    instalment.second_currency]
        enforcement = {}
        for sub_parties in grouped_slice(
                [p.id for p in parties], backend.MAX_QUERY_PARAMS):
            for taxpayer in Taxpayer.search([
                        ('company', '=', company.id),
                        ('party', 'in', list(sub_parties)),
                        ('enforcement_date', '!=', None),
                        ]):
                enforcement[taxpayer.party.id] = taxpayer.enforcement_date
        return {p.id: (by_party.get(p.id, {}), paid, enforcement.get(p.id),
                charged)
            for p in parties}

    @classmethod
    def open_items(cls, company, party, date, read=None, pending=None):
        """Return the open instalments of the party in the company as
        OpenInstalments, with their principal and the interest to date, each
        with its neutral Items; read is what read_open returned for a bulk,
        pending for each instalment what the payments of the bulk allocated
        before (Paid)"""
        if read is None:
            read = cls.read_open(company, [party])
        instalments, paid, _, (charged, terms) = read[party.id]
        pending = pending or {}
        result = []
        for instalment in instalments.values():
            payments = paid[instalment.id] + pending.get(instalment.id, [])
            principal = instalment.debit - sum(
                (p.principal + p.discount for p in payments), Decimal(0))
            interest_paid = sum((p.interest for p in payments), Decimal(0))
            accrued, trace = cls._interest(
                company, instalment, date,
                [(p.date, p.principal + p.discount) for p in payments])
            interest = max(accrued - interest_paid, Decimal(0))
            open_ = OpenInstalment(
                line=instalment.id, account=instalment.account,
                assessment=instalment.assessment,
                revenue_type=instalment.revenue_type,
                year=instalment.year,
                due_date=instalment.maturity_date or instalment.date,
                instalment=instalment.number,
                principal=max(principal, Decimal(0)), interest=interest,
                interest_trace=trace,
                cost=instalment.kind == 'cost',
                discount_rate=instalment.discount_rate,
                discount_date=instalment.discount_date,
                untouched=not payments,
                # what an interest charge posted and no payment paid
                charged=max(charged[instalment.id] - sum(
                        (p.interest_charged for p in payments),
                        Decimal(0)), Decimal(0)))
            open_.items = cls._items_of(
                company, instalment, open_, date,
                terms.get(instalment.id))
            if open_.items:
                result.append(open_)
        return result

    @classmethod
    def _items_of(cls, company, instalment, open_, date, term):
        """Return the neutral Items of the open instalment: its principal,
        and the late-payment charge accrued on it as an item of its own,
        whose age is the date of the last interest charge that established
        it (term), or else the payment's date"""
        values = dict(
            line=open_.line, assessment=open_.assessment,
            revenue_type=open_.revenue_type, year=open_.year,
            due_date=open_.due_date, instalment=open_.instalment,
            discount_rate=open_.discount_rate,
            discount_date=open_.discount_date, untouched=open_.untouched)
        items = []
        if open_.principal:
            items.append(Item(
                    kind=REVENUE_KINDS.get(instalment.kind, instalment.kind),
                    executory=cls._executory(company, instalment),
                    age=open_.due_date, amount=open_.principal, **values))
        if open_.interest:
            items.append(Item(
                    kind='interest', executory=False, age=term or date,
                    amount=open_.interest, trace=open_.interest_trace,
                    **values))
        return items

    @classmethod
    def _executory(cls, company, instalment):
        """Whether the principal of the instalment stems from an executory
        title: the localisation's rule (``_executory_<localisation>``), none
        by default"""
        method = getattr(cls, f'_executory_{company.localisation}', None)
        return bool(method(company, instalment)) if method else False

    @classmethod
    def explain_interest(cls, company, trace):
        """Return the late-payment charge's computation (the trace its
        _interest_<localisation> returned) as the lines a citizen reads:
        the localisation's explanation (``_explain_interest_<localisation>``)
        or else the rate table's segments"""
        pool = Pool()
        InterestRate = pool.get('muni.interest.rate')
        method = getattr(
            cls, f'_explain_interest_{company.localisation}', None)
        if method is not None:
            return method(company, trace)
        return InterestRate.explain(trace, company.currency)

    @classmethod
    def _interest(cls, company, instalment, date, payments):
        """Return the interest accrued on the instalment to date, rounded
        in the company's currency, and its segments; the localisation's
        rule when it has one. payments are the (date, principal) the
        posted payments paid of it."""
        method = getattr(
            cls, f'_interest_{company.localisation}', cls._interest_default)
        return method(company, instalment, date, payments)

    @classmethod
    def _interest_default(cls, company, instalment, date, payments):
        pool = Pool()
        InterestRate = pool.get('muni.interest.rate')
        if not cls._bears_interest(instalment):
            return Decimal(0), []
        due_date = instalment.maturity_date or instalment.date
        segments = InterestRate.compute(
            company.localisation, instalment.debit, due_date, date, payments)
        return interest_total(segments), segments

    @classmethod
    def _bears_interest(cls, instalment):
        "Interest runs on principal only: never on interest, fines or costs"
        return instalment.kind not in {'fine', 'interest', 'cost'}

    # The allocation

    @classmethod
    def plan(cls, company, party, amount, date, revenue_type=None,
            designated=None, enforcement=None, read=None, pending=None):
        """Return the allocation of amount paid on date by the party as
        (list of Allocated, credit), computed by the localisation's rule,
        without storing or posting anything. designated: the instalment
        lines the payer designated (one or several); enforcement: whether
        an enforcement case is open, None to read the taxpayer's; read and
        pending as for open_items"""
        allocated, credit, _ = cls._plan(
            company, party, amount, date, revenue_type=revenue_type,
            designated=designated, enforcement=enforcement, read=read,
            pending=pending)
        return allocated, credit

    @classmethod
    def _plan(cls, company, party, amount, date, revenue_type=None,
            designated=None, enforcement=None, read=None, pending=None):
        """Return what plan returns and all the party owed on date
        before the payment (its open items, of every revenue type)"""
        if amount is None or amount <= 0:
            raise PaymentError(gettext(
                    'muni_finance.msg_payment_amount_positive'))
        method = cls._allocation_rule(company)
        if read is None:
            read = cls.read_open(company, [party])
        instalments = cls.open_items(
            company, party, date, read=read, pending=pending)
        items = [i for o in instalments for i in o.items]
        enforcement_date = read[party.id][2]
        if enforcement is None:
            enforcement = bool(enforcement_date and enforcement_date <= date)
        if designated is None:
            designated = []
        elif not isinstance(designated, (list, tuple)):
            designated = [designated]
        lines = {int(d) for d in designated}
        context = AllocationContext(
            revenue_type=revenue_type.id if revenue_type else None,
            designated=[i for i in items if i.line in lines],
            enforcement=enforcement,
            enforcement_date=enforcement_date if enforcement else None)
        paid, credit = method(company, party, items, amount, date, context)
        allocated = cls._gather(instalments, paid)
        # the interest an interest charge posted is paid first
        for allocation in allocated:
            allocation.interest_charged = min(
                allocation.interest, allocation.item.charged or Decimal(0))
        if (sum(a.principal + a.interest for a in allocated) + credit
                != amount):
            raise PaymentError(gettext(
                    'muni_finance.msg_payment_unbalanced_rule',
                    company=company.rec_name))
        debts = sum((i.amount for i in items), Decimal(0))
        return allocated, credit, debts

    @classmethod
    def _allocation_rule(cls, company):
        """The allocation rule of the company's localisation:
        ``_allocate_<localisation>(company, party, items, amount, date,
        context)`` returns ([(item, amount, discount)], credit), what the
        amount pays of each Item in the order of the instalments, and what
        is left over; context is an AllocationContext"""
        method = getattr(cls, f'_allocate_{company.localisation}', None)
        if method is None:
            raise PaymentError(gettext(
                    'muni_finance.msg_payment_no_rule',
                    company=company.rec_name))
        return method

    @classmethod
    def _gather(cls, instalments, paid):
        """Return the Allocated of each open instalment whose items the
        rule paid (what it paid of the principal, of the late-payment charge
        and the discount), in the order the rule gave the items"""
        by_line = {o.line: o for o in instalments}
        allocated = {}
        for item, amount, discount in paid:
            if item.line not in allocated:
                allocated[item.line] = Allocated(by_line[item.line])
            allocation = allocated[item.line]
            if item.accessory:
                allocation.interest += amount
            else:
                allocation.principal += amount
            allocation.discount += discount
        return list(allocated.values())

    @classmethod
    @ModelView.button
    def compute(cls, payments):
        "Store the allocation the payment would make, posting nothing"
        pool = Pool()
        Allocation = pool.get('muni.payment.allocation')
        Allocation.delete([a for p in payments for a in p.allocations])
        to_save = []
        for payment in payments:
            allocated, credit, debts = cls._plan(
                payment.company, payment.party, payment.amount, payment.date,
                revenue_type=payment.revenue_type,
                designated=payment.designated)
            payment.credit = credit
            payment.debts = debts
            payment.allocations = payment._allocation_records(allocated)
            to_save.append(payment)
        cls.save(to_save)

    def _allocation_records(self, allocated, records=None):
        """Return the allocation records, unsaved, of what the payment
        allocated; records: the instalment lines and the revenue types of a
        bulk by id, read at once (each browse reads its own records)"""
        pool = Pool()
        Allocation = pool.get('muni.payment.allocation')
        if records is None:
            records = self._allocated_records(allocated)
        lines, revenue_types = records
        result = []
        for sequence, allocation in enumerate(allocated, 1):
            item = allocation.item
            result.append(Allocation(
                    payment=self, sequence=sequence, line=lines[item.line],
                    assessment=item.assessment,
                    revenue_type=revenue_types[item.revenue_type],
                    year=item.year,
                    due_date=item.due_date, instalment=item.instalment,
                    principal=allocation.principal,
                    interest=allocation.interest,
                    interest_charged=allocation.interest_charged,
                    discount=allocation.discount,
                    remaining=(item.principal - allocation.principal
                        - allocation.discount
                        + item.interest - allocation.interest),
                    interest_trace=self.explain_interest(
                        self.company, item.interest_trace)
                    if allocation.interest else None,
                    explanation='\n'.join(
                        i.explanation for i in (item.items or [])
                        if i.explanation) or None))
        return result

    @classmethod
    def _allocated_records(cls, allocated):
        """Return the instalment lines and the revenue types of the
        allocated by id, in one list each"""
        pool = Pool()
        Line = pool.get('account.move.line')
        RevenueType = pool.get('muni.revenue.type')
        lines = Line.browse(list({a.item.line for a in allocated}))
        revenue_types = RevenueType.browse(
            list({a.item.revenue_type for a in allocated}))
        return ({l.id: l for l in lines}, {t.id: t for t in revenue_types})

    # Posting

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, payments):
        pool = Pool()
        Move = pool.get('account.move')
        Allocation = pool.get('muni.payment.allocation')
        Configuration = pool.get('muni.finance.configuration')
        config = Configuration(1)
        # Two payments of a taxpayer allocate one after the other: the
        # second waits and reads what the first paid. The strict sequences
        # of the receipt and of the move are locked with it: one restart
        # of the transaction takes all the locks
        cls._lock(payments, config)
        # a preview of the payment is replaced by the allocation of today
        Allocation.delete([a for p in payments for a in p.allocations])
        # Nothing is written until every payment is built: a write makes
        # trytond read again the records of a list at their next access
        by_company = defaultdict(list)
        for payment in payments:
            by_company[payment.company].append(payment)
        for company, company_payments in by_company.items():
            sequence = config.get_multivalue(
                'payment_sequence', company=company.id)
            if not sequence:
                raise PaymentError(gettext(
                        'muni_finance.msg_payment_no_sequence',
                        company=company.rec_name))
            with Transaction().set_context(company=company.id):
                numbers = sequence.get_many(len(company_payments))
                for payment, number in zip(company_payments, numbers):
                    payment.number = number
        lines, allocations = {}, []
        accounts = Accounts()
        for company, company_payments in by_company.items():
            read = cls.read_open(
                company, list({p.party for p in company_payments}))
            # a party's second payment of the bulk allocates what the
            # first left
            pending = defaultdict(list)
            planned = []
            for payment in company_payments:
                allocated, payment.credit, payment.debts = cls._plan(
                    company, payment.party, payment.amount, payment.date,
                    revenue_type=payment.revenue_type,
                    designated=payment.designated,
                    read=read, pending=pending)
                payment.check_overpayment(config)
                for allocation in allocated:
                    pending[allocation.item.line].append(Paid(
                            payment.date, allocation.principal,
                            allocation.interest, allocation.discount,
                            allocation.interest_charged))
                planned.append((payment, allocated))
            records = cls._allocated_records(
                [a for _, allocated in planned for a in allocated])
            accounts.instalments.update(
                (a.item.line, a.item.account)
                for _, allocated in planned for a in allocated)
            for payment, allocated in planned:
                payment_allocations = payment._allocation_records(
                    allocated, records)
                lines[payment] = payment.get_move_lines(
                    payment_allocations, accounts=accounts)
                allocations.extend(payment_allocations)
        # The payments of a day in a journal (a bank statement) share a
        # move: each line has its payment as origin
        groups = defaultdict(list)
        for payment in payments:
            groups[payment.company, payment.journal, payment.date].append(
                payment)
        moves = []
        for group in groups.values():
            move = cls._get_move(group)
            moves.append(move)
            for payment in group:
                payment.move = move
        Move.save(moves)
        # the lines are saved on their own so that each allocation keeps
        # the very records of its lines
        for payment, payment_lines in lines.items():
            for line in payment_lines:
                line.move = payment.move
        # built from the checked values of the allocations: validated by
        # sample, and so are the allocations
        save_checked([l for ls in lines.values() for l in ls])
        # the state is saved with the number and the move, in one write of
        # the payments: Workflow.transition writes only those still in
        # draft; its log of the transition is written here
        user = Transaction().user
        for payment in payments:
            payment.state = 'posted'
            payment.posted_by = user
        cls.save(payments)
        cls.log(payments, 'transition', 'state:posted')
        save_checked(allocations)
        Move.post(moves)
        reconcile_settled(payments, allocations)

    # the channels where a clerk types the amount the payer hands over
    _counter_channels = {'cash', 'card'}

    def check_overpayment(self, config):
        """Ask the clerk to confirm a payment at the counter far above the
        taxpayer's debts or that leaves a large credit: most often a slip
        of the finger (12 550,00 typed for 125,50). The thresholds are the
        finance configuration's; credit and debts as _plan computed them"""
        pool = Pool()
        Warning = pool.get('res.user.warning')
        if self.channel not in self._counter_channels or not self.credit:
            return
        company = self.company.id
        ratio = config.get_multivalue(
            'overpayment_debts_ratio', company=company)
        limit = config.get_multivalue(
            'overpayment_credit_amount', company=company)
        if ratio is not None and self.amount > (self.debts or 0) * ratio:
            name, message = ('muni_payment_above_debts',
                'muni_finance.msg_payment_above_debts')
        elif limit is not None and self.credit > limit:
            name, message = ('muni_payment_large_credit',
                'muni_finance.msg_payment_large_credit')
        else:
            return
        key = Warning.format(name, [self])
        if Warning.check(key):
            lang = pool.get('ir.lang').get()

            def money(value):
                return lang.currency(value, self.currency, grouping=True)
            raise PaymentWarning(key, gettext(message,
                    taxpayer=self.taxpayer.rec_name,
                    amount=money(self.amount),
                    debts=money(self.debts or 0),
                    credit=money(self.credit)))

    @classmethod
    def _lock(cls, payments, config):
        cls.lock_for(config,
            [(p.company, p.date, p.taxpayer) for p in payments],
            [(p.company, p.date, p.journal) for p in payments])

    @classmethod
    def lock_for(cls, config, keys, journals=()):
        """Lock the taxpayers and the strict sequences of the payments of
        the (company, date, taxpayer) keys, and the journal periods that
        the moves of the (company, date, journal) will create, at once
        (payment_posting.lock_for)"""
        lock_for(config, keys, journals)

    # Every line of a payment's move has the same fields: trytond inserts
    # the lines of one shape in one statement
    _move_line_fields = ['account', 'party', 'debit', 'credit',
        'maturity_date', 'budget_code', 'origin', 'description']

    @classmethod
    def move_line(cls, **values):
        """Return an unsaved move line of a payment's move, built from the
        checked values of the allocation (Payment.post saves them, validated
        by sample)"""
        pool = Pool()
        Line = pool.get('account.move.line')
        for name in cls._move_line_fields:
            values.setdefault(
                name, Decimal(0) if name in {'debit', 'credit'} else None)
        return Line(**values)

    def get_move_lines(self, allocations=None, accounts=None):
        """Return the lines, unsaved, that post the payment: of the
        allocations given, or else of the stored ones; each with the
        payment as origin. accounts: the Accounts of a bulk"""
        pool = Pool()
        # posting takes the cash in the session, after the allocation
        # (and its refusals) and before the lines read the account
        self.take_in_session()
        Configuration = pool.get('muni.finance.configuration')
        config = Configuration(1)
        company = self.company
        if allocations is None:
            allocations = self.allocations
        if accounts is None:
            accounts = Accounts()
        lines = [self.move_line(account=self.account, debit=self.amount,
                party=self.party if self.account.party_required else None)]
        for allocation in allocations:
            lines.extend(allocation.get_lines(accounts))
        lines.extend(self.get_interest_lines(config, allocations, accounts))
        if self.credit:
            account = accounts.get(config, 'credit_account', company)
            if not account:
                raise PaymentError(gettext(
                        'muni_finance.msg_payment_no_credit_account',
                        company=company.rec_name))
            lines.append(self.move_line(
                    account=account, party=self.party, credit=self.credit,
                    description=gettext('muni_finance.msg_payment_credit')))
        for line in lines:
            line.origin = self
        return lines

    @classmethod
    def _get_move(cls, payments):
        """Return the move, unsaved, of payments of one company, journal and
        date"""
        pool = Pool()
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        payment = payments[0]
        company = payment.company
        if len(payments) == 1:
            origin = payment
            description = gettext(
                'muni_finance.msg_payment_move_description',
                number=payment.number, taxpayer=payment.taxpayer.label)
        else:
            origin = None
            description = gettext(
                'muni_finance.msg_payments_move_description',
                first=payment.number, last=payments[-1].number,
                count=len(payments))
        return Move(
            company=company, journal=payment.journal,
            period=Period.find(company, date=payment.date),
            date=payment.date, origin=origin, description=description)

    def get_own_lines(self):
        """Return the lines of the move that posted the payment: all of its
        own move, or those with the payment as origin in a shared one"""
        if self.move.origin == self:
            return list(self.move.lines)
        return [l for l in self.move.lines if l.origin == self]

    def get_interest_lines(self, config, allocations, accounts):
        """Return the lines of the interest the allocations paid: what no
        interest charge posted before is charged as a receivable of the
        taxpayer to the payment date, with its revenue; all is paid at once,
        per revenue type with its budget code; each allocation remembers its
        charge and its payment"""
        company = self.company
        by_type = defaultdict(list)
        for allocation in allocations:
            if allocation.interest:
                by_type[allocation.revenue_type].append(allocation)
        if not by_type:
            return []
        receivable = accounts.get(
            config, 'interest_receivable_account', company)
        lang = Pool().get('ir.lang').get()
        total = sum(
            (a.interest - a.interest_charged for a in allocations),
            Decimal(0))
        charge, lines = None, []
        if total:
            charge = self.move_line(
                account=receivable, party=self.party, debit=total,
                maturity_date=self.date, origin=self,
                description=gettext(
                    'muni_finance.msg_payment_interest_charge',
                    date=lang.strftime(self.date)))
            lines.append(charge)
        for revenue_type, type_allocations in by_type.items():
            revenue = accounts.get(revenue_type, 'interest_account', company)
            if not receivable or not revenue:
                raise PaymentError(gettext(
                        'muni_finance.msg_payment_no_interest_account',
                        revenue_type=revenue_type.rec_name,
                        company=company.rec_name))
            amount = sum(
                (a.interest for a in type_allocations), Decimal(0))
            new = sum((a.interest - a.interest_charged
                    for a in type_allocations), Decimal(0))
            description = gettext(
                'muni_finance.msg_payment_interest_paid',
                revenue_type=revenue_type.name)
            paid = self.move_line(
                account=receivable, party=self.party, credit=amount,
                budget_code=revenue_type.budget_code, origin=self,
                description=description)
            lines.append(paid)
            if new:
                lines.append(self.move_line(
                        account=revenue, credit=new,
                        budget_code=revenue_type.budget_code,
                        description=description))
            for allocation in type_allocations:
                allocation.interest_charge_line = charge
                allocation.interest_line = paid
        return lines

    @classmethod
    @ModelView.button_action('muni_finance.wizard_payment_cancel')
    def cancel_wizard(cls, payments):
        "Cancel the payments with a reason, by a supervisor"
        pass

    @classmethod
    @Workflow.transition('cancelled')
    def cancel(cls, payments):
        """Cancel the payments; the lines of a posted one are reversed by a
        move of its own on the day it is cancelled, and the instalments it
        paid are open again. A posted payment is cancelled only with its
        reason (the wizard muni.payment.cancel gives it)"""
        pool = Pool()
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Reconciliation = pool.get('account.move.reconciliation')
        Period = pool.get('account.period')
        Date = pool.get('ir.date')
        Taxpayer = pool.get('muni.taxpayer')
        Assessment = pool.get('muni.assessment')
        posted = [p for p in payments if p.state == 'posted']
        for payment in posted:
            if not (payment.cancel_reason or '').strip():
                raise PaymentError(gettext(
                        'muni_finance.msg_payment_cancel_reason',
                        payment=payment.rec_name))
        Taxpayer.lock([p.taxpayer for p in posted])
        for payment in posted:
            with Transaction().set_context(company=payment.company.id):
                today = Date.today()
            payment.check_cancel(today)
        own_lines = {p: p.get_own_lines() for p in posted}
        reconciliations = {l.reconciliation for lines in own_lines.values()
            for l in lines if l.reconciliation}
        Reconciliation.delete(list(reconciliations))
        moves, reversals = [], {}
        for payment in posted:
            with Transaction().set_context(company=payment.company.id):
                today = Date.today()
            default = {
                'date': today,
                'period': Period.find(payment.company, date=today).id,
                'description': gettext(
                    'muni_finance.msg_payment_cancel_description',
                    payment=payment.rec_name),
                }
            if payment.move.origin == payment:
                # a move of its own: account's reversal (Move.cancel), on
                # the day of the cancellation, with the payment as origin
                # as the reversal of a shared move
                payment.cancel_move = payment.move.cancel(
                    default=default, reversal=True)
                Move.write([payment.cancel_move], {'origin': str(payment)})
                reversals[payment] = list(payment.cancel_move.lines)
            else:
                payment.cancel_move, reversals[payment] = (
                    payment.cancel_shared(own_lines[payment], default))
            moves.append(payment.cancel_move)
        Move.post(moves)
        cls.save(posted)
        # the assessments the payments settled are due again
        Assessment.on_unsettled(list({a.assessment for p in posted
                    for a in p.allocations}))
        to_reconcile = []
        for payment in posted:
            by_key = defaultdict(list)
            for line in Line.browse(
                    [l.id for l in own_lines[payment] + reversals[payment]]):
                if not line.reconciliation and line.account.reconcile:
                    by_key[line.account, line.party].append(line)
            to_reconcile.extend(l for l in by_key.values()
                if sum(x.debit - x.credit for x in l) == 0)
        if to_reconcile:
            Line.reconcile(*to_reconcile)
        cls._reopen_receipts(payments)

    @classmethod
    def _reopen_receipts(cls, payments):
        "A cancelled bank payment puts its receipt back on the worklist"
        pool = Pool()
        StatementLine = pool.get('account.statement.line')
        bank = [p.id for p in payments if p.channel == 'bank']
        if not bank:
            return
        # whoever may cancel the payment puts its receipt back, even
        # without access to the statements
        with without_check_access():
            lines = StatementLine.search([('receipt_payment', 'in', bank)])
            if lines:
                StatementLine.write(lines, {
                        'receipt_state': 'unknown',
                        'receipt_payment': None,
                        })

    def cancel_shared(self, lines, default):
        """Return the move, posted by the caller, that reverses the lines of
        the payment in a move it shares with others (the payments of a bank
        statement), and the reversed lines; default: the move's values.
        What account's Move.cancel(reversal=True) does for a whole move
        (8.0), for the payment's lines: each copied with what
        Move._cancel_default gives the lines of a move"""
        pool = Pool()
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        move_default = self.move._cancel_default(reversal=True)
        cancel_move = Move(
            company=self.company, journal=self.move.journal, origin=self,
            **default)
        cancel_move.save()
        line_default = {k[len('lines.'):]: v
            for k, v in move_default.items() if k.startswith('lines.')}
        line_default['move'] = cancel_move.id
        return cancel_move, Line.copy(lines, default=line_default)

    def check_cancel(self, today):
        """A receipt of the cash desk is cancelled only on the day it is
        taken, and the receipts of a closed session are final"""
        pool = Pool()
        lang = pool.get('ir.lang').get()
        if self.channel == 'cash' and self.date != today:
            raise PaymentError(gettext(
                    'muni_finance.msg_payment_cancel_other_day',
                    payment=self.rec_name, date=lang.strftime(self.date)))
        if self.session and self.session.state != 'open':
            raise PaymentError(gettext(
                    'muni_finance.msg_cash_payment_session_closed',
                    payment=self.rec_name, session=self.session.rec_name))

    # The cash desk

    @classmethod
    def _open_sessions(cls, company):
        "The open sessions of the user in the company"
        pool = Pool()
        Session = pool.get('muni.cash.session')
        return Session.search([
                ('company', '=', int(company)),
                ('cashier', '=', Transaction().user),
                ('state', '=', 'open'),
                ])

    def take_in_session(self):
        """Take the cash payment in an open session of the user: the
        desk's account and journal, the session as origin"""
        pool = Pool()
        User = pool.get('res.user')
        if self.channel != 'cash':
            self.session = None
            return
        user = User(Transaction().user)
        session = self.session
        if not session:
            sessions = self._open_sessions(self.company)
            if len(sessions) > 1:
                raise PaymentError(gettext(
                        'muni_finance.msg_cash_payment_several_sessions',
                        payment=self.rec_name, user=user.rec_name))
            session = sessions[0] if sessions else None
        if (not session or session.state != 'open'
                or session.cashier != user):
            raise PaymentError(gettext(
                    'muni_finance.msg_cash_payment_no_session',
                    payment=self.rec_name, user=user.rec_name))
        self.session = session
        self.account = session.desk.account
        self.journal = session.desk.journal
        self.origin = session

    # The receipt

    def get_amount_in_words(self, amount=None):
        """Return the amount (the payment's by default) in words by the
        rule of the company's localisation (``_amount_in_words_<code>``),
        or None when it has none: the receipt shows the digits only"""
        if amount is None:
            amount = self.amount
        method = getattr(
            self, f'_amount_in_words_{self.company.localisation}', None)
        if method is None or amount is None:
            return None
        return method(amount, self.currency)

    def get_receipt_equivalents(self, amount=None):
        """Return the amount in other currencies shown for information on
        the receipt, as (amount, currency code) pairs, by the rule of the
        company's localisation (``_receipt_equivalents_<code>``)"""
        if amount is None:
            amount = self.amount
        method = getattr(
            self, f'_receipt_equivalents_{self.company.localisation}', None)
        if method is None or amount is None:
            return []
        return method(amount, self.currency)

    def get_receipt_due(self):
        """What the taxpayer still owed after the payment, interest to its
        day included, or None when the payment did not keep its debts"""
        if self.debts is None:
            return None
        paid = sum((a.principal + a.interest + a.discount
                for a in self.allocations), Decimal(0))
        return max(self.debts - paid, Decimal(0))

    def get_receipt_cashier(self):
        "The user who took the payment; its session's cashier for old ones"
        if self.posted_by:
            return self.posted_by
        if self.session:
            return self.session.cashier
        return None

    def get_receipt_identifier(self, party):
        """Return the identifier of the party a receipt shows, as (label,
        code), or None: the first of the types the company's localisation
        prefers (``_receipt_identifier_types_<code>``), else the party's
        first identifier"""
        method = getattr(self,
            f'_receipt_identifier_types_{self.company.localisation}', None)
        types = method() if method else []
        identifiers = list(party.identifiers)
        ranked = sorted(
            (i for i in identifiers if i.type in types),
            key=lambda i: types.index(i.type))
        identifier = (ranked or identifiers or [None])[0]
        if identifier is None:
            return None
        return self.get_receipt_identifier_label(identifier), identifier.code

    def get_receipt_identifier_label(self, identifier):
        """The name of the identifier's type on the receipt: the
        localisation's (``_receipt_identifier_label_<code>``) or the type's
        name"""
        method = getattr(self,
            f'_receipt_identifier_label_{self.company.localisation}', None)
        label = method(identifier) if method else None
        return label or identifier.type_string or ''

    @staticmethod
    def get_receipt_address(party):
        "The party's address on one line, or an empty string"
        address = party.address_get()
        if not address:
            return ''
        lines = [l.strip() for l in (address.full_address or '').splitlines()]
        return ', '.join(l for l in lines if l)


class PaymentCancelStart(ModelView):
    __name__ = 'muni.payment.cancel.start'
    __string__ = "Cancel Payment"

    payments = fields.Many2Many(
        'muni.payment', None, None, "Payments", readonly=True)
    reason = fields.Text(
        "Reason", required=True,
        help="Why the payments are cancelled: it is kept with each of them.")


class PaymentCancel(Wizard):
    """Cancel payments with a reason: the wizard of the supervisors
    (its action's groups), so that a cashier cannot cancel a receipt"""
    __name__ = 'muni.payment.cancel'
    start = StateView(
        'muni.payment.cancel.start',
        'muni_finance.payment_cancel_start_view_form', [
            Button("Back", 'end', 'tryton-cancel'),
            Button("Cancel Payments", 'cancel', 'tryton-ok', default=True),
            ])
    cancel = StateTransition()

    def default_start(self, fields):
        return {
            'payments': [p.id for p in self.records
                if p.state != 'cancelled'],
            }

    def transition_cancel(self):
        pool = Pool()
        Payment = pool.get('muni.payment')
        payments = [p for p in self.records if p.state != 'cancelled']
        reason = (self.start.reason or '').strip()
        if not reason:
            raise PaymentError(gettext(
                    'muni_finance.msg_payment_cancel_reason',
                    payment=', '.join(p.rec_name for p in payments)))
        Payment.write(payments, {'cancel_reason': reason})
        Payment.cancel(payments)
        return 'end'
