# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta

from muni_finance.interest import total

from .allocation import allocate_payment
from .rules import BGN_PER_EUR, bgn_to_eur, round_cent
from .words import CURRENCIES, amount_to_words

# ЗВЕРБ: the euro is the currency from this day; debts of before keep
# their amount in leva on their lines
EURO_DATE = dt.date(2026, 1, 1)
# The identifiers a receipt shows, the first a party has: the
# municipality's ЕИК/БУЛСТАТ, the payer's ЕГН, ЛНЧ or ЕИК
RECEIPT_IDENTIFIER_TYPES = ['bg_eik', 'bg_egn', 'bg_pnf', 'bg_vat']


class Payment(metaclass=PoolMeta):
    __name__ = 'muni.payment'

    @classmethod
    def _allocate_bg(cls, company, party, items, amount, date, context):
        "ДОПК чл. 169 (allocation.py)"
        return allocate_payment(
            amount, items, date, revenue_type=context.revenue_type,
            designated=context.designated, enforcement=context.enforcement)

    @classmethod
    def _interest_bg(cls, company, instalment, date, payments):
        """ЗЛДТДПДВ чл. 1 with ПМС 426/2014: a debt of before the euro
        accrues its interest in leva on its amount in leva to 31.12.2025,
        converted by ЗВЕРБ on 1.1.2026 (domain/bg.md §5); from then on in
        euro on the euro principal at the rates of 2026"""
        pool = Pool()
        InterestRate = pool.get('muni.interest.rate')
        due_date = instalment.maturity_date or instalment.date
        bgn = instalment.second_currency
        if (not cls._bears_interest(instalment) or due_date >= EURO_DATE
                or not bgn or bgn.code != 'BGN'
                or not instalment.amount_second_currency):
            return cls._interest_default(company, instalment, date, payments)
        before = InterestRate.compute(
            company.localisation, instalment.amount_second_currency,
            due_date, min(date, EURO_DATE - dt.timedelta(days=1)))
        for segment in before:
            segment.currency = bgn
        after = []
        if date >= EURO_DATE:
            after = InterestRate.compute(
                company.localisation, instalment.debit,
                EURO_DATE - dt.timedelta(days=1), date, payments)
        accrued = bgn_to_eur(total(before)).eur + total(after)
        return accrued, before + after

    # The Bulgarian receipt: the amount in words, the leva for
    # information, the identifiers by their Bulgarian names

    def _receipt_identifier_types_bg(self):
        return RECEIPT_IDENTIFIER_TYPES

    def _receipt_identifier_label_bg(self, identifier):
        if identifier.type in RECEIPT_IDENTIFIER_TYPES:
            return gettext('muni_bg_localization.msg_receipt_identifier_'
                + identifier.type)

    def _amount_in_words_bg(self, amount, currency):
        "In Bulgarian, for the currencies words.py knows; else digits only"
        if currency.code not in CURRENCIES:
            return None
        return amount_to_words(amount, currency.code)

    def _receipt_equivalents_bg(self, amount, currency):
        """ЗВЕРБ: the amount in euro with its equivalent in leva at the
        fixed rate, for information"""
        if currency.code != 'EUR':
            return []
        return [(round_cent(amount * BGN_PER_EUR), 'BGN')]
