# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The receipt of a payment: an HTML template printed as PDF, with the
amount in words where the localisation has a rule for them."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
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


    def get_receipt_due(self):
        """What the taxpayer still owed after the payment, interest to its
        day included, or None when the payment did not keep its debts"""
        if self.debts is None:
            return None
        paid = sum((a.principal + a.interest + a.discount
                for a in self.allocations), Decimal(0))
        return max(self.debts - paid, Decimal(0))

    def get_receipt_cashier(self):
        "The user who took the payment; its session's cashier for old ones"
        if self.posted_by:
            return self.posted_by
        if self.session:
            return self.session.cashier
        return None

    def get_receipt_identifier(self, party):
        """Return the identifier of the party a receipt shows, as (label,
        code), or None: the first of the types the company's localisation
        prefers (``_receipt_identifier_types_<code>``), else the party's
        first identifier"""
        method = getattr(self,
            f'_receipt_identifier_types_{self.company.localisation}', None)
        types = method() if method else []
        identifiers = list(party.identifiers)
        ranked = sorted(
            (i for i in identifiers if i.type in types),
            key=lambda i: types.index(i.type))
        identifier = (ranked or identifiers or [None])[0]
        if identifier is None:
            return None
        return self.get_receipt_identifier_label(identifier), identifier.code

    def get_receipt_identifier_label(self, identifier):
        """The name of the identifier's type on the receipt: the
        localisation's (``_receipt_identifier_label_<code>``) or the type's
        name"""
        method = getattr(self,
            f'_receipt_identifier_label_{self.company.localisation}', None)
        label = method(identifier) if method else None
        return label or identifier.type_string or ''

    @staticmethod
    def get_receipt_address(party):
        "The party's address on one line, or an empty string"
        address = party.address_get()
        if not address:
            return ''
        lines = [l.strip() for l in (address.full_address or '').splitlines()]
        return ', '.join(l for l in lines if l)


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
