# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The Bulgarian receipt: the amount in words, the leva for information,
the identifiers by their Bulgarian names"""
from trytond.i18n import gettext
from trytond.pool import PoolMeta

from .rules import BGN_PER_EUR, round_cent
from .words import CURRENCIES, amount_to_words


# The identifiers a receipt shows, the first a party has: the
# municipality's ЕИК/БУЛСТАТ, the payer's ЕГН, ЛНЧ or ЕИК
RECEIPT_IDENTIFIER_TYPES = ['bg_eik', 'bg_egn', 'bg_pnf', 'bg_vat']


class Payment(metaclass=PoolMeta):
    __name__ = 'muni.payment'

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
