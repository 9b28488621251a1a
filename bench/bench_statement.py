# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A day's bank statement of a Balchik-like municipality on PostgreSQL
(issue 10).

main(scale) prints one JSON line:
  {"name": "statement", "lines": …, "seconds": …, "lines_per_second": …,
   "baseline_moves_per_second": …, "ratio": …, "cpu_seconds": …,
   "baseline_cpu_moves_per_second": […, …], "cpu_ratio": …,
   "suspense": …, "allocated": …, "verified": …}

ratio is lines per second over the baseline's moves per second, in wall
time (the issue's target, ≥ 0.5); cpu_ratio is the same quotient in CPU
seconds, this process's and its PostgreSQL backend's (bench_levy.Meter).
Two processes' worth of other work on a two-core machine stretches the
wall time of the statement and of each baseline by different factors (the
two baselines of one run were seen 146 and 86 moves/s apart); the CPU
seconds of the same work move much less, so cpu_ratio tells the code's
cost when the machine is shared and ratio when it is not.

Fixture: the levy benchmark's database of taxpayers (built by bench_levy's
ensure_base and load_objects under the names bench_statement_base and
bench_statement_<objects>: parties with taxpayer numbers K00000001 …)
after its 2026 levy (bench_levy.run_levy, untimed): each taxpayer owes
the instalments of its property tax, waste fee and vehicle tax, which the
receipts pay (and the 5 % discount when one pays the year). Copied to
bench_statement_run.

Measured in this process, in two transactions as in sao: the import of a
generated camt.053.001.08 of 10,000 × scale credit lines (80 % naming one
taxpayer number with the payment code 44 21 00, 10 % two numbers, 10 %
none) and its commit, then its `receive` (lines posted Dr 5011 / Cr 4911,
the statement validated and posted, the matched receipts allocated and
posted as payments by slices of 250) and the commit. Baseline: bench_levy.run_baseline, the same run's rate
of 2-line account.move saved and posted by slices of 250.

Environment: BENCH_STATEMENT_KEEP=1 keeps the copy.
"""
import datetime as dt
import json
import os
import sys
import time
from decimal import Decimal

import bench_levy
from bench_payment import verify as verify_payments
from bench_levy import (
    FIXTURE_VERSION, admin_sql, analyze, close_pool, company_context,
    configure, connect, copy_db, db_comment, drop_db, ensure_base, env_int,
    in_transaction, init_pool, load_objects, Meter, objects_for,
    run_baseline_meter, run_levy, set_db_comment)

# Databases of their own: the levy benchmark (of another branch) may
# rebuild its own at the same time
bench_levy.BASE_DB = BASE_DB = 'bench_statement_base'

BASE_LINES = 10000
DATE = dt.date(2026, 3, 16)
IBAN = 'BG80BNBG96611020345678'
NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08'


def log(message):
    print(f"    statement: {message}", file=sys.stderr, flush=True)


def camt(lines, taxpayers, start=Decimal('1000.00')):
    "A camt.053.001.08 of lines credits and the amounts it holds"
    entries, total = [], Decimal(0)
    for i in range(lines):
        amount = Decimal(10 + i % 90) + Decimal('0.35')
        total += amount
        first = taxpayers[i % len(taxpayers)]
        if i % 10 == 8:
            second = taxpayers[(i + 7) % len(taxpayers)]
            reason = f"ДНИ {first} и {second}"
        elif i % 10 == 9:
            reason = "ТАКСА СМЕТ"
        else:
            reason = f"ДНИ 2026 партида {first} код 44 21 00"
        entries.append(
            f'<Ntry><NtryRef>{i + 1:06d}</NtryRef>'
            f'<Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            '<Sts><Cd>BOOK</Cd></Sts>'
            f'<BookgDt><Dt>{DATE.isoformat()}</Dt></BookgDt>'
            '<NtryDtls><TxDtls><RmtInf>'
            f'<Ustrd>{reason}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>')

    def balance(code, amount):
        return (f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>'
            f'<Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            f'<Dt><Dt>{DATE.isoformat()}</Dt></Dt></Bal>')
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<Document xmlns="{NAMESPACE}"><BkToCstmrStmt>'
        f'<GrpHdr><MsgId>BENCH</MsgId>'
        f'<CreDtTm>{DATE.isoformat()}T18:00:00</CreDtTm></GrpHdr>'
        f'<Stmt><Id>BENCH-{lines}</Id>'
        f'<CreDtTm>{DATE.isoformat()}T18:00:00</CreDtTm>'
        f'<Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>'
        + balance('OPBD', start) + balance('CLBD', start + total)
        + ''.join(entries) + '</Stmt></BkToCstmrStmt></Document>')
    return document.encode('utf-8'), total


def setup(dbname, company_id):
    "The finance accounts and the statement journal of the revenue account"
    from trytond.pool import Pool
    pool = Pool()
    Account = pool.get('account.account')
    Configuration = pool.get('muni.finance.configuration')
    Party = pool.get('party.party')
    Bank = pool.get('bank')
    BankAccount = pool.get('bank.account')
    Company = pool.get('company.company')
    Journal = pool.get('account.journal')
    StatementJournal = pool.get('account.statement.journal')
    company = Company(company_id)
    accounts = {a.code: a for a in Account.search([
                ('company', '=', company_id),
                ('code', 'in', ['4113', '4511', '4911', '5011', '7221']),
                ])}
    config = Configuration(1)
    config.interest_receivable_account = accounts['4113']
    config.credit_account = accounts['4511']
    config.suspense_account = accounts['4911']
    config.save()
    bank_party, = Party.create([{'name': "БНБ"}])
    bank, = Bank.create([{'party': bank_party.id}])
    bank_account, = BankAccount.create([{
                'bank': bank.id, 'currency': company.currency.id,
                'owners': [('add', [company.party.id])],
                'numbers': [('create', [{'type': 'iban', 'number': IBAN}])],
                }])
    journal, = Journal.search([('code', '=', 'STA')], limit=1)
    StatementJournal.create([{
                'name': "БНБ", 'journal': journal.id,
                'account': accounts['5011'].id, 'company': company_id,
                'currency': company.currency.id,
                'bank_account': bank_account.id, 'validation': 'balance',
                }])


def ensure_fixture(objects):
    "bench_levy.ensure_fixture under the names of this benchmark"
    base_stamp = ensure_base(log)
    name = f'bench_statement_{objects}'
    stamp = (f'{base_stamp} data=v{FIXTURE_VERSION} objects={objects} '
        'levied analyzed')
    if (db_comment(name) == stamp
            and not os.environ.get('BENCH_LEVY_REBUILD')):
        log(f"reusing {name}")
        return name
    start = time.monotonic()
    objects_db = f'{name}_objects'
    copy_db(BASE_DB, objects_db)
    counts = load_objects(objects_db, objects)
    close_pool(objects_db)
    result = run_levy(objects_db, env_int('BENCH_LEVY_PROCESSES',
            os.cpu_count() or 2), 1000, label='statement fixture', keep=True)
    if not result['verified']:
        raise RuntimeError(f"the levy of {objects_db} is not verified")
    drop_db(name)
    close_pool(f'{objects_db}_run')
    admin_sql(f'ALTER DATABASE "{objects_db}_run" RENAME TO "{name}"')
    drop_db(objects_db)
    analyze(name)
    set_db_comment(name, stamp)
    log(f"{name} loaded and levied in {time.monotonic() - start:.0f} s: "
        f"{counts}, {result['assessments']} assessments")
    return name


def taxpayer_numbers(dbname, count):
    with connect(dbname) as conn:
        return [r[0] for r in conn.execute(
                "SELECT number FROM muni_taxpayer ORDER BY id LIMIT %s",
                (count,)).fetchall()]


def run_statement(fixture, lines):
    from trytond.pool import Pool
    dbname = 'bench_statement_run'
    copy_db(fixture, dbname)
    try:
        init_pool(dbname)
        company_id, context = company_context(dbname)
        in_transaction(
            dbname, 1, lambda: setup(dbname, company_id), context=context)
        numbers = taxpayer_numbers(dbname, lines)
        data, total = camt(lines, numbers)

        meter = Meter()

        def import_():
            pool = Pool()
            Import = pool.get('account.statement.import', type='wizard')
            with meter.measure():
                session_id, _, _ = Import.create()
                wizard = Import(session_id)
                wizard.start.company = company_id
                wizard.start.file_ = data
                wizard.start.file_format = 'camt_053_001'
                _, result = wizard.do_import_({'views': []})
                Import.delete(session_id)
            return result['res_id']

        def receive(statement_ids):
            Statement = Pool().get('account.statement')
            with meter.measure():
                Statement.receive(Statement.browse(statement_ids))

        # as in sao: the import wizard commits the statements, the
        # accountant presses Receive (a transaction of its own, which
        # restarts once with the locks it asks for)
        start = time.perf_counter()
        statement_ids = in_transaction(dbname, 1, import_, context=context)
        in_transaction(
            dbname, 1, lambda: receive(statement_ids), context=context)
        seconds = time.perf_counter() - start
        with connect(dbname) as conn:
            (statement_lines, allocated, unallocated, posted_payments,
                suspense, bank) = conn.execute("""
                SELECT count(*),
                    count(*) FILTER (WHERE receipt_state = 'allocated'),
                    coalesce(sum(amount) FILTER (
                        WHERE receipt_state <> 'allocated'), 0),
                    (SELECT count(*) FROM muni_payment
                        WHERE state = 'posted'),
                    (SELECT coalesce(sum(l.credit - l.debit), 0)
                        FROM account_move_line AS l
                        JOIN account_account AS a ON a.id = l.account
                        WHERE a.code = '4911'),
                    (SELECT coalesce(sum(l.debit - l.credit), 0)
                        FROM account_move_line AS l
                        JOIN account_account AS a ON a.id = l.account
                        WHERE a.code = '5011')
                FROM account_statement_line""").fetchone()
        expected = sum(1 for i in range(lines) if i % 10 < 8)
        verified = (statement_lines == lines and allocated == expected
            and posted_payments == expected and suspense == unallocated
            and bank == total
            # no instalment paid twice, every move balanced, what is paid
            # in full reconciled
            and verify_payments(dbname))
        log(f"{lines} lines in {seconds:.1f} s: {allocated} allocated, "
            f"suspense {suspense} = unallocated {unallocated}, bank {bank} "
            f"(verified: {verified})")
        return {'seconds': seconds, 'cpu': meter.cpu,
            'allocated': allocated,
            'suspense': str(suspense), 'verified': verified}
    finally:
        close_pool(dbname)
        if not os.environ.get('BENCH_STATEMENT_KEEP'):
            drop_db(dbname)


def main(scale):
    configure()
    lines = max(int(round(BASE_LINES * scale)), 10)
    # the levy's fixture: 0.8 taxpayers per object, 40,000 at scale 1
    fixture = ensure_fixture(objects_for(scale))
    # the baseline before and after the statement: a shared machine's load
    # drifts over the minutes of a statement; their mean weighs both
    before, before_cpu = run_baseline_meter(fixture)
    result = run_statement(fixture, lines)
    after, after_cpu = run_baseline_meter(fixture)
    baseline = (before + after) / 2
    seconds = result['seconds']
    rate = lines / seconds if seconds else None
    # the same quotient in CPU seconds (Meter): what the load of other
    # processes changes least
    cpu_ratio = None
    if result['cpu'] and before_cpu and after_cpu:
        cpu_ratio = round(
            lines / result['cpu'] / ((before_cpu + after_cpu) / 2), 3)
    print(json.dumps({
                'name': 'statement', 'lines': lines,
                'seconds': round(seconds, 2),
                'lines_per_second': round(rate, 1) if rate else None,
                'baseline_moves_per_second': round(baseline, 1),
                'baseline_before_after': [round(before, 1), round(after, 1)],
                'ratio': round(rate / baseline, 3) if rate else None,
                'cpu_seconds': (round(result['cpu'], 1)
                    if result['cpu'] is not None else None),
                'baseline_cpu_moves_per_second': [
                    round(r, 1) if r else None
                    for r in [before_cpu, after_cpu]],
                'cpu_ratio': cpu_ratio,
                'suspense': result['suspense'],
                'allocated': result['allocated'],
                'verified': result['verified'],
                'python_optimize': bool(sys.flags.optimize),
                }), flush=True)


if __name__ == '__main__':
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 1)
