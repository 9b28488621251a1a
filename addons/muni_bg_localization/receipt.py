# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The Bulgarian receipt: the amount in words, the leva for information"
from trytond.pool import PoolMeta

from .rules import BGN_PER_EUR, round_cent
from .words import CURRENCIES, amount_to_words


class Payment(metaclass=PoolMeta):
    __name__ = 'muni.payment'

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
