# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"ДОПК чл. 169: the order a payment pays debts in, without database"
import datetime as dt
import unittest
from decimal import Decimal

from muni_finance.payment import Item

from muni_bg_localization.allocation import allocate_payment

D = dt.date
DNI, TBO, COSTS = 1, 2, 3


def item(line, revenue_type, year, due_date, principal, interest='0',
        assessment=None, cost=False, discount_rate=None, discount_date=None,
        untouched=True):
    """The open items of an instalment: its principal, and its interest as
    an item of its own"""
    values = dict(
        line=line, assessment=assessment or line, revenue_type=revenue_type,
        year=year, due_date=due_date,
        discount_rate=discount_rate and Decimal(discount_rate),
        discount_date=discount_date, untouched=untouched)
    items = [Item(kind='cost' if cost else 'tax', age=due_date,
            amount=Decimal(principal), **values)]
    if Decimal(interest):
        items.append(Item(kind='interest', age=due_date,
                amount=Decimal(interest), **values))
    return items


def paid(result):
    "What each instalment got: (line, principal, interest, discount)"
    by_line = {}
    for i, amount, discount in result:
        parts = by_line.setdefault(i.line, [Decimal(0)] * 3)
        parts[1 if i.kind == 'interest' else 0] += amount
        parts[2] += discount
    return [(line, str(p), str(n), str(d))
        for line, (p, n, d) in by_line.items()]


class AllocationTestCase(unittest.TestCase):

    def setUp(self):
        # 2024 property tax with interest, 2025 property tax, 2025 waste fee
        self.items = [
            *item(11, DNI, 2024, D(2024, 6, 30), '30.00', '4.12',
                assessment=1),
            *item(12, DNI, 2024, D(2024, 10, 31), '30.00', '3.20',
                assessment=1),
            *item(21, DNI, 2025, D(2025, 6, 30), '25.00', '1.50',
                assessment=2),
            *item(22, DNI, 2025, D(2025, 10, 31), '25.00', '0.80',
                assessment=2),
            *item(31, TBO, 2025, D(2025, 6, 30), '40.00', '2.00',
                assessment=3),
            ]

    def test_chosen_type_oldest_first(self):
        """70 € for property tax: the 2024 instalments, each principal then
        interest, then the oldest of 2025; the waste fee is untouched"""
        result, credit = allocate_payment(
            Decimal('70.00'), self.items, D(2026, 3, 16), revenue_type=DNI)
        # 30 + 4.12 + 30 + 3.20 = 67.32, 2.68 left for the 2025 principal
        self.assertEqual(paid(result), [
                (11, '30.00', '4.12', '0'),
                (12, '30.00', '3.20', '0'),
                (21, '2.68', '0', '0'),
                ])
        self.assertEqual(credit, Decimal('0.00'))

    def test_principal_before_interest(self):
        "A payment short of an instalment pays its principal first"
        result, credit = allocate_payment(
            Decimal('31.00'), self.items, D(2026, 3, 16), revenue_type=DNI)
        self.assertEqual(paid(result), [(11, '30.00', '1.00', '0')])

    def test_no_type_pays_oldest_of_any_type(self):
        "Without a chosen type the oldest debt goes first, whatever its type"
        result, credit = allocate_payment(
            Decimal('110.00'), self.items, D(2026, 3, 16))
        # 67.32 for 2024; 2025 by due date: DNI 30.06 (26.50),
        # TBO 30.06 (42.00 → only 16.18 left: 16.18 principal)
        self.assertEqual(paid(result), [
                (11, '30.00', '4.12', '0'),
                (12, '30.00', '3.20', '0'),
                (21, '25.00', '1.50', '0'),
                (31, '16.18', '0', '0'),
                ])

    def test_designated_same_year(self):
        """The payer designates the second 2025 instalment: it goes first
        within 2025, never before the 2024 debt"""
        result, credit = allocate_payment(
            Decimal('90.00'), self.items, D(2026, 3, 16), revenue_type=DNI,
            designated=[i for i in self.items if i.line == 22])
        # 67.32 for 2024, then 25.80 of 22 would need more: 22.68 left
        self.assertEqual(paid(result), [
                (11, '30.00', '4.12', '0'),
                (12, '30.00', '3.20', '0'),
                (22, '22.68', '0', '0'),
                ])

    def test_overpayment_is_credit(self):
        result, credit = allocate_payment(
            Decimal('200.00'), self.items, D(2026, 3, 16), revenue_type=TBO)
        self.assertEqual(paid(result), [(31, '40.00', '2.00', '0')])
        self.assertEqual(credit, Decimal('158.00'))

    def test_enforcement_costs_principal_interest(self):
        """After an enforcement case: costs first, then all principal, then
        interest (ал. 8)"""
        items = self.items + item(
            41, COSTS, 2026, D(2026, 2, 1), '15.00', cost=True)
        result, credit = allocate_payment(
            Decimal('140.00'), items, D(2026, 3, 16), enforcement=True)
        # 15 costs, then 30 + 30 + 25 + 40 = 125 principal: 140 exactly,
        # nothing for the last 2025 instalment nor any interest
        self.assertEqual(paid(result), [
                (11, '30.00', '0', '0'),
                (12, '30.00', '0', '0'),
                (21, '25.00', '0', '0'),
                (31, '40.00', '0', '0'),
                (41, '15.00', '0', '0'),
                ])
        # the items are listed by age; what they got follows the law's order
        self.assertEqual(credit, Decimal('0.00'))

    def test_costs_last_without_enforcement(self):
        items = self.items + item(
            41, COSTS, 2023, D(2023, 2, 1), '15.00', cost=True)
        result, credit = allocate_payment(
            Decimal('200.00'), items, D(2026, 3, 16))
        # listed by age, the 2023 costs first, but paid last:
        # 67.32 + 52.30 + 42.00 = 161.62; 38.38 left for the costs
        self.assertEqual(paid(result), [
                (41, '15.00', '0', '0'),
                (11, '30.00', '4.12', '0'),
                (12, '30.00', '3.20', '0'),
                (21, '25.00', '1.50', '0'),
                (31, '40.00', '2.00', '0'),
                (22, '25.00', '0.80', '0'),
                ])
        self.assertEqual(credit, Decimal('23.38'))

    def test_discount_whole_year_in_time(self):
        """2026 property tax of 101.00 in two instalments, 5 % by 30 April:
        95.95 pays the year; 5.05 of discount, 2.53 + 2.52"""
        year = [
            *item(51, DNI, 2026, D(2026, 6, 30), '50.50', assessment=5,
                discount_rate='0.05', discount_date=D(2026, 4, 30)),
            *item(52, DNI, 2026, D(2026, 10, 31), '50.50', assessment=5,
                discount_rate='0.05', discount_date=D(2026, 4, 30)),
            ]
        result, credit = allocate_payment(
            Decimal('95.95'), year, D(2026, 4, 30))
        self.assertEqual(paid(result), [
                (51, '47.97', '0', '2.53'),
                (52, '47.98', '0', '2.52'),
                ])
        self.assertEqual(credit, Decimal('0'))

    def test_discount_lost(self):
        "Too late, or too little: no discount, the instalments in order"
        year = [
            *item(51, DNI, 2026, D(2026, 6, 30), '50.50', assessment=5,
                discount_rate='0.05', discount_date=D(2026, 4, 30)),
            *item(52, DNI, 2026, D(2026, 10, 31), '50.50', assessment=5,
                discount_rate='0.05', discount_date=D(2026, 4, 30)),
            ]
        late, _ = allocate_payment(Decimal('95.95'), year, D(2026, 5, 4))
        self.assertEqual(paid(late), [
                (51, '50.50', '0', '0'), (52, '45.45', '0', '0')])
        short, _ = allocate_payment(Decimal('95.94'), year, D(2026, 4, 1))
        self.assertEqual(paid(short), [
                (51, '50.50', '0', '0'), (52, '45.44', '0', '0')])
        year[1].untouched = False
        touched, _ = allocate_payment(Decimal('95.95'), year, D(2026, 4, 1))
        self.assertEqual(paid(touched), [
                (51, '50.50', '0', '0'), (52, '45.45', '0', '0')])

    def test_amount_positive(self):
        for amount in ['0', '-5']:
            with self.assertRaises(ValueError):
                allocate_payment(Decimal(amount), self.items, D(2026, 1, 5))
