# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The arithmetic of statutory interest, without database"
import datetime as dt
import unittest
from decimal import Decimal

from muni_finance.interest import accrue, total

D = dt.date
# The Bulgarian half-year rates of domain/bg.md §2 (ОЛП + 10, ECB + 8)
RATES = [
    (D(2023, 1, 1), D(2023, 6, 30), Decimal('11.42'), 360),
    (D(2023, 7, 1), D(2023, 12, 31), Decimal('13.12'), 360),
    (D(2024, 1, 1), D(2024, 6, 30), Decimal('13.79'), 360),
    (D(2024, 7, 1), D(2024, 12, 31), Decimal('13.63'), 360),
    (D(2025, 1, 1), D(2025, 6, 30), Decimal('12.95'), 360),
    (D(2025, 7, 1), D(2025, 12, 31), Decimal('11.91'), 360),
    (D(2026, 1, 1), D(2026, 6, 30), Decimal('10.15'), 360),
    ]


class InterestTestCase(unittest.TestCase):

    def test_one_rate(self):
        "100.00 due 30.06.2024 paid 31.12.2024: 184 days at 13.63 %"
        segments = accrue(
            Decimal('100.00'), D(2024, 6, 30), D(2024, 12, 31), RATES)
        self.assertEqual(
            [(s.start, s.end, s.days, s.rate) for s in segments],
            [(D(2024, 7, 1), D(2024, 12, 31), 184, Decimal('13.63'))])
        # 100 × 13.63 × 184 / 36000 = 6.96644…
        self.assertEqual(total(segments), Decimal('6.97'))

    def test_rate_boundary(self):
        "100.00 due 31.03.2024 paid 15.08.2024: split on 1 July"
        segments = accrue(
            Decimal('100.00'), D(2024, 3, 31), D(2024, 8, 15), RATES)
        self.assertEqual([(s.days, s.rate) for s in segments],
            [(91, Decimal('13.79')), (46, Decimal('13.63'))])
        # 100 × 13.79 × 91 / 36000 = 3.48580…
        # 100 × 13.63 × 46 / 36000 = 1.74161…
        self.assertEqual(total(segments), Decimal('5.23'))

    def test_partial_payment(self):
        """200.00 due 31.10.2025, 100.00 paid 30.11.2025: the payment day
        still runs on 200.00, the rest on 100.00"""
        segments = accrue(
            Decimal('200.00'), D(2025, 10, 31), D(2025, 12, 31), RATES,
            payments=[(D(2025, 11, 30), Decimal('100.00'))])
        self.assertEqual([(s.start, s.days, s.principal) for s in segments], [
                (D(2025, 11, 1), 30, Decimal('200.00')),
                (D(2025, 12, 1), 31, Decimal('100.00')),
                ])
        # 200 × 11.91 × 30 / 36000 = 1.985
        # 100 × 11.91 × 31 / 36000 = 1.02558…
        self.assertEqual(total(segments), Decimal('3.01'))

    def test_across_years_and_euro_rate(self):
        "A 2025 debt into 2026 changes rate on 1 January"
        segments = accrue(
            Decimal('100.00'), D(2025, 10, 31), D(2026, 3, 31), RATES)
        self.assertEqual([(s.days, s.rate) for s in segments],
            [(61, Decimal('11.91')), (90, Decimal('10.15'))])
        # 100 × 11.91 × 61 / 36000 = 2.01808…
        # 100 × 10.15 × 90 / 36000 = 2.5375
        self.assertEqual(total(segments), Decimal('4.56'))

    def test_not_overdue(self):
        "Nothing runs up to and on the due date"
        self.assertEqual(accrue(
                Decimal(100), D(2026, 6, 30), D(2026, 6, 30), RATES), [])
        segments = accrue(
            Decimal(100), D(2026, 6, 29), D(2026, 6, 30), RATES)
        self.assertEqual([s.days for s in segments], [1])

    def test_paid_in_full(self):
        "No interest after the principal is paid"
        segments = accrue(
            Decimal('50'), D(2026, 1, 31), D(2026, 6, 30), RATES,
            payments=[(D(2026, 2, 10), Decimal('50'))])
        self.assertEqual([(s.start, s.end) for s in segments],
            [(D(2026, 2, 1), D(2026, 2, 10))])
        # 50 × 10.15 × 10 / 36000 = 0.14097…
        self.assertEqual(total(segments), Decimal('0.14'))

    def test_missing_rate(self):
        "A day without rate is an error, never a guess"
        with self.assertRaises(LookupError) as context:
            accrue(Decimal(100), D(2026, 6, 1), D(2026, 7, 2), RATES)
        self.assertEqual(context.exception.args, (D(2026, 7, 1),))
