# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Năvodari's payments: the order of extinction of Codul de procedură
fiscală art. 165 and the majorări de întârziere of art. 183, the pure
functions of allocation.py plugged into the engine's hooks."""
from decimal import Decimal

from trytond.pool import PoolMeta

from .allocation import CHARGE, Item, allocate, late_payment_charges
from .rates_ro import rates_for

ZERO = Decimal(0)


class Payment(metaclass=PoolMeta):
    __name__ = 'muni.payment'

    @classmethod
    def _allocate_ro(cls, company, party, items, amount, date, context):
        "Codul de procedură fiscală art. 165 (allocation.py)"
        wrapped = []
        for item in items:
            wrapped.append(Item(
                    line=item.line,
                    kind=CHARGE if item.kind == 'interest' else item.kind,
                    executory=item.executory, age=item.age,
                    amount=item.amount,
                    # majorări and enforcement costs are accessories
                    principal=item.kind not in {'interest', 'cost'},
                    due_date=item.due_date,
                    revenue_type=item.revenue_type))
        of = {id(w): i for w, i in zip(wrapped, items)}
        paid, credit, _ = allocate(
            amount, wrapped, date, choice=context.revenue_type,
            designated={i.line for i in context.designated},
            enforcement=context.enforcement)
        return [(of[id(w)], part, ZERO) for w, part in paid], credit

    @classmethod
    def _interest_ro(cls, company, instalment, date, payments):
        """Art. 183: 1 % of the unpaid principal for each month or fraction
        of a month, whole lei, per instalment; payments are the (date,
        principal) the posted payments paid of it"""
        if not cls._bears_interest(instalment):
            return ZERO, None
        due_date = instalment.maturity_date or instalment.date
        if date <= due_date and all(d <= due_date for d, _ in payments):
            return ZERO, None
        rates = rates_for('late_payment', due_date)
        result = late_payment_charges(
            instalment.debit, due_date, payments, date, rates.rate)
        return result.amount, result

    @classmethod
    def _explain_interest_ro(cls, company, trace):
        "The majorări as the clerk and the payer read them: the rule's trace"
        if trace is None:
            return ''
        return '\n'.join(
            f'{label}: {value}' for label, value in trace.trace)

    @classmethod
    def _executory_ro(cls, company, instalment):
        """A contravention fine the municipality records is individualised
        in its report, which is an executory title once not contested (OG
        2/2001 art. 37): art. 165 (2) pays it first"""
        return instalment.kind == 'fine'
