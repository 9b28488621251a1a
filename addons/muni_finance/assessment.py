# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from html import escape
from itertools import groupby

from sql import Cast, Literal
from sql.functions import CurrentTimestamp
from sql.operators import Concat, Equal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Exclude, Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import AssessmentAccessError, AssessmentError
from .locked import LockedAfterDraft
from .open_items import paid_of
from .rules_base import terminating
from .sampling import (
    ValidatedBySample, create_checked, digits_regular, stored)
from .taxpayer import open_amounts

# Assessments of one move: a batch of the levy posts them together
MOVE_SIZE = 1000
# Records per save: costs grow faster than linearly with the number of
# records
SAVE_SIZE = 250


def format_trace(trace):
    "Render a trace of (label, value) as the lines the inspector reads"
    return '\n'.join(f'{label}: {value}' for label, value in trace)


# A computation is stored as data and rendered in the reader's language
# when read (Assessment.computation): {'lines': [[label, value], ...],
# 'formulas': [[label or None, [factor, ...], result(, operator)], ...]}
# (the operator × unless given), each item a
# token: a plain string is shown as it is, a dictionary {'k': kind, 'v':
# value} is rendered by render_token (a message id, an amount, a number,
# a rate, a fraction, a date, or tokens put together)
VULGAR_FRACTIONS = {
    (1, 2): '½', (1, 3): '⅓', (2, 3): '⅔', (1, 4): '¼', (3, 4): '¾',
    (1, 5): '⅕', (2, 5): '⅖', (3, 5): '⅗', (4, 5): '⅘', (1, 6): '⅙',
    (5, 6): '⅚', (1, 8): '⅛', (3, 8): '⅜', (5, 8): '⅝', (7, 8): '⅞',
    }


def token(kind, value, **extra):
    "A token of a computation, its value made storable as JSON"
    if isinstance(value, Fraction):
        value = [value.numerator, value.denominator]
    elif isinstance(value, (Decimal, float)):
        value = str(value)
    elif isinstance(value, dt.date):
        value = value.isoformat()
    return dict(extra, k=kind, v=value)


def message(msg_id, **args):
    "A token of a translated message with tokens as arguments"
    return token('msg', msg_id, a=args)


def exact_decimal(value):
    """The value (Fraction, Decimal or int) as a Decimal for a token, or
    None when it has no finite decimal form"""
    if isinstance(value, Fraction):
        return terminating(value)
    if isinstance(value, (Decimal, int)):
        return Decimal(value)
    return None


def _digits(value):
    exponent = value.normalize().as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def render_token(item, lang, currency):
    "The text of a token of a computation in the language"
    if not isinstance(item, dict):
        return '' if item is None else str(item)
    kind, value = item.get('k'), item.get('v')
    if kind == 'msg':
        args = {n: render_token(a, lang, currency)
            for n, a in (item.get('a') or {}).items()}
        return gettext(value, **args)
    if kind == 'join':
        return ' '.join(render_token(t, lang, currency) for t in value)
    if kind == 'amount':
        # an intermediate value of a formula keeps the digits it has
        # beyond the currency's (an unrounded product, never cut)
        number = Decimal(value)
        digits = max(_digits(number),
            currency.digits if currency is not None else 2)
        if currency is None:
            text = lang.format_number(number, digits)
        else:
            text = lang.currency(
                number, currency, grouping=True, digits=digits)
        return text + (item.get('unit') or '')
    if kind == 'months':
        return f'{value}/12'
    if kind == 'fraction':
        numerator, denominator = value
        if (numerator, denominator) in VULGAR_FRACTIONS:
            return VULGAR_FRACTIONS[numerator, denominator]
        fraction = Decimal(numerator) / Decimal(denominator)
        if fraction == fraction.quantize(Decimal('0.000001')):
            return lang.format_number(fraction, _digits(fraction))
        return f'{numerator}/{denominator}'
    if kind == 'date':
        return lang.strftime(dt.date.fromisoformat(value))
    if kind in {'number', 'permille', 'percent'}:
        number = Decimal(value)
        text = lang.format_number(number, _digits(number))
        if kind == 'permille':
            text += '\u00a0‰'
        elif kind == 'percent':
            text += '\u00a0%'
        if item.get('unit'):
            text += '\u00a0' + item['unit']
        return text
    return str(value)


def _rendered(data, lang, currency):
    "The lines and the formulas of a stored computation in the language"
    def render(item):
        return render_token(item, lang, currency)
    lines = [f'{render(label)}: {render(value)}'
        for label, value in data.get('lines') or []]
    formulas = []
    for label, factors, result, *operator in data.get('formulas') or []:
        operator = operator[0] if operator else '×'
        text = f' {operator} '.join(render(f) for f in factors)
        text = f'{text} = {render(result)}'
        formulas.append(f'{render(label)}: {text}' if label else text)
    return lines, formulas


def render_computation(data, lang, currency):
    "The text of a stored computation in the language"
    lines, formulas = _rendered(data, lang, currency)
    if lines and formulas:
        lines.append('')
    return '\n'.join(lines + formulas)


def render_computation_html(data, lang, currency):
    """The computation as the rich text widget shows it, every line at
    once: a text area shows a few lines and scrolls"""
    if isinstance(data, str):
        lines, formulas = data.splitlines(), []
    else:
        lines, formulas = _rendered(data, lang, currency)
    html = [f'<div>{escape(l)}</div>' if l else '<div><br></div>'
        for l in lines]
    if lines and formulas:
        html.append('<div><br></div>')
    html.extend(f'<div><b>{escape(f)}</b></div>' for f in formulas)
    return ''.join(html)


def _debit_credit(amount):
    "The (debit, credit) of a positive or negative amount"
    if amount > 0:
        return amount, Decimal(0)
    return Decimal(0), -amount


class Assessment(
        LockedAfterDraft, ValidatedBySample, Workflow, ModelSQL, ModelView):
    __name__ = 'muni.assessment'
    __string__ = "Assessment"

    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        states=_states)
    party = fields.Many2One(
        'party.party', "Taxpayer", required=True, ondelete='RESTRICT',
        states=_states,
        context={'company': Eval('company', -1)}, depends={'company'})
    object = fields.Many2One(
        'muni.tax.object', "Object", ondelete='RESTRICT', states=_states,
        domain=[If(Eval('state') == 'draft',
                ('company', '=', Eval('company', -1)), ())])
    revenue_type = fields.Many2One(
        'muni.revenue.type', "Revenue Type", required=True,
        ondelete='RESTRICT', states=_states,
        context={'company': Eval('company', -1)}, depends={'company'})
    year = fields.Integer("Year", required=True, states=_states)
    period = fields.Char(
        "Period", states=_states,
        help="Empty for an annual assessment; the month or quarter "
        "otherwise, e.g. 2026-03 or 2026-Q1.")
    date = fields.Date(
        "Date", required=True, states=_states,
        help="The date the assessment is posted on.")
    base = Monetary(
        "Base", currency='currency', digits='currency', states=_states)
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        states=_states)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    trace = fields.Text(
        "Computation", readonly=True,
        help="Which rule, which rates and which coefficients gave the "
        "amount.")
    trace_data = fields.Dict(
        None, "Computation Data", readonly=True,
        help="The computation as data, shown in the reader's language.")
    computation = fields.Function(fields.Text(
            "Computation",
            help="Which rule, which rates and which coefficients gave the "
            "amount."),
        'get_computation')
    computation_html = fields.Function(fields.Text(
            "Computation",
            help="Which rule, which rates and which coefficients gave the "
            "amount."),
        'get_computation')
    discount_rate = fields.Numeric(
        "Discount Rate", digits=(1, 4), states=_states)
    discount_date = fields.Date("Discount Date", states=_states)
    legal_basis = fields.Char("Legal Basis", states=_states)
    levy = fields.Many2One(
        'muni.levy.run', "Levy", readonly=True, ondelete='RESTRICT')
    move = fields.Many2One(
        'account.move', "Move", readonly=True, ondelete='RESTRICT')
    cancel_move = fields.Many2One(
        'account.move', "Cancellation Move", readonly=True,
        ondelete='RESTRICT')
    instalments = fields.Function(fields.Many2Many(
            'account.move.line', None, None, "Instalments"),
        'get_instalments')
    schedule = fields.Function(fields.Text("Schedule"), 'get_schedule')
    paid = fields.Function(Monetary(
            "Paid", currency='currency', digits='currency',
            help="What the posted payments paid of its instalments, "
            "with the discount they earned."),
        'get_amounts')
    balance = fields.Function(Monetary(
            "Balance Due", currency='currency', digits='currency',
            help="What is unpaid of its instalments, due or not yet, "
            "without interest."),
        'get_amounts')
    due = fields.Function(Monetary(
            "Due Today", currency='currency', digits='currency',
            help="What is unpaid of its instalments due today or before, "
            "without interest."),
        'get_amounts')
    overdue = fields.Function(Monetary(
            "Overdue", currency='currency', digits='currency',
            help="What is unpaid of its instalments whose due date has "
            "passed, without interest."),
        'get_amounts')
    settlement_date = fields.Date(
        "Settled On", readonly=True,
        help="The date of the payment that paid the last of its "
        "instalments; empty while anything is due.")
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
        # SQLite has no exclusion constraint and trytond's emulation builds
        # one nested clause per record: check_unique does it there.
        if backend.name != 'sqlite':
            cls._sql_constraints += [
                ('key_exclude', Exclude(t,
                        (t.object, Equal), (t.party, Equal),
                        (t.revenue_type, Equal), (t.year, Equal),
                        (t.period, Equal),
                        where=t.state != 'cancelled'),
                    'muni_finance.msg_assessment_unique'),
                ]
        cls._sql_indexes.update({
                Index(t, (t.object, Index.Range()), (t.year, Index.Range())),
                Index(t, (t.party, Index.Range()), (t.year, Index.Range())),
                Index(t, (t.levy, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state == 'draft'),
                })
        cls._order = [('year', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'posted'),
            ('draft', 'cancelled'),
            ('posted', 'cancelled'),
            }
        cls._buttons.update({
                'post': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'cancel': {
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
    def default_period():
        return ''

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_rec_name(self, name):
        period = f' {self.period}' if self.period else ''
        return (f'{self.revenue_type.rec_name} {self.year}{period} '
            f'{self.party.rec_name}')

    @classmethod
    def search_rec_name(cls, name, clause):
        from muni_base.settlement import fields_clause

        # the taxpayer's name, identifiers and number (party.rec_name), the
        # object's reference, the revenue type's code and name
        return fields_clause(
            clause, 'party.rec_name', 'object.rec_name',
            'revenue_type.rec_name')

    @classmethod
    def get_instalments(cls, assessments, name):
        pool = Pool()
        Line = pool.get('account.move.line')
        result = defaultdict(list)
        lines = Line.search([
                ('origin', 'in', [str(a) for a in assessments]),
                ('account.type.receivable', '=', True),
                ], order=[('maturity_date', 'ASC'), ('id', 'ASC')])
        for line in lines:
            # the reversal of a cancelled assessment has the same origin
            if line.move == line.origin.move:
                result[line.origin.id].append(line.id)
        return {a.id: result[a.id] for a in assessments}

    @classmethod
    def get_computation(cls, assessments, names):
        "The computation in the language of the reader, as text or HTML"
        lang = Pool().get('ir.lang').get()
        result = {n: {} for n in names}
        for assessment in assessments:
            data = assessment.trace_data or assessment.trace
            currency = assessment.currency
            if 'computation' in names:
                result['computation'][assessment.id] = (
                    render_computation(data, lang, currency)
                    if assessment.trace_data else assessment.trace)
            if 'computation_html' in names:
                result['computation_html'][assessment.id] = (
                    render_computation_html(data, lang, currency)
                    if data else None)
        return result

    @classmethod
    def get_amounts(cls, assessments, names):
        """What is paid and what is open of each posted assessment's
        instalments, read as the cash desk reads them: for all the
        assessments of a taxpayer at once"""
        pool = Pool()
        Date = pool.get('ir.date')
        Line = pool.get('account.move.line')
        zero = Decimal(0)
        result = {n: {a.id: zero for a in assessments} for n in names}
        posted = [a for a in assessments if a.state == 'posted']
        if not posted:
            return result
        if 'paid' in names:
            lines = Line.search([
                    ('origin', 'in', [str(a) for a in posted]),
                    ('account.type.receivable', '=', True),
                    ('debit', '>', 0),
                    ])
            paid = paid_of([l.id for l in lines])
            for line in lines:
                result['paid'][line.origin.id] += sum(
                    (p.principal + p.discount for p in paid[line.id]), zero)
        open_names = [n for n in names if n != 'paid']
        if open_names:
            def key(a):
                return a.company.id
            for _, group in groupby(sorted(posted, key=key), key=key):
                group = list(group)
                company = group[0].company
                with Transaction().set_context(company=company.id):
                    today = Date.today()
                amounts = open_amounts(
                    company, list({a.party.id for a in group}), today,
                    by='assessment')
                for assessment in group:
                    for name in open_names:
                        result[name][assessment.id] = (
                            amounts[assessment.id][name])
        for name in names:
            for assessment in assessments:
                result[name][assessment.id] = assessment.currency.round(
                    result[name][assessment.id])
        return result

    def get_schedule(self, name):
        pool = Pool()
        RateTable = pool.get('muni.rate.table')
        lang = pool.get('ir.lang').get()
        if self.amount is None or not self.company:
            return
        if self.state == 'posted':
            return self._posted_schedule(lang)
        tables = RateTable.search([
                ('company', '=', self.company.id),
                ('revenue_type', '=', self.revenue_type.id),
                ('year', '=', self.year),
                ], limit=1)
        if not tables:
            return
        table, = tables
        lines = [f'{lang.strftime(date)}: '
            f'{lang.currency(amount, self.currency)}'
            for date, amount in table.schedule(self.company, self.amount)]
        if self.discount_rate and self.discount_date:
            lines.append(gettext('muni_finance.msg_schedule_discount',
                    rate=lang.format('%.0f', self.discount_rate * 100),
                    date=lang.strftime(self.discount_date)))
        return '\n'.join(lines)

    def _posted_schedule(self, lang):
        "Each instalment posted with what is paid and unpaid of it"
        zero = Decimal(0)
        instalments = self.instalments
        paid = paid_of([l.id for l in instalments])
        currency = self.currency
        lines = []
        for line in instalments:
            amount = line.debit - line.credit
            paid_amount = sum(
                (p.principal + p.discount for p in paid[line.id]), zero)
            unpaid = zero if line.reconciliation else amount - paid_amount
            lines.append(gettext('muni_finance.msg_schedule_instalment',
                    date=lang.strftime(line.maturity_date or line.date),
                    amount=lang.currency(amount, currency, grouping=True),
                    paid=lang.currency(paid_amount, currency, grouping=True),
                    unpaid=lang.currency(unpaid, currency, grouping=True)))
        if self.discount_rate and self.discount_date:
            lines.append(gettext('muni_finance.msg_schedule_discount',
                    rate=lang.format('%.0f', self.discount_rate * 100),
                    date=lang.strftime(self.discount_date)))
        return '\n'.join(lines)

    # validate_by_sample (the levy's assessments): what the generic checks
    # read and the key holds
    _sample_key = ('company', 'revenue_type', 'year', 'period', 'date',
        'discount_rate', 'discount_date', 'legal_basis', 'levy', 'move',
        'cancel_move', 'state')
    _sample_exempt = {
        'object': "only its company is in the key, which its domain "
        "compares to the assessment's; the levy read the object",
        'party': "only whether it is set is in the key (required); the "
        "levy took it from the object's owners",
        'amount': "only whether it is set is in the key (required); its "
        "digits are checked on each assessment",
        'base': "only whether it is set is in the key; its digits are "
        "checked on each assessment",
        'currency': "the company's, which is in the key",
        }

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each assessment of the levy the values the generic
        checks depend on, but its taxpayer, object, amounts and trace, or
        None when its amounts do not fit the currency"""
        pool = Pool()
        Company = pool.get('company.company')
        TaxObject = pool.get('muni.tax.object')
        names = list(cls._sample_key)
        rows = stored(
            cls, ids, names + ['object', 'party', 'amount', 'base'])
        object_companies = {o['id']: o['company'] for o in stored(
                TaxObject, list({r['object'] for r in rows if r['object']}),
                ['company'])}
        digits = {c.id: c.currency.digits
            for c in Company.browse(list({r['company'] for r in rows
                        if r['company']}))}
        keys = {}
        for row in rows:
            company_digits = digits.get(row['company'], 0)
            if all(row[n] is None or digits_regular(row[n], company_digits)
                    for n in ['amount', 'base']):
                keys[row['id']] = tuple(row[n] for n in names) + (
                    object_companies.get(row['object']),
                    row['party'] is None, row['amount'] is None,
                    row['base'] is None)
            else:
                keys[row['id']] = None
        return keys

    @classmethod
    def _validate_sampled(cls, assessments):
        super()._validate_sampled(assessments)
        if backend.name == 'sqlite':
            cls.check_unique(assessments)

    @classmethod
    def validate_fields(cls, assessments, field_names):
        super().validate_fields(assessments, field_names)
        if backend.name == 'sqlite':
            cls.check_unique(assessments, field_names)

    @classmethod
    def check_unique(cls, assessments, field_names=None):
        "One assessment per object, taxpayer, revenue type and period"
        if field_names is not None and not field_names & {
                'object', 'party', 'revenue_type', 'year', 'period',
                'state'}:
            return
        object_ids = list({a.object.id for a in assessments if a.object})
        keys = defaultdict(set)
        for i in range(0, len(object_ids), 500):
            for other in cls.search([
                        ('object', 'in', object_ids[i:i + 500]),
                        ('state', '!=', 'cancelled'),
                        ]):
                key = (other.object.id, other.party.id,
                    other.revenue_type.id, other.year, other.period)
                keys[key].add(other.id)
        if any(len(ids) > 1 for ids in keys.values()):
            raise AssessmentError(gettext(
                    'muni_finance.msg_assessment_unique'))

    @classmethod
    def check_modification(cls, mode, assessments, values=None,
            external=False):
        super().check_modification(
            mode, assessments, values=values, external=external)
        if mode == 'delete':
            for assessment in assessments:
                if assessment.state != 'draft':
                    raise AssessmentAccessError(gettext(
                            'muni_finance.msg_assessment_delete_posted',
                            assessment=assessment.rec_name))

    @classmethod
    def copy(cls, assessments, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('move')
        default.setdefault('cancel_move')
        default.setdefault('levy')
        default.setdefault('settlement_date')
        return super().copy(assessments, default=default)

    @classmethod
    @ModelView.button
    def post(cls, assessments):
        drafts = [a for a in assessments if a.state == 'draft']
        cls._post(assessments)
        if drafts:
            cls.on_posted(drafts)

    @classmethod
    @Workflow.transition('posted')
    def _post(cls, assessments):
        pool = Pool()
        Move = pool.get('account.move')
        moves = cls.create_moves(assessments)
        Move.post(moves)

    @classmethod
    def mark_posted(cls, assessments):
        """Set the state of the draft assessments whose move was just posted
        (the levy, an import of debts) and record the transition as the
        workflow does; in SQL because their creator validated them a moment
        ago and nothing else changes"""
        transaction = Transaction()
        table = cls.__table__()
        cursor = transaction.connection.cursor()
        ids = []
        for sub_ids in grouped_slice([a.id for a in assessments], 1000):
            cursor.execute(*table.select(table.id,
                    where=fields.SQL_OPERATORS['in'](table.id, list(sub_ids))
                    & (table.state == 'draft')))
            ids.extend(i for i, in cursor)
        for sub_ids in grouped_slice(ids, 1000):
            cursor.execute(*table.update(
                    [table.state, table.write_uid, table.write_date],
                    ['posted', transaction.user, CurrentTimestamp()],
                    where=fields.SQL_OPERATORS['in'](table.id, list(sub_ids))))
        transaction.counter += 1
        for cache in transaction.cache.values():
            if cls.__name__ in cache:
                cache[cls.__name__].clear()
        if ids:
            posted = cls.browse(ids)
            # what a write of the state tells the other modules, and the
            # transition the workflow records (Model.log)
            cls.on_modification('write', posted, field_names={'state'})
            cls._log_transition(ids, 'state:posted')
            cls.on_posted(posted)

    @classmethod
    def _log_transition(cls, ids, target):
        """Record in the history of the assessments the transition, the
        rows Model.log stores at the commit, with SQL: the ORM takes a
        levy's worker a second per thousand"""
        pool = Pool()
        Log = pool.get('ir.model.log')
        if not cls._log:
            return
        transaction = Transaction()
        log = Log.__table__()
        table = cls.__table__()
        cursor = transaction.connection.cursor()
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
            cursor.execute(*log.insert(
                    [log.create_date, log.create_uid, log.event,
                        log.resource, log.target, log.user],
                    table.select(
                        CurrentTimestamp(), Literal(transaction.user),
                        Literal('transition'),
                        Concat(f'{cls.__name__},', Cast(table.id, 'VARCHAR')),
                        Literal(target), Literal(transaction.user),
                        where=fields.SQL_OPERATORS['in'](
                            table.id, list(sub_ids)))))

    @classmethod
    def on_posted(cls, assessments):
        """Called once the assessments are posted, whatever posted them (the
        Post button, the levy, an import of debts): their moves are posted
        and their state is posted. The modules that act on a debt being due
        extend it."""

    @classmethod
    def on_settled(cls, assessments, dates):
        """Called once the last instalment of each of the assessments is
        paid, whatever paid it (the cash desk, a bank statement, a gateway):
        dates is the date of the payment that settled each, by id. Records
        it on the assessment; the modules that act on a debt being paid
        extend it."""
        for date, group in groupby(
                sorted(assessments, key=lambda a: dates[a.id]),
                key=lambda a: dates[a.id]):
            cls.write(list(group), {'settlement_date': date})

    @classmethod
    def on_unsettled(cls, assessments):
        """Called when a settled assessment is due again (a payment that
        settled it is cancelled)"""
        settled = [a for a in assessments if a.settlement_date]
        if settled:
            cls.write(settled, {'settlement_date': None})

    @classmethod
    def create_moves(cls, assessments):
        """Create the draft moves of the assessments, several assessments
        per move, each receivable line (one per instalment) with the
        assessment as origin; revenue lines are summed per account and
        budget code"""
        pool = Pool()
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        Configuration = pool.get('muni.finance.configuration')
        RateTable = pool.get('muni.rate.table')
        config = Configuration(1)

        def key(a):
            return (a.company.id, a.date)
        moves, links = [], []
        tables = {}
        for (company_id, date), group in groupby(
                sorted(assessments, key=key), key=key):
            group = list(group)
            company = group[0].company
            journal = config.get_multivalue(
                'assessment_journal', company=company_id)
            period = Period.find(company, date=date)
            for i in range(0, len(group), MOVE_SIZE):
                chunk = group[i:i + MOVE_SIZE]
                lines, revenues = [], defaultdict(Decimal)
                for assessment in chunk:
                    table_key = (company_id, assessment.revenue_type.id,
                        assessment.year)
                    if table_key not in tables:
                        tables[table_key] = RateTable.find(
                            company, assessment.revenue_type,
                            assessment.year)
                    receivable, revenue = (
                        assessment.revenue_type.get_accounts(company))
                    lines.extend(assessment._get_receivable_lines(
                            receivable, tables[table_key]))
                    budget_code = assessment.revenue_type.budget_code
                    revenues[revenue, budget_code] += assessment.amount
                lines.extend(cls._get_revenue_lines(revenues))
                move = Move(
                    company=company, journal=journal, period=period,
                    date=date, origin=chunk[0] if len(chunk) == 1 else None,
                    description=gettext(
                        'muni_finance.msg_assessment_move_description'),
                    lines=lines)
                moves.append(move)
                links.append(chunk)
        Move.save(moves)
        for move, chunk in zip(moves, links):
            for i in range(0, len(chunk), SAVE_SIZE):
                cls.write(chunk[i:i + SAVE_SIZE], {'move': move.id})
        return moves

    @classmethod
    def create_with_moves(cls, vlist):
        """Create draft assessments from the values (ids for the relations)
        with their draft moves, laid out as create_moves does, and return
        the ids of the assessments and of the moves: the levy's bulk path.
        Each move is created first, so that its assessments are created with
        it, and its lines at once; the assessments and the lines are built
        here from checked values and validated by sample
        (sampling.create_checked)."""
        pool = Pool()
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Period = pool.get('account.period')
        Company = pool.get('company.company')
        RevenueType = pool.get('muni.revenue.type')
        Configuration = pool.get('muni.finance.configuration')
        RateTable = pool.get('muni.rate.table')
        config = Configuration(1)

        def key(values):
            return values['company'], values['date']
        assessment_ids, move_ids = [], []
        types = {}
        for (company_id, date), group in groupby(
                sorted(vlist, key=key), key=key):
            group = list(group)
            company = Company(company_id)
            journal = config.get_multivalue(
                'assessment_journal', company=company_id)
            period = Period.find(company, date=date)
            chunks = [group[i:i + MOVE_SIZE]
                for i in range(0, len(group), MOVE_SIZE)]
            moves = Move.create([{
                        'company': company_id,
                        'journal': journal.id,
                        'period': period.id,
                        'date': date,
                        'description': gettext(
                            'muni_finance.msg_assessment_move_description'),
                        } for _ in chunks])
            move_ids.extend(m.id for m in moves)
            for move, chunk in zip(moves, chunks):
                # instalments: set by the levy's localisation (schedule)
                given = [v.get('instalments') for v in chunk]
                chunk = [{k: x for k, x in v.items() if k != 'instalments'}
                    for v in chunk]
                chunk = [dict(v, move=move.id, state='draft') for v in chunk]
                ids = []
                for i in range(0, len(chunk), SAVE_SIZE):
                    ids.extend(map(int, create_checked(
                                cls, chunk[i:i + SAVE_SIZE])))
                lines, revenues = [], defaultdict(Decimal)
                for id_, values, instalments in zip(ids, chunk, given):
                    type_key = (company_id, values['revenue_type'],
                        values['year'])
                    if type_key not in types:
                        revenue_type = RevenueType(values['revenue_type'])
                        table = RateTable.find(
                            company, revenue_type, values['year'])
                        receivable, revenue = revenue_type.get_accounts(
                            company)
                        types[type_key] = (table, table.due_dates(company),
                            receivable.id, revenue.id,
                            revenue_type.budget_code)
                    table, dates, receivable, revenue, budget_code = (
                        types[type_key])
                    amount = values['amount']
                    if instalments is None:
                        instalments = zip(dates, table.split(amount))
                    for due_date, (debit, credit) in (
                            (d, _debit_credit(a)) for d, a in instalments):
                        if debit or credit:
                            lines.append({
                                    'move': move.id,
                                    'account': receivable,
                                    'party': values['party'],
                                    'maturity_date': due_date,
                                    'origin': f'{cls.__name__},{id_}',
                                    'debit': debit,
                                    'credit': credit,
                                    })
                    revenues[revenue, budget_code] += amount
                for (account, budget_code), amount in revenues.items():
                    if amount:
                        # revenue: the other side of the receivables
                        credit, debit = _debit_credit(amount)
                        lines.append({
                                'move': move.id,
                                'account': account,
                                'budget_code': (
                                    budget_code.id if budget_code else None),
                                'debit': debit,
                                'credit': credit,
                                })
                # in one call: account validates the move after each call
                create_checked(Line, lines)
                if len(ids) == 1:
                    Move.write([move], {'origin': f'{cls.__name__},{ids[0]}'})
                assessment_ids.extend(ids)
        return assessment_ids, move_ids

    def _get_receivable_lines(self, account, table):
        pool = Pool()
        Line = pool.get('account.move.line')
        lines = []
        for due_date, amount in table.schedule(self.company, self.amount):
            if not amount:
                continue
            debit, credit = _debit_credit(amount)
            lines.append(Line(
                    account=account, party=self.party, maturity_date=due_date,
                    origin=self, debit=debit, credit=credit))
        return lines

    @classmethod
    def _get_revenue_lines(cls, revenues):
        pool = Pool()
        Line = pool.get('account.move.line')
        lines = []
        for (account, budget_code), amount in revenues.items():
            if not amount:
                continue
            # revenue: the other side of the receivables
            credit, debit = _debit_credit(amount)
            lines.append(Line(
                    account=account, budget_code=budget_code,
                    debit=debit, credit=credit))
        return lines

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, assessments):
        """Cancel the assessments; a posted one is reversed by a move of its
        own, whatever move posted it"""
        pool = Pool()
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Period = pool.get('account.period')
        Date = pool.get('ir.date')
        moves, posted = [], []
        for assessment in assessments:
            if assessment.state != 'posted':
                continue
            if any(l.reconciliation for l in assessment.instalments):
                raise AssessmentError(gettext(
                        'muni_finance.msg_assessment_cancel_paid',
                        assessment=assessment.rec_name))
            with Transaction().set_context(company=assessment.company.id):
                today = Date.today()
            date = max(today, assessment.date)
            lines = []
            for line in assessment.instalments:
                lines.append(Line(
                        account=line.account, party=line.party,
                        maturity_date=line.maturity_date, origin=assessment,
                        debit=line.credit, credit=line.debit,
                        description=line.description))
            receivable, revenue = assessment.revenue_type.get_accounts(
                assessment.company)
            lines.extend(cls._get_revenue_lines({
                        (revenue, assessment.revenue_type.budget_code):
                        -assessment.amount}))
            move = Move(
                company=assessment.company,
                journal=assessment.move.journal,
                period=Period.find(assessment.company, date=date),
                date=date, origin=assessment, lines=lines,
                description=gettext(
                    'muni_finance.msg_assessment_cancel_description',
                    assessment=assessment.rec_name))
            assessment.cancel_move = move
            moves.append(move)
            posted.append(assessment)
        Move.save(moves)
        Move.post(moves)
        cls.save(posted)
        for assessment in posted:
            to_reconcile = [l for l in assessment.instalments
                + assessment.cancel_move.lines
                if l.account.reconcile and l.party]
            by_account = defaultdict(list)
            for line in to_reconcile:
                by_account[line.account, line.maturity_date].append(line)
            for lines in by_account.values():
                Line.reconcile(lines)
