# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The tax decision (decizie de impunere) of a Romanian municipality: the
posted assessments of a taxpayer for a year, each with its computation, its
budget code and the Treasury IBAN it is paid into, the total in words.

The computation is the assessment's own (muni_finance renders it in the
reader's language); the decision adds only what a Romanian paper needs."""
from decimal import Decimal
from itertools import groupby

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.report import Report

from muni_base.report import ModuleFilesReport

from .words import CURRENCIES, amount_to_words

# The identifier a decision shows, the first a taxpayer has
IDENTIFIER_TYPES = ['ro_cnp', 'ro_cui', 'ro_vat', 'ro_onrc']


def decision_key(assessment):
    return (assessment.company.id, assessment.party.id, assessment.year)


def taxpayer_identifier(party):
    "The (type, code) of the identifier a decision shows, or None"
    identifiers = [i for i in party.identifiers if i.type in IDENTIFIER_TYPES]
    if not identifiers:
        return None
    identifier = min(
        identifiers, key=lambda i: IDENTIFIER_TYPES.index(i.type))
    return identifier.type, identifier.code


class TaxDecisionReport(ModuleFilesReport, Report):
    __name__ = 'muni.assessment.tax_decision_ro'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Payment = pool.get('muni.payment')
        context = super().get_context(records, header, data)
        for assessment in records:
            if assessment.company.localisation != 'ro':
                raise UserError(gettext(
                        'muni_ro_localization.msg_tax_decision_not_ro',
                        assessment=assessment.rec_name))
            if assessment.state != 'posted':
                raise UserError(gettext(
                        'muni_ro_localization.msg_tax_decision_not_posted',
                        assessment=assessment.rec_name))
        decisions = []
        records = sorted(records, key=lambda a: (
                decision_key(a), a.revenue_type.code,
                a.object.rec_name if a.object else '', a.id))
        for _, group in groupby(records, key=decision_key):
            group = list(group)
            first = group[0]
            company, party = first.company, first.party
            currency = first.currency
            total = sum((a.amount for a in group), Decimal(0))
            identifier = taxpayer_identifier(party)
            label = None
            if identifier:
                # the identifier's name as the chitanță gives it
                label = Payment(company=company).get_receipt_identifier_label(
                    [i for i in party.identifiers
                        if (i.type, i.code) == identifier][0])
            decisions.append({
                    'company': company,
                    'party': party,
                    'year': first.year,
                    'identifier': (label, identifier[1]) if identifier
                    else None,
                    'address': Payment.get_receipt_address(party),
                    'lines': [{
                            'assessment': a,
                            'budget_code': a.revenue_type.budget_code,
                            'iban': a.revenue_type.get_ro_treasury_iban(
                                company),
                            'computation': (a.computation or '').splitlines(),
                            'schedule': (a.schedule or '').splitlines(),
                            } for a in group],
                    'currency': currency,
                    'total': total,
                    'total_in_words': (
                        amount_to_words(total, currency.code)
                        if currency.code in CURRENCIES else None),
                    })
        context['decisions'] = decisions
        return context
