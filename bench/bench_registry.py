# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Registry benchmarks (issue 11), on PostgreSQL.

registry_register: registrations through the register button of
muni.document (number, audit entry, deadline), each in its own transaction
as an RPC call does, half of them from a second process at the same time;
then every number of the run is checked for gaps and duplicates.

registry_search: the searches of a registrar and of an employee through
the ORM's search (access rules on), median of 20 each, on a registry of
1,000,000 documents loaded by SQL once and reused between runs.

Database: bench_registry (BENCH_REGISTRY_DB), created and upgraded with
trytond-admin.
"""
import datetime as dt
import json
import multiprocessing
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DB = os.environ.get('BENCH_REGISTRY_DB', 'bench_registry')
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMPANY = "Bench Municipality"
FIXTURE_INDEX = 'B-00'
OPEN_STATES = ['assigned', 'in_progress']
TOPICS = [
    "Заявление за скица", "Жалба за шум", "Искане за ремонт",
    "Удостоверение за наследници", "Данъчна оценка", "Сигнал за боклук",
    "Разрешение за строеж", "Заявление за достъп до информация",
    "Искане за възстановяване на данък", "Молба за помощ",
    "Предложение за детска площадка", "Уличното осветление",
    "Паркиране в централната част", "Категоризация на обект",
    "Преместваем обект", "Издаване на виза", "Удостоверение за адрес",
    "Регистрация на куче", "Сечене на дърво", "Разкопаване на тротоар",
    ]
STREETS = [
    "Черно море", "Приморска", "Дунав", "Христо Ботев", "Васил Левски",
    "Генерал Гурко", "Стефан Караджа", "Хаджи Димитър", "Иван Вазов",
    "Александър Стамболийски", "Добруджа", "Русалка", "Тузлата",
    "Двореца", "Ботаническа градина", "Самуил", "Цар Симеон", "Отец Паисий",
    "Раковски", "Стара планина", "Балкан", "Вит", "Искър", "Марица",
    "Струма", "Янтра", "Осъм", "Тунджа", "Арда", "Места", "Огоста",
    "Лом", "Тимок", "Камчия", "Ропотамо", "Велека", "Резовска", "Батова",
    "Орлова", "Кранево", "Албена", "Оброчище", "Соколово", "Гурково",
    "Дропла", "Змеево", "Кремена", "Ляхово", "Пряспа", "Рогачево",
    ]


def _uri(database):
    return os.environ['TRYTOND_DATABASE__URI'].rstrip('/') + '/' + database


def _admin(*args, env=None):
    subprocess.run(
        [str(BIN / 'trytond-admin'), '-d', DB, *args], check=True,
        env=env or os.environ, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE)


def ensure_database():
    "Create the database the first time, bring its schema up to date"
    import psycopg
    with psycopg.connect(_uri('postgres'), autocommit=True) as conn:
        exists = conn.execute(
            'SELECT 1 FROM pg_database WHERE datname = %s', (DB,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB}"')
    if not exists:
        with psycopg.connect(_uri(DB), autocommit=True) as conn:
            try:
                # trigram indexes for the words of the subject
                conn.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
            except psycopg.Error as exception:
                print(f"no pg_trgm: {exception}", file=sys.stderr)
        with tempfile.NamedTemporaryFile('w') as password:
            password.write(secrets.token_hex(16))
            password.flush()
            env = dict(os.environ, TRYTONPASSFILE=password.name)
            _admin('--all', '--email', 'admin@example.org', env=env)
        _admin('-u', 'muni_docs', '--activate-dependencies')
    else:
        _admin('-u', 'muni_docs')


def in_transaction(func, *args, user=0, context=None, readonly=False):
    """Run func in its own committed transaction, retried like trytond's
    dispatcher: restarted with the locks asked by a TransactionError,
    again when a lock is held by another transaction"""
    from trytond import backend
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    for _ in range(1000):
        try:
            with Transaction().start(
                    DB, user, context=context, readonly=readonly,
                    **extras) as transaction:
                try:
                    result = func(*args)
                except TransactionError as e:
                    transaction.rollback()
                    e.fix(extras)
                    continue
                transaction.commit()
                return result
        except backend.DatabaseOperationalError:
            time.sleep(random.random() / 500)
    raise RuntimeError("too many retries")


def init_pool():
    from trytond.pool import Pool
    Pool(DB).init()


def user_context(user_id):
    def context():
        from trytond.pool import Pool
        User = Pool().get('res.user')
        return User.get_preferences(context_only=True)
    return dict(in_transaction(context, user=user_id), _check_access=True)


def setup():
    "The municipality, its users and employees, the fixture register"
    from trytond.pool import Pool
    pool = Pool()
    Company = pool.get('company.company')
    Country = pool.get('country.country')
    Currency = pool.get('currency.currency')
    Employee = pool.get('company.employee')
    ModelData = pool.get('ir.model.data')
    Party = pool.get('party.party')
    Register = pool.get('muni.document.register')
    Term = pool.get('muni.document.term')
    User = pool.get('res.user')

    companies = Company.search([('party.name', '=', COMPANY)])
    if not companies:
        country, = (Country.search([('code', '=', 'BG')])
            or Country.create([{'name': "Bulgaria", 'code': 'BG'}]))
        currency, = (Currency.search([('code', '=', 'EUR')])
            or Currency.create([{
                        'name': "Euro", 'code': 'EUR', 'symbol': '€'}]))
        party, = Party.create([{'name': COMPANY}])
        company, = Company.create([{
                    'party': party.id, 'currency': currency.id,
                    'country': country.id}])
        employees = Employee.create([{
                    'party': Party.create([{'name': f"Служител {i}"}])[0].id,
                    'company': company.id} for i in range(21)])
        group = lambda name: ModelData.get_id('muni_docs', name)  # noqa
        User.create([{
                    'name': "Bench registrar", 'login': 'bench_registrar',
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'groups': [('add', [
                                group('group_registrar'),
                                group('group_mayor')])],
                    }, {
                    'name': "Bench employee", 'login': 'bench_employee',
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'employees': [('add', [employees[0].id])],
                    'employee': employees[0].id,
                    'groups': [('add', [group('group_employee')])],
                    }])
        Register.create([{
                    'company': company.id, 'index': FIXTURE_INDEX,
                    'name': "Fixture register", 'direction': 'incoming'}])
        Term.create_defaults(company)
    company, = Company.search([('party.name', '=', COMPANY)])
    fixture, = Register.search([('index', '=', FIXTURE_INDEX)])
    registrar, = User.search([('login', '=', 'bench_registrar')])
    employee_user, = User.search([('login', '=', 'bench_employee')])
    employees = Employee.search(
        [('company', '=', company.id)], order=[('id', 'ASC')])
    return {
        'company': company.id, 'fixture': fixture.id,
        'registrar': registrar.id, 'employee_user': employee_user.id,
        'employees': [e.id for e in employees],
        }


def load_fixture(ids, n):
    "Load n documents with SQL unless the fixture already holds them"
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    cursor.execute(
        'SELECT count(*) FROM muni_document WHERE book = %s',
        (ids['fixture'],))
    if cursor.fetchone()[0] == n:
        return False
    cursor.execute('DELETE FROM muni_document WHERE book = %s',
        (ids['fixture'],))
    n_parties = max(1000, n // 10)
    cursor.execute(
        'DELETE FROM "muni_document-party_party" WHERE party IN ('
        "SELECT id FROM party_party WHERE code LIKE 'BENCH-%%')")
    cursor.execute(
        "DELETE FROM party_party WHERE code LIKE 'BENCH-%%'")
    cursor.execute("""
        INSERT INTO party_party (name, code, active, create_uid, create_date)
        SELECT 'Гражданин ' || g, 'BENCH-' || g, true, 0, now()
        FROM generate_series(1, %s) g""", (n_parties,))
    cursor.execute("""
        INSERT INTO party_identifier (party, type, code, code_compact,
            sequence, create_uid, create_date)
        SELECT p.id, 'bg_egn', '8' || lpad(substr(p.code, 7), 9, '0'),
            '8' || lpad(substr(p.code, 7), 9, '0'), 10, 0, now()
        FROM party_party p WHERE p.code LIKE 'BENCH-%%'""")
    cursor.execute(
        "SELECT min(id) FROM party_party WHERE code LIKE 'BENCH-%%'")
    first_party, = cursor.fetchone()
    today = dt.date.today()
    start = today - dt.timedelta(days=3650)
    cursor.execute("""
        INSERT INTO muni_document (company, book, direction, number,
            sequence, year, continuation, last_continuation,
            registration_date, registered_at, subject, channel, pages,
            state, confidentiality, deadline, extended, overdue,
            create_uid, create_date)
        SELECT %(company)s, %(book)s, 'incoming',
            %(index)s || '-' || g || '/' || to_char(d, 'DD.MM.YYYY'),
            g, extract(year FROM d), 0, 0, d, d + interval '9 hours',
            (%(topics)s::varchar[])[1 + g %% 20] || ' – ул. „'
                || (%(streets)s::varchar[])[1 + (g / 20) %% 50] || '“ № '
                || (1 + (g / 1000) %% 200),
            (ARRAY['counter', 'post', 'email', 'portal', 'edelivery'])[
                1 + g %% 5],
            1 + g %% 7,
            CASE WHEN g > %(n)s * 0.98 THEN
                (ARRAY['assigned', 'in_progress'])[1 + g %% 2]
                WHEN g %% 3 = 0 THEN 'done' ELSE 'archived' END,
            CASE WHEN g %% 100 = 0 THEN 'restricted' ELSE 'normal' END,
            d + (7 + g %% 24), false, false, 0, now()
        FROM (SELECT g, (%(start)s::date
                + (g::bigint * 3650 / %(n)s)::int) AS d
            FROM generate_series(1, %(n)s) g) s""", {
            'company': ids['company'], 'book': ids['fixture'],
            'index': FIXTURE_INDEX, 'topics': TOPICS, 'streets': STREETS,
            'n': n, 'start': start,
            })
    cursor.execute("""
        INSERT INTO "muni_document-party_party" (document, party,
            create_uid, create_date)
        SELECT id, %s + (sequence::bigint * 7919) %% %s, 0, now()
        FROM muni_document WHERE book = %s""",
        (first_party, n_parties, ids['fixture']))
    employees = ids['employees']
    cursor.execute("""
        INSERT INTO "muni_document-company_employee" (document, employee,
            create_uid, create_date)
        SELECT id, (%s::int[])[1 + sequence %% %s], 0, now()
        FROM muni_document WHERE book = %s""",
        (employees, len(employees), ids['fixture']))
    return True


def timed(func, *args, repeat=20, **kwargs):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args, **kwargs)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_search(ids, n):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    rng = random.Random(11)
    sample = [rng.randint(1, n) for _ in range(20)]

    def samples():
        cursor = Transaction().connection.cursor()
        cursor.execute(
            'SELECT number FROM muni_document WHERE book = %s '
            'AND sequence = ANY(%s)', (ids['fixture'], sample))
        numbers = [r[0] for r in cursor]
        cursor.execute(
            "SELECT code FROM party_identifier WHERE code LIKE '8%%' "
            "ORDER BY random() LIMIT 20")
        codes = [r[0] for r in cursor]
        return numbers, codes
    numbers, codes = in_transaction(samples, readonly=True)
    words = [f"{rng.choice(STREETS)}“ № {rng.randint(1, 200)}"
        for _ in range(20)]
    registrar = user_context(ids['registrar'])
    employee = user_context(ids['employee_user'])

    def run(user, context, domains):
        def search():
            Document = Pool().get('muni.document')
            times = []
            for domain in domains:
                start = time.perf_counter()
                Document.search(domain, limit=1000)
                times.append((time.perf_counter() - start) * 1000)
            return statistics.median(times)
        return in_transaction(
            search, user=user, context=context, readonly=True)

    today = dt.date.today()
    result = {
        'name': 'registry_search', 'documents': n,
        'by_number_ms': run(ids['registrar'], registrar, [
                [('number', 'ilike', f'%{x}%')] for x in numbers]),
        'by_identifier_ms': run(ids['registrar'], registrar, [
                [('correspondents.identifiers.code', '=', c)]
                for c in codes]),
        'by_subject_ms': run(ids['registrar'], registrar, [
                [('subject', 'ilike', f'%{w}%')] for w in words]),
        'worklist_ms': run(ids['employee_user'], employee, [[
                    ('assignees', 'in', [ids['employees'][0]]),
                    ('state', 'in', OPEN_STATES),
                    ('deadline', '<', today),
                    ]] * 20),
        }
    return {k: round(v, 2) if isinstance(v, float) else v
        for k, v in result.items()}


def create_drafts(ids, n):
    "A new register and n drafts waiting for registration (untimed)"
    from trytond.pool import Pool
    pool = Pool()
    Document = pool.get('muni.document')
    Register = pool.get('muni.document.register')
    Term = pool.get('muni.document.term')
    Party = pool.get('party.party')
    register, = Register.create([{
                'company': ids['company'],
                'index': f'R{int(time.time())}',
                'name': "Bench registrations", 'direction': 'incoming'}])
    term, = Term.search([
            ('company', '=', ids['company']), ('code', '=', 'DOPK87')])
    parties = Party.search([('code', 'not like', 'BENCH-%')], limit=1000)
    document_ids = []
    for i in range(0, n, 250):
        documents = Document.create([{
                    'company': ids['company'], 'book': register.id,
                    'direction': 'incoming', 'channel': 'counter',
                    'subject': f"{TOPICS[j % 20]} {j}", 'term': term.id,
                    'correspondents': [
                        ('add', [parties[j % len(parties)].id])],
                    } for j in range(i, min(n, i + 250))])
        document_ids.extend(d.id for d in documents)
    return register.id, document_ids


def register_worker(args):
    "Register each document in its own transaction, as the registrar"
    registrar, document_ids = args
    init_pool()
    from trytond.pool import Pool
    context = user_context(registrar)

    def register(document_id):
        Document = Pool().get('muni.document')
        Document.register([Document(document_id)])
    times = []
    for document_id in document_ids:
        start = time.perf_counter()
        in_transaction(register, document_id, user=registrar,
            context=context)
        times.append((time.perf_counter() - start) * 1000)
    return times


def bench_register(ids, n):
    register_id, document_ids = in_transaction(create_drafts, ids, n)
    halves = [document_ids[0::2], document_ids[1::2]]
    spawn = multiprocessing.get_context('spawn')
    with spawn.Pool(2) as workers:
        results = workers.map(
            register_worker, [(ids['registrar'], h) for h in halves])
    times = sorted(t for r in results for t in r)

    def check():
        from trytond.transaction import Transaction
        cursor = Transaction().connection.cursor()
        cursor.execute(
            'SELECT sequence, number, deadline FROM muni_document '
            'WHERE book = %s', (register_id,))
        return cursor.fetchall()
    rows = in_transaction(check, readonly=True)
    sequences = sorted(r[0] for r in rows if r[0] is not None)
    numbers = [r[1] for r in rows if r[1]]
    assert all(r[2] for r in rows), "a registration without deadline"
    return {
        'name': 'registry_register', 'documents': n,
        'median_ms': round(statistics.median(times), 2),
        'p95_ms': round(times[int(len(times) * 0.95) - 1], 2),
        'concurrent_workers': 2,
        'gaps': len(set(range(1, n + 1)) - set(sequences)),
        'duplicates': (len(sequences) - len(set(sequences))
            + len(numbers) - len(set(numbers))),
        }


def main(scale):
    sys.path.insert(0, str(ROOT / 'addons'))
    n_register = max(2, int(10_000 * scale))
    n_search = max(1000, int(1_000_000 * scale))
    started = time.monotonic()
    ensure_database()
    init_pool()
    ids = in_transaction(setup)
    loaded = in_transaction(load_fixture, ids, n_search)
    if loaded:
        import psycopg
        with psycopg.connect(_uri(DB), autocommit=True) as conn:
            conn.execute('VACUUM ANALYZE')
    print(f"registry: setup {time.monotonic() - started:.0f} s "
        f"(fixture {'loaded' if loaded else 'reused'})", file=sys.stderr)
    print(json.dumps(bench_register(ids, n_register)), flush=True)
    print(json.dumps(bench_search(ids, n_search)), flush=True)


if __name__ == '__main__':
    main(float(os.environ.get('BENCH_SCALE', '1')))
