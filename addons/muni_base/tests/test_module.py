# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.exceptions import UserError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

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


def weekday_holidays(company, year):
    date, found = D(year, 1, 1), []
    while date.year == year:
        if date.weekday() < 5 and not company.is_working_day(date):
            found.append(date)
        date += dt.timedelta(days=1)
    return found


class MuniBaseTestCase(CompanyTestMixin, ModuleTestCase):
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


del ModuleTestCase
