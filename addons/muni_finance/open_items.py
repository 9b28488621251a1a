# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The open items of taxpayers as the allocation rules read them: their
open instalments and what was paid and charged of them, read with SQL for
all the parties of a bulk at once, and the plain values the localisations'
rules allocate."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql import Literal, Null
from sql.aggregate import Max, Sum
from sql.operators import Like

from trytond import backend
from trytond.model import fields
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction


# The kinds of open item the allocation rules tell apart: principal of a
# tax, of a fee (a service's price, "taxă" in the sense of the Romanian
# Codul fiscal art. 1 pct. 36), of a fine, of enforcement costs, and the
# late-payment charge accrued on a principal
KINDS = ('tax', 'fee', 'fine', 'cost', 'interest')
# the revenue type's kind as the kind of its principal
REVENUE_KINDS = {'price': 'fee'}


class Item:
    """An open item as the allocation rules see it, plain values without
    database: the principal of an instalment, or the late-payment charge
    accrued on it (kind 'interest'), each an item of its own.

    line: the instalment's move line (an instalment and its charge share
    it); kind: one of KINDS; executory: whether it stems from an executory
    title; age: the date its age is counted from (the due date of a
    principal, the term of the decision that established an accessory);
    amount: what is open of it; trace: how the localisation computed a
    late-payment charge (explained by Payment.explain_interest);
    explanation: why the allocation rule paid it or left it open, as the
    rule may tell it (stored on the payment's allocation)"""
    __slots__ = (
        'line', 'kind', 'executory', 'age', 'amount', 'assessment',
        'revenue_type', 'year', 'due_date', 'instalment', 'discount_rate',
        'discount_date', 'untouched', 'trace', 'explanation')

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))
        if self.executory is None:
            self.executory = False

    @property
    def accessory(self):
        "Whether the item is a late-payment charge"
        return self.kind == 'interest'

    def __repr__(self):
        return (f'Item({self.line}, {self.kind}, {self.year}, {self.age}, '
            f'{self.amount})')


class AllocationContext:
    """What the payer asked and the state of the debts, as an allocation
    rule reads them: the revenue type the payer chose (an id, or None), the
    items the payer designated, whether an enforcement case is open (and
    since when)"""
    __slots__ = ('revenue_type', 'designated', 'enforcement',
        'enforcement_date')

    def __init__(self, revenue_type=None, designated=(), enforcement=False,
            enforcement_date=None):
        self.revenue_type = revenue_type
        self.designated = list(designated or ())
        self.enforcement = bool(enforcement)
        self.enforcement_date = enforcement_date


class OpenInstalment:
    """An open instalment with its principal and the late-payment charge
    accrued on it to the date, and the neutral items they give (items)"""
    __slots__ = (
        'line', 'assessment', 'revenue_type', 'year', 'due_date',
        'instalment', 'principal', 'interest', 'interest_trace', 'cost',
        'discount_rate', 'discount_date', 'untouched', 'charged', 'account',
        'items')

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))

    def __repr__(self):
        return (f'OpenInstalment({self.line}, {self.year}, {self.due_date}, '
            f'{self.principal}, {self.interest})')


def _decimal(value):
    "A numeric column as a Decimal, whatever the backend returns"
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


class Instalment:
    "An open receivable line of an assessment as the interest rules read it"
    __slots__ = (
        'id', 'date', 'maturity_date', 'debit', 'second_currency',
        'amount_second_currency', 'assessment', 'move', 'revenue_type',
        'kind', 'year', 'discount_rate', 'discount_date', 'party', 'account',
        'number')

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values):
            setattr(self, name, value)
        self.debit = _decimal(self.debit)
        self.amount_second_currency = _decimal(self.amount_second_currency)
        self.discount_rate = _decimal(self.discount_rate)
        self.number = 1


class Paid:
    """What a posted payment paid of an instalment; interest_charged: of its
    interest, what an interest charge had posted before"""
    __slots__ = ('date', 'principal', 'interest', 'discount',
        'interest_charged')

    def __init__(self, date, principal, interest, discount,
            interest_charged=Decimal(0)):
        self.date = date
        self.principal = principal
        self.interest = interest
        self.discount = discount
        self.interest_charged = interest_charged


class Allocated:
    """What a payment pays of an open instalment (OpenInstalment): the
    allocation rule's parts of its items gathered; interest_charged: of the
    interest, what an interest charge had posted before (Payment.plan)"""
    __slots__ = ('item', 'principal', 'interest', 'discount',
        'interest_charged')

    def __init__(self, item, principal=0, interest=0, discount=0):
        self.item = item
        self.principal = Decimal(principal)
        self.interest = Decimal(interest)
        self.discount = Decimal(discount)
        self.interest_charged = Decimal(0)


def open_instalments(company, party_ids):
    """Return for each party the open receivable lines of its assessments
    in the company by id, as Instalments in the order of their maturity
    (read with SQL, for all the parties of a bulk at once: a payment at
    the cash desk reads them all)"""
    pool = Pool()
    Line = pool.get('account.move.line')
    Account = pool.get('account.account')
    AccountType = pool.get('account.account.type')
    Assessment = pool.get('muni.assessment')
    line = Line.__table__()
    account = Account.__table__()
    type_ = AccountType.__table__()
    cursor = Transaction().connection.cursor()
    in_ = fields.SQL_OPERATORS['in']
    instalments = {}
    for sub_parties in grouped_slice(party_ids, backend.MAX_QUERY_PARAMS):
        _open_lines(cursor, company, list(sub_parties), instalments)
    by_party = defaultdict(dict)
    for instalment in instalments.values():
        by_party[instalment.party][instalment.id] = instalment
    # the instalment's number within its assessment: its rank among
    # the receivable lines of the move that posted the assessment
    moves = {i.move for i in instalments.values()}
    origins = {f'{Assessment.__name__},{i.assessment}'
        for i in instalments.values()}
    ranks = defaultdict(list)
    for sub_moves in grouped_slice(
            list(moves), backend.MAX_QUERY_PARAMS):
        cursor.execute(*line
            .join(account, condition=line.account == account.id)
            .join(type_, condition=account.type == type_.id)
            .select(line.id, line.origin,
                where=in_(line.move, list(sub_moves))
                & line.origin.in_(list(origins))
                & (line.debit > 0)
                & (type_.receivable == Literal(True)),
                order_by=[line.maturity_date.asc, line.id.asc]))
        for line_id, origin in cursor:
            ranks[origin].append(line_id)
    for lines in ranks.values():
        for number, line_id in enumerate(lines, 1):
            if line_id in instalments:
                instalments[line_id].number = number
    return by_party


def _open_lines(cursor, company, party_ids, instalments):
    "Read into instalments the open receivable lines of the parties"
    pool = Pool()
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    Account = pool.get('account.account')
    AccountType = pool.get('account.account.type')
    Assessment = pool.get('muni.assessment')
    RevenueType = pool.get('muni.revenue.type')
    line = Line.__table__()
    move = Move.__table__()
    account = Account.__table__()
    type_ = AccountType.__table__()
    assessment = Assessment.__table__()
    revenue_type = RevenueType.__table__()
    query = (line
        .join(move, condition=line.move == move.id)
        .join(account, condition=line.account == account.id)
        .join(type_, condition=account.type == type_.id)
        .join(assessment, condition=assessment.id
            == Line.origin.sql_id(line.origin, Line))
        .join(revenue_type,
            condition=assessment.revenue_type == revenue_type.id)
        .select(line.id, move.date, line.maturity_date, line.debit,
            line.second_currency, line.amount_second_currency,
            assessment.id, assessment.move, revenue_type.id,
            revenue_type.kind, assessment.year,
            assessment.discount_rate, assessment.discount_date,
            line.party, line.account,
            where=fields.SQL_OPERATORS['in'](line.party, party_ids)
            & (line.reconciliation == Null)
            & (line.debit > 0)
            & Like(line.origin, f'{Assessment.__name__},%')
            & (move.company == company.id)
            & (move.state == 'posted')
            & (type_.receivable == Literal(True)),
            order_by=[line.maturity_date.asc, line.id.asc]))
    cursor.execute(*query)
    for row in cursor:
        instalment = Instalment(*row)
        instalments[instalment.id] = instalment


def paid_of(line_ids):
    """Return for each instalment line what the posted payments paid of
    it, in the order of the payments"""
    pool = Pool()
    Allocation = pool.get('muni.payment.allocation')
    Payment = pool.get('muni.payment')
    allocation = Allocation.__table__()
    payment = Payment.__table__()
    cursor = Transaction().connection.cursor()
    paid = defaultdict(list)
    in_ = fields.SQL_OPERATORS['in']
    for sub_ids in grouped_slice(line_ids, backend.MAX_QUERY_PARAMS):
        cursor.execute(*allocation
            .join(payment, condition=allocation.payment == payment.id)
            .select(allocation.line, payment.date, allocation.principal,
                allocation.interest, allocation.discount,
                allocation.interest_charged,
                where=in_(allocation.line, list(sub_ids))
                & (payment.state == 'posted'),
                order_by=[payment.date.asc, payment.id.asc]))
        for line_id, date, principal, interest, discount, charged \
                in cursor:
            paid[line_id].append(Paid(
                    date, _decimal(principal), _decimal(interest),
                    _decimal(discount), _decimal(charged or 0)))
    return paid


def charged_of(line_ids):
    """Return for each instalment line the interest the posted interest
    charges charged on it, and the date of the last charge (the term of the
    accessory they established)"""
    pool = Pool()
    Charge = pool.get('muni.interest.charge')
    ChargeLine = pool.get('muni.interest.charge.line')
    charge = Charge.__table__()
    charge_line = ChargeLine.__table__()
    cursor = Transaction().connection.cursor()
    charged, terms = defaultdict(Decimal), {}
    in_ = fields.SQL_OPERATORS['in']
    for sub_ids in grouped_slice(line_ids, backend.MAX_QUERY_PARAMS):
        cursor.execute(*charge_line
            .join(charge, condition=charge_line.charge == charge.id)
            .select(charge_line.line, Sum(charge_line.amount),
                Max(charge.date),
                where=in_(charge_line.line, list(sub_ids))
                & (charge.state == 'posted'),
                group_by=[charge_line.line]))
        for line_id, amount, date in cursor:
            charged[line_id] = _decimal(amount)
            # SQLite's MAX of a date is its text
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            terms[line_id] = date
    return charged, terms
