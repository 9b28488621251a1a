# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Records a bulk creates from checked values, validated by sample
(assessment.validate_by_sample): the origins of an imported bank file, the
payments of its receipts, the allocations of payments. Each model says
which values its generic checks depend on (_checked_keys) and checks
itself, record by record, the values that differ within a bulk."""
from trytond.pool import Pool, PoolMeta

from .assessment import (
    ValidatedBySample, checked, digits_regular, stored)


def statement_digits(rows):
    "The digits of the currency of each statement of the rows, by id"
    Statement = Pool().get('account.statement')
    return {s.id: s.journal.currency.digits for s in Statement.browse(
            list({r['statement'] for r in rows}))}


class StatementOrigin(ValidatedBySample, metaclass=PoolMeta):
    "The transactions of a bank file, imported whole"
    __name__ = 'account.statement.origin'

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each origin that StatementImport.do_import_ creates
        from a file the values the generic checks depend on, but its
        number, description, party and information (free values no check
        reads); or None when its amount does not fit the currency"""
        names = ['statement', 'account', 'second_currency', 'date']
        rows = stored(cls, ids, names + ['amount', 'amount_second_currency'])
        digits = statement_digits(rows)
        keys = {}
        for row in rows:
            if (digits_regular(row['amount'], digits[row['statement']])
                    and row['amount_second_currency'] is None):
                keys[row['id']] = tuple(row[n] for n in names)
            else:
                keys[row['id']] = None
        return keys


class Payment(ValidatedBySample, metaclass=PoolMeta):
    "The payments of a bank file's receipts (StatementLine.allocate)"
    __name__ = 'muni.payment'

    @classmethod
    def _validate(cls, payments, field_names=None):
        super()._validate(payments, field_names=field_names)
        if checked(cls, field_names):
            # what validate_fields checks of each payment's own values
            cls.check_amount(payments)

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each payment of a receipt the values the generic
        checks depend on, but its taxpayer and party (of its company, as
        the matching found them), reference and origin record; or None
        when its amount does not fit the currency"""
        pool = Pool()
        Company = pool.get('company.company')
        names = ['company', 'account', 'journal', 'channel', 'revenue_type',
            'designated', 'session', 'state']
        rows = stored(cls, ids, names + ['amount', 'date', 'origin'])
        digits = {c.id: c.currency.digits for c in Company.browse(
                list({r['company'] for r in rows}))}
        keys = {}
        for row in rows:
            if digits_regular(row['amount'], digits[row['company']]):
                keys[row['id']] = tuple(row[n] for n in names) + (
                    row['date'] is None,
                    row['origin'].split(',')[0] if row['origin'] else None)
            else:
                keys[row['id']] = None
        return keys


class PaymentAllocation(ValidatedBySample, metaclass=PoolMeta):
    "What a payment paid, from its plan (Payment._allocation_records)"
    __name__ = 'muni.payment.allocation'

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each allocation the values the generic checks depend
        on: whether each required value is there (the payment, instalment,
        assessment, revenue type and year the plan read), its move lines;
        or None when an amount does not fit the currency"""
        pool = Pool()
        Payment = pool.get('muni.payment')
        required = ['payment', 'line', 'assessment', 'revenue_type', 'year']
        amounts = ['principal', 'interest', 'interest_charged', 'discount',
            'remaining']
        lines = ['principal_line', 'interest_charge_line', 'interest_line',
            'discount_line']
        rows = stored(cls, ids, required + amounts + lines)
        digits = {p.id: p.company.currency.digits for p in Payment.browse(
                list({r['payment'] for r in rows if r['payment']}))}
        keys = {}
        for row in rows:
            if row['payment'] and all(
                    digits_regular(row[n], digits[row['payment']])
                    for n in amounts if row[n] is not None):
                keys[row['id']] = (
                    tuple(row[n] is None for n in required + amounts)
                    + tuple(row[n] is None for n in lines))
            else:
                keys[row['id']] = None
        return keys
