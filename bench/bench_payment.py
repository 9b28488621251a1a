# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Payments at the cash desk on PostgreSQL (issue 10).

main(scale) prints one JSON line:
  {"name": "payment", "payments": …, "median_ms": …, "p95_ms": …,
   "baseline_ms": …, "ratio": …, "taxpayers": …,
   "instalments_per_taxpayer": …, "verified": …}

Each payment is what the cash desk does for one citizen, alone, in the
cashier's open session, as sao does it: the payment form saved (a
transaction), then its Post button (a transaction: lock the taxpayer,
gather the open instalments and their interest to the payment date,
allocate by ДОПК чл. 169, create and post the move, reconcile what is paid
in full, commit). The time is that of both. Each taxpayer has 10 years × 3
revenue types of history (two instalments a year: 60 receivable lines),
paid off by ten payments of which each settles about a tenth, oldest
first.

The baseline, taken in the same run and interleaved with the payments (a
few before each round, so that the machine's drift weighs on both alike):
the cheapest posting a request can make through account: a bare two-line
move (the cash received, a party's receivable) saved and posted in a
transaction of its own, the move sequence locked first as a payment locks
it. baseline_ms is its median and ratio = median_ms / baseline_ms: what a
payment costs in bare moves, comparable between machines.

Also: python -O bench/bench_payment.py breakdown [rounds] takes `rounds`
(default 3) payments of each of 10 taxpayers and prints on stderr, per
payment, where the time goes: trytond's generic validation (_validate) and
reads (ModelSQL.read) by model, nested in each other, and a cProfile of the
payments (written to the temporary directory too).

Databases (on TRYTOND_DATABASE__URI): the levy benchmark's base (Balchik),
copied into bench_payment_<taxpayers> with the debts loaded through the
ORM (untimed, reused while the modules' sources do not change), and a
fresh copy for each measured run.
"""
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import bench_levy as levy

YEARS = range(2016, 2026)
TYPES = ['DNI', 'TBO', 'DPS']
PAYMENTS_PER_TAXPAYER = 10
BASE_PAYMENTS = 1000
INSTALMENT = Decimal('50.00')
BASELINE_AMOUNT = Decimal('10.25')
PAYMENT_DATE = dt.date(2026, 6, 15)
BASELINE_PER_ROUND = 5
FIXTURE_VERSION = 1


def log(message):
    levy.log(f"payment: {message}")


def setup(dbname, taxpayers):
    "The payment configuration, synthetic old rates and the debts"
    pool = levy.init_pool(dbname)
    company_id, context = levy.company_context(dbname)

    def configure():
        Account = pool.get('account.account')
        RevenueType = pool.get('muni.revenue.type')
        Configuration = pool.get('muni.finance.configuration')
        InterestRate = pool.get('muni.interest.rate')
        accounts = {a.code: a for a in Account.search([
                    ('code', 'in', ['4113', '4511', '4911', '7221']),
                    ])}
        config = Configuration(1)
        config.interest_receivable_account = accounts['4113']
        config.credit_account = accounts['4511']
        config.suspense_account = accounts['4911']
        config.save()
        types = RevenueType.search([('code', 'in', TYPES)])
        for revenue_type in types:
            revenue_type.interest_account = accounts['7221']
        RevenueType.save(types)
        # the published rates start in 2023 (interest_rate.xml): older
        # years get a synthetic 10 % so that old debts bear interest
        InterestRate.create([{
                    'localisation': 'bg',
                    'start_date': dt.date(2016, 1, 1),
                    'end_date': dt.date(2022, 12, 31),
                    'rate': Decimal(10), 'basis': 360,
                    'legal_basis': "benchmark: synthetic rate",
                    }])
    levy.in_transaction(dbname, 1, configure, context=context)

    def debts(first, count):
        Party = pool.get('party.party')
        Taxpayer = pool.get('muni.taxpayer')
        Assessment = pool.get('muni.assessment')
        RevenueType = pool.get('muni.revenue.type')
        Import = pool.get('muni.import')
        company = pool.get('company.company')(company_id)
        types = {t.code: t for t in RevenueType.search([
                    ('code', 'in', TYPES)])}
        accounts = {t: t.get_accounts(company) for t in types.values()}
        parties = Party.create([{'name': f'Платец {i}'}
                for i in range(first, first + count)])
        Taxpayer.get_or_create(company, parties)
        assessments, instalments = [], []
        for party in parties:
            for year in YEARS:
                for code in TYPES:
                    assessments.append(Assessment(
                            company=company, party=party,
                            revenue_type=types[code], year=year,
                            period='', date=dt.date(2026, 1, 1),
                            amount=2 * INSTALMENT, state='draft'))
                    instalments.append([
                            {'due_date': dt.date(year, 6, 30),
                                'amount': INSTALMENT},
                            {'due_date': dt.date(year, 10, 31),
                                'amount': INSTALMENT}])
        Assessment.save(assessments)
        Import.post_with_instalments(
            assessments, {a.id: i for a, i in zip(assessments, instalments)},
            accounts)
    for first in range(0, taxpayers, 10):
        levy.in_transaction(
            dbname, 1, lambda: debts(first, min(10, taxpayers - first)),
            context=context)


def ensure_fixture(taxpayers):
    # a base of its own: the levy benchmark rebuilds and drops its base
    # whenever the modules change
    levy.BASE_DB = 'bench_payment_base'
    base = levy.ensure_base()
    name = f'bench_payment_{taxpayers}'
    stamp = f'{base} payment {FIXTURE_VERSION} {taxpayers} analyzed'
    if levy.db_comment(name) == stamp:
        return name
    log(f"building {name} ({taxpayers} taxpayers × 60 instalments)")
    start = time.monotonic()
    levy.copy_db(levy.BASE_DB, name)
    setup(name, taxpayers)
    levy.close_pool(name)
    levy.analyze(name)
    levy.set_db_comment(name, stamp)
    log(f"{name} built in {time.monotonic() - start:.0f} s")
    return name


def run(fixture, taxpayers, rounds=PAYMENTS_PER_TAXPAYER, warmed=None,
        baselines_per_round=BASELINE_PER_ROUND):
    """Take the payments one transaction each; return their durations and
    the baseline's. warmed(pool) is called once the caches are warm
    (breakdown)"""
    dbname = f'{fixture}_run'
    levy.copy_db(fixture, dbname)
    pool = levy.init_pool(dbname)
    company_id, context = levy.company_context(dbname)

    def find():
        "The taxpayers, and the cashier's desk and open session"
        Taxpayer = pool.get('muni.taxpayer')
        Account = pool.get('account.account')
        Desk = pool.get('muni.cash.desk')
        Session = pool.get('muni.cash.session')
        Configuration = pool.get('muni.finance.configuration')
        Party = pool.get('party.party')
        cash, = Account.search([('code', '=', '5021')])
        desk, = Desk.create([{
                    'name': "Гише 1", 'account': cash.id,
                    'journal': Configuration(1).get_multivalue(
                        'payment_journal', company=company_id).id,
                    }])
        Session.create([{'desk': desk.id, 'date': PAYMENT_DATE}])
        # the baseline's moves are paid by a party of their own: none of
        # the taxpayers' open items changes
        receivable, = Account.search([('code', '=', '4111')])
        party, = Party.create([{'name': "Baseline"}])
        return ([t.id for t in Taxpayer.search(
                        [('company', '=', company_id)],
                        order=[('id', 'ASC')])],
            cash.id, receivable.id, party.id)
    taxpayer_ids, cash_id, receivable_id, baseline_party_id = (
        levy.in_transaction(dbname, 1, find, context=context))
    # what ten payments must bring: the principal and about its interest
    amount = (len(YEARS) * len(TYPES) * 2 * INSTALMENT
        / PAYMENTS_PER_TAXPAYER * Decimal('1.4')).quantize(Decimal('0.01'))

    def create(taxpayer_id):
        Payment = pool.get('muni.payment')
        payment = Payment(
            company=company_id, taxpayer=taxpayer_id, channel='cash',
            account=cash_id, date=PAYMENT_DATE, amount=amount)
        payment.save()
        return payment.id

    def post(payment_id):
        Payment = pool.get('muni.payment')
        Payment.post(Payment.browse([payment_id]))

    def bare_move():
        "The baseline: a two-line move saved and posted"
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Party = pool.get('party.party')
        Period = pool.get('account.period')
        FiscalYear = pool.get('account.fiscalyear')
        Sequence = pool.get('ir.sequence.strict')
        Configuration = pool.get('muni.finance.configuration')
        company = pool.get('company.company')(company_id)
        Sequence.lock([FiscalYear.find(
                    company, date=PAYMENT_DATE).move_sequence])
        move = Move(
            company=company, date=PAYMENT_DATE,
            period=Period.find(company, date=PAYMENT_DATE),
            journal=Configuration(1).get_multivalue(
                'payment_journal', company=company_id),
            description="baseline",
            lines=[
                Line(account=cash_id, debit=BASELINE_AMOUNT,
                    credit=Decimal(0)),
                Line(account=receivable_id,
                    party=Party(baseline_party_id),
                    debit=Decimal(0), credit=BASELINE_AMOUNT),
                ])
        move.save()
        Move.post([move])

    def baseline():
        start = time.perf_counter()
        levy.in_transaction(dbname, 1, bare_move, context=context)
        return (time.perf_counter() - start) * 1000

    def pay(taxpayer_id):
        # as in sao: the form is saved, then its Post button is pressed,
        # each a request and a transaction of its own
        payment_id = levy.in_transaction(
            dbname, 1, lambda: create(taxpayer_id), context=context)
        # the last payments of a taxpayer leave a credit: the cashier has
        # confirmed the warning (Payment.check_overpayment) before
        levy.in_transaction(
            dbname, 1, lambda: post(payment_id),
            context=dict(context, _skip_warnings=True))
    durations, baselines = [], []
    # warm-up: the first payment fills the caches like a running server
    pay(taxpayer_ids[0])
    baseline()
    if warmed:
        warmed(pool)
    for round_ in range(rounds):
        baselines.extend(baseline() for _ in range(baselines_per_round))
        for taxpayer_id in taxpayer_ids:
            start = time.perf_counter()
            pay(taxpayer_id)
            durations.append((time.perf_counter() - start) * 1000)
    verified = verify(dbname, 1 + rounds * baselines_per_round)
    levy.close_pool(dbname)
    if not os.environ.get('BENCH_LEVY_KEEP'):
        levy.drop_db(dbname)
    return durations, baselines, verified


def verify(dbname, baselines=0):
    """Every instalment paid at most once, every move balanced, each fully
    paid instalment reconciled, the baseline moves of the run (none in the
    statement benchmark's) posted"""
    with levy.connect(dbname) as conn:
        posted = conn.execute("""
            SELECT count(*) FROM account_move
            WHERE description = 'baseline' AND state = 'posted'
                AND number IS NOT NULL""").fetchone()[0]
        over = conn.execute("""
            SELECT count(*) FROM (
                SELECT a.line, sum(a.principal + a.discount) AS paid,
                    min(l.debit) AS debit
                FROM muni_payment_allocation a
                JOIN muni_payment p ON p.id = a.payment
                JOIN account_move_line l ON l.id = a.line
                WHERE p.state = 'posted'
                GROUP BY a.line) AS s
            WHERE paid > debit""").fetchone()[0]
        unbalanced = conn.execute("""
            SELECT count(*) FROM (
                SELECT move FROM account_move_line
                GROUP BY move HAVING sum(debit - credit) != 0) AS s
            """).fetchone()[0]
        unreconciled = conn.execute("""
            SELECT count(*) FROM (
                SELECT a.line FROM muni_payment_allocation a
                JOIN muni_payment p ON p.id = a.payment
                JOIN account_move_line l ON l.id = a.line
                WHERE p.state = 'posted'
                GROUP BY a.line, l.reconciliation
                HAVING sum(a.principal + a.discount) = min(l.debit)
                    AND l.reconciliation IS NULL) AS s
            """).fetchone()[0]
    ok = (not over and not unbalanced and not unreconciled
        and posted == baselines)
    log(f"verified: {ok} (overpaid {over}, unbalanced {unbalanced}, "
        f"unreconciled {unreconciled}, baseline moves posted {posted} "
        f"of {baselines})")
    return ok


def breakdown(rounds=3):
    """Take 10 taxpayers' payments with timers on trytond's validation and
    reads by model, under cProfile, and print the costs per payment"""
    from trytond.model import ModelSQL, ModelStorage
    levy.configure()
    taxpayers = 10
    fixture = ensure_fixture(taxpayers)
    totals, counts = defaultdict(float), defaultdict(int)
    profiler = cProfile.Profile()

    def timed(label, func):
        def wrapper(cls, *args, **kwargs):
            start = time.perf_counter()
            try:
                return func(cls, *args, **kwargs)
            finally:
                key = f'{label} {cls.__name__}'
                totals[key] += time.perf_counter() - start
                counts[key] += 1
        return classmethod(wrapper)

    def warmed(pool):
        ModelStorage._validate = timed(
            'validate', ModelStorage._validate.__func__)
        ModelSQL.read = timed('read', ModelSQL.read.__func__)
        profiler.enable()
    try:
        durations, _, _ = run(
            fixture, taxpayers, rounds=rounds, warmed=warmed,
            baselines_per_round=0)
    finally:
        profiler.disable()
    n = len(durations)
    log(f"breakdown: {n} payments, median {statistics.median(durations):.1f}"
        " ms under cProfile; per payment:")
    for key, seconds in sorted(totals.items(), key=lambda i: -i[1]):
        print(f"  {key:55} {seconds / n * 1000:8.2f} ms "
            f"{counts[key] / n:5.1f} calls", file=sys.stderr)
    path = Path(tempfile.gettempdir()) / 'bench_payment.prof'
    profiler.dump_stats(str(path))
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats('cumulative').print_stats(
        60)
    print(out.getvalue(), file=sys.stderr)
    log(f"profile written to {path}")


def main(scale):
    levy.configure()
    payments = max(int(round(BASE_PAYMENTS * scale)), PAYMENTS_PER_TAXPAYER)
    taxpayers = max(payments // PAYMENTS_PER_TAXPAYER, 1)
    fixture = ensure_fixture(taxpayers)
    durations, baselines, verified = run(fixture, taxpayers)
    durations.sort()
    median = statistics.median(durations)
    baseline = statistics.median(baselines)
    print(json.dumps({
                'name': 'payment',
                'payments': len(durations),
                'median_ms': round(median, 1),
                'p95_ms': round(
                    durations[int(len(durations) * 0.95) - 1], 1),
                'baseline_ms': round(baseline, 1),
                'ratio': round(median / baseline, 2),
                'taxpayers': taxpayers,
                'instalments_per_taxpayer': len(YEARS) * len(TYPES) * 2,
                'verified': verified,
                }), flush=True)


if __name__ == '__main__':
    args = sys.argv[1:]
    if args and args[0] == 'breakdown':
        breakdown(int(args[1]) if len(args) > 1 else 3)
    else:
        main(float(args[0]) if args else
            float(os.environ.get('BENCH_SCALE', '1')))
