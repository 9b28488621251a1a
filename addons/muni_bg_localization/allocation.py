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
        designated=(), enforcement=False):
    """Return ([(item, amount, discount)], credit): what the amount paid on
    date pays of each item, listed in the order of the debts, and what is
    left over

    items are the neutral open items (muni_finance.open_items.Item): the
    principal of each instalment (kind tax, fee, fine or cost) and the
    interest accrued on it (kind interest, sharing its line), with
    assessment, revenue_type, year, due_date, amount, discount_rate (a
    fraction), discount_date, untouched. revenue_type: the type the payer
    chose, or None; designated: the items of the instalment the payer
    designated in its type and year."""
    amount = Decimal(amount)
    if amount <= 0:
        raise ValueError("The amount must be positive: %r" % amount)
    if revenue_type is not None:
        items = [i for i in items if i.revenue_type == revenue_type]
    first = None
    designated_lines = {i.line for i in designated or ()}
    first = next((i.line for i in items if i.line in designated_lines),
        None)

    def order(item):
        # each debt's interest right after its principal
        return (item.year, item.line != first, item.due_date, item.line,
            item.kind == 'interest')
    items = sorted(items, key=order)
    paid = defaultdict(lambda: [ZERO, ZERO])
    left = amount

    def pay(item):
        nonlocal left
        part = min(left, item.amount)
        if part > 0:
            paid[item][0] += part
            left -= part

    debts = [i for i in items if i.kind != 'cost']
    costs = [i for i in items if i.kind == 'cost']
    if enforcement:
        for item in costs:
            pay(item)
        for item in debts:
            if item.kind != 'interest':
                pay(item)
        for item in debts:
            if item.kind == 'interest':
                pay(item)
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
            pay(item)
        for item in costs:
            pay(item)
    result = [(item, *paid[item]) for item in items if any(paid[item])]
    return result, left


def _pay_with_discount(item, debts, date, left, paid):
    """Pay the whole year of item's assessment with its discount when the
    payment is in time, the year untouched and the amount enough"""
    if (not item.discount_rate or not item.discount_date
            or date > item.discount_date):
        return False
    year = [i for i in debts if i.assessment == item.assessment]
    if not all(i.untouched and i.kind != 'interest' for i in year):
        return False
    whole = sum(i.amount for i in year)
    discount = round_cent(whole * item.discount_rate)
    if not discount or left < whole - discount:
        return False
    # the discount is spread over the instalments, the rest on the last
    given = ZERO
    for i, instalment in enumerate(year):
        if i < len(year) - 1:
            share = round_cent(instalment.amount * item.discount_rate)
        else:
            share = discount - given
        given += share
        paid[instalment][0] = instalment.amount - share
        paid[instalment][1] = share
    return True
