# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A levy run by two trytond-worker processes while Resume is pressed twice:
each batch queued three times runs once"""
import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from trytond import backend
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, activate_module, drop_db
from trytond.transaction import Transaction

from .test_module import setup_municipality
from .tools import in_transaction

OBJECTS = 60
BATCH_SIZE = 10
WAIT = 300


def committed(function):
    "Run function() in a transaction of its own as admin, committed"
    return in_transaction(
        SimpleNamespace(database_name=DB_NAME, user=1, context={}),
        lambda pool: function())


def stop(process):
    """Stop the worker and the processes it started, which keep connections
    to the database until they end"""
    for sig, wait in [(signal.SIGTERM, 10), (signal.SIGKILL, 30)]:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


class LevyWorkersTestCase(unittest.TestCase):
    "Two workers and a Resume pressed twice run each batch of a levy once"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if backend.name != 'postgresql':
            # trytond-worker takes its tasks with FOR UPDATE SKIP LOCKED
            # and waits for them with LISTEN: SQLite has neither (and one
            # writer); there, the queued batches run after the commit, one
            # after the other (scenario_levy_balchik)
            raise unittest.SkipTest("trytond-worker needs PostgreSQL")
        drop_db()
        activate_module(['muni_finance'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        if backend.name == 'postgresql':
            drop_db()

    def test_resume_twice_with_two_workers(self):
        "The batches of a levy queued three times, run by two workers"
        pool = Pool(DB_NAME)

        def setup():
            Party = pool.get('party.party')
            TaxObject = pool.get('muni.tax.object')
            Run = pool.get('muni.levy.run')
            company, fee, _ = setup_municipality()
            parties = Party.create(
                [{'name': f"Owner {i}"} for i in range(OBJECTS)])
            with set_company(company):
                TaxObject.create([{
                            'kind': 'other', 'reference': f"Dog {i}",
                            'owners': [('create', [{'party': p.id}])],
                            } for i, p in enumerate(parties)])
                run, = Run.create([{
                            'year': 2026, 'date': dt.date(2026, 1, 15),
                            'revenue_types': [('add', [fee.id])],
                            'batch_size': BATCH_SIZE,
                            }])
                # the head of the tax office starts the levy, she and her
                # deputy press Resume before any worker took a batch
                Run.start([run])
                Run.resume([run])
                Run.resume([run])
            return company.id, run.id
        company_id, run_id = committed(setup)

        with tempfile.NamedTemporaryFile('w', suffix='.conf') as conf:
            conf.write('[queue]\nworker = True\n')
            conf.flush()
            worker = Path(sys.executable).parent / 'trytond-worker'
            with tempfile.TemporaryFile() as log:
                # a session of its own: the workers it starts stop with it
                process = subprocess.Popen(
                    [sys.executable, str(worker), '-c', conf.name,
                        '-d', DB_NAME, '-n', '2'],
                    env=dict(os.environ), stdout=subprocess.DEVNULL,
                    stderr=log, start_new_session=True)
                try:
                    left = self.wait_for_queue()
                finally:
                    stop(process)
                log.seek(0)
                errors = log.read().decode(errors='replace')
        self.assertEqual(left, 0, errors)

        def check():
            Run = pool.get('muni.levy.run')
            Batch = pool.get('muni.levy.batch')
            Assessment = pool.get('muni.assessment')
            Queue = pool.get('ir.queue')
            with Transaction().set_context(company=company_id):
                run = Run(run_id)
                batches = Batch.search([('run', '=', run_id)])
                assessments = Assessment.search([('levy', '=', run_id)])
                tasks = [t for t in Queue.search([])
                    if t.data['model'] == Batch.__name__]
                return (run.state, run.errors,
                    [(b.state, b.objects, b.assessments,
                        b.move.state if b.move else None)
                        for b in batches],
                    len(assessments),
                    len({(a.object.id, a.party.id) for a in assessments}),
                    {a.state for a in assessments},
                    sum(a.amount for a in assessments),
                    len(tasks))
        (state, errors, batches, count, distinct, states, total,
            tasks) = committed(check)
        self.assertEqual(state, 'done')
        self.assertIsNone(errors)
        self.assertEqual(batches,
            [('posted', BATCH_SIZE, BATCH_SIZE, 'posted')]
            * (OBJECTS // BATCH_SIZE))
        self.assertEqual((count, distinct), (OBJECTS, OBJECTS))
        self.assertEqual(states, {'posted'})
        self.assertEqual(total, OBJECTS * Decimal('12.01'))
        # three tasks a batch: the start and the two Resumes
        self.assertEqual(tasks, 3 * OBJECTS // BATCH_SIZE)

    def wait_for_queue(self):
        "Wait until the workers have run every task; return the tasks left"
        end = time.monotonic() + WAIT
        while True:
            with Transaction().start(DB_NAME, 0, readonly=True):
                cursor = Transaction().connection.cursor()
                cursor.execute('SELECT COUNT(*) FROM ir_queue '
                    'WHERE finished_at IS NULL')
                left, = cursor.fetchone()
            if not left or time.monotonic() > end:
                return left
            time.sleep(0.5)
