# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from ..rates_ro import (
    BUS, CAR, MOTORCYCLE, TABLES, rates_for)
from ..rules import (
    ELECTRIC, HYBRID, OutOfRange, Result, RuleError, add_months,
    age_reduction, annual_schedule, bonus, building_age,
    building_reference_year,
    building_taxable_value, cc_groups, construction_permit_fee,
    construction_permit_regularisation, euro_column, land_tax_extravilan,
    land_tax_intravilan, legal_person_building_tax, mixed_building_tax,
    months_owed, nonresidential_building_tax, residential_building_tax,
    round_lei, shift, split_instalments, tourist_promotion_tax, trailer_tax,
    truck_tax, urbanism_certificate_fee, vehicle_tax,
    within_valuation_years)

D = Decimal
date = dt.date
# hypothesis: no deadline on a shared machine, no example database
SETTINGS = settings(deadline=None, database=None)

_RO = holidays.country_holidays('RO', years=range(2015, 2031))


def next_working_day(day):
    "Romania's calendar: weekends and the public holidays"
    while day.weekday() >= 5 or day in _RO:
        day += dt.timedelta(days=1)
    return day


def residential(day):
    return rates_for('building_residential', day)


class RoundingTestCase(unittest.TestCase):
    "HG 1/2016, Titlul IX, pct. 11 lit. n)"

    def test_round_lei(self):
        for value, expected in [
                ('0', 0), ('0.49', 0), ('0.4999', 0), ('0.50', 1),
                ('1.49', 1), ('1.5', 2), ('615.71', 616), ('991.90', 992),
                ('-0.5', -1), ('-0.49', 0)]:
            with self.subTest(value=value):
                self.assertEqual(round_lei(D(value)), D(expected))

    def test_round_lei_exact_fraction(self):
        self.assertEqual(round_lei(Fraction(1, 2)), 1)
        self.assertEqual(round_lei(Fraction(499999, 1000000)), 0)

    def test_float_refused(self):
        with self.assertRaises(TypeError):
            round_lei(0.5)

    @SETTINGS
    @given(st.decimals(min_value=0, max_value=10 ** 9, places=4))
    def test_round_lei_nearest(self, value):
        "The result is whole and within half a leu, ties up"
        result = round_lei(value)
        self.assertEqual(result, result.to_integral_value())
        self.assertLessEqual(abs(result - value), D('0.5'))
        if result - value == D('-0.5'):
            self.fail("tie rounded down")


class RatesTestCase(unittest.TestCase):

    def test_rates_by_date(self):
        "2024, 2025 and 2026 assessments use the law in force"
        self.assertEqual(residential(date(2024, 1, 1)).values['A'],
            (D(1000), D(600)))
        self.assertEqual(residential(date(2025, 1, 1)).values['A'],
            (D(1492), D(894)))
        self.assertEqual(residential(date(2025, 12, 31)).values['B'],
            (D(447), D(299)))
        jan = residential(date(2026, 1, 1))
        self.assertEqual(jan.values['A'], (D(2677), None))
        self.assertEqual(jan.age_reductions, ())
        self.assertIsNone(jan.block_reduction)
        march = residential(date(2026, 3, 1))
        self.assertEqual(march.values['B'][0], D(803))
        self.assertEqual(age_reduction(60, march), D('0.15'))
        self.assertEqual(rates_for('vehicle', date(2025, 12, 31)).electric,
            None)
        self.assertEqual(rates_for('vehicle', date(2026, 1, 1)).electric,
            D(40))
        self.assertEqual(rates_for('late_payment', date(2015, 12, 31)).rate,
            D(2))
        self.assertEqual(rates_for('late_payment', date(2016, 1, 1)).rate,
            D(1))

    def test_no_rates(self):
        with self.assertRaises(RuleError) as cm:
            rates_for('building_residential', date(2015, 12, 31))
        self.assertEqual(cm.exception.code, 'no_rates')
        with self.assertRaises(RuleError) as cm:
            rates_for('nothing', date(2026, 1, 1))
        self.assertEqual(cm.exception.code, 'unknown_table')

    def test_tables_in_order(self):
        for name, versions in TABLES.items():
            dates = [v.valid_from for v in versions]
            with self.subTest(table=name):
                self.assertEqual(dates, sorted(dates))
                self.assertTrue(all(v.legal_basis for v in versions))

    def test_coefficients(self):
        "Art. 457 (6): the table by zone and rank"
        rates = residential(date(2026, 1, 1))
        self.assertEqual(rates.coefficients[('A', 0)], D('2.60'))
        self.assertEqual(rates.coefficients[('A', 3)], D('2.30'))
        self.assertEqual(rates.coefficients[('D', 5)], D('0.90'))
        self.assertEqual(rates.coefficients[('C', 4)], D('1.00'))
        self.assertEqual(len(rates.coefficients), 24)


class ResidentialBuildingTestCase(unittest.TestCase):

    def test_2026_type_a(self):
        "100 m² type A with utilities, zone A, rank III (Năvodari), 0.1 %"
        rates = residential(date(2026, 1, 1))
        value = building_taxable_value(D(100), 'A', True, 'A', 3, rates)
        # 100 × 2 677 × 2.30
        self.assertEqual(value.amount, D('615710.00'))
        self.assertEqual(value.values['coefficient'], D('2.30'))
        self.assertEqual(value.values['value_per_m2'], 2677)
        tax = residential_building_tax(value, D('0.1'), rates, age=60)
        # 615.71 lei: no age reduction from 1 January 2026
        self.assertEqual(tax.amount, D(616))
        self.assertNotIn('age_reduction', tax.values)
        self.assertEqual(tax.values['taxable_value'], 615710)
        self.assertIn(("Correction coefficient", D('2.30')), tax.trace)
        self.assertIn(("Taxable value (lei)", 615710), tax.trace)
        self.assertIn("Amount (whole lei): 616", tax.explain())

    def test_2026_after_february_ordinance(self):
        "OUG of 27.02.2026: 15 % for 50 to 100 years"
        rates = residential(date(2026, 3, 1))
        value = building_taxable_value(D(100), 'A', True, 'A', 3, rates)
        tax = residential_building_tax(value, D('0.1'), rates, age=60)
        # 615 710 × 0.85 × 0.1 % = 523.3535
        self.assertEqual(tax.values['age_reduction'], D('0.15'))
        self.assertEqual(tax.values['tax'], Fraction('523.3535'))
        self.assertEqual(tax.amount, D(523))

    def test_2025_with_age_and_block(self):
        rates = residential(date(2025, 1, 1))
        value = building_taxable_value(D(100), 'A', True, 'A', 3, rates,
            block=True)
        # coefficient 2.30 − 0.10 = 2.20; 100 × 1 492 × 2.20 = 328 240
        self.assertEqual(value.values['coefficient'], D('2.20'))
        self.assertEqual(value.amount, D('328240.00'))
        tax = residential_building_tax(value, D('0.1'), rates, age=60)
        # 328 240 × 0.70 × 0.1 % = 229.768
        self.assertEqual(tax.amount, D(230))

    def test_2024_code_base_and_council_values(self):
        "Before 2025 the council's indexed values replace the code base"
        rates = residential(date(2024, 1, 1))
        value = building_taxable_value(D(80), 'B', False, 'C', 3, rates)
        # 80 × 200 × 2.10 = 33 600; × 0.08 % = 26.88
        self.assertEqual(value.amount, D('33600.00'))
        self.assertEqual(residential_building_tax(
                value, D('0.08'), rates).amount, D(27))
        council = replace(rates, values=dict(rates.values,
                B=(D(400), D(267))))
        value = building_taxable_value(D(80), 'B', False, 'C', 3, council)
        self.assertEqual(value.amount, D('44856.00'))

    def test_age_bands_until_2025(self):
        rates = residential(date(2025, 1, 1))
        for age, expected in [
                (0, 0), (29, 0), (30, '0.10'), (50, '0.10'), (51, '0.30'),
                (100, '0.30'), (101, '0.50'), (200, '0.50')]:
            with self.subTest(age=age):
                self.assertEqual(age_reduction(age, rates), D(expected))

    def test_age_bands_2026(self):
        rates = residential(date(2026, 3, 1))
        for age, expected in [
                (49, 0), (50, '0.15'), (100, '0.15'), (101, '0.25')]:
            with self.subTest(age=age):
                self.assertEqual(age_reduction(age, rates), D(expected))
        self.assertEqual(building_age(2026, 1926), 100)

    def test_major_renovation(self):
        "The renovation resets the year from 25 %, 50 % since Feb 2026"
        works = [(2010, D('0.30')), (2018, D('0.10'))]
        self.assertEqual(building_reference_year(1960, works,
                residential(date(2025, 1, 1))), 2010)
        self.assertEqual(building_reference_year(1960, works,
                residential(date(2026, 3, 1))), 1960)
        self.assertEqual(building_reference_year(1960, [(2010, D('0.5'))],
                residential(date(2026, 3, 1))), 2010)
        self.assertEqual(building_reference_year(1960, works,
                residential(date(2026, 1, 1))), 1960)

    def test_useful_area(self):
        "Art. 457 (5): useful area × 1.4"
        rates = residential(date(2026, 1, 1))
        value = building_taxable_value(D(50), 'A', True, 'A', 3, rates,
            useful_area=True)
        self.assertEqual(value.values['area'], 70)
        self.assertEqual(value.amount, D('430997.00'))  # 70×2677×2.3

    def test_basement(self):
        "Rooms in the basement used as dwelling: 75 % of the value"
        rates = residential(date(2025, 1, 1))
        value = building_taxable_value(D(20), 'A', True, 'B', 3, rates,
            basement='E')
        # 20 × 1 492 × 0.75 × 2.20
        self.assertEqual(value.amount, D('49236.00'))
        value = building_taxable_value(D(20), 'A', True, 'B', 3, rates,
            basement='F')
        self.assertEqual(value.amount, D('32824.00'))

    def test_missing_value(self):
        "A 2026 value the sources do not give is the council's to load"
        rates = residential(date(2026, 1, 1))
        with self.assertRaises(RuleError) as cm:
            building_taxable_value(D(100), 'A', False, 'A', 3, rates)
        self.assertEqual(cm.exception.code, 'missing_rate')
        with self.assertRaises(RuleError) as cm:
            building_taxable_value(D(100), 'A', True, 'E', 3, rates)
        self.assertEqual(cm.exception.code, 'unknown_zone')
        with self.assertRaises(RuleError) as cm:
            building_taxable_value(D(100), 'X', True, 'A', 3, rates)
        self.assertEqual(cm.exception.code, 'unknown_building_type')

    def test_rate_range(self):
        rates = residential(date(2026, 1, 1))
        for rate in ('0.08', '0.2'):
            residential_building_tax(D(1000), D(rate), rates)
        for rate in ('0.07', '0.21'):
            with self.subTest(rate=rate), self.assertRaises(OutOfRange):
                residential_building_tax(D(1000), D(rate), rates)

    def test_disability(self):
        rates = residential(date(2026, 3, 1))
        tax = residential_building_tax(
            D(615710), D('0.1'), rates, disability='grav')
        # 615.71 × 50 % = 307.855
        self.assertEqual(tax.amount, D(308))
        tax = residential_building_tax(
            D(615710), D('0.1'), rates, disability='accentuat')
        self.assertEqual(tax.amount, D(462))  # 461.7825
        with self.assertRaises(RuleError):
            residential_building_tax(D(615710), D('0.1'),
                residential(date(2026, 1, 1)), disability='grav')

    def test_share_and_months(self):
        rates = residential(date(2026, 1, 1))
        tax = residential_building_tax(
            D(615710), D('0.1'), rates, share=Fraction(1, 2), months=9)
        # 615.71 / 2 × 9/12 = 230.89125
        self.assertEqual(tax.amount, D(231))
        self.assertEqual(months_owed(2026, acquired=date(2026, 3, 15)), 9)
        self.assertEqual(months_owed(2026, acquired=date(2026, 12, 1)), 0)
        self.assertEqual(months_owed(2026, disposed=date(2026, 3, 15)), 3)
        self.assertEqual(months_owed(2026, acquired=date(2025, 5, 1)), 12)


class OtherBuildingTestCase(unittest.TestCase):

    def setUp(self):
        self.rates = rates_for('building', date(2026, 1, 1))

    def test_valuation_years(self):
        self.assertTrue(within_valuation_years(2021, 2026, self.rates))
        self.assertTrue(within_valuation_years(2026, 2026, self.rates))
        self.assertFalse(within_valuation_years(2020, 2026, self.rates))

    def test_nonresidential_with_valuation(self):
        tax = nonresidential_building_tax(D('1'), self.rates, 2026,
            value=D(500000), value_year=2022, value_source='valuation')
        self.assertEqual(tax.amount, D(5000))
        self.assertEqual(tax.values['value_source'], 'valuation')
        with self.assertRaises(OutOfRange):
            nonresidential_building_tax(D('1.4'), self.rates, 2026,
                value=D(500000), value_year=2022, value_source='valuation')

    def test_nonresidential_fallback(self):
        "Art. 458 (4): no value of the last 5 years, 2 % of art. 457's"
        tax = nonresidential_building_tax(D('1'), self.rates, 2026,
            value=D(500000), value_year=2020, value_source='valuation',
            fallback_value=D(123456))
        # 123 456 × 2 % = 2 469.12
        self.assertEqual(tax.amount, D(2469))
        self.assertEqual(tax.values['rate'], 2)
        with self.assertRaises(RuleError):
            nonresidential_building_tax(D('1'), self.rates, 2026)

    def test_nonresidential_agricultural(self):
        tax = nonresidential_building_tax(D('1'), self.rates, 2026,
            value=D(100000), value_year=2024, value_source='works',
            agricultural=True)
        self.assertEqual(tax.amount, D(400))

    def test_mixed_rounds_once(self):
        "Art. 459: the two parts are added exactly, then rounded"
        rates = residential(date(2026, 1, 1))
        home = residential_building_tax(D(400), D('0.1'), rates)
        shop = nonresidential_building_tax(D('0.2'), self.rates, 2026,
            value=D(200), value_year=2025)
        # 0.40 + 0.40 = 0.80 → 1 leu, where each alone rounds to 0
        self.assertEqual((home.amount, shop.amount), (0, 0))
        tax = mixed_building_tax(home, shop)
        self.assertEqual(tax.amount, D(1))
        self.assertEqual([p for p, _ in tax.parts],
            ['residential', 'nonresidential'])

    def test_legal_person(self):
        rates = self.rates
        self.assertEqual(legal_person_building_tax(D(1000000), D('0.2'),
                rates, 2026, 2024, residential=True).amount, D(2000))
        self.assertEqual(legal_person_building_tax(D(1000000), D('1.3'),
                rates, 2026, 2021).amount, D(13000))
        self.assertEqual(legal_person_building_tax(D(1000000), D('1.3'),
                rates, 2026, 2021, agricultural=True).amount, D(4000))
        with self.assertRaises(OutOfRange):
            legal_person_building_tax(D(1000000), D('0.3'), rates, 2026,
                2024, residential=True)

    def test_legal_person_not_revalued(self):
        "Art. 460 (8): not revalued in the last 5 years, 5 %"
        tax = legal_person_building_tax(D(1000000), D('1'), self.rates,
            2026, 2020)
        self.assertEqual(tax.amount, D(50000))
        self.assertFalse(tax.values['revalued'])


class LandTestCase(unittest.TestCase):
    "Council amounts (the code's figures are UNVERIFIED in ro.md)"

    amounts = {('A', 3): D(8000), ('arabil', 'A'): D(30)}

    def test_constructions(self):
        tax = land_tax_intravilan(D(500), 'A', 3, self.amounts)
        # 0.05 ha × 8 000
        self.assertEqual(tax.amount, D(400))
        self.assertEqual(tax.values['area_ha'], Fraction(1, 20))

    def test_other_category(self):
        tax = land_tax_intravilan(D(12345), 'A', 3, self.amounts,
            category='arabil', rank_coefficients={3: D(3)})
        # 1.2345 ha × 30 × 3 = 111.105
        self.assertEqual(tax.amount, D(111))
        with self.assertRaises(RuleError) as cm:
            land_tax_intravilan(D(100), 'A', 3, self.amounts,
                category='arabil')
        self.assertEqual(cm.exception.code, 'missing_rate')
        with self.assertRaises(RuleError):
            land_tax_intravilan(D(100), 'B', 3, self.amounts)

    def test_disability(self):
        tax = land_tax_intravilan(D(500), 'A', 3, self.amounts,
            disability='accentuat',
            disability_reductions={'accentuat': D('0.25')})
        self.assertEqual(tax.amount, D(300))

    def test_extravilan(self):
        tax = land_tax_extravilan(D(25000), 'arabil', {'arabil': D(50)},
            D('2.30'))
        # 2.5 ha × 50 × 2.30 = 287.5
        self.assertEqual(tax.amount, D(288))
        self.assertEqual(tax.values['coefficient'], D('2.30'))


class VehicleTestCase(unittest.TestCase):

    def setUp(self):
        self.code = rates_for('vehicle', date(2025, 1, 1))
        self.new = rates_for('vehicle', date(2026, 1, 1))

    def test_groups(self):
        for cc, groups in [(1, 1), (199, 1), (200, 1), (201, 2),
                (1600, 8), (1601, 9), (2499, 13), (3000, 15), (3001, 16)]:
            with self.subTest(cc=cc):
                self.assertEqual(cc_groups(cc), groups)

    @SETTINGS
    @given(st.integers(min_value=1, max_value=20000))
    def test_groups_cover(self, cc):
        groups = cc_groups(cc)
        self.assertLess((groups - 1) * 200, cc)
        self.assertLessEqual(cc, groups * 200)

    def test_code_band_edges(self):
        "Each band edge, code base levels until 2025"
        for category, cc, expected in [
                (CAR, 1600, 8 * 8), (CAR, 1601, 9 * 18),
                (CAR, 2000, 10 * 18), (CAR, 2001, 11 * 72),
                (CAR, 2600, 13 * 72), (CAR, 2601, 14 * 144),
                (CAR, 3000, 15 * 144), (CAR, 3001, 16 * 290),
                (MOTORCYCLE, 1600, 8 * 8), (MOTORCYCLE, 1601, 9 * 9),
                (BUS, 5000, 25 * 24)]:
            with self.subTest(category=category, cc=cc):
                self.assertEqual(
                    vehicle_tax(category, cc, self.code).amount,
                    D(expected))

    def test_council_levels(self):
        "The council's indexed level replaces the code base"
        tax = vehicle_tax(CAR, 1995, self.code, units={(CAR, 2000): D(20)})
        self.assertEqual(tax.amount, D(200))
        self.assertEqual(tax.values['unit'], 20)
        with self.assertRaises(RuleError) as cm:
            vehicle_tax('registered', 1000, self.code)
        self.assertEqual(cm.exception.code, 'missing_rate')

    def test_hybrid_2026_published(self):
        "ro.md §2.5: 2 499 cm³ hybrid → 13 × 76.3 = 991.90 → 992 lei"
        tax = vehicle_tax(CAR, 2499, self.new, euro_norm=6,
            propulsion=HYBRID, co2=D(110))
        self.assertEqual(tax.values['groups'], 13)
        self.assertEqual(tax.values['column'], HYBRID)
        self.assertEqual(tax.values['tax'], Fraction('991.9'))
        self.assertEqual(tax.amount, D(992))

    def test_2026_band_edges(self):
        for cc, norm, expected in [
                (1600, 6, '132'),  # 8 × 16.5
                (1601, 6, '226'),  # 9 × 25.1 = 225.9
                (2000, 4, '285'),  # 10 × 28.5
                (2001, 5, '911'),  # 11 × 82.8 = 910.8
                (2600, 3, '1199'),  # 13 × 92.2 = 1 198.6
                (2601, 0, '2561'),  # 14 × 182.9 = 2 560.6
                (3000, 6, '2268'),  # 15 × 151.2
                (3001, 2, '5104'),  # 16 × 319
                ]:
            with self.subTest(cc=cc, norm=norm):
                self.assertEqual(vehicle_tax(CAR, cc, self.new,
                        euro_norm=norm).amount, D(expected))
        # the council's level for the band, by column, with its quota
        council = {(CAR, None): {'euro6': D('330')}}
        self.assertEqual(vehicle_tax(CAR, 3001, self.new, euro_norm=6,
                units=council).amount, D(5280))
        with self.assertRaises(RuleError) as cm:
            vehicle_tax(CAR, 3001, self.new, euro_norm=6)
        self.assertEqual(cm.exception.code, 'missing_rate')
        with self.assertRaises(RuleError) as cm:
            vehicle_tax(CAR, 1600, self.new)
        self.assertEqual(cm.exception.code, 'missing_euro_norm')

    def test_euro_column(self):
        self.assertEqual([euro_column(n) for n in range(8)], [
                'euro3', 'euro3', 'euro3', 'euro3', 'euro4', 'euro5',
                'euro6', 'euro6'])

    def test_electric(self):
        self.assertEqual(vehicle_tax(CAR, 0, self.new,
                propulsion=ELECTRIC).amount, D(40))
        self.assertEqual(vehicle_tax(CAR, 0, self.new, propulsion=ELECTRIC,
                months=6).amount, D(20))
        with self.assertRaises(RuleError):
            vehicle_tax(CAR, 0, self.code, propulsion=ELECTRIC)
        self.assertEqual(vehicle_tax(CAR, 0, self.code, propulsion=ELECTRIC,
                units={('electric', None): D(80)}).amount, D(80))

    def test_hybrid_low_co2_reduction(self):
        "2026: hybrids ≤ 50 g CO₂/km, by Euro norm, at most 30 % off"
        tax = vehicle_tax(CAR, 2499, self.new, euro_norm=6,
            propulsion=HYBRID, co2=D(50), hybrid_reduction=D('0.30'))
        # 13 × 77.8 = 1 011.4 × 0.70 = 707.98
        self.assertEqual(tax.values['column'], 'euro6')
        self.assertEqual(tax.amount, D(708))
        with self.assertRaises(OutOfRange):
            vehicle_tax(CAR, 2499, self.new, euro_norm=6,
                propulsion=HYBRID, co2=D(50), hybrid_reduction=D('0.31'))
        with self.assertRaises(RuleError) as cm:
            vehicle_tax(CAR, 2499, self.new, euro_norm=6,
                propulsion=HYBRID, co2=D(51), hybrid_reduction=D('0.30'))
        self.assertEqual(cm.exception.code, 'hybrid_reduction_co2')

    def test_hybrid_before_2026(self):
        "Councils could reduce hybrids by 50 % to 100 % (Ploiești 95 %)"
        tax = vehicle_tax(CAR, 1598, self.code, propulsion=HYBRID,
            hybrid_reduction=D('0.95'))
        # 8 × 8 × 5 % = 3.2
        self.assertEqual(tax.amount, D(3))
        with self.assertRaises(OutOfRange):
            vehicle_tax(CAR, 1598, self.code, propulsion=HYBRID,
                hybrid_reduction=D('0.40'))

    def test_disability(self):
        tax = vehicle_tax(CAR, 1598, self.new, euro_norm=6,
            disability='grav')
        self.assertEqual(tax.amount, D(66))
        tax = vehicle_tax(CAR, 1999, self.new, euro_norm=6,
            disability='accentuat')
        # 10 × 25.1 × 75 % = 188.25
        self.assertEqual(tax.amount, D(188))
        with self.assertRaises(RuleError):
            vehicle_tax(CAR, 2000, self.new, euro_norm=6, disability='grav')
        with self.assertRaises(RuleError):
            vehicle_tax(CAR, 1598, self.code, disability='grav')

    def test_trailer(self):
        bands = ((1000, D(9)), (3000, D(34)), (5000, D(52)), (None, D(64)))
        for mass, expected in [(1000, 9), (1001, 34), (3000, 34),
                (3001, 52), (5000, 52), (5001, 64)]:
            with self.subTest(mass=mass):
                self.assertEqual(trailer_tax(mass, bands).amount,
                    D(expected))

    def test_truck(self):
        "ro.md §2.5: 2 axles 12–13 t: 0 / 142 lei"
        table = ((2, 12, 13, D(0), D(142)), (2, 13, 14, D(142), D(395)))
        self.assertEqual(truck_tax(2, D('12.5'), table,
                pneumatic=False).amount, D(142))
        self.assertEqual(truck_tax(2, D('12.5'), table).amount, D(0))
        self.assertEqual(truck_tax(2, D(13), table).amount, D(142))
        with self.assertRaises(RuleError):
            truck_tax(3, D(13), table)


class FeeTestCase(unittest.TestCase):

    amounts = (D(6), D(7), D(9), D(12), D(14), D(14))

    def setUp(self):
        self.urbanism = rates_for('urbanism_certificate', date(2026, 1, 1))
        self.permit = rates_for('construction_permit', date(2026, 1, 1))

    def test_urbanism_bands(self):
        for area, expected in [(150, 6), (151, 7), (250, 7), (251, 9),
                (1000, 14), (1001, 14), (1500, 19), (1549, 19), (1550, 20)]:
            with self.subTest(area=area):
                self.assertEqual(urbanism_certificate_fee(
                        D(area), self.amounts, self.urbanism).amount,
                    D(expected))

    def test_urbanism_rural_and_extension(self):
        # 19 × 50 % = 9.5 → 10
        tax = urbanism_certificate_fee(D(1500), self.amounts, self.urbanism,
            rural=True)
        self.assertEqual(tax.amount, D(10))
        tax = urbanism_certificate_fee(D(100), self.amounts, self.urbanism,
            extension=True)
        self.assertEqual(tax.amount, D(2))  # 1.8

    def test_urbanism_range(self):
        with self.assertRaises(OutOfRange):
            urbanism_certificate_fee(D(100),
                (D(7),) + self.amounts[1:], self.urbanism)
        with self.assertRaises(RuleError):
            urbanism_certificate_fee(D(100), self.amounts[1:],
                self.urbanism)

    def test_construction_permit(self):
        self.assertEqual(construction_permit_fee(D(200000),
                self.permit).amount, D(1000))
        self.assertEqual(construction_permit_fee(D(200000), self.permit,
                residential=False).amount, D(2000))
        self.assertEqual(construction_permit_fee(D(200000), self.permit,
                extension=True).amount, D(300))
        self.assertEqual(construction_permit_fee(D(50000), self.permit,
                demolition=True).amount, D(50))
        self.assertEqual(construction_permit_fee(D(12345), self.permit,
                ).amount, D(62))  # 61.725

    def test_regularisation(self):
        result = construction_permit_regularisation(D(1000), D(250000),
            self.permit)
        self.assertEqual(result.amount, D(250))
        result = construction_permit_regularisation(D(1000), D(150000),
            self.permit)
        self.assertEqual(result.amount, D(-250))


class TouristTaxTestCase(unittest.TestCase):

    def test_monthly(self):
        "Năvodari: 1 % of the price ex VAT, by the 10th of next month"
        tax = tourist_promotion_tax(D('123456.78'), D(1), 2026, 7,
            next_working_day)
        self.assertEqual(tax.amount, D(1235))
        self.assertEqual(tax.due_date, date(2026, 8, 10))

    def test_exempt_and_december(self):
        tax = tourist_promotion_tax(D(10000), D(1), 2025, 12,
            next_working_day, exempt_value=D(1550))
        # 8 450 × 1 % = 84.5 → 85; 10 January 2026 is a Saturday
        self.assertEqual(tax.amount, D(85))
        self.assertEqual(tax.due_date, date(2026, 1, 12))
        with self.assertRaises(RuleError):
            tourist_promotion_tax(D(100), D(1), 2025, 12, next_working_day,
                exempt_value=D(101))


class ScheduleTestCase(unittest.TestCase):

    def setUp(self):
        self.rates = rates_for('schedule', date(2026, 1, 1))

    def schedule(self, amount, year=2026, **kwargs):
        return annual_schedule(Result(D(amount)), year, next_working_day,
            self.rates, **kwargs)

    def test_two_instalments(self):
        result = self.schedule(101)
        self.assertEqual([(i.amount, i.due_date) for i in result.instalments],
            [(D(51), date(2026, 3, 31)), (D(50), date(2026, 9, 30))])

    def test_weekend_moves(self):
        "31.03.2024 was a Sunday, 30.09.2023 a Saturday"
        result = self.schedule(200, year=2024)
        self.assertEqual(result.instalments[0].due_date, date(2024, 4, 1))
        self.assertEqual(result.instalments[0].statutory_date,
            date(2024, 3, 31))
        result = self.schedule(200, year=2023)
        self.assertEqual(result.instalments[1].due_date, date(2023, 10, 2))

    def test_holiday_moves(self):
        self.assertEqual(shift(date(2025, 12, 1), next_working_day),
            date(2025, 12, 2))
        self.assertEqual(shift(date(2025, 1, 24), next_working_day),
            date(2025, 1, 27))
        self.assertEqual(shift(date(2025, 12, 31), next_working_day),
            date(2025, 12, 31))
        self.assertEqual(shift(date(2026, 1, 1), next_working_day),
            date(2026, 1, 5))

    def test_small_amount(self):
        "Art. 462 (3): 50 lei or less due at once by 31 March"
        result = self.schedule(50)
        self.assertEqual([(i.amount, i.due_date) for i in result.instalments],
            [(D(50), date(2026, 3, 31))])
        self.assertTrue(result.values['small_amount'])
        result = self.schedule(51)
        self.assertEqual([i.amount for i in result.instalments],
            [D(26), D(25)])
        # several buildings: the threshold is on the cumulated tax
        result = self.schedule(30, cumulated=D(80))
        self.assertEqual([i.amount for i in result.instalments],
            [D(15), D(15)])
        result = self.schedule(30, cumulated=D(50))
        self.assertEqual(len(result.instalments), 1)

    def test_bonus_rounding(self):
        "The amount due is rounded, the bonificație is the difference"
        result = self.schedule(615, bonus_rate=D(10))
        # 615 × 0.90 = 553.5 → 554, bonificație 61 (not 61.5 or 62)
        self.assertEqual(result.bonus.due, D(554))
        self.assertEqual(result.bonus.amount, D(61))
        self.assertEqual(result.bonus.deadline, date(2026, 3, 31))
        result = self.schedule(1235, bonus_rate=D(5))
        # 1 173.25 → 1 173, bonificație 62
        self.assertEqual((result.bonus.due, result.bonus.amount),
            (D(1173), D(62)))
        bonus_ = bonus(D(15), D(10), date(2024, 3, 31), next_working_day,
            self.rates)
        # 13.5 → 14
        self.assertEqual((bonus_.due, bonus_.amount), (D(14), D(1)))
        self.assertEqual(bonus_.deadline, date(2024, 4, 1))

    def test_bonus_maximum(self):
        with self.assertRaises(OutOfRange):
            self.schedule(615, bonus_rate=D('10.5'))

    @SETTINGS
    @given(st.integers(min_value=1, max_value=10 ** 7),
        st.integers(min_value=1, max_value=10))
    def test_bonus_property(self, amount, rate):
        granted = bonus(D(amount), D(rate), date(2026, 3, 31),
            next_working_day, self.rates)
        self.assertEqual(granted.due + granted.amount, amount)
        self.assertEqual(granted.due, granted.due.to_integral_value())
        self.assertLessEqual(abs(granted.amount - D(amount) * rate / 100),
            D('0.5'))

    def test_acquired_in_year(self):
        result = self.schedule(100, acquired=date(2026, 5, 15),
            bonus_rate=D(10))
        self.assertEqual([(i.amount, i.due_date) for i in result.instalments],
            [(D(100), date(2026, 9, 30))])
        self.assertIsNone(result.bonus)
        with self.assertRaises(RuleError):
            self.schedule(100, acquired=date(2026, 10, 1))

    @SETTINGS
    @given(st.integers(min_value=0, max_value=10 ** 7))
    def test_split_sums(self, amount):
        instalments = split_instalments(D(amount),
            [date(2026, 3, 31), date(2026, 9, 30)], next_working_day)
        self.assertEqual(sum(i.amount for i in instalments), amount)
        self.assertLessEqual(
            instalments[0].amount - instalments[1].amount, 1)

    def test_split_refuses_bani(self):
        with self.assertRaises(RuleError):
            split_instalments(D('10.5'), [date(2026, 3, 31)],
                next_working_day)

    def test_add_months(self):
        self.assertEqual(add_months(date(2025, 1, 31), 1), date(2025, 2, 28))
        self.assertEqual(add_months(date(2024, 1, 31), 1), date(2024, 2, 29))
        self.assertEqual(add_months(date(2025, 11, 30), 3),
            date(2026, 2, 28))
