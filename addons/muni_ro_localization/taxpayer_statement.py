# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The fișa contribuabilului: muni_finance's taxpayer statement, printed for
a Romanian municipality with the words of its law (majorări de întârziere,
not interest) and, per revenue, the budget code and the Treasury IBAN it is
paid into"""
from trytond.pool import Pool, PoolMeta
from trytond.wizard import StateReport

from muni_finance.taxpayer_statement import StatementReport

REPORT = 'muni.taxpayer.statement_ro'


class Statement(metaclass=PoolMeta):
    __name__ = 'muni.taxpayer.statement'

    def do_print_(self, action):
        action, data = super().do_print_(action)
        if self.start.taxpayer.company.localisation == 'ro':
            action = StateReport(REPORT).get_action()
        return action, data


class StatementReportRo(StatementReport):
    __name__ = REPORT

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Taxpayer = pool.get('muni.taxpayer')
        context = super().get_context(records, header, data)
        context['late_payment_charges'] = True
        context['treasuries'] = treasuries = {}
        for record in records:
            company = Taxpayer(record.id).company
            sections, _ = context['statements'][record.id]
            for section in sections:
                revenue_type = section['revenue_type']
                if (not revenue_type or not revenue_type.budget_code
                        or revenue_type.id in treasuries):
                    continue
                treasuries[revenue_type.id] = (
                    revenue_type.budget_code.code,
                    revenue_type.get_ro_treasury_iban(company))
        return context
