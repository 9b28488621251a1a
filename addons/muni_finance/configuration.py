# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from decimal import Decimal

from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.pool import Pool
from trytond.pyson import Eval, Id

PAYMENT_FIELDS = {
    'payment_sequence', 'payment_journal', 'interest_receivable_account',
    'credit_account', 'suspense_account', 'overpayment_credit_amount',
    'overpayment_debts_ratio'}
# A payment at the counter that leaves more than this credit, or that is
# more than this many times the taxpayer's debts, is confirmed by the clerk
OVERPAYMENT_CREDIT_AMOUNT = Decimal(50)
OVERPAYMENT_DEBTS_RATIO = Decimal(2)
_account_domain = [
    ('closed', '!=', True),
    ('company', '=', Eval('context', {}).get('company', -1)),
    ]


class Configuration(
        ModelSingleton, ModelSQL, ModelView, CompanyMultiValueMixin):
    __name__ = 'muni.finance.configuration'
    __string__ = "Finance Configuration"

    taxpayer_sequence = fields.MultiValue(fields.Many2One(
            'ir.sequence', "Taxpayer Sequence", required=True,
            domain=[
                ('company', 'in',
                    [Eval('context', {}).get('company', -1), None]),
                ('sequence_type', '=',
                    Id('muni_finance', 'sequence_type_taxpayer')),
                ],
            help="Numbers the taxpayers (partida, КИН) of the municipality."))
    assessment_journal = fields.MultiValue(fields.Many2One(
            'account.journal', "Assessment Journal", required=True,
            domain=[('type', '=', 'revenue')],
            help="The journal the assessments are posted in."))
    payment_sequence = fields.MultiValue(fields.Many2One(
            'ir.sequence.strict', "Payment Sequence",
            domain=[
                ('company', 'in',
                    [Eval('context', {}).get('company', -1), None]),
                ('sequence_type', '=',
                    Id('muni_finance', 'sequence_type_payment')),
                ],
            help="Numbers the payments and the receipts of the cash desk, "
            "without gaps."))
    payment_journal = fields.MultiValue(fields.Many2One(
            'account.journal', "Payment Journal",
            domain=[('type', 'in', ['cash', 'statement'])],
            help="The journal the payments are posted in."))
    interest_receivable_account = fields.MultiValue(fields.Many2One(
            'account.account', "Interest Receivable Account",
            domain=_account_domain + [
                ('type.receivable', '=', True),
                ('party_required', '=', True),
                ('reconcile', '=', True),
                ],
            help="The interest is charged on this account when it is paid."))
    credit_account = fields.MultiValue(fields.Many2One(
            'account.account', "Credit Account",
            domain=_account_domain + [
                ('party_required', '=', True),
                ('reconcile', '=', True),
                ],
            help="What a taxpayer pays over his debts is credited here."))
    suspense_account = fields.MultiValue(fields.Many2One(
            'account.account', "Suspense Account",
            domain=_account_domain + [
                ('reconcile', '=', True),
                ],
            help="Receipts of the bank that are not yet allocated wait on "
            "this account."))
    overpayment_credit_amount = fields.MultiValue(fields.Numeric(
            "Credit Needing Confirmation", digits=(16, 2),
            help="A payment at the counter that leaves a credit above this "
            "amount asks the clerk to confirm it; empty never asks."))
    overpayment_debts_ratio = fields.MultiValue(fields.Numeric(
            "Debts Ratio Needing Confirmation", digits=(16, 2),
            help="A payment at the counter of more than this many times "
            "what the taxpayer owes asks the clerk to confirm it; empty "
            "never asks."))

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field in {'taxpayer_sequence', 'assessment_journal'}:
            return pool.get('muni.finance.configuration.sequence')
        if field in PAYMENT_FIELDS:
            return pool.get('muni.finance.configuration.payment')
        return super().multivalue_model(field)

    @classmethod
    def default_payment_sequence(cls, **pattern):
        return cls.multivalue_model(
            'payment_sequence').default_payment_sequence()

    @classmethod
    def default_payment_journal(cls, **pattern):
        return cls.multivalue_model(
            'payment_journal').default_payment_journal()

    @classmethod
    def default_overpayment_credit_amount(cls, **pattern):
        return cls.multivalue_model(
            'overpayment_credit_amount').default_overpayment_credit_amount()

    @classmethod
    def default_overpayment_debts_ratio(cls, **pattern):
        return cls.multivalue_model(
            'overpayment_debts_ratio').default_overpayment_debts_ratio()

    @classmethod
    def default_taxpayer_sequence(cls, **pattern):
        return cls.multivalue_model(
            'taxpayer_sequence').default_taxpayer_sequence()

    @classmethod
    def default_assessment_journal(cls, **pattern):
        return cls.multivalue_model(
            'assessment_journal').default_assessment_journal()


class ConfigurationSequence(ModelSQL, CompanyValueMixin):
    __name__ = 'muni.finance.configuration.sequence'
    __string__ = "Finance Configuration Sequence"

    taxpayer_sequence = fields.Many2One(
        'ir.sequence', "Taxpayer Sequence", required=True,
        domain=[
            ('company', 'in', [Eval('company', -1), None]),
            ('sequence_type', '=',
                Id('muni_finance', 'sequence_type_taxpayer')),
            ])
    assessment_journal = fields.Many2One(
        'account.journal', "Assessment Journal", required=True,
        domain=[('type', '=', 'revenue')])

    @classmethod
    def default_taxpayer_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('muni_finance', 'sequence_taxpayer')
        except KeyError:
            return None

    @classmethod
    def default_assessment_journal(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('account', 'journal_revenue')
        except KeyError:
            return None


class ConfigurationPayment(ModelSQL, CompanyValueMixin):
    __name__ = 'muni.finance.configuration.payment'
    __string__ = "Finance Configuration Payment"

    payment_sequence = fields.Many2One(
        'ir.sequence.strict', "Payment Sequence",
        domain=[
            ('company', 'in', [Eval('company', -1), None]),
            ('sequence_type', '=',
                Id('muni_finance', 'sequence_type_payment')),
            ])
    payment_journal = fields.Many2One(
        'account.journal', "Payment Journal",
        domain=[('type', 'in', ['cash', 'statement'])])
    interest_receivable_account = fields.Many2One(
        'account.account', "Interest Receivable Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type.receivable', '=', True),
            ('party_required', '=', True),
            ('reconcile', '=', True),
            ])
    credit_account = fields.Many2One(
        'account.account', "Credit Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('party_required', '=', True),
            ('reconcile', '=', True),
            ])
    suspense_account = fields.Many2One(
        'account.account', "Suspense Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('reconcile', '=', True),
            ])
    overpayment_credit_amount = fields.Numeric(
        "Credit Needing Confirmation", digits=(16, 2))
    overpayment_debts_ratio = fields.Numeric(
        "Debts Ratio Needing Confirmation", digits=(16, 2))

    @classmethod
    def default_overpayment_credit_amount(cls):
        return OVERPAYMENT_CREDIT_AMOUNT

    @classmethod
    def default_overpayment_debts_ratio(cls):
        return OVERPAYMENT_DEBTS_RATIO

    @classmethod
    def default_payment_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('muni_finance', 'sequence_payment')
        except KeyError:
            return None

    @classmethod
    def default_payment_journal(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('account', 'journal_cash')
        except KeyError:
            return None
