# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The receipt of a payment: an HTML template printed as PDF, with the
amount in words where the localisation has a rule for them."""
from trytond.i18n import gettext
from trytond.pool import PoolMeta
from trytond.report import Report

from muni_base.report import ModuleFilesReport

from .exceptions import PaymentError


class Payment(metaclass=PoolMeta):
    __name__ = 'muni.payment'

    def get_amount_in_words(self, amount=None):
        """Return the amount (the payment's by default) in words by the
        rule of the company's localisation (``_amount_in_words_<code>``),
        or None when it has none: the receipt shows the digits only"""
        if amount is None:
            amount = self.amount
        method = getattr(
            self, f'_amount_in_words_{self.company.localisation}', None)
        if method is None or amount is None:
            return None
        return method(amount, self.currency)

    def get_receipt_equivalents(self, amount=None):
        """Return the amount in other currencies shown for information on
        the receipt, as (amount, currency code) pairs, by the rule of the
        company's localisation (``_receipt_equivalents_<code>``)"""
        if amount is None:
            amount = self.amount
        method = getattr(
            self, f'_receipt_equivalents_{self.company.localisation}', None)
        if method is None or amount is None:
            return []
        return method(amount, self.currency)


class Receipt(ModuleFilesReport, Report):
    __name__ = 'muni.payment.receipt'

    @classmethod
    def get_context(cls, records, header, data):
        for payment in records:
            if payment.state == 'draft':
                raise PaymentError(gettext(
                        'muni_finance.msg_payment_receipt_draft',
                        payment=payment.rec_name))
        return super().get_context(records, header, data)
