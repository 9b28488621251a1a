# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import logging
import traceback

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, TransactionError

from .exceptions import LevyError
from .locked import LockedAfterDraft

logger = logging.getLogger(__name__)
# The smallest batch at the end of a levy
TAIL_SIZE = 100


class LevyRun(LockedAfterDraft, Workflow, ModelSQL, ModelView):
    __name__ = 'muni.levy.run'
    __string__ = "Levy"

    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        states=_states)
    year = fields.Integer("Year", required=True, states=_states)
    date = fields.Date(
        "Date", required=True, states=_states,
        help="The date the assessments are posted on.")
    revenue_types = fields.Many2Many(
        'muni.levy.run-muni.revenue.type', 'run', 'revenue_type',
        "Revenue Types", required=True, states=_states,
        domain=[('calculator', '!=', None), ('object_kinds', '!=', None)],
        context={'company': Eval('company', -1)}, depends={'company'})
    batch_size = fields.Integer(
        "Batch Size", required=True, states=_states,
        domain=[('batch_size', '>', 0)],
        help="The number of tax objects computed and committed together; "
        "the last of them are cut in smaller batches, so that the workers "
        "end together.")
    batches = fields.One2Many(
        'muni.levy.batch', 'run', "Batches", readonly=True)
    objects = fields.Function(fields.Integer("Objects"), 'get_progress')
    objects_done = fields.Function(
        fields.Integer("Objects Done"), 'get_progress')
    progress = fields.Function(
        fields.Float("Progress", digits=(1, 4)), 'get_progress')
    assessments = fields.Function(
        fields.Integer("Assessments"), 'get_progress')
    resume_point = fields.Function(
        fields.Integer("Resume Point",
            help="The last object of the last committed batch."),
        'get_progress')
    errors = fields.Function(fields.Text("Errors"), 'get_progress')
    state = fields.Selection([
            ('draft', "Draft"),
            ('running', "Running"),
            ('done', "Done"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('year', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'running'),
            ('running', 'done'),
            }
        cls._buttons.update({
                'start': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'resume': {
                    'invisible': Eval('state') != 'running',
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
    def default_batch_size():
        return 500

    @staticmethod
    def default_year():
        return Pool().get('ir.date').today().year

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return f'{self.company.rec_name} {self.year}'

    @classmethod
    def get_progress(cls, runs, names):
        pool = Pool()
        Batch = pool.get('muni.levy.batch')
        result = {n: {} for n in names}
        for run in runs:
            batches = Batch.search([('run', '=', run.id)])
            total = sum(b.objects for b in batches)
            done = [b for b in batches if b.state == 'posted']
            values = {
                'objects': total,
                'objects_done': sum(b.objects for b in done),
                'progress': (sum(b.objects for b in done) / total
                    if total else 0.0),
                'assessments': sum(b.assessments or 0 for b in batches),
                'resume_point': max((b.end_id for b in done), default=None),
                'errors': '\n'.join(
                    b.error for b in batches if b.error) or None,
                }
            for name in names:
                result[name][run.id] = values[name]
        return result

    @classmethod
    @ModelView.button
    @Workflow.transition('running')
    def start(cls, runs):
        pool = Pool()
        Batch = pool.get('muni.levy.batch')
        TaxObject = pool.get('muni.tax.object')
        batches = []
        for run in runs:
            run.check_ready()
            kinds = {k for t in run.revenue_types for k in t.object_kinds}
            objects = TaxObject.search([
                    ('company', '=', run.company.id),
                    ('kind', 'in', list(kinds)),
                    ], order=[('id', 'ASC')])
            ids = [o.id for o in objects]
            i = 0
            for size in cls.batch_sizes(len(ids), run.batch_size):
                chunk = ids[i:i + size]
                i += size
                batches.append(Batch(
                        run=run, start_id=chunk[0], end_id=chunk[-1],
                        objects=len(chunk), state='pending'))
        Batch.save(batches)
        cls._enqueue(batches)
        cls.check_done(runs)

    @staticmethod
    def batch_sizes(count, batch_size):
        """Return the sizes of the batches of count objects: batch_size
        each, but the last batch_size objects, cut in halves down to
        TAIL_SIZE so that the workers running the batches in parallel end
        together"""
        sizes = []
        smallest = min(batch_size, TAIL_SIZE)
        while count > batch_size:
            sizes.append(batch_size)
            count -= batch_size
        while count > 0:
            size = max(-(-count // 2), smallest)
            if count - size < smallest:
                size = count
            sizes.append(size)
            count -= size
        return sizes

    @classmethod
    @ModelView.button
    def resume(cls, runs):
        "Process again what a crash left undone"
        pool = Pool()
        Batch = pool.get('muni.levy.batch')
        batches = Batch.search([
                ('run', 'in', [r.id for r in runs]),
                ('state', '!=', 'posted'),
                ])
        cls._enqueue(batches)
        cls.check_done(runs)

    @classmethod
    def _enqueue(cls, batches):
        Batch = Pool().get('muni.levy.batch')
        for batch in batches:
            Batch.__queue__.process([batch])

    def check_ready(self):
        pool = Pool()
        RateTable = pool.get('muni.rate.table')
        JournalPeriod = pool.get('account.journal.period')
        Period = pool.get('account.period')
        Configuration = pool.get('muni.finance.configuration')
        if self.date < dt.date(self.year, 1, 1):
            raise LevyError(gettext(
                    'muni_finance.msg_levy_date_before_year',
                    levy=self.rec_name))
        for revenue_type in self.revenue_types:
            RateTable.find(self.company, revenue_type, self.year)
            revenue_type.get_accounts(self.company)
        # The first line of a journal in a period locks the table of
        # journal periods: create it now, not in parallel batches.
        with Transaction().set_context(company=self.company.id):
            period = Period.find(self.company, date=self.date)
        journal = Configuration(1).get_multivalue(
            'assessment_journal', company=self.company.id)
        if not JournalPeriod.search([
                    ('journal', '=', journal.id),
                    ('period', '=', period.id),
                    ]):
            JournalPeriod.create([{
                        'journal': journal.id, 'period': period.id}])

    @classmethod
    def check_done(cls, runs):
        pool = Pool()
        Batch = pool.get('muni.levy.batch')
        done = []
        for run in runs:
            if run.state != 'running':
                continue
            if not Batch.search([
                        ('run', '=', run.id),
                        ('state', '!=', 'posted'),
                        ], limit=1):
                done.append(run)
        if done:
            cls.finish(done)

    @classmethod
    @Workflow.transition('done')
    def finish(cls, runs):
        pool = Pool()
        # A levy adds a year's receivable lines at once: the planner's
        # statistics are refreshed at its end (ANALYZE reads a sample:
        # seconds at most), or a payment or a bank statement taken before
        # autovacuum gets to them reads the open instalments by a scan
        if backend.name == 'postgresql':
            cursor = Transaction().connection.cursor()
            for name in [
                    'account.move', 'account.move.line', 'muni.assessment']:
                cursor.execute('ANALYZE "%s"' % pool.get(name)._table)


class LevyRunRevenueType(ModelSQL):
    __name__ = 'muni.levy.run-muni.revenue.type'
    __string__ = "Levy - Revenue Type"

    run = fields.Many2One(
        'muni.levy.run', "Levy", required=True, ondelete='CASCADE')
    revenue_type = fields.Many2One(
        'muni.revenue.type', "Revenue Type", required=True,
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('run')


class LevyBatch(LockedAfterDraft, ModelSQL, ModelView):
    __name__ = 'muni.levy.batch'
    _locked_parent = 'run'
    __string__ = "Levy Batch"

    run = fields.Many2One(
        'muni.levy.run', "Levy", required=True, ondelete='CASCADE')
    start_id = fields.Integer("First Object", required=True)
    end_id = fields.Integer("Last Object", required=True)
    objects = fields.Integer("Objects", required=True)
    assessments = fields.Integer("Assessments")
    move = fields.Many2One('account.move', "Move", ondelete='RESTRICT')
    error = fields.Text("Error")
    state = fields.Selection([
            ('pending', "Pending"),
            ('created', "Created"),
            ('posted', "Posted"),
            ('failed', "Failed"),
            ], "State", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('run')
        cls._order = [('start_id', 'ASC'), ('id', 'ASC')]

    @classmethod
    def process(cls, batches):
        """Compute and create the assessments of each batch with their draft
        move and commit, then post in a short transaction of its own:
        posting locks the fiscal year's move sequence until the commit. A
        batch another worker holds or has done is left to it (claim)."""
        pool = Pool()
        Run = pool.get('muni.levy.run')
        transaction = Transaction()
        for batch in batches:
            batch = cls(batch.id)
            if batch.state in {'pending', 'failed'}:
                if not batch.claim({'pending', 'failed'}):
                    continue
                try:
                    with transaction.set_context(
                            company=batch.run.company.id):
                        batch.create_assessments()
                except (TransactionError,
                        backend.DatabaseOperationalError):
                    raise
                except Exception as exception:
                    transaction.rollback()
                    logger.exception("levy batch %s failed", batch.id)
                    batch = cls(batch.id)
                    if batch.claim({'pending', 'failed'}):
                        batch.state = 'failed'
                        batch.error = _error_text(exception)
                        batch.save()
                    transaction.commit()
                    continue
                transaction.commit()
            if batch.state == 'created':
                batch.post()
        # A new snapshot sees what the posting transactions committed: the
        # task that posts the last batch closes the levy
        transaction.commit()
        Run.check_done(list({b.run for b in batches}))

    def claim(self, states):
        """Lock the batch for the current transaction if it is in one of the
        states; False if another worker holds it or it has moved on. Resume
        pressed twice, by two clerks or after a worker restarted queues a
        batch again: the batch runs once all the same"""
        transaction = Transaction()
        database = transaction.database
        table = self.__table__()
        cursor = transaction.connection.cursor()
        where = (table.id == self.id) & table.state.in_(sorted(states))
        if database.has_select_for():
            # a worker that dies releases its lock with its connection
            query = table.select(table.id, where=where)
            query.for_ = database.get_select_for_skip_locked()('UPDATE')
            cursor.execute(*query)
            return cursor.fetchone() is not None
        # SQLite: a conditional write takes the database's only write lock
        # until the commit
        cursor.execute(*table.update([table.state], [table.state],
                where=where))
        return cursor.rowcount == 1

    def create_assessments(self):
        pool = Pool()
        Assessment = pool.get('muni.assessment')
        TaxObject = pool.get('muni.tax.object')
        RateTable = pool.get('muni.rate.table')
        run = self.run
        company = run.company
        objects = TaxObject.search([
                ('company', '=', company.id),
                ('id', '>=', self.start_id),
                ('id', '<=', self.end_id),
                ], order=[('id', 'ASC')])
        existing = {(a.object.id, a.party.id, a.revenue_type.id)
            for a in Assessment.search([
                    ('object', 'in', [o.id for o in objects]),
                    ('year', '=', run.year),
                    ('period', '=', ''),
                    ('state', '!=', 'cancelled'),
                    ])}
        rates = {t.id: RateTable.find(company, t, run.year).rates()
            for t in run.revenue_types}
        # what each object asks of the revenue types and of its owners,
        # read once: a localisation may have several revenue types per kind
        # of object (one per article and kind of person)
        year = run.year
        types = [(t, set(t.object_kinds), rates[t.id], {
                    'company': company.id,
                    'revenue_type': t.id,
                    'year': year,
                    'period': '',
                    'date': run.date,
                    'discount_rate': rates[t.id].table.discount_rate,
                    'discount_date': rates[t.id].table.discount_date,
                    'legal_basis': rates[t.id].table.legal_basis,
                    'levy': run.id,
                    }) for t in run.revenue_types]
        to_create, computed, parties = [], [], set()
        for object_ in objects:
            kind = object_.kind
            owners = None
            for revenue_type, kinds, type_rates, common in types:
                if kind not in kinds:
                    continue
                if owners is None:
                    owners = [(o, o.party) for o in object_.owners
                        if o.months_in(year)]
                for owner, party in owners:
                    key = (object_.id, party.id, revenue_type.id)
                    if key in existing:
                        continue
                    values = revenue_type.compute(
                        object_, owner, type_rates)
                    if not values or not values['amount']:
                        continue
                    to_create.append(dict(common,
                            party=party.id,
                            object=object_.id,
                            base=values.get('base'),
                            amount=values['amount'],
                            trace_data={
                                'lines': values['trace'],
                                'formulas': values.get('formulas', []),
                                }))
                    computed.append((object_, owner, revenue_type, values))
                    parties.add(party)
        self.schedule(list(zip(to_create, computed)))
        self.register_taxpayers(company, parties)
        _, moves = Assessment.create_with_moves(to_create)
        self.assessments = len(to_create)
        self.move = moves[0] if len(moves) == 1 else None
        self.state = 'created'
        self.error = None
        self.save()

    def schedule(self, assessments):
        """Let the localisation of the company set the instalments of the
        batch's assessments knowing their payers: a method
        _schedule_<localisation>(assessments) may set the 'instalments' of
        an assessment's values, [(due date, amount)], which the moves then
        take instead of the rate table's split (a rule that cumulates a
        payer's amounts, or re-spreads a part year's tax).

        assessments: [(values to create, (object, owner, revenue type,
        values the calculator returned))]. A batch is cut by object, and a
        payer's objects may fall in other batches: the hook sees the whole
        batch and reads what it needs of the payer's other objects itself,
        so that the result does not depend on how the levy is cut."""
        localisation = self.run.company.localisation
        method = getattr(self, f'_schedule_{localisation}', None)
        if method and assessments:
            method(assessments)

    @staticmethod
    def register_taxpayers(company, parties):
        """Give the owners without a taxpayer number theirs, in a short
        transaction of its own under the lock of the taxpayers: two workers
        may run batches of objects of the same owner at once"""
        pool = Pool()
        Taxpayer = pool.get('muni.taxpayer')
        Party = pool.get('party.party')
        taxpayer = Taxpayer.__table__()
        cursor = Transaction().connection.cursor()
        registered = set()
        # with SQL: a taxpayer read through the ORM costs a levy's batch a
        # second per thousand owners
        for sub_ids in grouped_slice(
                [p.id for p in parties], backend.MAX_QUERY_PARAMS):
            cursor.execute(*taxpayer.select(taxpayer.party,
                    where=(taxpayer.company == company.id)
                    & fields.SQL_OPERATORS['in'](
                        taxpayer.party, list(sub_ids))))
            registered.update(p for p, in cursor)
        missing = [p.id for p in parties if p.id not in registered]
        if not missing:
            return
        if backend.name == 'sqlite':
            # one writer, and no worker: the batches follow each other
            Taxpayer.get_or_create(company, Party.browse(missing))
            return

        def register():
            Taxpayer.lock()
            Taxpayer.get_or_create(company, Party.browse(missing))
        _in_new_transaction(register)

    def post(self):
        """Post the batch in a short transaction of its own: the move
        sequence stays locked only while the moves are posted"""
        _in_new_transaction(lambda: self.__class__(self.id)._post())

    def _post(self):
        pool = Pool()
        Assessment = pool.get('muni.assessment')
        Move = pool.get('account.move')
        if self.state != 'created' or not self.claim({'created'}):
            return
        # SQL: reading thousands of assessments with the ORM to post their
        # moves costs more than the posting
        table = Assessment.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id, table.move,
                where=(table.levy == self.run.id)
                & (table.state == 'draft')
                & (table.object >= self.start_id)
                & (table.object <= self.end_id)))
        rows = cursor.fetchall()
        assessments = Assessment.browse([r[0] for r in rows])
        move_ids = {r[1] for r in rows if r[1] is not None}
        Move.post(Move.search([
                    ('id', 'in', list(move_ids)),
                    ('state', '=', 'draft'),
                    ]))
        Assessment.mark_posted(assessments)
        self.state = 'posted'
        self.save()


def _in_new_transaction(function):
    """Run function() in a new transaction, committed; restarted, as
    trytond restarts a request, when it asks for a lock"""
    extras = {}
    while True:
        with Transaction().new_transaction(**extras) as transaction:
            try:
                function()
            except TransactionError as exception:
                transaction.rollback()
                exception.fix(extras)
                continue
            transaction.commit()
            return


def _error_text(exception):
    if hasattr(exception, 'message'):
        return exception.message
    return ''.join(traceback.format_exception_only(exception)).strip()
