# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The annual levy of Năvodari on PostgreSQL (issue 22): bench_levy's
`levy` line for the Romanian localisation.

main(scale) prints one JSON line with the fields of bench_levy's:
  {"name": "levy_ro", "objects": …, "assessments": …, "move_lines": …,
   "seconds": …, "assessments_per_second": …, "baseline_moves_per_second": …,
   "ratio": …, "processes": …, "peak_memory_mb": …, "verified": …}

Databases (on TRYTOND_DATABASE__URI, kept between runs, rebuilt when the
sources of the modules or this fixture change; BENCH_LEVY_REBUILD=1 forces):
  bench_levy_ro_base       muni_ro_localization activated, Năvodari
                           (create_navodari), the revenue types' accounts and
                           the demo's 2026 HCL (demo.HCL_2026) as rate tables
  bench_levy_ro_<objects>  the base + 50,000 × scale tax objects with their
                           owners and taxpayers, loaded with SQL

Measured as bench_levy measures Balchik's, with its machinery
(bench_levy.run_levy: trytond-worker processes, from the click to 'done'):
  baseline  5,000 two-line account.move (receivable 464.01 with party and
            maturity date / revenue 734.01) saved and posted by slices of 250
            in one transaction of this process, on a copy of this fixture
  levy      muni.levy.run for 2026 with the seven taxes (IC-PF, IC-PJ, IT-PF,
            IT-PJ, IT-EXT, IMT-PF, IMT-PJ): each object is assessed by the
            revenue type of its kind and of its owner's
then verified with SQL: every owner of every object assessed once by the
revenue type its kind calls for (an owner who acquired in December owes
nothing that year), all posted, balanced, and each assessment's receivable
lines its amount in whole lei.

Environment: as bench_levy (BENCH_LEVY_PROCESSES, BENCH_LEVY_BATCH_SIZE,
BENCH_LEVY_BASELINE_N, BENCH_LEVY_TIMEOUT, BENCH_LEVY_KEEP,
BENCH_LEVY_REBUILD).
"""
import contextlib
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import bench_levy
from bench_levy import (
    Meter, admin_sql, close_pool, configure, connect, copy_db, db_comment,
    drop_db, env_int, in_transaction, init_pool, levy_line, objects_for,
    set_db_comment, uri)

FIXTURE_VERSION = 1  # of the data loaded by load_objects
YEAR = 2026
LEVY_DATE = dt.date(YEAR, 1, 15)
BASE_DB = 'bench_levy_ro_base'
MODULES = ['muni_base', 'muni_finance', 'muni_ro_localization']
NAVODARI = "Primăria Năvodari"
PARTIES_PER_OBJECT = 0.8
# What each revenue type assesses, as SQL on muni_tax_object (o)
EXPECTED = {
    'IC-PF': "o.ro_property_kind = 'building' "
        "AND o.ro_owner_kind = 'natural'",
    'IC-PJ': "o.ro_property_kind = 'building' AND o.ro_owner_kind = 'legal'",
    'IT-PF': "o.ro_property_kind = 'land' "
        "AND o.ro_land_location = 'intravilan' "
        "AND o.ro_owner_kind = 'natural'",
    'IT-PJ': "o.ro_property_kind = 'land' "
        "AND o.ro_land_location = 'intravilan' "
        "AND o.ro_owner_kind = 'legal'",
    'IT-EXT': "o.ro_property_kind = 'land' "
        "AND o.ro_land_location = 'extravilan'",
    'IMT-PF': "o.kind = 'vehicle' AND o.ro_owner_kind = 'natural'",
    'IMT-PJ': "o.kind = 'vehicle' AND o.ro_owner_kind = 'legal'",
    }


def log(message):
    print(f"    levy_ro: {message}", file=sys.stderr, flush=True)


def company_context(dbname):
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    def get():
        pool = Pool()
        Company = pool.get('company.company')
        User = pool.get('res.user')
        company, = Company.search([('party.name', '=', NAVODARI)])
        with Transaction().set_user(1):
            context = User.get_preferences(context_only=True)
        context['company'] = company.id
        context['companies'] = [company.id]
        return company.id, context
    init_pool(dbname)
    return in_transaction(dbname, 0, get, readonly=True)


# --------------------------------------------------------------------------
# Fixture


def fingerprint():
    "The sources the fixture depends on: rebuilt when they change"
    import trytond
    digest = hashlib.sha256()
    digest.update(trytond.__version__.encode())
    for module in MODULES:
        path = Path(__import__(module).__file__).parent
        for file in sorted(path.rglob('*')):
            if (file.suffix in {'.py', '.xml', '.cfg'}
                    and 'tests' not in file.parts):
                digest.update(str(file.relative_to(path)).encode())
                digest.update(file.read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def ensure_base():
    stamp = f'bench_levy_ro base {fingerprint()}'
    if (db_comment(BASE_DB) == stamp
            and not os.environ.get('BENCH_LEVY_REBUILD')):
        return stamp
    log(f"building {BASE_DB} (modules and Năvodari, ~2 min)")
    start = time.monotonic()
    drop_db(BASE_DB)
    admin_sql(f'CREATE DATABASE "{BASE_DB}" ENCODING \'UTF8\'')
    with tempfile.NamedTemporaryFile('w', suffix='.pw') as password:
        password.write('admin\n')
        password.flush()
        env = dict(os.environ, TRYTONPASSFILE=password.name,
            TRYTOND_DATABASE__URI=uri())
        admin = str(Path(sys.executable).parent / 'trytond-admin')
        for args in [['--all', '--email', 'admin@example.com'],
                ['-u', 'muni_ro_localization', '--activate-dependencies']]:
            subprocess.run([admin, '-d', BASE_DB] + args, env=env,
                check=True, stdout=subprocess.DEVNULL)
    setup_navodari(BASE_DB)
    close_pool(BASE_DB)
    set_db_comment(BASE_DB, stamp)
    log(f"{BASE_DB} built in {time.monotonic() - start:.0f} s")
    return stamp


def setup_navodari(dbname):
    "Năvodari, its revenue types' accounts and the 2026 HCL (proteus)"
    from proteus import config as pconfig

    from muni_ro_localization.demo import (
        create_rate_tables, setup_revenue_accounts)
    from muni_ro_localization.tests.tools import create_navodari

    config = pconfig.set_trytond(database=dbname)
    company = create_navodari(config)
    with config.set_context(company=company.id, companies=[company.id]):
        setup_revenue_accounts(company, config)
        create_rate_tables(company, config)


def ensure_fixture(objects):
    base_stamp = ensure_base()
    name = f'bench_levy_ro_{objects}'
    stamp = f'{base_stamp} data=v{FIXTURE_VERSION} objects={objects}'
    if (db_comment(name) == stamp
            and not os.environ.get('BENCH_LEVY_REBUILD')):
        log(f"reusing {name}")
        return name
    start = time.monotonic()
    copy_db(BASE_DB, name)
    counts = load_objects(name, objects)
    close_pool(name)
    set_db_comment(name, stamp)
    log(f"{name} loaded in {time.monotonic() - start:.0f} s: {counts}")
    return name


def load_objects(dbname, objects):
    """Parties, tax objects, owners and taxpayers with SQL, as the import
    of a Romanian register leaves them: 45 % buildings (1 to 3 owners,
    shares adding up to 1; 3 % of them legal persons' offices with their
    value), 20 % land (9 in 10 in the town, the rest arable land outside
    it), 35 % vehicles (cars by capacity and Euro norm, some electric,
    hybrid or trailers; 5 % bought during the year)"""
    company_id, _ = company_context(dbname)
    buildings = int(round(objects * 0.45))
    land = int(round(objects * 0.20))
    vehicles = objects - buildings - land
    parties = max(int(objects * PARTIES_PER_OBJECT), 10)
    with connect(dbname, autocommit=False) as conn:
        execute = conn.execute
        params = {'company': company_id, 'parties': parties,
            'buildings': buildings, 'land': land, 'vehicles': vehicles,
            'year': YEAR}
        execute("""
            INSERT INTO party_party (id, name, code, code_alnum, code_digit,
                active, create_uid, create_date)
            SELECT nextval('party_party_id_seq'),
                'Contribuabil ' || n, 'NV' || lpad(n::text, 7, '0'),
                'NV' || lpad(n::text, 7, '0'), n,
                true, 1, now() AT TIME ZONE 'UTC'
            FROM generate_series(1, %(parties)s) AS n""", params)
        execute("""
            CREATE TEMP TABLE bench_party AS
            SELECT (row_number() OVER (ORDER BY id)) - 1 AS idx, id
            FROM party_party WHERE code LIKE 'NV%%'""")
        execute("CREATE UNIQUE INDEX ON bench_party (idx)")
        execute("""
            INSERT INTO muni_taxpayer (id, company, party, number,
                create_uid, create_date)
            SELECT nextval('muni_taxpayer_id_seq'), %(company)s, id,
                'N' || lpad((idx + 1)::text, 8, '0'),
                1, now() AT TIME ZONE 'UTC'
            FROM bench_party""", params)
        # buildings: type A with utilities mostly, zones A-D, rank III (the
        # town) or V (Mamaia-Sat); every 33rd an office of a legal person
        execute("""
            INSERT INTO muni_tax_object (id, company, kind, reference,
                description, active, ro_owner_kind, ro_property_kind,
                ro_rank, ro_zone, ro_building_use, ro_building_type,
                ro_building_part, ro_utilities, ro_area,
                ro_construction_year, ro_value, ro_value_year,
                create_uid, create_date)
            SELECT nextval('muni_tax_object_id_seq'), %(company)s,
                'property', 'C' || lpad(n::text, 7, '0'), 'Clădire ' || n,
                true,
                CASE WHEN n %% 33 = 0 THEN 'legal' ELSE 'natural' END,
                'building',
                CASE WHEN n %% 7 = 0 THEN 'V' ELSE 'III' END,
                (ARRAY['A', 'B', 'C', 'D'])[1 + (n * 7) %% 4],
                CASE WHEN n %% 33 = 0 THEN 'non_residential'
                    ELSE 'residential' END,
                CASE WHEN n %% 9 = 0 THEN 'B' ELSE 'A' END,
                'whole', n %% 9 != 0,
                (35 + (n * 7919) %% 180 + ((n * 37) %% 100) / 100.0)
                    ::numeric(16, 2),
                1960 + (n * 13) %% 65,
                CASE WHEN n %% 33 = 0
                    THEN (400000 + (n * 104729) %% 5000000)::numeric(16, 2)
                    END,
                CASE WHEN n %% 33 = 0 THEN 2018 + n %% 8 END,
                1, now() AT TIME ZONE 'UTC'
            FROM generate_series(1, %(buildings)s) AS n""", params)
        execute("""
            INSERT INTO muni_tax_object (id, company, kind, reference,
                description, active, ro_owner_kind, ro_property_kind,
                ro_rank, ro_zone, ro_land_location, ro_land_category,
                ro_land_area, create_uid, create_date)
            SELECT nextval('muni_tax_object_id_seq'), %(company)s,
                'property', 'T' || lpad(n::text, 7, '0'), 'Teren ' || n,
                true,
                CASE WHEN n %% 41 = 0 THEN 'legal' ELSE 'natural' END,
                'land',
                CASE WHEN n %% 10 = 9 THEN NULL
                    WHEN n %% 7 = 0 THEN 'V' ELSE 'III' END,
                CASE WHEN n %% 10 = 9 THEN NULL
                    ELSE (ARRAY['A', 'B', 'C', 'D'])[1 + (n * 3) %% 4] END,
                CASE WHEN n %% 10 = 9 THEN 'extravilan'
                    ELSE 'intravilan' END,
                CASE WHEN n %% 10 = 9 THEN 'arable' ELSE 'buildings' END,
                CASE WHEN n %% 10 = 9 THEN 2000 + (n * 7919) %% 48000
                    ELSE 150 + (n * 7919) %% 650 END,
                1, now() AT TIME ZONE 'UTC'
            FROM generate_series(1, %(land)s) AS n""", params)
        execute("""
            INSERT INTO muni_tax_object (id, company, kind, reference,
                description, active, ro_owner_kind, ro_vehicle_kind,
                ro_engine_cc, ro_euro_norm, ro_propulsion, ro_co2,
                ro_max_mass, create_uid, create_date)
            SELECT nextval('muni_tax_object_id_seq'), %(company)s,
                'vehicle', 'CT ' || lpad(n::text, 7, '0'),
                'Vehicul ' || n, true,
                CASE WHEN n %% 29 = 0 THEN 'legal' ELSE 'natural' END,
                CASE WHEN n %% 50 = 7 THEN 'trailer' ELSE 'car' END,
                CASE WHEN n %% 50 = 7 OR n %% 40 = 3 THEN NULL
                    ELSE (ARRAY[999, 1199, 1390, 1598, 1600, 1798, 1968,
                        1995, 2000, 2001, 2198, 2487, 2993])
                        [1 + (n * 7) %% 13] END,
                (ARRAY['none', '4', '5', '6', '6', '5'])[1 + (n * 11) %% 6],
                CASE WHEN n %% 40 = 3 THEN 'electric'
                    WHEN n %% 25 = 4 THEN 'hybrid' ELSE 'thermal' END,
                CASE WHEN n %% 25 = 4 THEN 40 + n %% 80 END,
                CASE WHEN n %% 50 = 7 THEN 750 + (n * 31) %% 6000 END,
                1, now() AT TIME ZONE 'UTC'
            FROM generate_series(1, %(vehicles)s) AS n""", params)
        execute("""
            CREATE TEMP TABLE bench_object AS
            SELECT (row_number() OVER (PARTITION BY kind ORDER BY id))
                AS n, id, kind, ro_property_kind AS property_kind
            FROM muni_tax_object WHERE company = %(company)s""", params)
        # owners of the buildings: 60 % one (share 1), 30 % two (½ + ½),
        # 10 % three (½ + ¼ + ¼)
        execute("""
            INSERT INTO muni_tax_object_owner (id, object, party, share,
                main_dwelling, create_uid, create_date)
            SELECT nextval('muni_tax_object_owner_id_seq'), o.id, p.id,
                CASE WHEN c.owners = 1 THEN 1
                    WHEN j = 0 THEN 0.5
                    WHEN c.owners = 2 THEN 0.5
                    ELSE 0.25 END,
                false, 1, now() AT TIME ZONE 'UTC'
            FROM bench_object AS o
            CROSS JOIN LATERAL (SELECT CASE
                    WHEN o.property_kind = 'land' THEN 1
                    WHEN o.n %% 10 < 6 THEN 1
                    WHEN o.n %% 10 < 9 THEN 2
                    ELSE 3 END AS owners) AS c
            CROSS JOIN LATERAL generate_series(0, c.owners - 1) AS j
            JOIN bench_party AS p
                ON p.idx = ((o.n * 7919) %% %(parties)s + j)
                    %% %(parties)s
            WHERE o.kind = 'property'""", params)
        # one owner per vehicle, 5 % of them bought during the year
        execute("""
            INSERT INTO muni_tax_object_owner (id, object, party, share,
                start_date, main_dwelling, create_uid, create_date)
            SELECT nextval('muni_tax_object_owner_id_seq'), o.id, p.id, 1,
                CASE WHEN o.n %% 20 = 0
                    THEN make_date(%(year)s::int, (2 + o.n %% 11)::int, 10)
                    END,
                false, 1, now() AT TIME ZONE 'UTC'
            FROM bench_object AS o
            JOIN bench_party AS p
                ON p.idx = (o.n * 104729 + 17) %% %(parties)s
            WHERE o.kind = 'vehicle'""", params)
        counts = dict(zip(['objects', 'owners', 'parties'], execute("""
            SELECT (SELECT count(*) FROM muni_tax_object),
                (SELECT count(*) FROM muni_tax_object_owner),
                (SELECT count(*) FROM bench_party)""").fetchone()))
        conn.commit()
    with connect(dbname) as conn:
        conn.execute("VACUUM ANALYZE")
    return counts


# --------------------------------------------------------------------------
# Baseline: one move per assessment, done plainly, on Năvodari's accounts


def run_baseline(fixture, n=None, slice_=250):
    """The rate of 2-line moves saved and posted by slices (moves per
    second of wall time), as bench_levy.run_baseline_meter measures it"""
    from trytond.transaction import Transaction
    n = n or env_int('BENCH_LEVY_BASELINE_N', 5000)
    dbname = f'{fixture}_baseline'
    copy_db(fixture, dbname)
    try:
        pool = init_pool(dbname)
        company_id, context = company_context(dbname)

        def batch(count, commit):
            Move = pool.get('account.move')
            Line = pool.get('account.move.line')
            Account = pool.get('account.account')
            Party = pool.get('party.party')
            Period = pool.get('account.period')
            Configuration = pool.get('muni.finance.configuration')
            company = pool.get('company.company')(company_id)
            receivable, = Account.search([
                    ('company', '=', company_id), ('code', '=', '464.01')])
            revenue, = Account.search([
                    ('company', '=', company_id), ('code', '=', '734.01')])
            journal = Configuration(1).get_multivalue(
                'assessment_journal', company=company_id)
            period = Period.find(company, date=LEVY_DATE)
            parties = Party.search(
                [('code', 'like', 'NV%')], order=[('id', 'ASC')],
                limit=count)
            meter = Meter()
            with meter.measure():
                moves = []
                for i in range(count):
                    amount = Decimal(10 + i % 90)
                    moves.append(Move(
                            company=company, period=period, journal=journal,
                            date=LEVY_DATE, description=f'Local tax {i}',
                            lines=[
                                Line(account=receivable,
                                    party=parties[i % len(parties)],
                                    maturity_date=dt.date(YEAR, 3, 31),
                                    debit=amount, credit=Decimal(0)),
                                Line(account=revenue,
                                    debit=Decimal(0), credit=amount),
                                ]))
                for i in range(0, count, slice_):
                    Move.save(moves[i:i + slice_])
                    Move.post(moves[i:i + slice_])
                transaction = Transaction()
                if commit:
                    transaction.commit()
                else:
                    transaction.rollback()
            return meter

        in_transaction(dbname, 1, lambda: batch(2, False), context=context)
        meter = in_transaction(
            dbname, 1, lambda: batch(n, True), context=context)
        seconds = meter.wall
        with connect(dbname) as conn:
            posted, numbers, balance = conn.execute("""
                SELECT count(*), count(DISTINCT m.number),
                    (SELECT sum(l.debit - l.credit)
                        FROM account_move_line AS l
                        JOIN account_move AS b ON b.id = l.move
                        WHERE b.description LIKE 'Local tax %%')
                FROM account_move AS m WHERE m.state = 'posted'
                    AND m.description LIKE 'Local tax %%'""").fetchone()
        ok = posted == numbers == n and balance == 0
        log(f"baseline: {n} moves in {seconds:.1f} s = "
            f"{n / seconds:.0f}/s (python -O: {bool(sys.flags.optimize)}, "
            f"verified: {ok})")
        if not ok:
            raise RuntimeError(
                f"baseline not verified: {posted} posted, {numbers} numbers, "
                f"balance {balance}")
        return n / seconds
    finally:
        if not os.environ.get('BENCH_LEVY_KEEP'):
            drop_db(dbname)


# --------------------------------------------------------------------------
# The levy


def create_levy(dbname, batch_size):
    "The muni.levy.run of 2026 for Năvodari's seven taxes, in draft"
    pool = init_pool(dbname)
    company_id, context = company_context(dbname)

    def create():
        Levy = pool.get('muni.levy.run')
        RevenueType = pool.get('muni.revenue.type')
        types = RevenueType.search([
                ('localisation', '=', 'ro'),
                ('code', 'in', list(EXPECTED)),
                ])
        if len(types) != len(EXPECTED):
            raise RuntimeError(f"revenue types missing: {types}")
        levy = Levy(company=company_id, year=YEAR, date=LEVY_DATE,
            revenue_types=types, batch_size=batch_size)
        levy.save()
        return levy.id
    return in_transaction(dbname, 1, create, context=context), context


def verify(dbname, levy_id):
    """bench_levy.verify's checks, with the assessments expected of the
    Romanian revenue types: by the object's kind and its owner's, for the
    owners who owe a month of the year (from the month after acquisition)
    and whole lei"""
    with connect(dbname, autocommit=False) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

        def one(query, params=None):
            return conn.execute(query, params).fetchone()
        p = {'levy': levy_id, 'year': YEAR}
        types = dict(conn.execute("""
            SELECT t.code, t.id FROM muni_revenue_type AS t
            JOIN "muni_levy_run-muni_revenue_type" AS r
                ON r.revenue_type = t.id
            WHERE r.run = %(levy)s""", p).fetchall())
        conn.execute("""
            CREATE TEMP TABLE bench_expected AS """ + ' UNION ALL '.join(f"""
            SELECT o.id AS object, w.party, {types[c]} AS revenue_type
            FROM muni_tax_object AS o
            JOIN muni_tax_object_owner AS w ON w.object = o.id
            WHERE o.active AND {EXPECTED[c]}
                AND (w.start_date IS NULL
                    OR w.start_date < make_date(%(year)s::int, 12, 1))
                AND (w.end_date IS NULL
                    OR w.end_date >= make_date(%(year)s::int, 1, 1))"""
                for c in sorted(types)), p)
        conn.execute("""
            CREATE TEMP TABLE bench_assessed AS
            SELECT id, object, party, revenue_type, amount, state, move
            FROM muni_assessment WHERE levy = %(levy)s""", p)
        expected, = one("SELECT count(*) FROM bench_expected")
        assessments, distinct, fractional = one("""
            SELECT count(*), count(DISTINCT (object, party, revenue_type)),
                count(*) FILTER (WHERE amount != trunc(amount))
            FROM bench_assessed""")
        missing, = one("""SELECT count(*) FROM (
                SELECT object, party, revenue_type FROM bench_expected
                EXCEPT
                SELECT object, party, revenue_type FROM bench_assessed) AS m
            """)
        unexpected, = one("""SELECT count(*) FROM (
                SELECT object, party, revenue_type FROM bench_assessed
                EXCEPT
                SELECT object, party, revenue_type FROM bench_expected) AS u
            """)
        not_posted, = one("""
            SELECT count(*) FROM bench_assessed
            WHERE state != 'posted' OR move IS NULL""")
        moves, moves_not_posted, move_lines = one("""
            SELECT count(*), count(*) FILTER (WHERE m.state != 'posted'),
                (SELECT count(*) FROM account_move_line AS l
                    WHERE l.move IN (SELECT move FROM bench_assessed))
            FROM account_move AS m
            WHERE m.id IN (SELECT move FROM bench_assessed)""")
        draft_moves, = one(
            "SELECT count(*) FROM account_move WHERE state != 'posted'")
        debit, credit, unbalanced = one("""
            SELECT sum(debit), sum(credit), (
                SELECT count(*) FROM (
                    SELECT move FROM account_move_line GROUP BY move
                    HAVING sum(debit) != sum(credit)) AS u)
            FROM account_move_line""")
        conn.execute("""
            CREATE TEMP TABLE bench_receivable AS
            SELECT l.party, l.debit - l.credit AS amount, l.origin,
                l.reconciliation
            FROM account_move_line AS l
            JOIN account_account AS a ON a.id = l.account
            JOIN account_account_type AS t ON t.id = a.type
            WHERE t.receivable""")
        instalment_mismatches, instalments, fractional_instalments = one("""
            SELECT count(*) FILTER (
                    WHERE r.total IS DISTINCT FROM a.amount),
                coalesce(sum(r.lines), 0)::int,
                coalesce(sum(r.fractional), 0)::int
            FROM bench_assessed AS a
            LEFT JOIN (
                SELECT origin, sum(amount) AS total, count(*) AS lines,
                    count(*) FILTER (WHERE amount != trunc(amount))
                        AS fractional
                FROM bench_receivable
                WHERE origin LIKE 'muni.assessment,%%'
                GROUP BY origin) AS r
                ON r.origin = 'muni.assessment,' || a.id""")
        taxpayer_mismatches, taxpayers = one("""
            SELECT count(*) FILTER (WHERE coalesce(a.total, 0)
                    != coalesce(r.total, 0)),
                count(*)
            FROM (SELECT party, sum(amount) AS total FROM muni_assessment
                    WHERE state = 'posted' GROUP BY party) AS a
            FULL OUTER JOIN (
                SELECT party, sum(amount) AS total FROM bench_receivable
                WHERE reconciliation IS NULL GROUP BY party) AS r
                ON r.party = a.party""")
        batches, failed_batches = one("""
            SELECT count(*), count(*) FILTER (WHERE state != 'posted')
            FROM muni_levy_batch WHERE run = %(levy)s""", p)
        state, = one(
            "SELECT state FROM muni_levy_run WHERE id = %(levy)s", p)
        errors, = one("""
            SELECT string_agg(DISTINCT left(error, 200), ' | ')
            FROM muni_levy_batch WHERE run = %(levy)s""", p)
        conn.rollback()
    checks = {
        'expected': expected,
        'duplicates': assessments - distinct,
        'missing': missing,
        'unexpected': unexpected,
        'not_whole_lei': fractional + fractional_instalments,
        'not_posted': not_posted,
        'moves': moves,
        'moves_not_posted': moves_not_posted,
        'draft_moves': draft_moves,
        'debit_minus_credit': str((debit or 0) - (credit or 0)),
        'unbalanced_moves': unbalanced,
        'receivable_lines': instalments,
        'instalment_mismatches': instalment_mismatches,
        'taxpayers': taxpayers,
        'taxpayer_mismatches': taxpayer_mismatches,
        'batches': batches,
        'batches_not_posted': failed_batches,
        'errors': errors,
        'state': state,
        }
    verified = (assessments == expected > 0
        and not (checks['duplicates'] or missing or unexpected
            or checks['not_whole_lei'] or not_posted or moves_not_posted
            or draft_moves or unbalanced or instalment_mismatches
            or taxpayer_mismatches or failed_batches)
        and debit == credit and state == 'done')
    return {
        'assessments': assessments,
        'move_lines': move_lines,
        'verified': verified,
        'checks': checks,
        }


@contextlib.contextmanager
def romanian_levy():
    """bench_levy.run_levy with the levy and the checks of Năvodari: its
    module's functions, for the time of the run"""
    saved = bench_levy.create_levy, bench_levy.verify
    bench_levy.create_levy, bench_levy.verify = create_levy, verify
    try:
        yield bench_levy.run_levy
    finally:
        bench_levy.create_levy, bench_levy.verify = saved


def main(scale):
    configure()
    objects = objects_for(scale)
    processes = env_int('BENCH_LEVY_PROCESSES', os.cpu_count() or 2)
    batch_size = env_int('BENCH_LEVY_BATCH_SIZE', 1000)
    fixture = ensure_fixture(objects)
    baseline = run_baseline(fixture)
    with romanian_levy() as run_levy:
        result = run_levy(fixture, processes, batch_size, label='levy_ro')
    if not result['verified']:
        log(f"not verified: {json.dumps(result['checks'], default=str)}")
    print(json.dumps(levy_line('levy_ro', objects, result, baseline,
                processes)), flush=True)


if __name__ == '__main__':
    args = sys.argv[1:]
    main(float(args[0]) if args else
        float(os.environ.get('BENCH_SCALE', '1')))
