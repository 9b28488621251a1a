# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The levy's Romanian pieces: the split of an annual amount, the rate keys"
import datetime as dt
import unittest
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from muni_ro_localization import revenue


def _line(key, value, zone=None):
    return SimpleNamespace(
        key=key, value=Decimal(value), zone=zone, settlement=None)


class CouncilRatesTestCase(unittest.TestCase):
    "The council's levels read from the keys of a rate table"

    def test_keys(self):
        "Each key is read into what the rules take, zone lines left out"
        rates = SimpleNamespace(table=SimpleNamespace(lines=[
                    _line('rate_residential', '0.1'),
                    _line('value_A_without', '1606'),
                    _line('value_C_with', '535'),
                    _line('land_constructions_A_3', '8000'),
                    _line('land_constructions_D_5', '400'),
                    _line('land_arabil_B', '21'),
                    _line('rank_coefficient_3', '3'),
                    _line('extravilan_vie', '80'),
                    _line('extravilan_coefficient', '1.5'),
                    _line('electric', '40'),
                    _line('cc_car_2000', '26'),
                    _line('cc_motor_vehicle_over', '54'),
                    _line('trailer_over', '115'),
                    _line('trailer_1000', '16'),
                    _line('truck_2_12_13_air', '0'),
                    _line('truck_2_12_13_other', '142'),
                    _line('truck_3_26_over_air', '300'),
                    _line('cc_car_1600', '99', zone=object()),
                    ]))
        council = revenue._council(rates)
        self.assertEqual(council['values'], {
                'A': (None, Decimal(1606)), 'C': (Decimal(535), None)})
        self.assertEqual(council['land'], {
                ('A', 3): Decimal(8000), ('D', 5): Decimal(400),
                ('arabil', 'B'): Decimal(21)})
        self.assertEqual(council['rank_coefficients'], {3: Decimal(3)})
        self.assertEqual(council['extravilan'], {'vie': Decimal(80)})
        self.assertEqual(council['units'], {
                ('electric', None): Decimal(40),
                ('car', 2000): Decimal(26),
                ('motor_vehicle', None): Decimal(54)})
        self.assertEqual(council['trailer'], (
                (1000, Decimal(16)), (None, Decimal(115))))
        self.assertEqual(council['truck'], (
                (2, Decimal(12), Decimal(13), Decimal(0), Decimal(142)),
                (3, Decimal(26), None, Decimal(300), None)))
        # read once per table
        self.assertIs(revenue._council(rates), council)

    def test_value_tokens(self):
        "The values of the rules' traces typed for the reader"
        self.assertEqual(revenue._value_token('Rank', 3), 'III')
        self.assertEqual(revenue._value_token('Months', '9/12'),
            {'k': 'months', 'v': 9})
        self.assertEqual(revenue._value_token('Age reduction', '15 %'),
            {'k': 'percent', 'v': '15'})
        self.assertEqual(
            revenue._value_token('Taxable value (lei)', Fraction(6157101, 10)),
            {'k': 'amount', 'v': '615710.1'})
        # a third of a tax has no decimal form: shown to the ban
        self.assertEqual(
            revenue._value_token('Tax before reductions', Fraction(1000, 3)),
            {'k': 'amount', 'v': '333.33'})
        self.assertEqual(revenue._value_token('Utilities', 'yes')['v'],
            'muni_ro_localization.msg_trace_yes')


class SplitTestCase(unittest.TestCase):
    "The instalments of a Romanian annual tax"

    @classmethod
    def setUpClass(cls):
        activate_module('muni_ro_localization')

    def table(self, localisation='ro', fractions=('0.5', '0.5')):
        pool = Pool()
        RateTable = pool.get('muni.rate.table')
        RevenueType = pool.get('muni.revenue.type')
        Instalment = pool.get('muni.rate.table.instalment')
        dates = [dt.date(2026, 3, 31), dt.date(2026, 9, 30)]
        return RateTable(
            year=2026, revenue_type=RevenueType(localisation=localisation),
            instalments=[
                Instalment(due_date=d, fraction=Decimal(f))
                for d, f in zip(dates, fractions)])

    @with_transaction()
    def test_whole_lei(self):
        "Equal instalments of whole lei, the odd leu on the first"
        table = self.table()
        self.assertEqual(table.split(Decimal('616.00')),
            [Decimal('308.00'), Decimal('308.00')])
        self.assertEqual(table.split(Decimal('51.00')),
            [Decimal('26.00'), Decimal('25.00')])
        self.assertEqual(table.split(Decimal('113')),
            [Decimal('57'), Decimal('56')])

    @with_transaction()
    def test_small_amount(self):
        "At most 50 lei a year: all of it by the first deadline"
        table = self.table()
        self.assertEqual(table.split(Decimal('50.00')),
            [Decimal('50.00'), Decimal('0.00')])
        self.assertEqual(table.split(Decimal('1.00')),
            [Decimal('1.00'), Decimal('0.00')])

    @with_transaction()
    def test_other(self):
        """Amounts with bani, unequal fractions and other localisations
        are split as the engine splits them"""
        self.assertEqual(self.table().split(Decimal('50.50')),
            [Decimal('25.25'), Decimal('25.25')])
        self.assertEqual(
            self.table(fractions=('0.25', '0.75')).split(Decimal('100')),
            [Decimal('25.00'), Decimal('75.00')])
        self.assertEqual(self.table(localisation=None).split(
                Decimal('51.00')), [Decimal('25.50'), Decimal('25.50')])
