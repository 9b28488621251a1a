# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The annual levy of a Balchik-like municipality on PostgreSQL (issue 9).

main(scale) prints one JSON line:
  {"name": "levy", "objects": …, "assessments": …, "move_lines": …,
   "seconds": …, "assessments_per_second": …, "baseline_moves_per_second": …,
   "ratio": …, "processes": …, "peak_memory_mb": …, "verified": …}
and with BENCH_LEVY_SCALING=1 two "levy_scaling" lines (1 process; twice
the objects).

Databases (all on TRYTOND_DATABASE__URI, kept between runs):
  bench_levy_base       muni_bg_localization activated, Balchik (create_balchik),
                        revenue-type accounts and the 2026 rate tables
  bench_levy_<objects>  the base + 50,000 × scale tax objects with their
                        owners and taxpayers, loaded with SQL: the template
                        every measured run copies (CREATE DATABASE … TEMPLATE)
Each is rebuilt when the sources of the muni modules (or this fixture)
change; BENCH_LEVY_REBUILD=1 forces it.

Measured, each on a fresh copy of the fixture:
  baseline  5,000 two-line account.move (receivable with party and maturity
            date / revenue) saved and posted by slices of 250 in one
            transaction of this process (TRYTON.md §7)
  levy      muni.levy.run for 2026 (DNI, TBO, DPS), `start` pressed with
            [queue] worker = True, `processes` trytond-worker processes
            (PYTHONOPTIMIZE=1) until the run is done; the time runs from the
            click to the state 'done'
then verified with SQL in a transaction of its own.

Environment: BENCH_LEVY_PROCESSES (default: the cores), BENCH_LEVY_BATCH_SIZE
(1000), BENCH_LEVY_BASELINE_N (5000), BENCH_LEVY_SCALING, BENCH_LEVY_TIMEOUT
(s, 3600), BENCH_LEVY_KEEP=1 keeps the copies, BENCH_LEVY_REBUILD=1.

Also: python -O bench/bench_levy.py profile [scale] runs the first batch of a
levy in this process under cProfile and prints the top costs.
"""
import cProfile
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import pstats
import signal
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURE_VERSION = 2  # of the data loaded by load_objects
BASE_OBJECTS = 50000
YEAR = 2026
LEVY_DATE = dt.date(YEAR, 1, 15)
BASE_DB = 'bench_levy_base'
MODULES = ['muni_base', 'muni_finance', 'muni_bg_localization']
PROPERTY_SHARE = 0.7
PARTIES_PER_OBJECT = 0.8

# The 2026 ordinance of the scenario (scenario_levy_balchik.rst)
RATES = {
    'DNI': {'rate': '1.8'},
    'TBO': {'collection': '2.5', 'treatment': '2', 'cleaning': '0.5'},
    'DPS': {
        'kw_55': '0.40', 'kw_74': '0.50', 'kw_110': '0.90',
        'kw_150': '1.00', 'kw_245': '1.40', 'kw_over_245': '2.00',
        'age_5': '2.3', 'age_10': '1.5', 'age_15': '1.3',
        'age_20': '1.0', 'age_over_20': '1.1',
        'eco_none': '1.20', 'eco_3': '1.05', 'eco_4': '0.90',
        'eco_5': '0.70', 'eco_6': '0.50'},
    }
ACCOUNTS = {'DNI': ('4111', '7011'), 'TBO': ('4112', '7111'),
    'DPS': ('4111', '7012')}
KINDS = {'DNI': 'property', 'TBO': 'property', 'DPS': 'vehicle'}
FALLBACK_CALCULATORS = {
    'DNI': 'bg_property', 'TBO': 'bg_waste', 'DPS': 'bg_vehicle'}

# The municipality benchmarked: Balchik here; another localisation's
# benchmark (bench_levy_ro) sets these for the time of its run (site()),
# with SETUP, LOAD and EXPECTED_SQL below
LABEL = 'levy'
SITE = 'Balchik'
# of the fixture's databases and stamps
PREFIX = 'bench_levy'
COMPANY = 'Община Балчик'
ACTIVATE = 'muni_bg_localization'
FINGERPRINT_FILES = ()
PARTY_PREFIX = 'BL'
# the baseline's moves: receivable and revenue accounts, due date, bani
BASELINE_ACCOUNTS = ('4111', '7011')
BASELINE_MATURITY = dt.date(YEAR, 6, 30)
BASELINE_BANI = Decimal('0.25')
REVENUE_TYPES = list(KINDS)
REVENUE_TYPE_DOMAIN = []
# the receivable lines are whole lei (bench_levy_ro)
WHOLE_LEI = False


def log(message):
    print(f"    {LABEL}: {message}", file=sys.stderr, flush=True)


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


# --------------------------------------------------------------------------
# PostgreSQL plumbing


def uri():
    value = os.environ.get('TRYTOND_DATABASE__URI', '')
    if not value.startswith('postgresql'):
        raise RuntimeError(
            "bench_levy needs TRYTOND_DATABASE__URI=postgresql://… "
            "(make bench sets it)")
    return value if value.endswith('/') else value + '/'


def connect(dbname, autocommit=True):
    import psycopg
    return psycopg.connect(uri() + dbname, autocommit=autocommit)


def admin_sql(*statements):
    with connect('postgres') as conn:
        for statement in statements:
            conn.execute(statement)


def db_comment(name):
    with connect('postgres') as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = %s", (name,)).fetchone()
    return row[0] if row else None


def set_db_comment(name, comment):
    from psycopg import sql
    with connect('postgres') as conn:
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(comment)))


def analyze(name):
    """Gather the planner's statistics of a fixture, as autovacuum does on
    a running database some time after a bulk load: a copy made at once
    would have none, and the planner would scan where an index serves"""
    with connect(name) as conn:
        conn.execute('ANALYZE')


def drop_db(name):
    close_pool(name)
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_db(template, name):
    drop_db(name)
    close_pool(template)
    admin_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def close_pool(name):
    "Forget the Pool and close the connections of this process to name"
    from trytond import backend
    from trytond.cache import Cache
    from trytond.pool import Pool
    Pool.stop(name)
    # the next database of the same name is another copy: forget this
    # thread's Pool instance and the caches too
    instance = Pool._local.__dict__.get('instances', {}).pop(name, None)
    if instance is not None:
        Pool._pool_instances.discard(instance)
    Cache.drop(name)
    try:
        backend.Database(name).close()
    except Exception:
        pass


# --------------------------------------------------------------------------
# trytond in this process


def configure():
    from trytond import config
    config.set('database', 'uri', uri())
    # No LISTEN thread in this process: it would keep a connection to the
    # template databases, which CREATE DATABASE … TEMPLATE refuses.
    config.set('cache', 'clean_timeout', '300')
    config.set('queue', 'worker', 'False')


def init_pool(dbname):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    # Pool(name) registers the name: look before
    if dbname not in Pool.database_list():
        pool = Pool(dbname)
        with Transaction().start(dbname, 0, readonly=True):
            pool.init()
    return Pool(dbname)


def in_transaction(dbname, user, func, context=None, readonly=False):
    """Run func() in a committed transaction, restarted with the locks a
    TransactionError asks for (as trytond's own with_transaction does)"""
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    while True:
        with Transaction().start(dbname, user, context=context or {},
                readonly=readonly, **extras) as transaction:
            try:
                result = func()
            except TransactionError as exception:
                transaction.rollback()
                transaction.tasks.clear()
                exception.fix(extras)
                continue
            if not readonly:
                transaction.commit()
            return result


def company_context(dbname):
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    def get():
        pool = Pool()
        Company = pool.get('company.company')
        User = pool.get('res.user')
        company, = Company.search([('party.name', '=', COMPANY)])
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
    for file in FINGERPRINT_FILES:
        digest.update(Path(file).read_bytes())
    return digest.hexdigest()[:16]


def ensure_base(print_=log):
    stamp = f'{PREFIX} base {fingerprint()}'
    current = db_comment(BASE_DB)
    if os.environ.get('BENCH_LEVY_REUSE') and current:
        # prototypes of the engine in a scratch copy: same schema
        return current
    if current == stamp and not os.environ.get('BENCH_LEVY_REBUILD'):
        return stamp
    print_(f"building {BASE_DB} (modules and {SITE}, ~2 min)")
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
                ['-u', ACTIVATE, '--activate-dependencies']]:
            subprocess.run([admin, '-d', BASE_DB] + args, env=env,
                check=True, stdout=subprocess.DEVNULL)
    SETUP(BASE_DB)
    close_pool(BASE_DB)
    set_db_comment(BASE_DB, stamp)
    print_(f"{BASE_DB} built in {time.monotonic() - start:.0f} s")
    return stamp


def setup_balchik(dbname):
    "Balchik, its revenue types' accounts and the 2026 ordinance (proteus)"
    from proteus import Model
    from proteus import config as pconfig

    from muni_bg_localization.tests.tools import create_balchik

    config = pconfig.set_trytond(database=dbname)
    create_balchik(config)
    RevenueType = Model.get('muni.revenue.type')
    Account = Model.get('account.account')
    RateTable = Model.get('muni.rate.table')

    def account(code):
        account, = Account.find([('code', '=', code)])
        return account
    for code, (receivable, revenue) in ACCOUNTS.items():
        types = RevenueType.find([('code', '=', code)])
        if types:
            revenue_type, = types
        else:
            # before the module's reference data has them
            revenue_type = RevenueType(
                code=code, name=code, localisation='bg',
                kind='fee' if code == 'TBO' else 'tax',
                calculator=FALLBACK_CALCULATORS[code],
                object_kinds=[KINDS[code]])
        revenue_type.receivable_account = account(receivable)
        revenue_type.revenue_account = account(revenue)
        revenue_type.save()
        table = RateTable(revenue_type=revenue_type, year=YEAR)
        table.legal_basis = "Наредба на ОбС Балчик (benchmark)"
        for key, value in RATES[code].items():
            table.lines.new(key=key, value=Decimal(value))
        table.instalments.new(
            due_date=dt.date(YEAR, 6, 30), fraction=Decimal('0.5'))
        table.instalments.new(
            due_date=dt.date(YEAR, 10, 31), fraction=Decimal('0.5'))
        table.discount_rate = Decimal('0.05')
        table.discount_date = dt.date(YEAR, 4, 30)
        table.save()


def ensure_fixture(objects, print_=log):
    base_stamp = ensure_base(print_)
    name = f'{PREFIX}_{objects}'
    stamp = f'{base_stamp} data=v{FIXTURE_VERSION} objects={objects}'
    if (db_comment(name) == stamp
            and not os.environ.get('BENCH_LEVY_REBUILD')):
        print_(f"reusing {name}")
        return name
    start = time.monotonic()
    copy_db(BASE_DB, name)
    counts = LOAD(name, objects)
    close_pool(name)
    set_db_comment(name, stamp)
    print_(f"{name} loaded in {time.monotonic() - start:.0f} s: {counts}")
    return name


def load_objects(dbname, objects):
    """Parties, tax objects, owners and taxpayers with SQL, as the import
    of the legacy system leaves them: 70 % properties with 1 to 3 owners
    (1.5 on average, shares adding up to 1, 40 % main dwellings), 30 % cars
    (kW, year, Euro class varied, 5 % bought during the year)"""
    company_id, _ = company_context(dbname)
    properties = int(round(objects * PROPERTY_SHARE))
    vehicles = objects - properties
    parties = max(int(objects * PARTIES_PER_OBJECT), 10)
    with connect(dbname, autocommit=False) as conn:
        execute = conn.execute
        params = {'company': company_id, 'parties': parties,
            'properties': properties, 'vehicles': vehicles}
        execute("""
            INSERT INTO party_party (id, name, code, code_alnum, code_digit,
                active, create_uid, create_date)
            SELECT nextval('party_party_id_seq'),
                'Данъкоплатец ' || n, 'BL' || lpad(n::text, 7, '0'),
                'BL' || lpad(n::text, 7, '0'), n,
                true, 1, now() AT TIME ZONE 'UTC'
            FROM generate_series(1, %(parties)s) AS n""", params)
        execute("""
            CREATE TEMP TABLE bench_party AS
            SELECT (row_number() OVER (ORDER BY id)) - 1 AS idx, id
            FROM party_party WHERE code LIKE 'BL%%'""")
        execute("CREATE UNIQUE INDEX ON bench_party (idx)")
        # a taxpayer number for every party, as the import registers them
        execute("""
            INSERT INTO muni_taxpayer (id, company, party, number,
                create_uid, create_date)
            SELECT nextval('muni_taxpayer_id_seq'), %(company)s, id,
                'K' || lpad((idx + 1)::text, 8, '0'),
                1, now() AT TIME ZONE 'UTC'
            FROM bench_party""", params)
        execute("""
            INSERT INTO muni_tax_object (id, company, kind, reference,
                description, active, bg_assessment_value,
                create_uid, create_date)
            SELECT nextval('muni_tax_object_id_seq'), %(company)s,
                'property', '02508.' || lpad(n::text, 6, '0') || '.1',
                'Имот ' || n, true,
                (5000 + (n * 7919) %% 195000
                    + ((n * 37) %% 100) / 100.0)::numeric(16, 2),
                1, now() AT TIME ZONE 'UTC'
            FROM generate_series(1, %(properties)s) AS n""", params)
        execute("""
            INSERT INTO muni_tax_object (id, company, kind, reference,
                description, active, bg_vehicle_category, bg_power_kw,
                bg_manufacture_year, bg_euro_class, bg_catalyst,
                create_uid, create_date)
            SELECT nextval('muni_tax_object_id_seq'), %(company)s,
                'vehicle', 'ТХ ' || lpad(n::text, 6, '0'),
                'Лек автомобил ' || n, true, 'car',
                (40 + (n * 37) %% 220)::numeric(6, 2),
                1998 + (n * 13) %% 28,
                (ARRAY['none', '1', '2', '3', '4', '5', '6', '6', '5',
                    '4'])[1 + (n * 7) %% 10],
                false, 1, now() AT TIME ZONE 'UTC'
            FROM generate_series(1, %(vehicles)s) AS n""", params)
        execute("""
            CREATE TEMP TABLE bench_object AS
            SELECT (row_number() OVER (PARTITION BY kind ORDER BY id))
                AS n, id, kind
            FROM muni_tax_object WHERE company = %(company)s""", params)
        # owners of the properties: 60 % one (share 1), 30 % two (½ + ½),
        # 10 % three (½ + ¼ + ¼); the first owner declared 40 % of them
        # as main dwelling
        execute("""
            INSERT INTO muni_tax_object_owner (id, object, party, share,
                main_dwelling, create_uid, create_date)
            SELECT nextval('muni_tax_object_owner_id_seq'), o.id, p.id,
                CASE WHEN c.owners = 1 THEN 1
                    WHEN j = 0 THEN 0.5
                    WHEN c.owners = 2 THEN 0.5
                    ELSE 0.25 END,
                j = 0 AND o.n %% 5 < 2,
                1, now() AT TIME ZONE 'UTC'
            FROM bench_object AS o
            CROSS JOIN LATERAL (SELECT CASE
                    WHEN o.n %% 10 < 6 THEN 1
                    WHEN o.n %% 10 < 9 THEN 2
                    ELSE 3 END AS owners) AS c
            CROSS JOIN LATERAL generate_series(0, c.owners - 1) AS j
            JOIN bench_party AS p
                ON p.idx = ((o.n * 7919) %% %(parties)s + j)
                    %% %(parties)s
            WHERE o.kind = 'property'""", params)
        # one owner per car, 5 % of them bought during the year
        execute("""
            INSERT INTO muni_tax_object_owner (id, object, party, share,
                start_date, main_dwelling, create_uid, create_date)
            SELECT nextval('muni_tax_object_owner_id_seq'), o.id, p.id, 1,
                CASE WHEN o.n %% 20 = 0
                    THEN make_date(%(year)s::int, (2 + o.n %% 11)::int, 10) END,
                false, 1, now() AT TIME ZONE 'UTC'
            FROM bench_object AS o
            JOIN bench_party AS p
                ON p.idx = (o.n * 104729 + 17) %% %(parties)s
            WHERE o.kind = 'vehicle'""", dict(params, year=YEAR))
        counts = dict(zip(['objects', 'owners', 'parties'], execute("""
            SELECT (SELECT count(*) FROM muni_tax_object),
                (SELECT count(*) FROM muni_tax_object_owner),
                (SELECT count(*) FROM bench_party)""").fetchone()))
        conn.commit()
    with connect(dbname) as conn:
        conn.execute("VACUUM ANALYZE")
    return counts


# --------------------------------------------------------------------------
# Baseline: one move per assessment, done plainly (TRYTON.md §7)


class Meter:
    """The wall and CPU seconds of work done in trytond transactions of this
    process. The CPU seconds are this process's and those of the
    transaction's PostgreSQL backend (read in /proc: when the server runs
    elsewhere they are unknown, and cpu is None). Other processes' load on
    a shared machine lengthens the wall time of a run; it changes its CPU
    seconds much less, so a ratio of CPU rates compares two runs made at
    different loads"""

    def __init__(self):
        self.wall = 0.0
        self._cpu = 0.0
        self._backend_known = True

    @property
    def cpu(self):
        return self._cpu if self._backend_known else None

    @staticmethod
    def backend_seconds(pid):
        try:
            with open(f'/proc/{pid}/stat') as file:
                # the fields after the command, which may hold spaces
                values = file.read().rsplit(')', 1)[1].split()
        except OSError:
            return None
        # utime and stime, fields 14 and 15 of proc(5)
        return (int(values[11]) + int(values[12])) / os.sysconf(
            'SC_CLK_TCK')

    @contextlib.contextmanager
    def measure(self):
        "Measure the block, run in a transaction on PostgreSQL"
        from trytond.transaction import Transaction
        cursor = Transaction().connection.cursor()
        cursor.execute('SELECT pg_backend_pid()')
        pid, = cursor.fetchone()
        backend = self.backend_seconds(pid)
        own = time.process_time()
        wall = time.perf_counter()
        yield self
        self.wall += time.perf_counter() - wall
        self._cpu += time.process_time() - own
        after = self.backend_seconds(pid)
        if backend is None or after is None:
            self._backend_known = False
        else:
            self._cpu += after - backend


def run_baseline(fixture, n=None, slice_=250):
    """The rate of 2-line moves saved and posted by slices (moves per
    second of wall time)"""
    return run_baseline_meter(fixture, n=n, slice_=slice_)[0]


def run_baseline_meter(fixture, n=None, slice_=250):
    """The baseline's rates of moves per second of wall time and of CPU time
    (None if unknown, see Meter)"""
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
            receivable, revenue = (Account.search([
                        ('company', '=', company_id), ('code', '=', code)])[0]
                for code in BASELINE_ACCOUNTS)
            journal = Configuration(1).get_multivalue(
                'assessment_journal', company=company_id)
            period = Period.find(company, date=LEVY_DATE)
            parties = Party.search(
                [('code', 'like', f'{PARTY_PREFIX}%')], order=[('id', 'ASC')],
                limit=count)
            meter = Meter()
            with meter.measure():
                moves = []
                for i in range(count):
                    amount = Decimal(10 + i % 90) + BASELINE_BANI
                    moves.append(Move(
                            company=company, period=period, journal=journal,
                            date=LEVY_DATE, description=f'Local tax {i}',
                            lines=[
                                Line(account=receivable,
                                    party=parties[i % len(parties)],
                                    maturity_date=BASELINE_MATURITY,
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

        # warm-up with 2 moves, rolled back: learns the locks and fills the
        # caches like a running server
        in_transaction(dbname, 1, lambda: batch(2, False), context=context)
        meter = in_transaction(
            dbname, 1, lambda: batch(n, True), context=context)
        seconds = meter.wall
        with connect(dbname) as conn:
            # the moves of the baseline: the fixture may hold others
            posted, numbers, balance = conn.execute("""
                SELECT count(*), count(DISTINCT m.number),
                    (SELECT sum(l.debit - l.credit)
                        FROM account_move_line AS l
                        JOIN account_move AS b ON b.id = l.move
                        WHERE b.description LIKE 'Local tax %%')
                FROM account_move AS m WHERE m.state = 'posted'
                    AND m.description LIKE 'Local tax %%'""").fetchone()
        ok = posted == numbers == n and balance == 0
        cpu = f"{meter.cpu:.1f}" if meter.cpu is not None else "?"
        log(f"baseline: {n} moves in {seconds:.1f} s = "
            f"{n / seconds:.0f}/s, CPU {cpu} s (python -O: "
            f"{bool(sys.flags.optimize)}, verified: {ok})")
        if not ok:
            raise RuntimeError(
                f"baseline not verified: {posted} posted, {numbers} numbers, "
                f"balance {balance}")
        return n / seconds, (n / meter.cpu if meter.cpu else None)
    finally:
        if not os.environ.get('BENCH_LEVY_KEEP'):
            drop_db(dbname)


# --------------------------------------------------------------------------
# The levy


def create_levy(dbname, batch_size):
    "The muni.levy.run of 2026 for DNI, TBO and DPS (REVENUE_TYPES), in draft"
    pool = init_pool(dbname)
    company_id, context = company_context(dbname)

    def create():
        Levy = pool.get('muni.levy.run')
        RevenueType = pool.get('muni.revenue.type')
        types = RevenueType.search(
            [('code', 'in', REVENUE_TYPES)] + REVENUE_TYPE_DOMAIN)
        if len(types) != len(REVENUE_TYPES):
            raise RuntimeError(f"revenue types missing: {types}")
        levy = Levy(company=company_id, year=YEAR, date=LEVY_DATE,
            revenue_types=types, batch_size=batch_size)
        levy.save()
        return levy.id
    return in_transaction(dbname, 1, create, context=context), context


def click_start(dbname, levy_id, context):
    "Press start as sao does, with the tasks going to ir_queue"
    from trytond import config
    from trytond.pool import Pool
    pool = Pool(dbname)

    def start():
        Levy = pool.get('muni.levy.run')
        Levy.start([Levy(levy_id)])
    config.set('queue', 'worker', 'True')
    try:
        in_transaction(dbname, 1, start, context=context)
    finally:
        config.set('queue', 'worker', 'False')


def start_workers(dbname, processes, logfile):
    env = dict(os.environ,
        PYTHONOPTIMIZE='1',
        TRYTOND_DATABASE__URI=uri(),
        TRYTOND_QUEUE__WORKER='True',
        TRYTOND_CACHE__CLEAN_TIMEOUT='0')
    worker = str(Path(sys.executable).parent / 'trytond-worker')
    return subprocess.Popen(
        [worker, '-d', dbname, '-n', str(processes), '-vv'],
        env=env, stdout=logfile, stderr=subprocess.STDOUT,
        start_new_session=True)


def process_tree(pid):
    "pid and its descendants"
    result, todo = [], [pid]
    while todo:
        current = todo.pop()
        result.append(current)
        try:
            for task in os.listdir(f'/proc/{current}/task'):
                with open(f'/proc/{current}/task/{task}/children') as fp:
                    todo.extend(int(c) for c in fp.read().split())
        except OSError:
            pass
    return result


def high_water_marks(pid, marks):
    "Update marks {pid: VmHWM in kB} for the tree of pid"
    for child in process_tree(pid):
        try:
            with open(f'/proc/{child}/status') as fp:
                for line in fp:
                    if line.startswith('VmHWM:'):
                        kb = int(line.split()[1])
                        marks[child] = max(marks.get(child, 0), kb)
        except OSError:
            pass
    return marks


def stop_workers(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_ready(conn, dbname, proc, timeout=60):
    "Until the worker listens to its queue"
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError("trytond-worker exited at start")
        listening, = conn.execute("""
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = %s AND query ILIKE 'LISTEN "ir.queue"%%'""",
            (dbname,)).fetchone()
        if listening:
            return
        time.sleep(0.2)
    raise RuntimeError("trytond-worker did not start")


def run_levy(fixture, processes, batch_size, label='levy', keep=False):
    """Levy on a fresh copy of fixture (<fixture>_run, kept when keep);
    return the measures and the verification"""
    dbname = f'{fixture}_run'
    copy_db(fixture, dbname)
    timeout = env_int('BENCH_LEVY_TIMEOUT', 3600)
    logpath = Path(tempfile.gettempdir()) / f'{dbname}_worker.log'
    proc = None
    try:
        levy_id, context = create_levy(dbname, batch_size)
        logfile = open(logpath, 'w')
        proc = start_workers(dbname, processes, logfile)
        marks = {}
        with connect(dbname) as conn:
            wait_ready(conn, dbname, proc)
            # the pool of the worker and of its children loads at start
            time.sleep(3)
            log(f"{label}: {processes} worker process(es) ready, "
                f"batch size {batch_size}, start")
            start = time.monotonic()
            click_start(dbname, levy_id, context)
            clicked = time.monotonic() - start
            last_log = time.monotonic()
            idle_since = all_posted = None
            while True:
                state, = conn.execute(
                    "SELECT state FROM muni_levy_run WHERE id = %s",
                    (levy_id,)).fetchone()
                high_water_marks(proc.pid, marks)
                if state == 'done':
                    seconds = time.monotonic() - start
                    break
                if proc.poll() is not None:
                    raise RuntimeError(f"trytond-worker died, see {logpath}")
                if time.monotonic() - start > timeout:
                    raise RuntimeError(f"levy not done after {timeout} s")
                pending, total, queued = conn.execute("""
                    SELECT count(*) FILTER (
                            WHERE state NOT IN ('posted', 'failed')),
                        count(*),
                        (SELECT count(*) FROM ir_queue
                            WHERE finished_at IS NULL)
                    FROM muni_levy_batch WHERE run = %s""",
                    (levy_id,)).fetchone()
                if not pending and not all_posted:
                    all_posted = time.monotonic() - start
                if not pending and not queued:
                    # failed batches or a lost check_done: nothing runs
                    idle_since = idle_since or time.monotonic()
                    if time.monotonic() - idle_since > 20:
                        # the time of the work, not verified
                        seconds = all_posted
                        log(f"{label}: run stays {state!r} with nothing "
                            f"left to do; every batch ended after "
                            f"{all_posted:.1f} s")
                        break
                if time.monotonic() - last_log > 15:
                    last_log = time.monotonic()
                    log(f"{label}: {total - pending}/{total} batches after "
                        f"{last_log - start:.0f} s")
                time.sleep(0.25)
            high_water_marks(proc.pid, marks)
        stop_workers(proc)
        proc = None
        logfile.close()
        peak_mb = max(marks.values()) / 1024 if marks else None
        tasks = task_durations(logpath)
        log(f"{label}: click took {clicked:.1f} s; "
            f"seconds {seconds and round(seconds, 1)}; "
            f"VmHWM MB per process "
            f"{sorted(round(v / 1024) for v in marks.values())}; {tasks}")
        verification = verify(dbname, levy_id)
        log(f"{label}: verification "
            f"{json.dumps(verification, default=str)}; "
            f"load average {os.getloadavg()[0]:.1f}")
        return {
            'seconds': seconds,
            'peak_memory_mb': peak_mb,
            **verification,
            }
    finally:
        if proc is not None:
            stop_workers(proc)
        if not keep and not os.environ.get('BENCH_LEVY_KEEP'):
            drop_db(dbname)


def task_durations(logpath):
    "Count and mean of the task durations the workers logged"
    import re
    durations = []
    with open(logpath) as fp:
        for line in fp:
            match = re.search(r'<Task \d+@\S+> in (\d+) ms', line)
            if match:
                durations.append(int(match.group(1)))
    if not durations:
        return 'no task logged'
    mean = sum(durations) / len(durations) / 1000
    return (f"{len(durations)} tasks, mean {mean:.1f} s, "
        f"max {max(durations) / 1000:.1f} s")


def expected_balchik(types):
    """The (object, party, revenue type) that Balchik's levy assesses:
    each owner of the year, by the revenue type of the object's kind"""
    return """
            SELECT o.id AS object, w.party, k.revenue_type
            FROM muni_tax_object AS o
            JOIN muni_tax_object_owner AS w ON w.object = o.id
            JOIN (VALUES """ + ', '.join(
                f"({types[c]}, '{KINDS[c]}')" for c in types) + """)
                AS k (revenue_type, kind) ON k.kind = o.kind
            WHERE o.active
                AND (w.start_date IS NULL
                    OR w.start_date <= make_date(%(year)s::int, 12, 31))
                AND (w.end_date IS NULL
                    OR w.end_date >= make_date(%(year)s::int, 1, 1))"""


def verify(dbname, levy_id):
    """Independent checks with SQL in a transaction of its own: every
    object × owner × revenue type assessed once, all posted, every move
    posted and balanced, each assessment's receivable lines its amount,
    and the receivable of each taxpayer the sum of his open instalments"""
    with connect(dbname, autocommit=False) as conn:
        conn.execute(
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

        def one(query, params=None):
            return conn.execute(query, params).fetchone()
        p = {'levy': levy_id, 'year': YEAR}
        types = dict(conn.execute("""
            SELECT t.code, t.id FROM muni_revenue_type AS t
            JOIN "muni_levy_run-muni_revenue_type" AS r
                ON r.revenue_type = t.id
            WHERE r.run = %(levy)s""", p).fetchall())
        conn.execute(
            "CREATE TEMP TABLE bench_expected AS " + EXPECTED_SQL(types), p)
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
        # each assessment's receivable lines (its instalments) add up to it
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
        # receivable per taxpayer = his open instalments = his assessments
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
        'state': state,
        }
    if errors:
        checks['errors'] = errors
    if WHOLE_LEI:
        checks['not_whole_lei'] = fractional + fractional_instalments
    verified = (assessments == expected > 0
        and not (checks['duplicates'] or missing or unexpected
            or checks.get('not_whole_lei')
            or not_posted or moves_not_posted or draft_moves
            or unbalanced or instalment_mismatches or taxpayer_mismatches
            or failed_batches)
        and debit == credit and state == 'done')
    return {
        'assessments': assessments,
        'move_lines': move_lines,
        'verified': verified,
        'checks': checks,
        }


SETUP = setup_balchik
LOAD = load_objects
EXPECTED_SQL = expected_balchik


@contextlib.contextmanager
def site(**values):
    """This module's parameters (LABEL, SITE, BASE_DB, SETUP, LOAD, …) set
    to values for the time of a run: another municipality's benchmark
    runs these functions with its own"""
    module = sys.modules[__name__]
    saved = {name: getattr(module, name) for name in values}
    for name, value in values.items():
        if name not in saved:
            raise AttributeError(name)
        setattr(module, name, value)
    try:
        yield module
    finally:
        for name, value in saved.items():
            setattr(module, name, value)


# --------------------------------------------------------------------------


def objects_for(scale):
    return max(int(round(BASE_OBJECTS * scale)), 20)


def levy_line(name, objects, result, baseline, processes):
    seconds = result['seconds']
    rate = result['assessments'] / seconds if seconds else None
    return {
        'name': name,
        'objects': objects,
        'assessments': result['assessments'],
        'move_lines': result['move_lines'],
        'seconds': round(seconds, 1) if seconds else None,
        'assessments_per_second': round(rate, 1) if rate else None,
        'baseline_moves_per_second': round(baseline, 1),
        'ratio': round(rate / baseline, 2) if rate else None,
        'processes': processes,
        'peak_memory_mb': (round(result['peak_memory_mb'])
            if result['peak_memory_mb'] else None),
        'verified': result['verified'],
        }


def main(scale):
    configure()
    objects = objects_for(scale)
    processes = env_int('BENCH_LEVY_PROCESSES', os.cpu_count() or 2)
    batch_size = env_int('BENCH_LEVY_BATCH_SIZE', 1000)
    fixture = ensure_fixture(objects)
    baseline = run_baseline(fixture)
    result = run_levy(fixture, processes, batch_size)
    print(json.dumps(levy_line('levy', objects, result, baseline,
                processes)), flush=True)
    if os.environ.get('BENCH_LEVY_SCALING'):
        runs = [(objects, 1, fixture)] if processes != 1 else []
        runs.append((2 * objects, processes, None))
        for count, procs, name in runs:
            name = name or ensure_fixture(count)
            other = run_levy(name, procs, batch_size, label='levy_scaling')
            line = levy_line(
                'levy_scaling', count, other, baseline, procs)
            if other['seconds'] and result['seconds']:
                line['seconds_vs_levy'] = round(
                    other['seconds'] / result['seconds'], 2)
            print(json.dumps(line), flush=True)


def profile(scale, batches=1):
    """Run the first batch(es) of a levy in this process under cProfile
    (as a worker would: LevyBatch.process in a transaction of user admin)
    and print the top costs on stderr"""
    from trytond.pool import Pool
    configure()
    objects = objects_for(scale)
    batch_size = env_int('BENCH_LEVY_BATCH_SIZE', 1000)
    fixture = ensure_fixture(objects)
    dbname = f'{fixture}_profile'
    copy_db(fixture, dbname)
    try:
        levy_id, context = create_levy(dbname, batch_size)
        click_start(dbname, levy_id, context)
        pool = Pool(dbname)
        Batch = pool.get('muni.levy.batch')
        ids = in_transaction(dbname, 1, lambda: [b.id for b in Batch.search(
                        [('run', '=', levy_id)],
                        order=[('start_id', 'ASC')])], context=context,
            readonly=True)

        def run(batch_id):
            Batch.process([Batch(batch_id)])
        # the first batch warms the caches (and learns the locks)
        start = time.perf_counter()
        in_transaction(dbname, 1, lambda: run(ids[0]), context=context)
        log(f"profile: warm-up batch {time.perf_counter() - start:.1f} s")
        profiler = cProfile.Profile()
        start = time.perf_counter()
        for batch_id in ids[1:1 + batches]:
            profiler.enable()
            in_transaction(dbname, 1, lambda: run(batch_id),
                context=context)
            profiler.disable()
        seconds = time.perf_counter() - start
        with connect(dbname) as conn:
            assessments, lines = conn.execute("""
                SELECT sum(assessments),
                    (SELECT count(*) FROM account_move_line)
                FROM muni_levy_batch WHERE id = ANY(%s)""",
                (ids[1:1 + batches],)).fetchone()
        log(f"profile: {batches} batch(es), {assessments} assessments, "
            f"{seconds:.1f} s under cProfile "
            f"(python -O: {bool(sys.flags.optimize)})")
        path = Path(tempfile.gettempdir()) / 'bench_levy.prof'
        profiler.dump_stats(str(path))
        for order in ['cumulative', 'tottime']:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(
                45)
            print(out.getvalue(), file=sys.stderr)
        log(f"profile written to {path}")
    finally:
        if not os.environ.get('BENCH_LEVY_KEEP'):
            drop_db(dbname)


if __name__ == '__main__':
    args = sys.argv[1:]
    if args and args[0] == 'profile':
        profile(float(args[1]) if len(args) > 1 else 0.02,
            int(args[2]) if len(args) > 2 else 1)
    else:
        main(float(args[0]) if args else
            float(os.environ.get('BENCH_SCALE', '1')))
