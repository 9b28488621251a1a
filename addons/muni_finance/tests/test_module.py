# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from decimal import Decimal

from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.account_invoice.tests import set_invoice_sequences
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class MunicipalChartTestMixin:
    "Check that a localisation's chart template can carry local revenues"
    chart = None
    currency = None

    @with_transaction()
    def test_municipal_chart(self):
        "The municipal chart posts a tax receivable against its revenue"
        pool = Pool()
        Account = pool.get('account.account')
        Currency = pool.get('currency.currency')
        Journal = pool.get('account.journal')
        Move = pool.get('account.move')
        Party = pool.get('party.party')
        Period = pool.get('account.period')
        FiscalYear = pool.get('account.fiscalyear')

        currency, = Currency.create([{
                    'name': self.currency, 'code': self.currency,
                    'symbol': self.currency}])
        company = create_company(currency=currency)
        with set_company(company):
            create_chart(company, chart=self.chart)
            fiscalyear = set_invoice_sequences(get_fiscalyear(
                    company, today=dt.date(2026, 6, 30)))
            fiscalyear.save()
            FiscalYear.create_period([fiscalyear])

            def leaves(kind):
                return Account.search([
                        ('company', '=', company.id),
                        (f'type.{kind}', '=', True),
                        ('closed', '=', False),
                        ], order=[('code', 'ASC')])
            receivables = leaves('receivable')
            revenues = leaves('revenue')
            self.assertTrue(leaves('payable'))
            self.assertTrue(leaves('expense'))
            self.assertTrue(all(a.party_required for a in receivables))
            self.assertTrue(all(a.reconcile for a in receivables))
            self.assertGreaterEqual(len(revenues), 8)

            taxpayer, = Party.create([{'name': "Taxpayer"}])
            self.assertEqual(taxpayer.account_receivable_used, receivables[0])
            date = dt.date(2026, 6, 30)
            journal, = Journal.search([('code', '=', 'REV')])
            move, = Move.create([{
                        'company': company.id,
                        'journal': journal.id,
                        'period': Period.find(company, date=date).id,
                        'date': date,
                        'lines': [('create', [{
                                        'account': receivables[0].id,
                                        'party': taxpayer.id,
                                        'debit': Decimal('61.20'),
                                        'credit': 0,
                                        'maturity_date': date,
                                        }, {
                                        'account': revenues[0].id,
                                        'debit': 0,
                                        'credit': Decimal('61.20'),
                                        }])],
                        }])
            Move.post([move])
            self.assertEqual(move.state, 'posted')
            taxpayer = Party(taxpayer.id)
            self.assertEqual(taxpayer.receivable, Decimal('61.20'))


class MuniFinanceTestCase(CompanyTestMixin, ModuleTestCase):
    "Test the muni_finance module"
    module = 'muni_finance'


del ModuleTestCase
