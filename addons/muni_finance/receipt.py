# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The receipt of a payment: an HTML template printed as PDF, with the
amount in words where the localisation has a rule for them."""
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.report import Report

from muni_base.report import ModuleFilesReport

from .exceptions import PaymentError


class Receipt(ModuleFilesReport, Report):
    __name__ = 'muni.payment.receipt'

    @classmethod
    def get_context(cls, records, header, data):
        for payment in records:
            if payment.state == 'draft':
                raise PaymentError(gettext(
                        'muni_finance.msg_payment_receipt_draft',
                        payment=payment.rec_name))
        context = super().get_context(records, header, data)
        lang = Pool().get('ir.lang').get()

        def format_amount(value, digits=2):
            "The amount in the language's monetary format, as on the lines"
            return lang.format(
                '%.*f', (digits, value), grouping=True, monetary=True)
        context['format_amount'] = format_amount
        return context
