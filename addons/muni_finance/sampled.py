# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Records a bulk creates from checked values, validated by sample
(sampling.py): the origins of an imported bank file, the payments of its
receipts, the allocations of payments. Each model says which values its
generic checks depend on (_checked_keys) and checks itself, record by
record, the values that differ within a bulk."""
from trytond.pool import Pool, PoolMeta

from .sampling import FREE_TEXT, ValidatedBySample, digits_regular, stored


def statement_digits(rows):
    "The digits of the currency of each statement of the rows, by id"
    Statement = Pool().get('account.statement')
    return {s.id: s.journal.currency.digits for s in Statement.browse(
            list({r['statement'] for r in rows}))}


class StatementOrigin(ValidatedBySample, metaclass=PoolMeta):
    "The transactions of a bank file, imported whole"
    __name__ = 'account.statement.origin'

    _sample_key = ('statement', 'account', 'second_currency', 'date')
    _sample_exempt = {
        'amount': "its digits are checked on each origin; required, and "
        "each origin of a file has one",
        'amount_second_currency': "none in an origin of the key: an "
        "origin with one is a sample of its own",
        'company': "the statement's, which is in the key",
        'company_currency': "the statement's, which is in the key",
        'currency': "the statement's, which is in the key",
        'description': FREE_TEXT,
        'number': FREE_TEXT,
        'party': "no check reads it but a read-only state",
        'lines': "an origin has no lines when its file is imported",
        }

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each origin that StatementImport.do_import_ creates
        from a file the values the generic checks depend on, but its
        number, description, party and information (free values no check
        reads); or None when its amount does not fit the currency"""
        names = list(cls._sample_key)
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

    _sample_key = ('company', 'account', 'journal', 'channel',
        'revenue_type', 'designated', 'session', 'state')
    _sample_exempt = {
        'amount': "checked on each payment: its digits by _checked_keys, "
        "its sign by check_amount (_validate_sampled)",
        'credit': "empty when a payment is created",
        'debts': "empty when a payment is created (computed when posted)",
        'cancel_reason': "empty when a payment is created (the cancel "
        "wizard writes it); its states only hide it",
        'currency': "the company's, which is in the key",
        'date': "only whether it is set is in the key (required)",
        'taxpayer': "only its company, which its domain compares to the "
        "payment's, and whether it is set are in the key",
        'party': "only the domain of the designated instalment reads it: a "
        "payment that designates one is a sample of its own",
        'reference': FREE_TEXT,
        'number': "empty when a payment is created (given when posted)",
        'origin': "only the model of the origin is in the key (the "
        "selection of the field); the record is the bulk path's own",
        }

    @classmethod
    def _validate_sampled(cls, payments):
        super()._validate_sampled(payments)
        # what validate_fields checks of each payment's own values
        cls.check_amount(payments)

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each payment of a receipt the values the generic
        checks depend on, but its taxpayer (its company only) and party,
        reference and origin record; or None when its amount does not fit
        the currency or it designates an instalment"""
        pool = Pool()
        Company = pool.get('company.company')
        Taxpayer = pool.get('muni.taxpayer')
        names = list(cls._sample_key)
        rows = stored(
            cls, ids, names + ['amount', 'date', 'origin', 'taxpayer'])
        digits = {c.id: c.currency.digits for c in Company.browse(
                list({r['company'] for r in rows}))}
        taxpayer_companies = {t['id']: t['company'] for t in stored(
                Taxpayer, list({r['taxpayer'] for r in rows
                        if r['taxpayer']}), ['company'])}
        keys = {}
        for row in rows:
            if (digits_regular(row['amount'], digits[row['company']])
                    and not row['designated']):
                keys[row['id']] = tuple(row[n] for n in names) + (
                    row['date'] is None,
                    row['origin'].split(',')[0] if row['origin'] else None,
                    row['taxpayer'] is None,
                    taxpayer_companies.get(row['taxpayer']))
            else:
                keys[row['id']] = None
        return keys


class PaymentAllocation(ValidatedBySample, metaclass=PoolMeta):
    "What a payment paid, from its plan (Payment._allocation_records)"
    __name__ = 'muni.payment.allocation'

    _sample_key = ()
    _sample_exempt = {
        name: "only whether it is set is in the key (required)"
        for name in ['payment', 'line', 'assessment', 'revenue_type',
            'year']}
    _sample_exempt.update({
            name: "its digits are checked on each allocation; only whether "
            "it is set is in the key"
            for name in ['principal', 'interest', 'interest_charged',
                'discount', 'remaining']})
    _sample_exempt['currency'] = (
        "the company's of the payment, whose digits are read for each "
        "allocation")

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
