# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from ..rules import (
    CAR_KW_LIMITS, MOPED_CC_LIMITS, MOTORCYCLE_CC_LIMITS,
    RELIEF_MAIN_DWELLING, RELIEF_MAIN_DWELLING_DISABLED,
    THREE_WHEELER_KG_LIMITS, TRACTOR_KW_LIMITS, TRACTOR_KW_MINIMUM,
    WASTE_CLEANING, WASTE_COLLECTION, WASTE_TREATMENT, WEAKER_PARTY,
    CarRates, InvalidIdentifier, OutOfRange, RuleError, acquisition_tax,
    annual_schedule, banded_vehicle_tax, bgn_to_eur,
    calc_bulstat13_check_digit, car_tax, check_range, compact_identifier,
    early_discount, months_due, patent_tax, property_months, property_relief,
    property_tax, require_range, round_cent, split_instalments, tourist_tax,
    truck_tax, validate_egn, validate_eik, validate_identifier, validate_pnf,
    vehicle_age, vehicle_months, waste_exemptions, waste_fee)

D = Decimal
date = dt.date


def calendar(holidays=()):
    "Stub of the municipality's calendar: weekends and the given dates"
    holidays = set(holidays)

    def next_working_day(day):
        while day.weekday() >= 5 or day in holidays:
            day += dt.timedelta(days=1)
        return day
    return next_working_day


def same_day(day):
    return day


# Council rates inside the ranges of bg.md §1.2 (not Balchik's, unknown)
CAR_RATES = CarRates(
    kw_rates=tuple(zip(CAR_KW_LIMITS, (
                D('0.50'), D('0.70'), D('1.20'), D('1.40'), D('1.80'),
                D('2.20')))),
    age_coefficients=(
        (5, D('2.3')), (10, D('1.5')), (15, D('1.3')), (20, D('1.0')),
        (None, D('1.1'))),
    eco_coefficients={
        None: D('1.40'), 'Euro 1': D('1.40'), 'Euro 2': D('1.40'),
        'Euro 3': D('1.00'), 'Euro 4': D('0.80'), 'Euro 5': D('0.60'),
        'Euro 6': D('0.40'), 'EEV': D('0.40')},
    catalyst_reduction=D('0.20'))


class RoundingTestCase(unittest.TestCase):
    "Test rounding and range checks"

    def test_half_up(self):
        "Ties round away from zero, not to even"
        self.assertEqual(round_cent(D('5.005')), D('5.01'))
        self.assertEqual(round_cent(D('5.0049999')), D('5.00'))
        self.assertEqual(round_cent(D('-5.005')), D('-5.01'))
        self.assertEqual(round_cent(Fraction(1, 3)), D('0.33'))
        self.assertEqual(round_cent(0), D('0.00'))

    def test_up_and_down(self):
        "Round up on any digit; round down truncates"
        self.assertEqual(round_cent(D('1.001'), WEAKER_PARTY), D('1.01'))
        self.assertEqual(round_cent(D('1.01'), WEAKER_PARTY), D('1.01'))
        self.assertEqual(round_cent(D('1.009'), ROUND_DOWN), D('1.00'))

    def test_float_refused(self):
        "Floats are refused"
        with self.assertRaises(TypeError):
            round_cent(0.1)

    def test_check_range(self):
        "Council rates inside the law's ranges, bounds included"
        # bg.md §1.1: ДНИ 0.1 to 4.5 ‰; Balchik 1.8 ‰ (bg.md §8)
        self.assertTrue(check_range(D('1.8'), D('0.1'), D('4.5')))
        self.assertTrue(check_range(D('0.1'), D('0.1'), D('4.5')))
        self.assertTrue(check_range(D('4.5'), D('0.1'), D('4.5')))
        self.assertFalse(check_range(D('4.51'), D('0.1'), D('4.5')))
        self.assertFalse(check_range(D('0.09'), D('0.1'), D('4.5')))
        # bg.md §1.2: ≤ 55 kW 0.34 to 1.20 per kW
        self.assertTrue(check_range(D('1.20'), D('0.34'), D('1.20')))
        self.assertTrue(check_range(D('9'), D('1'), None))

    def test_require_range(self):
        "A rate out of range raises OutOfRange with a code"
        self.assertEqual(
            require_range(D('2.2'), D('0.1'), D('4.5')), D('2.2'))
        with self.assertRaises(OutOfRange) as cm:
            require_range(D('5'), D('0.1'), D('4.5'), label="ДНИ")
        self.assertEqual(cm.exception.code, 'out_of_range')
        self.assertEqual(cm.exception.params['label'], "ДНИ")


class PropertyTaxTestCase(unittest.TestCase):
    "Test the immovable property tax"

    def test_published_sofia_2004(self):
        "bg.md §1.1: ДО 38 134.10 × 1.5 ‰ = 57.20 (fakti.bg)"
        result = property_tax(D('38134.10'), D('1.5'))
        self.assertEqual(result.amount, D('57.20'))
        self.assertIn(("Rate (‰)", D('1.5')), result.trace)
        self.assertIn("57.20", result.explain())

    def test_balchik_rate(self):
        "Balchik 1.8 ‰ (bg.md §8) on a hand-checked value"
        self.assertEqual(
            property_tax(D('50000'), D('1.8')).amount, D('90.00'))

    def test_reliefs(self):
        "50 % main dwelling, 75 % for 50–100 % reduced capacity"
        self.assertEqual(
            property_tax(D('50000'), D('1.8'), RELIEF_MAIN_DWELLING).amount,
            D('45.00'))
        self.assertEqual(
            property_tax(
                D('50000'), D('1.8'), RELIEF_MAIN_DWELLING_DISABLED).amount,
            D('22.50'))

    def test_relief_choice(self):
        "Relief by declarations (ЗМДТ чл. 25, bg.md §1.1)"
        self.assertEqual(property_relief(False), 0)
        self.assertEqual(property_relief(True), D('0.50'))
        self.assertEqual(property_relief(True, 49), D('0.50'))
        self.assertEqual(property_relief(True, 50), D('0.75'))
        self.assertEqual(property_relief(True, 100), D('0.75'))
        self.assertEqual(property_relief(True, D('71.5')), D('0.75'))
        self.assertEqual(
            property_relief(True, 80, main_dwellings_declared=2), 0)

    def test_share(self):
        "Share of ownership, a third, rounded once"
        # 12 345.67 × 1.8 ‰ = 22.222206; ÷ 3 = 7.407402
        result = property_tax(D('12345.67'), D('1.8'), share=Fraction(1, 3))
        self.assertEqual(result.amount, D('7.41'))
        self.assertIn(("Ownership share", '1/3'), result.trace)
        self.assertEqual(
            property_tax(D('50000'), D('1.8'), D('0.5'), D('0.5')).amount,
            D('22.50'))

    def test_half_up(self):
        "2 502.50 × 2 ‰ = 5.005 rounds to 5.01"
        self.assertEqual(
            property_tax(D('2502.50'), D('2')).amount, D('5.01'))

    def test_months_transfer(self):
        "Flat sold in September: up to and including September"
        # bg.md §1.1 (ЗМДТ чл. 28): the transferor owes the month of
        # transfer, so the acquirer starts in October
        sold = date(2026, 9, 15)
        self.assertEqual(property_months(2026, transferred=sold), 9)
        self.assertEqual(property_months(2026, acquired=sold), 3)
        self.assertEqual(
            property_tax(D('50000'), D('1.8'), months=9).amount, D('67.50'))
        self.assertEqual(
            property_tax(D('50000'), D('1.8'), months=3).amount, D('22.50'))

    def test_months_edges(self):
        "Months outside the year, first and last month"
        self.assertEqual(property_months(2026), 12)
        self.assertEqual(property_months(2026, acquired=date(2025, 5, 1)), 12)
        self.assertEqual(property_months(2026, acquired=date(2027, 1, 1)), 0)
        self.assertEqual(
            property_months(2026, transferred=date(2025, 12, 31)), 0)
        self.assertEqual(property_months(2026, acquired=date(2026, 12, 1)), 0)
        self.assertEqual(
            property_months(2026, transferred=date(2026, 1, 2)), 1)
        self.assertEqual(
            property_months(
                2026, acquired=date(2026, 3, 1),
                transferred=date(2026, 9, 30)), 6)
        self.assertEqual(
            months_due(2026, date(2026, 3, 1), date(2026, 3, 31)), 1)

    def test_bad_share(self):
        "Shares outside [0, 1] are refused"
        with self.assertRaises(ValueError):
            property_tax(D('1000'), D('1'), share=D('1.5'))


class WasteFeeTestCase(unittest.TestCase):
    "Test the household waste fee"
    rates = {
        'I': {
            WASTE_COLLECTION: D('2.5'), WASTE_TREATMENT: D('2'),
            WASTE_CLEANING: D('1.3')},
        'Кранево': {WASTE_COLLECTION: D('1.5'), WASTE_TREATMENT: D('2')},
        'rounding': {
            WASTE_COLLECTION: D('1.5'), WASTE_TREATMENT: D('1.5'),
            WASTE_CLEANING: D('1.5')},
        }

    def test_components(self):
        "One amount per service, by zone"
        result = waste_fee(D('50000'), 'I', self.rates)
        self.assertEqual(result.amount, D('290.00'))
        self.assertEqual(result.parts, (
                (WASTE_COLLECTION, D('125.00')),
                (WASTE_TREATMENT, D('100.00')),
                (WASTE_CLEANING, D('65.00'))))
        self.assertEqual(
            waste_fee(D('50000'), 'Кранево', self.rates).amount,
            D('175.00'))

    def test_sum_of_rounded(self):
        "bg.md §1.1: the total is the sum of the rounded services"
        # 1 003 × 1.5 ‰ = 1.5045 → 1.50 thrice = 4.50, not round(4.5135)
        result = waste_fee(D('1003'), 'rounding', self.rates)
        self.assertEqual(result.amount, D('4.50'))

    def test_exemption(self):
        "Collection exempt, treatment and cleaning still due"
        result = waste_fee(
            D('50000'), 'I', self.rates, exempt=[WASTE_COLLECTION])
        self.assertEqual(result.amount, D('165.00'))
        self.assertEqual(result.parts[0], (WASTE_COLLECTION, D('0.00')))

    def test_exemption_deadline(self):
        "bg.md §1.3: declared by 31 October of the previous year"
        deadline = date(2025, 10, 31)
        self.assertEqual(
            list(waste_exemptions(
                    {WASTE_COLLECTION: date(2025, 10, 31)}, deadline)),
            [WASTE_COLLECTION])
        self.assertEqual(
            waste_exemptions(
                {WASTE_COLLECTION: date(2025, 11, 1)}, deadline), {})
        exempt = waste_exemptions(
            {}, deadline, not_provided=[WASTE_CLEANING])
        result = waste_fee(D('50000'), 'I', self.rates, exempt=exempt)
        self.assertEqual(result.amount, D('225.00'))
        self.assertIn("service not provided", result.explain())

    def test_share_months(self):
        "Share and months apply to each service"
        result = waste_fee(
            D('50000'), 'I', self.rates, share=D('0.5'), months=9)
        # 125 × ½ × 9/12 = 46.875 → 46.88; 37.50; 24.375 → 24.38
        self.assertEqual(result.parts, (
                (WASTE_COLLECTION, D('46.88')),
                (WASTE_TREATMENT, D('37.50')),
                (WASTE_CLEANING, D('24.38'))))
        self.assertEqual(result.amount, D('108.76'))

    def test_unknown_zone(self):
        "An unknown zone raises a coded error"
        with self.assertRaises(RuleError) as cm:
            waste_fee(D('1'), 'X', self.rates)
        self.assertEqual(cm.exception.code, 'unknown_zone')


class VehicleTaxTestCase(unittest.TestCase):
    "Test the vehicle tax"

    def car(self, kw, age=16, euro_class='Euro 3', **kwargs):
        return car_tax(D(kw), age, euro_class, CAR_RATES, **kwargs).amount

    def test_example(self):
        "85 kW × 1.20 × 1.3 (12 years) × 0.80 (Euro 4) = 106.08"
        result = car_tax(D(85), 12, 'Euro 4', CAR_RATES)
        self.assertEqual(result.amount, D('106.08'))
        text = result.explain()
        for value in ['> 74 kW, ≤ 110 kW', '1.20', '1.3', '0.80']:
            self.assertIn(value, text)

    def test_property_component(self):
        """ГДПС = ИмК × ЕК with ИмК = kW × rate × Кгп, the property
        component shown unrounded in the trace and as its own formula"""
        result = car_tax(D(85), 12, 'Euro 4', CAR_RATES)
        trace = dict(result.trace)
        # 85 × 1.20 × 1.3 = 132.6; × 0.80 = 106.08
        self.assertEqual(trace["Property component (ИмК)"], '132.6')
        component, tax = result.formulas
        self.assertEqual(component[0], "Property component (ИмК)")
        self.assertEqual(
            [f.value for f in component[1]], [D(85), D('1.20'), D('1.3')])
        self.assertEqual(component[2], '132.6')
        self.assertEqual(
            [(f.value, f.symbol) for f in tax[1]],
            [('132.6', 'property_component'), (D('0.80'), 'eco_coefficient')])
        self.assertEqual(tax[2], D('106.08'))
        # 55.1 kW × 0.70 × 1.1 (over 20 years) = 42.427, never cut to
        # 42.43; × 1.00 (Euro 3) = 42.427 → 42.43
        result = car_tax(D('55.1'), 21, 'Euro 3', CAR_RATES)
        self.assertEqual(
            dict(result.trace)["Property component (ИмК)"], '42.427')
        self.assertEqual(result.amount, D('42.43'))

    def test_kw_bands(self):
        "Each band's limits (ЗМДТ чл. 55, bg.md §1.2), not progressive"
        # Кгп 1.0 and ЕК 1.00 leave kW × rate
        for kw, amount in [
                ('1', '0.50'), ('55', '27.50'), ('55.1', '38.57'),
                ('74', '51.80'), ('74.5', '89.40'), ('110', '132.00'),
                ('111', '155.40'), ('150', '210.00'), ('151', '271.80'),
                ('245', '441.00'), ('246', '541.20')]:
            with self.subTest(kw=kw):
                self.assertEqual(self.car(kw), D(amount))

    def test_age_bands(self):
        "Each age band's limits, 50 kW × 0.50 = 25 × Кгп"
        for age, amount in [
                (0, '57.50'), (5, '57.50'), (6, '37.50'), (10, '37.50'),
                (11, '32.50'), (15, '32.50'), (16, '25.00'), (20, '25.00'),
                (21, '27.50'), (40, '27.50')]:
            with self.subTest(age=age):
                self.assertEqual(self.car(50, age=age), D(amount))

    def test_age(self):
        "Age is tax year − year of manufacture"
        self.assertEqual(vehicle_age(2026, 2021), 5)
        self.assertEqual(vehicle_age(2026, 2026), 0)

    def test_eco(self):
        "Eco coefficient per class; no class takes its own coefficient"
        self.assertEqual(self.car(50, euro_class='Euro 6'), D('10.00'))
        self.assertEqual(self.car(50, euro_class=None), D('35.00'))
        with self.assertRaises(RuleError) as cm:
            self.car(50, euro_class='Euro 7')
        self.assertEqual(cm.exception.code, 'unknown_euro_class')

    def test_catalyst(self):
        "Catalyst reduction only up to 74 kW"
        # 60 × 0.70 × 1.0 × 1.40 = 58.80; − 20 % = 47.04
        self.assertEqual(
            self.car(60, euro_class='Euro 2', catalyst=True), D('47.04'))
        self.assertEqual(
            self.car(74, euro_class='Euro 2', catalyst=True), D('58.02'))
        # 75 × 1.20 × 1.40 = 126.00, no reduction
        self.assertEqual(
            self.car(75, euro_class='Euro 2', catalyst=True), D('126.00'))

    def test_months(self):
        "bg.md §1.2 (чл. 60): 1/12 per month from the acquisition month"
        bought = date(2026, 3, 10)
        self.assertEqual(vehicle_months(2026, acquired=bought), 10)
        self.assertEqual(
            vehicle_months(2026, acquired=date(2026, 12, 31)), 1)
        self.assertEqual(
            vehicle_months(2026, disposed=date(2026, 9, 5)), 9)
        self.assertEqual(
            vehicle_months(2026, acquired=date(2025, 6, 1)), 12)
        # 106.08 × 10/12 = 88.40; × 9/12 = 79.56; × 1/12 = 8.84
        for months, amount in [(10, '88.40'), (9, '79.56'), (1, '8.84')]:
            with self.subTest(months=months):
                self.assertEqual(
                    car_tax(
                        D(85), 12, 'Euro 4', CAR_RATES,
                        months=months).amount,
                    D(amount))

    def test_truck(self):
        "Trucks 3.5–12 t: per started 750 kg of payload (bg.md §1.2)"
        for payload, amount in [
                (1, '20.00'), (750, '20.00'), (751, '40.00'),
                (1500, '40.00'), (5000, '140.00')]:
            with self.subTest(payload=payload):
                self.assertEqual(
                    truck_tax(payload, D('20')).amount, D(amount))
        self.assertEqual(
            truck_tax(5000, D('20'), months=6).amount, D('70.00'))

    def test_motorcycles(self):
        "Motorcycle bands by cc (bg.md §1.2)"
        bands = tuple(zip(MOTORCYCLE_CC_LIMITS, map(D, (
                        '15', '30', '45', '60', '90', '120'))))
        for cc, amount in [
                (50, '15.00'), (125, '15.00'), (126, '30.00'),
                (250, '30.00'), (251, '45.00'), (350, '45.00'),
                (351, '60.00'), (490, '60.00'), (491, '90.00'),
                (750, '90.00'), (751, '120.00')]:
            with self.subTest(cc=cc):
                self.assertEqual(
                    banded_vehicle_tax(cc, bands, 'cc').amount, D(amount))
        self.assertEqual(
            banded_vehicle_tax(751, bands, 'cc', months=7).amount,
            D('70.00'))

    def test_moped(self):
        "Mopeds up to 50 cc; above it no moped band"
        bands = tuple(zip(MOPED_CC_LIMITS, [D('12')]))
        self.assertEqual(
            banded_vehicle_tax(50, bands, 'cc').amount, D('12.00'))
        with self.assertRaises(RuleError) as cm:
            banded_vehicle_tax(51, bands, 'cc')
        self.assertEqual(cm.exception.code, 'no_band')

    def test_tractors(self):
        "Tractors from 11 kW (bg.md §1.2)"
        bands = tuple(zip(TRACTOR_KW_LIMITS, map(D, ('5', '7', '10'))))
        for kw, amount in [
                ('10.9', '0.00'), ('11', '5.00'), ('18', '5.00'),
                ('18.5', '7.00'), ('37', '7.00'), ('38', '10.00')]:
            with self.subTest(kw=kw):
                self.assertEqual(
                    banded_vehicle_tax(
                        D(kw), bands, 'kW',
                        minimum=TRACTOR_KW_MINIMUM).amount,
                    D(amount))

    def test_three_wheelers(self):
        "Three-wheelers by 400 kg"
        bands = tuple(zip(THREE_WHEELER_KG_LIMITS, (D('4'), D('6'))))
        self.assertEqual(
            banded_vehicle_tax(400, bands, 'kg').amount, D('4.00'))
        self.assertEqual(
            banded_vehicle_tax(401, bands, 'kg').amount, D('6.00'))


class ScheduleTestCase(unittest.TestCase):
    "Test instalments, discounts and working-day shifting"

    def test_published_2020(self):
        "bg.md §1.1: 31 October 2020 (Saturday) moves to 2 November"
        result = annual_schedule(
            property_tax(D('50000'), D('1.8')),
            [date(2020, 6, 30), date(2020, 10, 31)], calendar(),
            discount_rate=D('5'), discount_deadline=date(2020, 4, 30))
        first, second = result.instalments
        self.assertEqual(
            (first.amount, first.due_date), (D('45.00'), date(2020, 6, 30)))
        self.assertEqual(
            (second.amount, second.due_date, second.statutory_date),
            (D('45.00'), date(2020, 11, 2), date(2020, 10, 31)))
        self.assertEqual(result.discount.due, D('85.50'))
        self.assertEqual(result.discount.amount, D('4.50'))
        self.assertEqual(result.discount.deadline, date(2020, 4, 30))
        self.assertIn("moved from 2020-10-31", result.explain())

    def test_odd_cent(self):
        "The odd cent goes to the last instalment by default"
        dates = [date(2026, 6, 30), date(2026, 10, 31)]
        self.assertEqual(
            [i.amount for i in split_instalments(
                    D('90.01'), dates, same_day)],
            [D('45.00'), D('45.01')])
        self.assertEqual(
            [i.amount for i in split_instalments(
                    D('90.01'), dates, same_day, remainder='first')],
            [D('45.01'), D('45.00')])
        quarters = [date(2026, m, 1) for m in (1, 4, 7, 10)]
        amounts = [i.amount for i in split_instalments(
                D('100.03'), quarters, same_day)]
        self.assertEqual(amounts, [D('25.00')] * 3 + [D('25.03')])
        self.assertEqual(sum(amounts), D('100.03'))

    def test_unrounded(self):
        "Instalments need an amount rounded to the cent"
        with self.assertRaises(ValueError):
            split_instalments(D('1.005'), [date(2026, 6, 30)], same_day)

    def test_holidays(self):
        "Holidays of the stub calendar shift, also after a weekend"
        next_working_day = calendar([date(2026, 6, 30), date(2026, 11, 2)])
        first, second = split_instalments(
            D('10.00'), [date(2026, 6, 30), date(2026, 10, 31)],
            next_working_day)
        self.assertEqual(first.due_date, date(2026, 7, 1))
        self.assertEqual(second.due_date, date(2026, 11, 3))

    def test_discount(self):
        "5 % for the whole year, half-up on the discounted amount"
        # bg.md §1.1: due = round2(annual × 0.95); 57.20 → 54.34
        for amount, due in [
                ('57.20', '54.34'), ('45.01', '42.76'), ('0.30', '0.29'),
                ('10.10', '9.60')]:
            with self.subTest(amount=amount):
                discount = early_discount(
                    D(amount), D('5'), date(2026, 4, 30), same_day)
                self.assertEqual(discount.due, D(due))
                self.assertEqual(discount.amount, D(amount) - D(due))

    def test_discount_deadline_shift(self):
        "30 April 2022 (Saturday) moves to 2 May"
        discount = early_discount(
            D('10.00'), D('5'), date(2022, 4, 30), calendar())
        self.assertEqual(discount.deadline, date(2022, 5, 2))

    def test_patent_balchik_2021(self):
        "bg.md §8: Balchik patent tax 2021: 01.02, 30.04, 02.08, 01.11"
        result = patent_tax(
            D('600'),
            [date(2021, 1, 31), date(2021, 4, 30), date(2021, 7, 31),
                date(2021, 10, 31)],
            D('5'), date(2021, 1, 31), calendar())
        self.assertEqual(
            [i.due_date for i in result.instalments],
            [date(2021, 2, 1), date(2021, 4, 30), date(2021, 8, 2),
                date(2021, 11, 1)])
        self.assertEqual(
            [i.amount for i in result.instalments], [D('150.00')] * 4)
        self.assertEqual(result.discount.due, D('570.00'))
        self.assertEqual(result.discount.deadline, date(2021, 2, 1))

    def test_no_discount(self):
        "Without a discount rate there is no discount"
        result = annual_schedule(
            property_tax(D('1000'), D('1')), [date(2026, 6, 30)], same_day)
        self.assertIsNone(result.discount)
        self.assertEqual(result.instalments[0].amount, D('1.00'))


class TouristAcquisitionTestCase(unittest.TestCase):
    "Test the tourist and acquisition taxes"
    # bg.md §1.4: Balchik 2011 per-night rates by stars (balchiktelegraph)
    rates = {1: D('0.20'), 2: D('0.30'), 3: D('0.40'), 4: D('0.50'),
        5: D('0.60')}

    def test_tourist(self):
        "Nights × rate per category, due the 15th of the next month"
        # 15 August 2026 is a Saturday
        result = tourist_tax(
            {2: 100, 4: 41}, self.rates, 2026, 7, 15, calendar())
        self.assertEqual(result.parts, ((2, D('30.00')), (4, D('20.50'))))
        self.assertEqual(result.amount, D('50.50'))
        self.assertEqual(result.due_date, date(2026, 8, 17))

    def test_tourist_december(self):
        "December is due in January of the next year"
        result = tourist_tax({5: 3}, self.rates, 2025, 12, 15, calendar())
        self.assertEqual(result.amount, D('1.80'))
        self.assertEqual(result.due_date, date(2026, 1, 15))

    def test_tourist_unknown_category(self):
        "A category without a rate raises a coded error"
        with self.assertRaises(RuleError) as cm:
            tourist_tax({6: 1}, self.rates, 2026, 1, 15, same_day)
        self.assertEqual(cm.exception.code, 'unknown_category')

    def test_acquisition(self):
        "Rate × the higher of price and assessment value (bg.md §1.6)"
        # Шумен 2020: 2.6 % onerous (bg.md §1.6)
        self.assertEqual(
            acquisition_tax(D('2.6'), D('40000'), D('55000')).amount,
            D('1430.00'))
        self.assertEqual(
            acquisition_tax(D('2.6'), D('60000'), D('55000')).amount,
            D('1560.00'))
        # Donation between siblings, 0.7 %, on the assessment value
        self.assertEqual(
            acquisition_tax(D('0.7'), D('12345.67')).amount, D('86.42'))


class EuroTestCase(unittest.TestCase):
    "Test the ЗВЕРБ conversion"

    def test_published(self):
        "bg.md §5: 65 → 33.23, 1.95 → 1.00, 2000 → 1022.58 / 1022.59"
        self.assertEqual(bgn_to_eur(D('65')).eur, D('33.23'))
        self.assertEqual(bgn_to_eur(D('1.95')).eur, D('1.00'))
        self.assertEqual(bgn_to_eur(D('2000')).eur, D('1022.58'))
        conversion = bgn_to_eur(D('2000'), WEAKER_PARTY)
        self.assertEqual(conversion.eur, D('1022.59'))
        self.assertEqual(conversion.bgn, D('2000'))
        self.assertEqual(conversion.rounding, 'weaker_party')

    def test_hand_checked(self):
        "Exact rate, a tie, negatives and statutory ranges"
        self.assertEqual(bgn_to_eur(D('1.95583')).eur, D('1.00'))
        self.assertEqual(
            bgn_to_eur(D('1.95583'), WEAKER_PARTY).eur, D('1.00'))
        # 0.00977915 BGN is exactly 0.005 EUR
        self.assertEqual(bgn_to_eur(D('0.00977915')).eur, D('0.01'))
        self.assertEqual(bgn_to_eur(D('0.00977914')).eur, D('0.00'))
        self.assertEqual(
            bgn_to_eur(D('0.00977914'), WEAKER_PARTY).eur, D('0.01'))
        self.assertEqual(bgn_to_eur(D('-65')).eur, D('-33.23'))
        # bg.md §1.4 tourist range 0.20–3.00 лв recomputed per bg.md
        self.assertEqual(bgn_to_eur(D('0.20')).eur, D('0.10'))
        self.assertEqual(bgn_to_eur(D('3.00')).eur, D('1.53'))

    def test_quotient(self):
        "The unrounded quotient is kept and shown before the rounding"
        conversion = bgn_to_eur(D('65'))
        # 65 / 1.95583 = 33.2339722777…
        self.assertEqual(conversion.quotient,
            Fraction(65) / Fraction(D('1.95583')))
        self.assertEqual(
            dict(conversion.trace)["Quotient (unrounded)"], '33.23397227…')
        # exact quotients are shown whole, without an ellipsis
        self.assertEqual(dict(bgn_to_eur(D('0.00977915')).trace)[
                "Quotient (unrounded)"], '0.005')
        self.assertEqual(dict(bgn_to_eur(D('1.95583')).trace)[
                "Quotient (unrounded)"], '1')

    def test_bad_rounding(self):
        "Only the two ЗВЕРБ modes"
        with self.assertRaises(ValueError):
            bgn_to_eur(D('1'), ROUND_DOWN)


class IdentifierTestCase(unittest.TestCase):
    "Test the identifiers (bg.md §7.3)"

    def assertInvalid(self, function, number, code):
        with self.assertRaises(InvalidIdentifier) as cm:
            function(number)
        self.assertEqual(cm.exception.code, code, number)
        return cm.exception

    def test_compact(self):
        "Spaces, dots, hyphens and a leading BG are removed"
        self.assertEqual(compact_identifier(' bg 175.074-752 '), '175074752')
        self.assertEqual(compact_identifier('752316 926 3'), '7523169263')

    def test_egn(self):
        "ЕГН examples of python-stdnum; order: format, length, date, check"
        for number in ['7523169263', '752316 926 3', '8032056031',
                '7542011030']:
            with self.subTest(number=number):
                self.assertEqual(
                    validate_egn(number), compact_identifier(number))
        self.assertInvalid(validate_egn, '7552A10004', 'invalid_format')
        self.assertInvalid(validate_egn, '752316926', 'invalid_length')
        self.assertInvalid(validate_egn, '8019010008', 'invalid_birth_date')
        self.assertInvalid(validate_egn, '7523169264', 'invalid_checksum')
        # Digits before length, length before the date
        self.assertInvalid(validate_egn, '80190100A', 'invalid_format')
        self.assertInvalid(validate_egn, '801901000', 'invalid_length')
        # The date before the check digit
        self.assertInvalid(validate_egn, '8019010009', 'invalid_birth_date')
        error = self.assertInvalid(
            validate_egn, '7552A10004', 'invalid_format')
        self.assertEqual(error.params['kind'], 'bg_egn')

    def test_pnf(self):
        "ЛНЧ examples of python-stdnum"
        self.assertEqual(validate_pnf('7111 042 925'), '7111042925')
        self.assertInvalid(validate_pnf, '7111042922', 'invalid_checksum')
        self.assertInvalid(validate_pnf, '71110A2922', 'invalid_format')
        self.assertInvalid(validate_pnf, '711104292', 'invalid_length')

    def test_eik9(self):
        "9-digit ЕИК (python-stdnum; st0yanov/eik_validator examples)"
        for number in ['175074752', 'BG 175 074 752', 'bg175074752',
                '020469788', '201355508', '201968703']:
            with self.subTest(number=number):
                self.assertEqual(
                    validate_eik(number), compact_identifier(number))
        self.assertInvalid(validate_eik, '175074751', 'invalid_checksum')
        self.assertInvalid(validate_eik, '123456789', 'invalid_checksum')
        self.assertInvalid(validate_eik, '12345678a', 'invalid_format')
        # bg.vat accepts 10-digit ЕГН, an ЕИК field must not
        self.assertInvalid(validate_eik, '7523169263', 'invalid_length')
        self.assertInvalid(validate_eik, '', 'invalid_format')

    def test_eik13(self):
        "13-digit БУЛСТАТ: our check digit (bg.md §7.3)"
        # st0yanov/eik_validator: 1213961230342 valid, 1234567891234 not
        self.assertEqual(validate_eik('1213961230342'), '1213961230342')
        self.assertInvalid(validate_eik, '1234567891234', 'invalid_checksum')
        self.assertInvalid(validate_eik, '1213961230343', 'invalid_checksum')
        # Hand-checked: 3,0,0,3 × 2,7,3,5 = 21 ≡ 10; × 4,9,5,7 = 33 ≡ 0
        self.assertEqual(calc_bulstat13_check_digit('121396123003'), '0')
        self.assertEqual(validate_eik('1213961230030'), '1213961230030')
        # 3,0,7,1: 32 ≡ 10, then 54 ≡ 10 again, so 0
        self.assertEqual(calc_bulstat13_check_digit('121396123071'), '0')
        self.assertEqual(validate_eik('1213961230710'), '1213961230710')
        self.assertInvalid(validate_eik, '1213961230711', 'invalid_checksum')
        # A bad 9-digit stem fails even with a matching 13th digit
        self.assertEqual(calc_bulstat13_check_digit('121396124034'), '4')
        self.assertInvalid(validate_eik, '1213961240344', 'invalid_checksum')
        self.assertInvalid(validate_eik, '12139612303', 'invalid_length')

    def test_dispatch(self):
        "validate_identifier dispatches on the party identifier type"
        self.assertEqual(
            validate_identifier('bg_eik', '175074752'), '175074752')
        self.assertEqual(
            validate_identifier('bg_egn', '8032056031'), '8032056031')
