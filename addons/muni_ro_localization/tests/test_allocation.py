# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ..allocation import (
    ACCESSORY, CHARGE, COST, DESIGNATED_FEE, ENFORCEMENT_COST,
    EXECUTORY_FINE, FEE, FINE, FUTURE_DESIGNATED, FUTURE_NOT_DESIGNATED,
    NOT_CHOSEN, PRINCIPAL, RULE_TEXTS, TAX, Item, allocate, late_months,
    late_payment_charge, late_payment_charges)
from ..rates_ro import rates_for
from ..rules import RuleError

D = Decimal
date = dt.date
# hypothesis: no deadline on a shared machine, no example database
SETTINGS = settings(deadline=None, database=None)


def item(line, kind, age, amount, principal=True, executory=False,
        due_date=None, revenue_type=None):
    return Item(line, kind, executory, age, D(amount), principal,
        due_date or age, revenue_type or kind)


class LateMonthsTestCase(unittest.TestCase):
    "Art. 183 (2): each month or fraction, from the day after the due date"

    def test_month_ends(self):
        for due, paid, months in [
                # 31 January → 28 February, 29 in a leap year
                (date(2025, 1, 31), date(2025, 1, 31), 0),
                (date(2025, 1, 31), date(2025, 2, 1), 1),
                (date(2025, 1, 31), date(2025, 2, 28), 1),
                (date(2025, 1, 31), date(2025, 3, 1), 2),
                (date(2024, 1, 31), date(2024, 2, 28), 1),
                (date(2024, 1, 31), date(2024, 2, 29), 1),
                (date(2024, 1, 31), date(2024, 3, 1), 2),
                # due on 29 February of a leap year
                (date(2024, 2, 29), date(2024, 3, 31), 1),
                (date(2024, 2, 29), date(2024, 4, 1), 2),
                # 31 March → 30 April
                (date(2026, 3, 31), date(2026, 4, 1), 1),
                (date(2026, 3, 31), date(2026, 4, 30), 1),
                (date(2026, 3, 31), date(2026, 5, 1), 2),
                (date(2026, 3, 31), date(2026, 5, 31), 2),
                (date(2026, 3, 31), date(2026, 6, 1), 3),
                # 30 September → 31 October, across the year end
                (date(2025, 9, 30), date(2025, 10, 31), 1),
                (date(2025, 9, 30), date(2025, 11, 1), 2),
                (date(2025, 9, 30), date(2026, 1, 31), 4),
                (date(2025, 9, 30), date(2026, 2, 1), 5),
                # a due date moved to a working day (1 April 2024)
                (date(2024, 4, 1), date(2024, 5, 1), 1),
                (date(2024, 4, 1), date(2024, 5, 2), 2),
                # a due date whose day the next month lacks
                (date(2025, 1, 30), date(2025, 2, 28), 1),
                (date(2025, 1, 30), date(2025, 3, 1), 2),
                (date(2024, 3, 31), date(2025, 3, 31), 12),
                (date(2024, 3, 31), date(2025, 4, 1), 13),
                ]:
            with self.subTest(due=due, paid=paid):
                self.assertEqual(late_months(due, paid), months)

    def test_paid_early(self):
        self.assertEqual(late_months(date(2026, 3, 31), date(2026, 1, 5)), 0)

    @SETTINGS
    @given(st.dates(date(2016, 1, 1), date(2030, 12, 31)),
        st.integers(min_value=0, max_value=1000))
    def test_months_grow_by_one(self, due, days):
        "Monotone, and one more month exactly when a new month starts"
        paid = due + dt.timedelta(days=days)
        before = late_months(due, paid)
        after = late_months(due, paid + dt.timedelta(days=1))
        self.assertIn(after - before, (0, 1))
        self.assertLessEqual(before, days // 28 + 1)
        self.assertGreaterEqual(before, -(-days // 31))


class LatePaymentChargeTestCase(unittest.TestCase):

    def test_spit_constanta_example(self):
        "ro.md §3.1: 100 lei paid 10 days late → 1 leu (2 lei at 2 %)"
        due, paid = date(2026, 3, 31), date(2026, 4, 10)
        rate = rates_for('late_payment', due).rate
        charge = late_payment_charge(D(100), due, paid, rate)
        self.assertEqual(charge.amount, D(1))
        self.assertEqual(charge.values['months'], 1)
        old = rates_for('late_payment', date(2010, 7, 1)).rate
        self.assertEqual(
            late_payment_charge(D(100), due, paid, old).amount, D(2))

    def test_whole_lei(self):
        due, paid = date(2026, 3, 31), date(2026, 4, 30)
        self.assertEqual(
            late_payment_charge(D(149), due, paid, D(1)).amount, D(1))
        self.assertEqual(
            late_payment_charge(D(150), due, paid, D(1)).amount, D(2))
        # 3 months: 250 × 3 % = 7.5 → 8
        charge = late_payment_charge(D(250), due, date(2026, 6, 1), D(1))
        self.assertEqual(charge.amount, D(8))
        self.assertEqual(charge.values['charge'], D('7.5'))
        self.assertIn(("Months or fractions of a month", 3), charge.trace)

    def test_in_time(self):
        self.assertEqual(late_payment_charge(
                D(1000), date(2026, 3, 31), date(2026, 3, 31), D(1)).amount,
            D(0))

    def test_parts(self):
        "400 paid on 15 April, 600 still open on 10 June"
        result = late_payment_charges(D(1000), date(2026, 3, 31),
            [(date(2026, 4, 15), D(400))], date(2026, 6, 10), D(1))
        # 400 × 1 % × 1 = 4; 600 × 1 % × 3 = 18
        self.assertEqual([p.amount for p in result.parts], [D(4), D(18)])
        self.assertEqual(result.amount, D(22))
        # paid in time: no charge on that part
        result = late_payment_charges(D(1000), date(2026, 3, 31),
            [(date(2026, 3, 20), D(400)), (date(2026, 5, 5), D(600))],
            date(2026, 6, 10), D(1))
        self.assertEqual(result.amount, D(12))
        self.assertEqual(result.values['open'], 0)


class AllocationTestCase(unittest.TestCase):
    "Art. 165 Codul de procedură fiscală"

    today = date(2026, 4, 15)

    def rules(self, explanation):
        return [(e.line, e.rule) for e in explanation]

    def test_executory_fine_first(self):
        "A fine in an executory title goes before the tax the payer chose"
        tax = item('tax', TAX, date(2024, 3, 31), 100,
            revenue_type='building')
        fine = item('fine', FINE, date(2025, 6, 1), 50, executory=True)
        paid, credit, explanation = allocate(D(60), [tax, fine],
            self.today, choice='building')
        self.assertEqual(paid, [(fine, D(50)), (tax, D(10))])
        self.assertEqual(credit, 0)
        self.assertEqual(self.rules(explanation),
            [('fine', EXECUTORY_FINE), ('tax', PRINCIPAL)])

    def test_fee_not_preceded_by_fine(self):
        "Art. 165 (2) does not apply to taxe: the named fee goes first"
        tax = item('tax', TAX, date(2024, 3, 31), 100)
        fine = item('fine', FINE, date(2023, 6, 1), 50, executory=True)
        fee = item('fee', FEE, date(2026, 4, 15), 30)
        paid, credit, explanation = allocate(D(60), [tax, fine, fee],
            self.today, designated=['fee'])
        self.assertEqual(paid, [(fee, D(30)), (fine, D(30))])
        self.assertEqual(self.rules(explanation), [
                ('fee', DESIGNATED_FEE), ('fine', EXECUTORY_FINE),
                ('tax', PRINCIPAL)])
        self.assertEqual(explanation[2].paid, 0)
        # not named, the fee waits its turn by age like any principal
        paid, _, _ = allocate(D(60), [tax, fine, fee], self.today)
        self.assertEqual(paid, [(fine, D(50)), (tax, D(10))])

    def test_fines_first_off(self):
        "The later art. 165 (2): not for a payer owning no property"
        tax = item('tax', TAX, date(2024, 3, 31), 100)
        fine = item('fine', FINE, date(2025, 6, 1), 50, executory=True)
        paid, _, explanation = allocate(D(60), [fine, tax], self.today,
            fines_first=False)
        self.assertEqual(paid, [(tax, D(60))])
        self.assertEqual(self.rules(explanation),
            [('tax', PRINCIPAL), ('fine', PRINCIPAL)])

    def test_fine_not_executory(self):
        "A fine without an executory title is principal by age"
        tax = item('tax', TAX, date(2024, 3, 31), 100)
        fine = item('fine', FINE, date(2025, 6, 1), 50)
        paid, _, explanation = allocate(D(120), [fine, tax], self.today)
        self.assertEqual(paid, [(tax, D(100)), (fine, D(20))])
        self.assertEqual(explanation[1].rule, PRINCIPAL)

    def test_principal_before_accessories(self):
        "Principal of 2024 before majorări of 2023"
        charge = item('maj2023', CHARGE, date(2023, 10, 15), 20,
            principal=False)
        tax = item('tax2024', TAX, date(2024, 3, 31), 100)
        tax2 = item('tax2024b', TAX, date(2024, 9, 30), 100)
        paid, credit, explanation = allocate(D(210), [charge, tax2, tax],
            self.today)
        self.assertEqual(paid,
            [(tax, D(100)), (tax2, D(100)), (charge, D(10))])
        self.assertEqual(self.rules(explanation), [
                ('tax2024', PRINCIPAL), ('tax2024b', PRINCIPAL),
                ('maj2023', ACCESSORY)])
        self.assertEqual([e.order for e in explanation], [1, 2, 3])
        paid, _, _ = allocate(D(100), [charge, tax2, tax], self.today)
        self.assertEqual(paid, [(tax, D(100))])

    def test_accessories_by_age(self):
        old = item('old', CHARGE, date(2024, 5, 1), 10, principal=False)
        new = item('new', CHARGE, date(2025, 5, 1), 10, principal=False)
        paid, _, _ = allocate(D(15), [new, old], self.today)
        self.assertEqual(paid, [(old, D(10)), (new, D(5))])

    def test_future_only_if_designated(self):
        tax = item('now', TAX, date(2026, 3, 31), 100)
        later = item('sept', TAX, date(2026, 9, 30), 100)
        paid, credit, explanation = allocate(D(150), [later, tax],
            self.today)
        self.assertEqual(paid, [(tax, D(100))])
        self.assertEqual(credit, D(50))
        self.assertEqual(self.rules(explanation), [
                ('now', PRINCIPAL), ('sept', FUTURE_NOT_DESIGNATED)])
        paid, credit, explanation = allocate(D(150), [later, tax],
            self.today, designated=['sept'])
        self.assertEqual(paid, [(tax, D(100)), (later, D(50))])
        self.assertEqual(credit, 0)
        self.assertEqual(explanation[1].rule, FUTURE_DESIGNATED)

    def test_future_of_the_chosen_tax(self):
        """Indicating the tax asks for its next instalment once the due
        ones are paid; another tax's next instalment stays open"""
        tax = item('now', TAX, date(2026, 3, 31), 100,
            revenue_type='building')
        later = item('sept', TAX, date(2026, 9, 30), 100,
            revenue_type='building')
        vehicle = item('car', TAX, date(2026, 9, 30), 100,
            revenue_type='vehicle')
        paid, credit, explanation = allocate(D(250), [later, vehicle, tax],
            self.today, choice='building')
        self.assertEqual(paid, [(tax, D(100)), (later, D(100))])
        self.assertEqual(credit, D(50))
        self.assertEqual(self.rules(explanation), [
                ('now', PRINCIPAL), ('sept', FUTURE_DESIGNATED),
                ('car', FUTURE_NOT_DESIGNATED)])

    def test_due_today_is_not_future(self):
        tax = item('today', TAX, self.today, 100)
        paid, _, _ = allocate(D(100), [tax], self.today)
        self.assertEqual(paid, [(tax, D(100))])

    def test_choice(self):
        "The payer's indicated obligation; the rest is left as credit"
        building = item('b', TAX, date(2025, 3, 31), 100,
            revenue_type='building')
        vehicle = item('v', TAX, date(2024, 3, 31), 100,
            revenue_type='vehicle')
        paid, credit, explanation = allocate(D(150), [building, vehicle],
            self.today, choice='building')
        self.assertEqual(paid, [(building, D(100))])
        self.assertEqual(credit, D(50))
        self.assertEqual(self.rules(explanation),
            [('b', PRINCIPAL), ('v', NOT_CHOSEN)])
        paid, credit, _ = allocate(D(150), [building, vehicle], self.today)
        self.assertEqual(paid, [(vehicle, D(100)), (building, D(50))])
        # a designated line of another type joins the indicated ones
        paid, credit, _ = allocate(D(150), [building, vehicle], self.today,
            choice='building', designated=['v'])
        self.assertEqual(paid, [(vehicle, D(100)), (building, D(50))])

    def test_enforcement_costs(self):
        tax = item('tax', TAX, date(2024, 3, 31), 100)
        cost = item('cost', COST, date(2025, 1, 10), 40, principal=False)
        fine = item('fine', FINE, date(2023, 6, 1), 50, executory=True)
        paid, _, explanation = allocate(D(100), [tax, cost, fine],
            self.today, enforcement=True)
        self.assertEqual(paid, [(cost, D(40)), (fine, D(50)), (tax, D(10))])
        self.assertEqual(explanation[0].rule, ENFORCEMENT_COST)
        paid, _, explanation = allocate(D(100), [tax, cost, fine],
            self.today)
        self.assertEqual(paid, [(fine, D(50)), (tax, D(50))])
        self.assertEqual(explanation[2].rule, ACCESSORY)

    def test_texts(self):
        for rule in (DESIGNATED_FEE, ENFORCEMENT_COST, EXECUTORY_FINE,
                PRINCIPAL, ACCESSORY, FUTURE_DESIGNATED,
                FUTURE_NOT_DESIGNATED, NOT_CHOSEN):
            self.assertIn(rule, RULE_TEXTS)
        tax = item('tax', TAX, date(2024, 3, 31), 100)
        _, _, explanation = allocate(D(1), [tax], self.today)
        self.assertIn("art. 165 (1) a)", explanation[0].text)

    def test_invalid(self):
        with self.assertRaises(RuleError):
            allocate(D(0), [], self.today)
        with self.assertRaises(RuleError):
            allocate(D(1), [item('x', 'other', self.today, 1)], self.today)

    @SETTINGS
    @given(st.decimals(min_value=D('0.01'), max_value=10000, places=2),
        st.lists(st.tuples(
                st.sampled_from([TAX, FEE, FINE, CHARGE, COST]),
                st.booleans(),
                st.dates(date(2022, 1, 1), date(2027, 12, 31)),
                st.integers(min_value=1, max_value=2000)),
            max_size=8),
        st.booleans())
    def test_properties(self, amount, rows, enforcement):
        "Paid + credit = amount; an item is paid only after earlier ones"
        items = [item(n, kind, age, value, principal=kind in {TAX, FEE,
                        FINE}, executory=executory)
            for n, (kind, executory, age, value) in enumerate(rows)]
        paid, credit, explanation = allocate(amount, items, self.today,
            enforcement=enforcement)
        self.assertEqual(sum(p for _, p in paid) + credit, amount)
        self.assertGreaterEqual(credit, 0)
        self.assertEqual(len(explanation), len(items))
        placed = [e for e in explanation if e.order]
        for before, after in zip(placed, placed[1:]):
            if after.paid:
                full = items[before.line].amount
                self.assertEqual(before.paid, full)
        for it, part in paid:
            self.assertLessEqual(part, it.amount)
            self.assertLessEqual(it.due_date, self.today)
        if credit:
            for e in placed:
                self.assertEqual(e.paid, items[e.line].amount)
