# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from contextlib import contextmanager

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from muni_base.tests.views import SaoViewsMixin

D = dt.date

# Public holidays falling on a weekday, as the governments publish them.
# Bulgaria (Labour Code art. 154): a holiday on a weekend moves to the next
# working day, except the Easter days; 2025-12-31 and 2026-01-02 were
# declared non-working by the Council of Ministers for the euro changeover.
BG_WEEKDAY_HOLIDAYS = {
    2025: [D(2025, 1, 1), D(2025, 3, 3), D(2025, 4, 18), D(2025, 4, 21),
        D(2025, 5, 1), D(2025, 5, 6), D(2025, 5, 26), D(2025, 9, 8),
        D(2025, 9, 22), D(2025, 12, 24), D(2025, 12, 25), D(2025, 12, 26),
        D(2025, 12, 31)],
    2026: [D(2026, 1, 1), D(2026, 1, 2), D(2026, 3, 3), D(2026, 4, 10),
        D(2026, 4, 13), D(2026, 5, 1), D(2026, 5, 6), D(2026, 5, 25),
        D(2026, 9, 7), D(2026, 9, 22), D(2026, 12, 24), D(2026, 12, 25),
        D(2026, 12, 28)],
    # Orthodox Easter on 2 May: Holy Saturday is also Labour Day, whose
    # day off moves past Easter Monday to Tuesday 4 May.
    2027: [D(2027, 1, 1), D(2027, 3, 3), D(2027, 4, 30), D(2027, 5, 3),
        D(2027, 5, 4), D(2027, 5, 6), D(2027, 5, 24), D(2027, 9, 6),
        D(2027, 9, 22), D(2027, 12, 24), D(2027, 12, 27), D(2027, 12, 28)],
    }
# Romania (Labour Code art. 139): holidays do not move off weekends.
RO_WEEKDAY_HOLIDAYS = {
    2025: [D(2025, 1, 1), D(2025, 1, 2), D(2025, 1, 6), D(2025, 1, 7),
        D(2025, 1, 24), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 1),
        D(2025, 6, 9), D(2025, 8, 15), D(2025, 12, 1), D(2025, 12, 25),
        D(2025, 12, 26)],
    2026: [D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 6), D(2026, 1, 7),
        D(2026, 4, 10), D(2026, 4, 13), D(2026, 5, 1), D(2026, 6, 1),
        D(2026, 11, 30), D(2026, 12, 1), D(2026, 12, 25)],
    2027: [D(2027, 1, 1), D(2027, 1, 6), D(2027, 1, 7), D(2027, 4, 30),
        D(2027, 5, 3), D(2027, 6, 1), D(2027, 6, 21), D(2027, 11, 30),
        D(2027, 12, 1)],
    }


def create_municipality(name, country_code):
    pool = Pool()
    Country = pool.get('country.country')
    country, = Country.create([{'name': name, 'code': country_code}])
    company = create_company(name)
    company.country = country
    company.save()
    return company


def create_clerk(login, company, module='muni_base', group='group_muni'):
    "A user of the municipality's group working in the company"
    pool = Pool()
    User = pool.get('res.user')
    Group = pool.get('res.group')
    ModelData = pool.get('ir.model.data')
    user, = User.create([{
                'name': login, 'login': login,
                'companies': [('add', [company.id])],
                'company': company.id,
                'groups': [('add', [
                            Group(ModelData.get_id(module, group)).id])],
                }])
    return user


@contextmanager
def as_clerk(user, company):
    "Work as the user in his company, with the access checks of sao"
    transaction = Transaction()
    with transaction.set_user(user.id), transaction.set_context(
            company=company.id, companies=[company.id], _check_access=True):
        yield


def create_person(company, name, type_, code, street, email):
    "A citizen created by a user working in the company"
    Party = Pool().get('party.party')
    with Transaction().set_context(company=company.id):
        party, = Party.create([{
                    'name': name,
                    'identifiers': [('create', [{
                                    'type': type_, 'code': code}])],
                    'addresses': [('create', [{'street': street}])],
                    'contact_mechanisms': [('create', [{
                                    'type': 'email', 'value': email}])],
                    }])
    return party


def run_find(code, type_=None):
    "Run the wizard Find a Party by Identifier; return its result"
    Find = Pool().get('muni.party.find', type='wizard')
    session_id, _, _ = Find.create()
    return session_id, Find.execute(session_id, {
            'start': {'code': code, 'type': type_,
                'company': Transaction().context.get('company')},
            }, 'find')


def weekday_holidays(company, year):
    date, found = D(year, 1, 1), []
    while date.year == year:
        if date.weekday() < 5 and not company.is_working_day(date):
            found.append(date)
        date += dt.timedelta(days=1)
    return found


class MuniBaseTestCase(SaoViewsMixin, CompanyTestMixin, ModuleTestCase):
    "Test the municipality base module"
    module = 'muni_base'

    @with_transaction()
    def test_bulgarian_calendar(self):
        "Bulgarian non-working weekdays 2025-2027 are the published ones"
        company = create_municipality("Balchik", 'BG')
        for year, expected in BG_WEEKDAY_HOLIDAYS.items():
            with self.subTest(year=year):
                self.assertEqual(weekday_holidays(company, year), expected)

    @with_transaction()
    def test_romanian_calendar(self):
        "Romanian non-working weekdays 2025-2027 are the published ones"
        company = create_municipality("Năvodari", 'RO')
        for year, expected in RO_WEEKDAY_HOLIDAYS.items():
            with self.subTest(year=year):
                self.assertEqual(weekday_holidays(company, year), expected)

    @with_transaction()
    def test_orthodox_easter(self):
        "Orthodox Good Friday to Easter Monday are days off in both countries"
        balchik = create_municipality("Balchik", 'BG')
        navodari = create_municipality("Năvodari", 'RO')
        for easter in [D(2025, 4, 20), D(2026, 4, 12), D(2027, 5, 2)]:
            for company in [balchik, navodari]:
                for delta in [-2, 0, 1]:
                    date = easter + dt.timedelta(days=delta)
                    with self.subTest(company=company.rec_name, date=date):
                        self.assertFalse(company.is_working_day(date))
        # Western Easter Monday 2026 is an ordinary working day in both
        self.assertTrue(balchik.is_working_day(D(2026, 4, 6)))
        self.assertTrue(navodari.is_working_day(D(2026, 4, 6)))

    @with_transaction()
    def test_next_working_day_published_deadlines(self):
        "Tax deadlines move to the next working day as Balchik published"
        company = create_municipality("Balchik", 'BG')
        for deadline, published in [
                # ДНИ/ТБО second instalment 2020: "до 02.11.2020"
                (D(2020, 10, 31), D(2020, 11, 2)),
                # Balchik patent tax 2021: 01.02, 30.04, 02.08, 01.11
                (D(2021, 1, 31), D(2021, 2, 1)),
                # but 30.04.2021 was Orthodox Good Friday and 1 May
                # (Saturday, observed on Tuesday 4 May) followed Easter, so
                # the law gives until Wednesday 5 May (hand-checked)
                (D(2021, 4, 30), D(2021, 5, 5)),
                (D(2021, 7, 31), D(2021, 8, 2)),
                (D(2021, 10, 31), D(2021, 11, 1)),
                # 2026: 30 April Thursday, 30 June Tuesday, 31 October
                # Saturday
                (D(2026, 4, 30), D(2026, 4, 30)),
                (D(2026, 6, 30), D(2026, 6, 30)),
                (D(2026, 10, 31), D(2026, 11, 2)),
                ]:
            with self.subTest(deadline=deadline):
                self.assertEqual(company.next_working_day(deadline), published)

    @with_transaction()
    def test_add_working_days(self):
        "Working days are counted over weekends, holidays and year ends"
        balchik = create_municipality("Balchik", 'BG')
        navodari = create_municipality("Năvodari", 'RO')
        # Registered on Maundy Thursday 2026: the Easter days are skipped
        self.assertEqual(
            balchik.add_working_days(D(2026, 4, 9), 3), D(2026, 4, 16))
        # Children's Day and Whit Monday coincide on 1 June 2026 in Romania
        self.assertEqual(
            navodari.add_working_days(D(2026, 5, 29), 2), D(2026, 6, 3))
        self.assertEqual(
            balchik.add_working_days(D(2026, 5, 29), 2), D(2026, 6, 2))
        # Backwards over the euro changeover days off and New Year
        self.assertEqual(
            balchik.add_working_days(D(2026, 1, 5), -1), D(2025, 12, 30))
        # Forwards across the year end: 14 working days from 2026-12-18
        self.assertEqual(
            balchik.add_working_days(D(2026, 12, 18), 14), D(2027, 1, 13))
        self.assertEqual(
            balchik.add_working_days(D(2026, 10, 31), 0), D(2026, 11, 2))
        self.assertEqual(
            balchik.working_days_between(D(2026, 12, 18), D(2027, 1, 13)), 14)

    @with_transaction()
    def test_calendar_exceptions(self):
        "Local exceptions override the national calendar of one company"
        pool = Pool()
        Exception_ = pool.get('muni.calendar.exception')
        balchik = create_municipality("Balchik", 'BG')
        other = create_company("Other")
        other.country = balchik.country
        other.save()
        saturday, friday = D(2026, 3, 14), D(2026, 3, 13)
        self.assertFalse(balchik.is_working_day(saturday))
        self.assertTrue(balchik.is_working_day(friday))

        with set_company(balchik):
            Exception_.create([{
                        'company': balchik.id, 'date': saturday,
                        'kind': 'working', 'name': "Worked off",
                        }, {
                        'company': balchik.id, 'date': friday,
                        'kind': 'non_working', 'name': "Town holiday",
                        }])
        self.assertTrue(balchik.is_working_day(saturday))
        self.assertFalse(balchik.is_working_day(friday))
        self.assertEqual(
            balchik.add_working_days(D(2026, 3, 12), 1), saturday)
        self.assertFalse(other.is_working_day(saturday))
        self.assertTrue(other.is_working_day(friday))

        exception, = Exception_.search([('date', '=', friday)])
        Exception_.delete([exception])
        self.assertTrue(balchik.is_working_day(friday))

    @with_transaction()
    def test_calendar_exception_unique(self):
        "Only one exception per municipality and date"
        pool = Pool()
        Exception_ = pool.get('muni.calendar.exception')
        company = create_municipality("Balchik", 'BG')
        values = {'company': company.id, 'date': D(2026, 3, 14),
            'kind': 'working', 'name': "Worked off"}
        Exception_.create([values])
        with self.assertRaisesRegex(UserError, "only one calendar exception"):
            Exception_.create([values])

    @with_transaction()
    def test_calendar_unknown_country(self):
        "A country whose holidays are unknown gets a clear error"
        company = create_municipality("Atlantis", 'XA')
        with self.assertRaisesRegex(UserError, 'not known'):
            company.is_working_day(D(2026, 1, 1))

    @with_transaction()
    def test_calendar_without_country(self):
        "A company without country gets a clear error"
        company = create_company("Nowhere")
        with self.assertRaisesRegex(UserError, 'set its country'):
            company.is_working_day(D(2026, 1, 1))

    @with_transaction()
    def test_localisation_sets_country(self):
        "Choosing a localisation proposes its country"
        pool = Pool()
        Company = pool.get('company.company')
        Country = pool.get('country.country')
        bulgaria, = Country.create([{'name': "Bulgaria", 'code': 'BG'}])
        company = Company()
        company.localisation = 'bg'
        company.on_change_localisation()
        self.assertEqual(company.country, bulgaria)


    def setup_two_municipalities(self):
        balchik = create_municipality("Balchik", 'BG')
        navodari = create_municipality("Năvodari", 'RO')
        ivan = create_person(balchik, "Иван Петров", 'bg_egn', '7523169263',
            "ул. Черно море 1", 'ivan@example.bg')
        ion = create_person(navodari, "Ion Popescu", 'ro_cnp',
            '1630615123457', "Str. Midiei 2", 'ion@example.ro')
        return balchik, navodari, ivan, ion

    @with_transaction()
    def test_party_seen_by_its_municipality_only(self):
        "A clerk sees the personal data of his municipality's parties only"
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        Address = pool.get('party.address')
        Contact = pool.get('party.contact_mechanism')
        balchik, navodari, ivan, ion = self.setup_two_municipalities()
        unlinked, = Party.create([{'name': "Nobody's",
                    'identifiers': [('create', [{
                                    'type': 'bg_egn', 'code': '8032056031'}])],
                    }])
        clerks = {
            balchik: create_clerk('balchik', balchik),
            navodari: create_clerk('navodari', navodari),
            }
        for company, own, other in [
                (balchik, ivan, ion), (navodari, ion, ivan)]:
            with self.subTest(company=company.rec_name), \
                    as_clerk(clerks[company], company):
                parties = Party.search([])
                self.assertIn(own, parties)
                self.assertNotIn(other, parties)
                self.assertNotIn(unlinked, parties)
                # the municipalities themselves are public bodies
                self.assertIn(balchik.party, parties)
                self.assertIn(navodari.party, parties)
                self.assertEqual(
                    {i.party for i in Identifier.search([])}, {own})
                self.assertEqual(
                    {a.party for a in Address.search([])}
                    - {balchik.party, navodari.party}, {own})
                self.assertEqual(
                    {c.party for c in Contact.search([])}, {own})
                # not by his identifier, his name or his e-mail either
                for clause in [
                        ('rec_name', 'ilike', '%' + other.name[:3] + '%'),
                        ('identifiers.code', '=', other.identifiers[0].code),
                        ('contact_mechanisms.value', 'like', '%@%'),
                        ]:
                    self.assertNotIn(other, Party.search([clause]))
                for Model, records in [
                        (Party, [other]),
                        (Identifier, other.identifiers),
                        (Address, other.addresses),
                        (Contact, other.contact_mechanisms),
                        ]:
                    with self.assertRaises(AccessError):
                        Model.read([r.id for r in records], ['rec_name'])
                with self.assertRaises(AccessError):
                    Party.write([other], {'name': "Changed"})
                self.assertEqual(
                    Party.read([own.id], ['rec_name']),
                    [{'id': own.id, 'rec_name': own.name}])
        # The administrators of the database see everyone
        admin = pool.get('res.user')(1)
        with as_clerk(admin, balchik):
            self.assertLessEqual(
                {ivan, ion, unlinked}, set(Party.search([])))

    @with_transaction()
    def test_party_links(self):
        "Created, employed and own parties are linked to their municipality"
        pool = Pool()
        Party = pool.get('party.party')
        PartyCompany = pool.get('muni.party.company')
        balchik, navodari, ivan, ion = self.setup_two_municipalities()
        self.assertEqual(ivan.muni_companies, (balchik,))
        self.assertEqual(ion.muni_companies, (navodari,))
        employee = create_employee(balchik, "Мария Иванова")
        links = {(l.party, l.company): l.origin
            for l in PartyCompany.search([])}
        self.assertEqual(links[(ivan, balchik)], 'created')
        self.assertEqual(links[(employee.party, balchik)], 'employee')
        self.assertEqual(links[(balchik.party, balchik)], 'company')
        self.assertNotIn((employee.party, navodari), links)
        # a copy is the copier's municipality's only
        with Transaction().set_context(company=navodari.id):
            copy, = Party.copy([ivan])
        self.assertEqual(copy.muni_companies, (navodari,))
        # linking twice keeps the first reason
        self.assertEqual(PartyCompany.link(balchik, [ivan], 'taxpayer'), [])
        self.assertEqual(
            PartyCompany.link(navodari, [ivan, ion], 'taxpayer'), [ivan.id])
        link, = PartyCompany.search([
                ('party', '=', ivan.id), ('company', '=', navodari.id)])
        self.assertEqual(link.origin, 'taxpayer')
        self.assertEqual(link.create_uid.id, Transaction().user)
        self.assertTrue(link.create_date)
        self.assertFalse(ivan.muni_public)
        self.assertTrue(balchik.party.muni_public)
        self.assertEqual(
            set(Party.search([('muni_public', '=', True)])),
            {balchik.party, navodari.party})
        self.assertIn(ivan, Party.search([('muni_public', '=', False)]))

    @with_transaction()
    def test_shared_party(self):
        "A party shared by the administrators is seen by every municipality"
        pool = Pool()
        Party = pool.get('party.party')
        balchik, navodari, ivan, ion = self.setup_two_municipalities()
        agency, = Party.create([{'name': "National Revenue Agency"}])
        clerk = create_clerk('navodari', navodari)
        with as_clerk(clerk, navodari):
            self.assertNotIn(agency, Party.search([]))
            with self.assertRaises(AccessError):
                Party.write([Party(ion.id)], {'muni_shared': True})
            # a client sends the field's default with every new party
            neighbour, = Party.create([
                    {'name': "Vasile Popa", 'muni_shared': False}])
            Party.write([neighbour], {'muni_shared': False})
            with self.assertRaisesRegex(
                    AccessError, "Parties of All Municipalities"):
                Party.create([{'name': "Agenția", 'muni_shared': True}])
        agency.muni_shared = True
        agency.save()
        with as_clerk(clerk, navodari):
            self.assertIn(agency, Party.search([]))
        # never a natural person
        with self.assertRaisesRegex(UserError, 'natural person'):
            Party.write([ivan], {'muni_shared': True})
        with self.assertRaisesRegex(UserError, 'natural person'):
            Party.write([agency], {'identifiers': [('create', [{
                                'type': 'ro_cnp', 'code': '1800101221144'}])]})

    @with_transaction()
    def test_find_by_identifier(self):
        "An exact, valid identifier finds the party and links it"
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        balchik, navodari, ivan, ion = self.setup_two_municipalities()
        neighbour = create_person(balchik, "Петър Колев", 'bg_egn',
            '8001010008', "ул. Дунав 3", 'petar@example.bg')
        clerk = create_clerk('navodari', navodari)
        with as_clerk(clerk, navodari):
            self.assertNotIn(ivan, Party.search([]))
            # an incomplete or invalid code finds nobody
            for code in ['752316926', '7523169264', '%75231%']:
                with self.subTest(code=code), \
                        self.assertRaisesRegex(UserError, 'not a valid'):
                    run_find(code)
            with self.assertRaisesRegex(UserError, 'not a valid'):
                run_find('7523169263', 'ro_cnp')
            self.assertNotIn(ivan, Party.search([]))

            # the exact code, spaced as written on an ID card
            _, result = run_find('752316 926 3')
            action, _ = result['actions'][0]
            self.assertEqual(action['res_id'], [ivan.id])
            self.assertIn(ivan, Party.search([]))
            self.assertEqual(
                Party.read([ivan.id], ['name'])[0]['name'], "Иван Петров")
            self.assertEqual(
                {i.party for i in Identifier.search([])}, {ion, ivan})
            # and nobody else of Balchik
            self.assertNotIn(neighbour, Party.search([]))

            # a code nobody has: the clerk creates the party
            Find = pool.get('muni.party.find', type='wizard')
            session_id, result = run_find('7501010010', 'bg_egn')
            self.assertEqual(result['view']['state'], 'create_')
            result = Find.execute(session_id, {
                    'start': {'code': '7501010010', 'type': 'bg_egn'},
                    'create_': {'name': "Георги Димитров",
                        'type': 'bg_egn', 'code': '7501010010'},
                    }, 'create_party')
            action, _ = result['actions'][0]
            created, = Party.browse(action['res_id'])
            self.assertEqual(created.name, "Георги Димитров")
        self.assertEqual(
            ivan.muni_companies, (balchik, navodari))
        self.assertEqual(created.muni_companies, (navodari,))
        links = {l.company: l.origin for l in
            pool.get('muni.party.company').search([('party', '=', ivan.id)])}
        self.assertEqual(links[navodari], 'lookup')
        # Balchik's clerk still does not see Năvodari's own citizen
        clerk_bg = create_clerk('balchik', balchik)
        with as_clerk(clerk_bg, balchik):
            self.assertIn(ivan, Party.search([]))
            self.assertNotIn(ion, Party.search([]))
            self.assertNotIn(created, Party.search([]))

    @with_transaction()
    def test_find_ambiguous_and_without_company(self):
        "Two parties with one code, or no municipality: no party"
        pool = Pool()
        Party = pool.get('party.party')
        balchik, navodari, ivan, ion = self.setup_two_municipalities()
        create_person(balchik, "Иван Петров (2)", 'bg_egn', '7523169263',
            "ул. Черно море 1", 'ivan2@example.bg')
        clerk = create_clerk('navodari', navodari)
        with as_clerk(clerk, navodari):
            with self.assertRaisesRegex(UserError, 'Several parties'):
                run_find('7523169263')
            self.assertNotIn(ivan, Party.search([]))
            with Transaction().set_context(company=None):
                with self.assertRaisesRegex(UserError, 'current company'):
                    run_find('7523169263')

    @with_transaction()
    def test_identifier_elsewhere_notified(self):
        "Entering a code another municipality knows warns without naming"
        pool = Pool()
        Identifier = pool.get('party.identifier')
        balchik, navodari, ivan, ion = self.setup_two_municipalities()
        clerk = create_clerk('navodari', navodari)
        with as_clerk(clerk, navodari):
            identifier = Identifier(type='bg_egn', code='7523169263')
            notifications = list(identifier._notify_duplicate())
        self.assertEqual(len(notifications), 1)
        kind, message = notifications[0]
        self.assertEqual(kind, 'warning')
        self.assertIn("7523169263", message)
        self.assertNotIn("Иван", message)

    @with_transaction()
    def test_identifier_birth_date(self):
        "A personal number shows the birth date it encodes, nothing else"
        Identifier = Pool().get('party.identifier')
        for type_, code, birth_date in [
                # ЕГН: month + 20 for 1800-1899, + 40 for 2000-2099
                ('bg_egn', '7523169263', dt.date(1875, 3, 16)),
                ('bg_egn', '7552010005', dt.date(2075, 12, 1)),
                # CNP: sex digit 1 (man born 1900-1999), 1963-06-15
                ('ro_cnp', '1630615123457', dt.date(1963, 6, 15)),
                ('ro_cnp', '1800101221144', dt.date(1980, 1, 1)),
                # a wrong check digit, a firm's number, no type
                ('bg_egn', '7523169264', None),
                ('ro_cnp', '1630615123458', None),
                ('bg_vat', '175074752', None),
                (None, '7523169263', None),
                ]:
            with self.subTest(type=type_, code=code):
                identifier = Identifier(type=type_, code=code)
                self.assertEqual(
                    identifier.on_change_with_birth_date(), birth_date)


del ModuleTestCase
