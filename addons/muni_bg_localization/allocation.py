# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""ДОПК чл. 169: how a payment to the municipality extinguishes debts, as a
pure function (domain/bg.md §3).

Until an enforcement case is opened (ал. 1, ал. 3а): the payer chooses the
type of debt; within a type the debts are paid in the order of their
origin, oldest first, and each debt principal first, then its interest;
enforcement costs last. For debts of the same type and the same year the
payer may designate which he pays. After an enforcement case is opened
(ал. 8): costs first, then principal, then interest, oldest first in each.

A payment that does not name a type pays the oldest debts of any type:
the order of origin is the only one the law gives.

ЗМДТ чл. 28, ал. 2 (and the fees that follow it): whoever pays the whole
year's tax by the discount deadline gets the discount; the discount
applies only to a year none of whose instalments was paid before.
"""
from collections import defaultdict
from decimal import Decimal

from .rules import round_cent

ZERO = Decimal(0)


def allocate_payment(amount, items, date, revenue_type=None,
        designated=None, enforcement=False):
    """Return ([(item, principal, interest, discount)], credit): what the
    amount paid on date pays of each item, and what is left over

    items have: line, assessment, revenue_type, year, due_date, principal,
    interest, cost, discount_rate (a fraction), discount_date, untouched.
    revenue_type: the type the payer chose, or None; designated: the line
    of an item the payer designated in its type and year."""
    amount = Decimal(amount)
    if amount <= 0:
        raise ValueError("The amount must be positive: %r" % amount)
    if revenue_type is not None:
        items = [i for i in items if i.revenue_type == revenue_type]
    first = None
    if designated is not None:
        first = next((i for i in items if i.line == designated), None)

    def order(item):
        favoured = (first is not None and item.year == first.year
            and item.revenue_type == first.revenue_type)
        return (item.year, not (favoured and item is first),
            item.due_date, item.line)
    items = sorted(items, key=order)
    paid = defaultdict(lambda: [ZERO, ZERO, ZERO])
    left = amount

    def pay(item, index, due):
        nonlocal left
        part = min(left, due)
        if part > 0:
            paid[item][index] += part
            left -= part

    debts = [i for i in items if not i.cost]
    costs = [i for i in items if i.cost]
    if enforcement:
        for item in costs:
            pay(item, 0, item.principal)
        for item in debts:
            pay(item, 0, item.principal)
        for item in debts:
            pay(item, 1, item.interest)
    else:
        checked, discounted = set(), set()
        for item in debts:
            if item.assessment not in checked:
                checked.add(item.assessment)
                if _pay_with_discount(item, debts, date, left, paid):
                    discounted.add(item.assessment)
                    left -= sum(paid[i][0] for i in debts
                        if i.assessment == item.assessment)
            if item.assessment in discounted:
                continue
            pay(item, 0, item.principal)
            pay(item, 1, item.interest)
        for item in costs:
            pay(item, 0, item.principal)
    result = [(item, *paid[item]) for item in items if any(paid[item])]
    return result, left


def _pay_with_discount(item, debts, date, left, paid):
    """Pay the whole year of item's assessment with its discount when the
    payment is in time, the year untouched and the amount enough"""
    if (not item.discount_rate or not item.discount_date
            or date > item.discount_date):
        return False
    year = [i for i in debts if i.assessment == item.assessment]
    if not all(i.untouched and not i.interest for i in year):
        return False
    whole = sum(i.principal for i in year)
    discount = round_cent(whole * item.discount_rate)
    if not discount or left < whole - discount:
        return False
    # the discount is spread over the instalments, the rest on the last
    given = ZERO
    for i, instalment in enumerate(year):
        if i < len(year) - 1:
            share = round_cent(instalment.principal * item.discount_rate)
        else:
            share = discount - given
        given += share
        paid[instalment][0] = instalment.principal - share
        paid[instalment][2] = share
    return True
