# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Treasury IBANs (ro.md §4.2)

The reference is the IBAN published by DGITL Sector 4 for the tax on
buildings of natural persons: RO96TREZ7042107020101XXX (treasury unit 704,
group 21, budget code 07.02.01.01).  Its check digits 96 were recomputed by
hand (ISO 7064 mod 97-10 on TREZ7042107020101XXXRO00 gives 98 - 2 = 96)
and the results are also checked with python-stdnum's iban module.
"""
import unittest

from hypothesis import given
from hypothesis import strategies as st
from stdnum import iban

from ..treasury import (
    budget_code_of, format_iban, is_treasury_iban, treasury_iban,
    unit_code_of)

SECTOR4 = 'RO96TREZ7042107020101XXX'


class TreasuryTestCase(unittest.TestCase):
    "Treasury IBANs"

    def test_sector4(self):
        "The published Sector 4 IBAN is reproduced exactly"
        self.assertEqual(treasury_iban('704', '07.02.01.01'), SECTOR4)
        self.assertTrue(iban.is_valid(SECTOR4))

    def test_undotted(self):
        "A budget code may be given without dots"
        self.assertEqual(treasury_iban('704', '07020101'), SECTOR4)

    def test_short_code(self):
        "A 3-level code is padded with X to 24 characters"
        value = treasury_iban('704', '07.02.50')
        self.assertEqual(value[4:], 'TREZ70421070250XXXXX')
        self.assertEqual(len(value), 24)
        self.assertTrue(iban.is_valid(value))
        self.assertEqual(budget_code_of(value), '07.02.50')

    def test_two_levels(self):
        "A 2-level code (chapter.subchapter) is accepted"
        value = treasury_iban('704', '18.02')
        self.assertEqual(value[4:], 'TREZ7042118 02XXXXXXX'.replace(' ', ''))
        self.assertEqual(budget_code_of(value), '18.02')

    def test_malformed(self):
        "A malformed unit or budget code gives no IBAN"
        for unit, code in [
                ('70', '07.02.01.01'), ('7040', '07.02.01.01'),
                ('70A', '07.02.01.01'), (None, '07.02.01.01'),
                ('704', '07'), ('704', '07.02.01.01.01'),
                ('704', '7.2.1.1'), ('704', '07.02.0A'), ('704', None),
                ('704', '')]:
            with self.subTest(unit=unit, code=code):
                self.assertIsNone(treasury_iban(unit, code))

    def test_budget_code_of(self):
        "The budget code is read back from a Treasury IBAN"
        self.assertEqual(budget_code_of(SECTOR4), '07.02.01.01')
        self.assertEqual(
            budget_code_of('ro96 trez 7042 1070 2010 1xxx'), '07.02.01.01')
        self.assertEqual(unit_code_of(SECTOR4), '704')

    def test_not_treasury(self):
        "Commercial-bank, foreign and invalid IBANs are not Treasury IBANs"
        for value in [
                'RO49AAAA1B31007593840000',  # valid, a commercial bank
                'BG80BNBG96611020345678',
                'RO97TREZ7042107020101XXX',  # check digits off by one
                'RO96TREZ7042107020101XX',
                '', None]:
            with self.subTest(value=value):
                self.assertIsNone(budget_code_of(value))
        self.assertTrue(iban.is_valid('RO49AAAA1B31007593840000'))
        self.assertFalse(is_treasury_iban('RO49AAAA1B31007593840000'))
        self.assertFalse(is_treasury_iban('RO97TREZ7042107020101XXX'))
        self.assertTrue(is_treasury_iban(SECTOR4))

    def test_other_group(self):
        "A Treasury IBAN outside group 21 carries no local revenue code"
        bban = 'TREZ7045069XXX000000'
        value = 'RO' + iban.calc_check_digits('RO00' + bban) + bban
        self.assertTrue(is_treasury_iban(value))
        self.assertIsNone(budget_code_of(value))

    def test_format(self):
        "An IBAN is printed in groups of four"
        self.assertEqual(format_iban(SECTOR4), 'RO96 TREZ 7042 1070 2010 1XXX')

    @given(st.from_regex(r'\A[0-9]{3}\Z'),
        st.lists(st.from_regex(r'\A[0-9]{2}\Z'), min_size=2, max_size=4))
    def test_round_trip(self, unit, levels):
        "Every generated IBAN is valid and gives back its code and unit"
        code = '.'.join(levels)
        value = treasury_iban(unit, code)
        self.assertEqual(len(value), 24)
        self.assertTrue(iban.is_valid(value))
        self.assertTrue(is_treasury_iban(value))
        self.assertEqual(budget_code_of(value), code)
        self.assertEqual(unit_code_of(value), unit)
