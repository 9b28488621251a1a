# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Năvodari's payments: the order of extinction of Codul de procedură
fiscală art. 165, the bonificație of the whole year paid by its deadline
(Codul fiscal art. 462 (2), 467 (2), 472 (2)) and the majorări de
întârziere of art. 183, the pure functions of allocation.py plugged into
the engine's hooks."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta

from .allocation import (
    CHARGE, Item, allocate, bonus_shares, late_payment_charges)
from .rates_ro import rates_for
from .words import CURRENCIES, amount_to_words

ZERO = Decimal(0)
MODULE = 'muni_ro_localization'
# The identifiers a receipt shows, the first a party has: the primărie's
# CIF, the payer's CNP, or a company's CIF (its CUI)
RECEIPT_IDENTIFIER_TYPES = ['ro_vat', 'ro_cui', 'ro_cnp', 'ro_onrc']


class Payment(metaclass=PoolMeta):
    __name__ = 'muni.payment'

    @classmethod
    def _allocate_ro(cls, company, party, items, amount, date, context):
        """Codul de procedură fiscală art. 165 (allocation.py), with the
        bonificație of the years paid whole by their deadline; each item's
        explanation tells the rule that placed it"""
        designated = {i.line for i in context.designated}
        bonus = cls._ro_bonus_candidates(
            company, items, date, context.revenue_type)
        while True:
            wrapped = []
            for item in items:
                due = bonus.get(item.assessment, {}).get(id(item))
                wrapped.append(Item(
                        line=item.line,
                        kind=CHARGE if item.kind == 'interest' else item.kind,
                        executory=item.executory, age=item.age,
                        amount=due[0] if due else item.amount,
                        # majorări and enforcement costs are accessories
                        principal=item.kind not in {'interest', 'cost'},
                        due_date=item.due_date,
                        revenue_type=item.revenue_type))
            # paying the whole year with its bonificație is the payer's
            # request to pay its instalments not yet due (art. 165 (1) b))
            requested = designated | {
                i.line for i in items if i.assessment in bonus}
            paid, credit, explanation = allocate(
                amount, wrapped, date, choice=context.revenue_type,
                designated=requested, enforcement=context.enforcement)
            parts = {id(w): part for w, part in paid}
            short = {a for a, dues in bonus.items()
                if any(parts.get(id(w), ZERO) != dues[id(i)][0]
                    for w, i in zip(wrapped, items) if id(i) in dues)}
            if not short:
                break
            # a year not paid whole loses its bonificație: allocate again
            for assessment in short:
                del bonus[assessment]
        of = {id(w): i for w, i in zip(wrapped, items)}
        for reason in explanation:
            text = gettext(f'{MODULE}.msg_art165_{reason.rule}')
            if reason.order:
                text = gettext(f'{MODULE}.msg_art165_order',
                    order=reason.order, text=text)
            of[id(reason.item)].explanation = text
        result = []
        for w, part in paid:
            item = of[id(w)]
            discount = ZERO
            due = bonus.get(item.assessment, {}).get(id(item))
            if due:
                discount = due[1]
                item.explanation = '\n'.join(filter(None, [
                            item.explanation,
                            gettext(f'{MODULE}.msg_art165_bonus',
                                rate=_percent(item.discount_rate),
                                deadline=_date(due[2]),
                                bonus=_lei(discount))]))
            result.append((item, part, discount))
        return result, credit

    @classmethod
    def _ro_bonus_candidates(cls, company, items, date, choice=None):
        """The assessments whose whole year the payment may pay with its
        bonificație on date: a discount rate and deadline (the council's,
        as the levy stored them), the deadline (moved to the next working
        day) not past, none of the year's instalments paid before nor
        bearing majorări; the payer's choice of revenue type, if any,
        names it. Returns {assessment: {id(item): (due, bonificație,
        deadline)}}"""
        years = {}
        for item in items:
            if item.assessment is not None:
                years.setdefault(item.assessment, []).append(item)
        result = {}
        for assessment, year in years.items():
            first = year[0]
            if (not first.discount_rate or not first.discount_date
                    or (choice is not None
                        and first.revenue_type != choice)
                    or any(i.kind != 'tax'
                        or not i.untouched for i in year)):
                continue
            deadline = company.next_working_day(first.discount_date)
            if date > deadline:
                continue
            year.sort(key=lambda i: (i.due_date, i.line))
            shares = bonus_shares(
                [i.amount for i in year], first.discount_rate * 100)
            if not any(s for _, s in shares):
                continue
            result[assessment] = {
                id(i): (due, share, deadline)
                for i, (due, share) in zip(year, shares)}
        return result

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
        """The majorări as the clerk and the payer read them, in their
        language: each part of the principal with its months, then the
        total in whole lei"""
        if trace is None:
            return ''
        lines = [gettext(f'{MODULE}.msg_majorari_rule')]
        for part in trace.parts:
            values = part.values
            lines.append(gettext(f'{MODULE}.msg_majorari_part',
                    principal=_lei(values['principal']),
                    rate=_percent(values['rate'] / 100),
                    months=values['months'],
                    due_date=_date(values['due_date']),
                    date=_date(values['date']),
                    amount=_lei(part.amount)))
        lines.append(gettext(f'{MODULE}.msg_majorari_total',
                amount=_lei(trace.amount)))
        return '\n'.join(lines)

    @classmethod
    def _executory_ro(cls, company, instalment):
        """A contravention fine the municipality records is individualised
        in its report, which is an executory title once not contested (OG
        2/2001 art. 37): art. 165 (2) pays it first"""
        return instalment.kind == 'fine'

    # The chitanță: the amount in words, the identifiers by their
    # Romanian names

    def _receipt_identifier_types_ro(self):
        return RECEIPT_IDENTIFIER_TYPES

    def _receipt_identifier_label_ro(self, identifier):
        if identifier.type in RECEIPT_IDENTIFIER_TYPES:
            return gettext('muni_ro_localization.msg_receipt_identifier_'
                + identifier.type)

    def _amount_in_words_ro(self, amount, currency):
        "In Romanian, for the currencies words.py knows; else digits only"
        if currency.code not in CURRENCIES:
            return None
        return amount_to_words(amount, currency.code)



def _lang():
    return Pool().get('ir.lang').get()


def _lei(value):
    "An amount in lei (Decimal or exact Fraction) as the user reads it"
    if not isinstance(value, Decimal):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return _lang().format('%.2f', value, grouping=True)


def _percent(fraction):
    "A rate stored as a fraction, in percent without needless decimals"
    if not isinstance(fraction, Decimal):
        fraction = Decimal(fraction.numerator) / Decimal(fraction.denominator)
    value = fraction * 100
    if value == value.to_integral_value():
        return _lang().format('%.0f', value)
    return _lang().format('%.2f', value)


def _date(date):
    return _lang().strftime(date)
