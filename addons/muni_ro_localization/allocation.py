# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Codul de procedură fiscală (Legea 207/2015): majorări de întârziere for
local budgets (art. 183) and the order in which a payment extinguishes
debts (art. 165), as pure functions (domain/ro.md §3).

Art. 165 (1): "if the payment does not cover everything, the obligation
indicated by the debtor is extinguished, by law in this order: a) all
main obligations in order of age, then all accessory obligations in
order of age; b) obligations with future due dates, only at the debtor's
request." Art. 165 (2), for the local fiscal body: the payment first
extinguishes contravention fines individualised in executory titles,
oldest first, even if the debtor indicated another obligation; this does
not apply to "taxe" in the sense of art. 1 pct. 36 (a fee for a service).
Art. 165 (3): age is the due date for principal and the payment term of
the decision for accessories.
"""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .rules import Result, RuleError, _exact, add_months, round_lei

ZERO = Decimal(0)

TAX = 'tax'
FEE = 'fee'  # "taxă", art. 1 pct. 36
FINE = 'fine'
CHARGE = 'charge'  # majorări de întârziere
COST = 'cost'
KINDS = (TAX, FEE, FINE, CHARGE, COST)

# Rules that place an item, in the explanation
DESIGNATED_FEE = 'designated_fee'
ENFORCEMENT_COST = 'enforcement_cost'
EXECUTORY_FINE = 'executory_fine'
PRINCIPAL = 'principal'
ACCESSORY = 'accessory'
FUTURE_DESIGNATED = 'future_designated'
# Rules that leave an item out
FUTURE_NOT_DESIGNATED = 'future_not_designated'
NOT_CHOSEN = 'not_chosen'

RULE_TEXTS = {
    DESIGNATED_FEE: "Fee for the service the payer named: paid first "
    "(art. 165 (2), taxe of art. 1 pct. 36 are not preceded by fines)",
    ENFORCEMENT_COST: "Enforcement costs: paid first during enforcement",
    EXECUTORY_FINE: "Fine in an executory title: paid before the other "
    "debts, oldest first (art. 165 (2))",
    PRINCIPAL: "Principal: oldest first (art. 165 (1) a))",
    ACCESSORY: "Accessory: after all principal, oldest first "
    "(art. 165 (1) a))",
    FUTURE_DESIGNATED: "Not yet due: paid at the payer's request "
    "(art. 165 (1) b))",
    FUTURE_NOT_DESIGNATED: "Not yet due and not requested: left open "
    "(art. 165 (1) b))",
    NOT_CHOSEN: "Outside the obligation the payer indicated: left open "
    "(art. 165 (1))",
    }


@dataclass(frozen=True)
class Item:
    """An open debt as allocate() reads it; any object with these
    attributes will do.

    line: the engine's id; kind: one of KINDS; executory: stems from an
    executory title; age: due date for principal, the decision's term
    for accessories (art. 165 (3)); amount: open amount (Decimal, lei);
    principal: False for accessories (majorări, costs); due_date: when
    it falls due (future debts are after the payment's date);
    revenue_type: what the payer's choice names (any comparable value)."""
    line: object
    kind: str
    executory: bool
    age: dt.date
    amount: Decimal
    principal: bool
    due_date: dt.date
    revenue_type: object = None


@dataclass(frozen=True)
class Explanation:
    "Why an item was paid or left open: rule is a code of RULE_TEXTS"
    line: object
    rule: str
    order: int  # position in the order of payment, 0 when left out
    paid: Decimal
    item: object = None  # the Item explained

    @property
    def text(self):
        return RULE_TEXTS[self.rule]


def allocate(amount, items, date, choice=None, designated=(),
        enforcement=False, fines_first=True):
    """Distribute amount paid on date over items by art. 165

    Returns (paid, credit, explanation): paid is [(item, amount paid)]
    in order of payment, for the items that received something; credit
    the amount left over (Decimal); explanation a list of Explanation,
    one per item, in order of payment, then the items left out.

    Order:
    1. fees (kind FEE) whose line is designated: the service the payer
       pays for (art. 165 (2) does not apply to taxe);
    2. with enforcement, costs (kind COST), oldest first (UNVERIFIED:
       ro.md §3.2 gives no order under enforcement; this follows the
       distribution of art. 262 where costs come first);
    3. fines (kind FINE) from executory titles, oldest first, whatever
       the payer chose (art. 165 (2));
    4. the indicated obligations: the items of the chosen revenue type
       (choice) with the designated lines, or every item when the payer
       chose no type (designating a fee or a future debt narrows
       nothing): all principal by age, then all accessories by age
       (art. 165 (1) a));
    5. items not yet due on date that the payer asked for: designated, or
       of the revenue type he chose (indicating the tax he pays is asking
       to pay its next instalment once the due ones are paid: a payment to
       the building tax's Treasury account before 30 September pays it):
       principal, then accessories, by age (art. 165 (1) b)).
    Items not yet due and not asked for, and items outside the payer's
    indication, are left open; what then remains is credit.
    fines_first: False skips step 3; a later version of art. 165 (2)
    keeps the exception only for payments by owners of buildings, land
    or vehicles (ro.md §3.2), which the caller knows."""
    amount = Decimal(amount)
    if amount <= 0:
        raise RuleError('invalid_amount', amount=amount)
    designated = set(designated or ())
    for item in items:
        if item.kind not in KINDS:
            raise RuleError('unknown_kind', kind=item.kind)

    def by_age(item):
        return (item.age, item.due_date, str(item.line))

    placed = []  # (item, rule)
    seen = set()

    def place(candidates, rule):
        for item in sorted(candidates, key=by_age):
            if id(item) not in seen:
                seen.add(id(item))
                placed.append((item, rule))

    future = {id(i) for i in items if i.due_date > date}
    current = [i for i in items if id(i) not in future]
    place([i for i in current if i.kind == FEE and i.line in designated],
        DESIGNATED_FEE)
    if enforcement:
        place([i for i in current if i.kind == COST], ENFORCEMENT_COST)
    if fines_first:
        place([i for i in current if i.kind == FINE and i.executory],
            EXECUTORY_FINE)
    if choice is not None:
        indicated = [i for i in current
            if i.revenue_type == choice or i.line in designated]
    else:
        indicated = current
    place([i for i in indicated if i.principal], PRINCIPAL)
    place([i for i in indicated if not i.principal], ACCESSORY)
    requested = [i for i in items
        if id(i) in future and (i.line in designated
            or (choice is not None and i.revenue_type == choice))]
    place([i for i in requested if i.principal], FUTURE_DESIGNATED)
    place([i for i in requested if not i.principal], FUTURE_DESIGNATED)

    paid, explanation = [], []
    left = amount
    for order, (item, rule) in enumerate(placed, 1):
        part = min(left, Decimal(item.amount))
        if part > 0:
            paid.append((item, part))
            left -= part
        else:
            part = ZERO
        explanation.append(
            Explanation(item.line, rule, order, part, item))
    for item in sorted(items, key=by_age):
        if id(item) not in seen:
            rule = (FUTURE_NOT_DESIGNATED if id(item) in future
                else NOT_CHOSEN)
            explanation.append(Explanation(item.line, rule, 0, ZERO, item))
    return paid, left, explanation


def bonus_shares(amounts, rate_percent):
    """The bonificație of art. 462 (2), 467 (2), 472 (2) on a year paid
    whole by its deadline, spread over its instalments

    amounts: the open amounts of the year's instalments, in whole lei, in
    their order; rate_percent: the council's rate. Returns [(due,
    bonificație)] per instalment: the year's due is round_lei(whole × (1 −
    rate)) as rules.bonus computes it; each instalment but the last gets
    amount − round_lei(amount × (1 − rate)), the last the rest, so the
    dues add up to the year's.

    >>> bonus_shares([Decimal(167), Decimal(166)], Decimal(10))
    [(Decimal('150'), Decimal('17')), (Decimal('150'), Decimal('16'))]"""
    rate = 1 - _exact(rate_percent) / 100
    whole = sum((Decimal(a) for a in amounts), ZERO)
    total = whole - round_lei(_exact(whole) * rate)
    shares, given = [], ZERO
    for i, amount in enumerate(amounts):
        amount = Decimal(amount)
        if i < len(amounts) - 1:
            share = amount - round_lei(_exact(amount) * rate)
        else:
            share = total - given
        share = min(max(share, ZERO), amount)
        given += share
        shares.append((amount - share, share))
    return shares


# Majorări de întârziere ---------------------------------------------

def late_months(due_date, date):
    """Months or fractions of a month from the day after due_date up to
    and including date (art. 183 (2)); 0 when date ≤ due_date

    Month n runs from the day after due_date to the day before the same
    day n months later, or to the last day of that month when it has no
    such day (ro.md §3.1, UNVERIFIED algorithm): due 31 January → the
    first month ends 28 February (29 in a leap year), due 31 March → 30
    April, due 30 September → 31 October."""
    if date <= due_date:
        return 0
    start = due_date + dt.timedelta(days=1)
    months = (date.year - start.year) * 12 + date.month - start.month
    months = max(months, 1)
    while _month_end(start, months) >= date and months > 1:
        months -= 1
    while _month_end(start, months) < date:
        months += 1
    return months


def _month_end(start, n):
    "Last day of the n-th month counted from start"
    end = add_months(start, n)
    if end.day != start.day:
        # the month has no such day: it ends on its last day
        return end
    return end - dt.timedelta(days=1)


def late_payment_charge(amount, due_date, date, rate_percent):
    """Majorări on a principal amount paid (or still open) on date
    (art. 183): amount × rate % × late_months(due_date, date), whole lei
    (HG 1/2016 rounding). rate_percent: rates_for('late_payment',
    due_date).rate, 1 % since 2016 (a debt late across 1.1.2016 needs
    two calls, one per rate). due_date: the deadline as moved to a
    working day. Computed per instalment.
    values: principal, due_date, date, months, rate, charge (exact)."""
    months = late_months(due_date, date)
    principal = _exact(amount)
    charge = principal * _exact(rate_percent) / 100 * months
    values = {
        'principal': principal, 'due_date': due_date, 'date': date,
        'months': months, 'rate': _exact(rate_percent), 'charge': charge}
    trace = (
        ("Rule", "Codul de procedură fiscală art. 183: majorări de "
            "întârziere"),
        ("Principal (lei)", principal),
        ("Due date", due_date),
        ("Until", date),
        ("Months or fractions of a month", months),
        ("Rate per month (%)", _exact(rate_percent)),
        ("Amount (whole lei)", round_lei(charge)),
        )
    return Result(round_lei(charge), values, trace)


def late_payment_charges(amount, due_date, payments, date, rate_percent):
    """Majorări on one instalment paid in several parts

    payments: [(date, amount paid on the principal)]; each part paid
    late bears majorări up to its date, and what is still open on date
    bears them up to date. Each part is rounded on its own (each is a
    charge of its own decision line). Returns a Result whose parts are
    the Results of late_payment_charge and amount their sum."""
    open_ = _exact(amount)
    parts = []
    for paid_on, paid in sorted(payments):
        part = min(_exact(paid), open_)
        if part <= 0:
            continue
        open_ -= part
        if paid_on > due_date:
            parts.append(late_payment_charge(
                    part, due_date, min(paid_on, date), rate_percent))
    if open_ > 0 and date > due_date:
        parts.append(late_payment_charge(open_, due_date, date,
                rate_percent))
    total = sum((p.amount for p in parts), ZERO)
    trace = [("Rule", "Codul de procedură fiscală art. 183: majorări de "
            "întârziere")]
    for part in parts:
        trace.append(("%s lei, %s months" % (
                    _fmt_lei(part.values['principal']),
                    part.values['months']), part.amount))
    trace.append(("Amount (whole lei)", total))
    values = {'open': open_, 'charge': total}
    return Result(total, values, tuple(trace), parts=tuple(parts))


def _fmt_lei(value):
    return Decimal(value.numerator) / Decimal(value.denominator)
