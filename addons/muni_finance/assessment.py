# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from collections import defaultdict
from decimal import Decimal
from itertools import groupby

from sql.functions import CurrentTimestamp
from sql.operators import Equal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Exclude, Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import reduce_ids
from trytond.transaction import Transaction

from .exceptions import AssessmentAccessError, AssessmentError

# Assessments of one move: a batch of the levy posts them together
MOVE_SIZE = 1000
# Records per save: costs grow faster than linearly with the number of
# records
SAVE_SIZE = 250


def format_trace(trace):
    "Render a trace of (label, value) as the lines the inspector reads"
    return '\n'.join(f'{label}: {value}' for label, value in trace)


class Assessment(Workflow, ModelSQL, ModelView):
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

    def get_schedule(self, name):
        pool = Pool()
        RateTable = pool.get('muni.rate.table')
        lang = pool.get('ir.lang').get()
        if self.amount is None or not self.company:
            return
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
        return super().copy(assessments, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, assessments):
        pool = Pool()
        Move = pool.get('account.move')
        moves = cls.create_moves(assessments)
        Move.post(moves)

    @classmethod
    def mark_posted(cls, assessments):
        """Set the state of assessments whose move was just posted; in SQL
        because the levy validated them when it created them a moment ago
        and nothing else changes"""
        transaction = Transaction()
        table = cls.__table__()
        cursor = transaction.connection.cursor()
        ids = [a.id for a in assessments]
        for i in range(0, len(ids), 1000):
            cursor.execute(*table.update(
                    [table.state, table.write_uid, table.write_date],
                    ['posted', transaction.user, CurrentTimestamp()],
                    where=reduce_ids(table.id, ids[i:i + 1000])
                    & (table.state == 'draft')))
        transaction.counter += 1
        for cache in transaction.cache.values():
            if cls.__name__ in cache:
                cache[cls.__name__].clear()

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

    def _get_receivable_lines(self, account, table):
        pool = Pool()
        Line = pool.get('account.move.line')
        lines = []
        for due_date, amount in table.schedule(self.company, self.amount):
            if not amount:
                continue
            line = Line(
                account=account, party=self.party, maturity_date=due_date,
                origin=self)
            if amount > 0:
                line.debit, line.credit = amount, Decimal(0)
            else:
                line.debit, line.credit = Decimal(0), -amount
            lines.append(line)
        return lines

    @classmethod
    def _get_revenue_lines(cls, revenues):
        pool = Pool()
        Line = pool.get('account.move.line')
        lines = []
        for (account, budget_code), amount in revenues.items():
            if not amount:
                continue
            line = Line(account=account, budget_code=budget_code)
            if amount > 0:
                line.debit, line.credit = Decimal(0), amount
            else:
                line.debit, line.credit = -amount, Decimal(0)
            lines.append(line)
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
