# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.pool import Pool
from trytond.pyson import Eval, Id


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

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field in {'taxpayer_sequence', 'assessment_journal'}:
            return pool.get('muni.finance.configuration.sequence')
        return super().multivalue_model(field)

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
