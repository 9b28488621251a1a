#!/usr/bin/env python3
# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Create or upgrade the demo database and serve sao.

The SQLite database holds the two municipalities of the cross-border
network, Balchik (Bulgaria) and Năvodari (Romania). A second run reuses it,
upgrading the modules to the current code. The data is created here, never
by activating a module.
"""
import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = [
    'muni_base', 'muni_finance', 'muni_docs', 'muni_eservices',
    'muni_bg_localization', 'muni_ro_localization']
LANGUAGES = ['bg', 'ro']
# The staff of the demo, non-admin users who work in their municipality and
# their language: (login, name, municipality, language, groups by XML id).
# Each is also an employee of the municipality (the registry signs with it).
CLERK_GROUPS = [
    ('muni_base', 'group_muni'),
    ('muni_finance', 'group_finance'),
    ('muni_docs', 'group_registrar'),
    ]
STAFF = [
    ('balchik.clerk', "Десислава Петрова", 'balchik', 'bg', CLERK_GROUPS),
    ('balchik.cashier', "Мария Колева", 'balchik', 'bg', [
            ('muni_base', 'group_muni'),
            ('muni_finance', 'group_finance'),
            ('muni_finance', 'group_cash_desk'),
            ]),
    # Năvodari has no cashier of its own in the demo: its clerk keeps the
    # cash desk
    ('navodari.clerk', "Elena Ionescu", 'navodari', 'ro', [
            *CLERK_GROUPS,
            ('muni_finance', 'group_cash_desk'),
            ]),
    ]
# Each municipality's cash desk: name, cash account, bank account, cashier
CASH_DESKS = {
    'balchik': ("Каса 1, Общинска администрация", '5021', '5011',
        'balchik.cashier'),
    'navodari': ("Casieria Primăriei Năvodari", '5311', '5211',
        'navodari.clerk'),
    }


def log(message):
    print(f"\033[1m==> {message}\033[0m", file=sys.stderr, flush=True)


def admin_password(var):
    "The admin password: from the environment, else generated once and kept"
    return _password(var / 'admin-password', 'PONTICA_ADMIN_PASSWORD')


def _password(path, variable):
    "The password of the variable, else the one kept in path, else a new one"
    password = os.environ.get(variable)
    if not password:
        if path.exists():
            password = path.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as file:
        os.fchmod(file.fileno(), 0o600)
        file.write(password + '\n')
    return password, path


def staff_password(var):
    """The staff users' password: from the environment, else generated once
    and kept"""
    return _password(var / 'staff-password', 'PONTICA_STAFF_PASSWORD')


def trytond_admin(args, env):
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / 'trytond-admin'), *args], env=env, check=True)


def create_staff(password, municipalities, config):
    """Create or update the staff users, each an employee of their
    municipality, with their groups, language and the staff password"""
    from proteus import Model
    User = Model.get('res.user', config=config)
    Group = Model.get('res.group', config=config)
    Lang = Model.get('ir.lang', config=config)
    Company = Model.get('company.company', config=config)
    Employee = Model.get('company.employee', config=config)
    Party = Model.get('party.party', config=config)
    ModelData = Model.get('ir.model.data', config=config)

    def group(module, fs_id):
        return Group(ModelData.get_id(module, fs_id, config.context))

    users = {}
    for login, name, key, language, groups in STAFF:
        company = Company(municipalities[key].id)
        employees = Employee.find([
                ('company', '=', company.id),
                ('party.name', '=', name),
                ])
        if employees:
            employee = employees[0]
        else:
            party = Party(name=name)
            party.save()
            employee = Employee(party=party, company=company)
            employee.save()
        found = User.find([('login', '=', login)])
        user = found[0] if found else User(login=login)
        user.name = name
        user.language, = Lang.find([('code', '=', language)])
        wanted = [group(*g) for g in groups]
        have = {g.id for g in user.groups}
        user.groups.extend(g for g in wanted if g.id not in have)
        if company.id not in {c.id for c in user.companies}:
            user.companies.append(company)
        user.company = Company(company.id)
        if employee.id not in {e.id for e in user.employees}:
            user.employees.append(Employee(employee.id))
        user.employee = Employee(employee.id)
        user.password = password
        user.save()
        users[login] = user
    return users


def create_cash_desks(municipalities, users, config):
    """Give each municipality its cash desk and an open session of its
    cashier: a cash payment can be taken at once"""
    from proteus import Model

    from muni_base.tests.tools import get_municipality
    Desk = Model.get('muni.cash.desk', config=config)
    Session = Model.get('muni.cash.session', config=config)
    Account = Model.get('account.account', config=config)
    Journal = Model.get('account.journal', config=config)
    User = Model.get('res.user', config=config)
    for key, (name, cash, bank, cashier) in CASH_DESKS.items():
        company = get_municipality(
            municipalities[key].party.name, config=config)
        accounts = {a.code: a for a in Account.find([
                    ('company', '=', company.id),
                    ('code', 'in', [cash, bank]),
                    ])}
        desks = Desk.find([('company', '=', company.id)])
        if desks:
            desk = desks[0]
        else:
            log(f"{company.party.name}: cash desk {name}")
            journal, = Journal.find([('code', '=', 'CASH')])
            desk = Desk(name=name, account=accounts[cash], journal=journal,
                bank_account=accounts[bank])
            desk.save()
        cashier = User(users[cashier].id)
        if not Session.find([
                    ('desk', '=', desk.id),
                    ('cashier', '=', cashier.id),
                    ('state', '=', 'open'),
                    ]):
            log(f"{company.party.name}: open cash session of "
                f"{cashier.login}")
            session = Session(desk=desk, cashier=cashier)
            session.save()


# The payments the demo takes at a municipality's cash desk: its cashier,
# how many taxpayers pay, and every how many of them pays only half
DEMO_PAYMENTS = {
    'navodari': ('navodari.clerk', 12, 3),
    }


# Năvodari's Treasury unit: its real 3-digit code is not known (domain/
# ro.md §11, question 7); the demo's is illustrative, so that the revenue
# types show Treasury IBANs and a statement can be matched by them
DEMO_TREASURY_UNIT = '231'


def set_treasury_unit(company):
    "Give the Romanian municipality the demo's Treasury unit if it has none"
    if not company.ro_treasury_unit:
        log(f"{company.party.name}: Treasury unit {DEMO_TREASURY_UNIT} "
            "(illustrative)")
        company.ro_treasury_unit = DEMO_TREASURY_UNIT
        company.save()


def create_payments(database, config_file, municipalities):
    """The cashier of each municipality of DEMO_PAYMENTS takes cash from
    taxpayers of its levy in his open session: most pay what they owe, some
    half of it (rounded down to the unit), each payment posted and
    allocated by the municipality's law; none again on a later run"""
    from decimal import ROUND_DOWN, Decimal

    from proteus import Model, config as pconfig
    for key, (login, count, partial) in DEMO_PAYMENTS.items():
        config = pconfig.set_trytond(
            database, user=login, config_file=str(config_file))
        Payment = Model.get('muni.payment', config=config)
        Taxpayer = Model.get('muni.taxpayer', config=config)
        company = municipalities[key]
        if Payment.find([('company', '=', company.id)], limit=1):
            continue
        taxpayers = Taxpayer.find([
                ('company', '=', company.id),
                ('party.receivable', '>', 0),
                ], order=[('id', 'ASC')], limit=count)
        log(f"{company.party.name}: {len(taxpayers)} cash payments "
            f"taken by {login}")
        for i, taxpayer in enumerate(taxpayers):
            amount = taxpayer.party.receivable
            if i % partial == partial - 1:
                amount = (amount / 2).quantize(Decimal(1), ROUND_DOWN)
            payment = Payment(taxpayer=taxpayer, amount=amount)
            payment.save()
            payment.click('post')
    return pconfig.set_trytond(database, config_file=str(config_file))


def create_demo_data(database, config_file, staff_password):
    "Create the municipalities through proteus, as a user would"
    from proteus import Model, config as pconfig

    from muni_bg_localization.demo import create_balchik_demo, levy
    from muni_bg_localization.tests.tools import (
        BALCHIK, create_balchik, get_balchik)
    from muni_ro_localization.tests.tools import NAVODARI, create_navodari

    config = pconfig.set_trytond(database, config_file=str(config_file))
    Company = Model.get('company.company')
    existing = {c.party.name for c in Company.find([])}
    for name, create in [
            (BALCHIK, create_balchik), (NAVODARI, create_navodari)]:
        if name in existing:
            log(f"{name}: already there")
        else:
            log(f"creating {name}")
            create(config=config)
    from muni_finance.demo_rates import create_demo_rates
    log(f"exchange rates: {create_demo_rates(config=config)} new")
    from muni_base.tests.tools import get_municipality
    from muni_docs.tests.tools import (
        BALCHIK_REGISTERS, NAVODARI_REGISTERS, create_registry)
    Register = Model.get('muni.document.register')
    for name, registers in [
            (BALCHIK, BALCHIK_REGISTERS), (NAVODARI, NAVODARI_REGISTERS)]:
        # Records are created for the user's current company
        company = get_municipality(name, config=config)
        if not Register.find([('company', '=', company.id)]):
            log(f"{name}: registers and legal terms")
            create_registry(company, registers, config=config)
    log("Balchik's taxpayers, objects and 2026 ordinance")
    get_balchik(config=config)
    create_balchik_demo(config=config)
    log("Balchik's 2026 levy")
    run = levy(config=config)
    if run is not None:
        run.reload()
        log(f"levy {run.state}: {run.assessments} assessments posted")
        if run.errors:
            log(f"levy errors:\n{run.errors}")
    from muni_ro_localization.demo import create_navodari_demo
    log("Năvodari's citizens")
    create_navodari_demo(config=config)
    from muni_ro_localization.tests.tools import get_navodari
    municipalities = {
        'balchik': get_balchik(config=config),
        'navodari': get_navodari(config=config),
        }
    log("the staff: " + ", ".join(s[0] for s in STAFF))
    users = create_staff(staff_password, municipalities, config)
    set_treasury_unit(municipalities['navodari'])
    create_cash_desks(municipalities, users, config)
    config = create_payments(database, config_file, municipalities)
    # admin starts in Balchik
    get_balchik(config=config)
    # The municipalities are configured: no first-login setup wizard.
    Item = Model.get('ir.module.config_wizard.item')
    items = Item.find([('state', '!=', 'done')])
    for item in items:
        item.state = 'done'
    Item.save(items)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', default='demo')
    parser.add_argument(
        '--var', type=Path, default=ROOT / 'var',
        help="where the database, the password and sao live")
    parser.add_argument('--listen', default='127.0.0.1:8000',
        help="host:port to serve on")
    parser.add_argument('--no-serve', action='store_true',
        help="prepare the database and stop")
    args = parser.parse_args()

    var = args.var.resolve()
    config_file = ROOT / 'config' / 'trytond.conf'
    db_dir = var / 'db'
    db_dir.mkdir(parents=True, exist_ok=True)
    # the database holds the citizens' personal data: its owner only
    db_dir.chmod(0o700)
    env = dict(os.environ)
    env['TRYTOND_CONFIG'] = str(config_file)
    env['TRYTOND_DATABASE__PATH'] = str(db_dir)
    env.setdefault('TRYTOND_WEB__ROOT', str(ROOT / 'var' / 'sao' / 'package'))
    env['TRYTOND_WEB__LISTEN'] = args.listen
    env['TRYTOND_PASSWORD__FORBIDDEN'] = str(
        ROOT / 'config' / 'forbidden-passwords.txt')
    os.environ.update(env)

    password, password_file = admin_password(var)
    env['TRYTONPASSFILE'] = str(password_file)
    db_file = db_dir / f'{args.database}.sqlite'
    # --all upgrades whatever is activated (trytond itself included, after a
    # package update), -u activates the muni modules a first run or a newer
    # checkout adds; -l loads bg and ro for every module being updated.
    update = ['-d', args.database, '--all', '-u', *MODULES,
        '--activate-dependencies', '-l', *LANGUAGES]
    if not db_file.exists():
        log(f"creating the database {db_file}")
        db_file.touch(mode=0o600)
        trytond_admin([*update, '--email', 'admin@example.org'], env)
    else:
        log(f"upgrading the database {db_file}")
        trytond_admin(update, env)
    db_file.chmod(0o600)
    trytond_admin(['-d', args.database, '--password'], env)
    staff, staff_file = staff_password(var)
    create_demo_data(args.database, config_file, staff)

    staff_lines = '\n'.join(
        f"  User        {login} ({name}, {language})"
        for login, name, _, language, _ in STAFF)
    print(f"""
Pontica demo is ready.
  Open        http://{args.listen}/
  Database    {args.database}
  User        admin
  Password    {password}
  (kept in {password_file}; set PONTICA_ADMIN_PASSWORD to choose another)
The staff, each in their municipality and language:
{staff_lines}
  Password    {staff}
  (kept in {staff_file}; set PONTICA_STAFF_PASSWORD to choose another)
Switch between Община Балчик and Primăria Năvodari in the user's preferences.
""", flush=True)
    if args.no_serve:
        return
    bin_dir = Path(sys.executable).parent
    log("starting trytond (Ctrl-C to stop)")
    os.execve(str(bin_dir / 'trytond'), [
            'trytond', '-d', args.database], env)


if __name__ == '__main__':
    main()
