# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The Romanian receipt (chitanță): the amount in words, the identifiers by
their Romanian names"""
from trytond.i18n import gettext
from trytond.pool import PoolMeta

from .words import CURRENCIES, amount_to_words

# The identifiers a receipt shows, the first a party has: the primărie's
# CIF, the payer's CNP, or a company's CIF (its CUI)
RECEIPT_IDENTIFIER_TYPES = ['ro_vat', 'ro_cui', 'ro_cnp', 'ro_onrc']


class Payment(metaclass=PoolMeta):
    __name__ = 'muni.payment'

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
