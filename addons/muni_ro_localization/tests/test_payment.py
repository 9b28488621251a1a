# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Năvodari's hooks of the payment engine: art. 165 allocation, art. 183
majorări and their explanation, and the matching of bank receipts by
Treasury IBAN and CNP/CUI"""
import datetime as dt
import unittest
from decimal import Decimal
from types import SimpleNamespace

from trytond.modules.account.tests import create_chart
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.currency.tests import (
    add_currency_rate, create_currency)
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

from muni_finance.open_items import AllocationContext, Item
from muni_finance.tests.test_module import setup_bank

from muni_ro_localization.statement import reason_identifiers

D = dt.date
TAX, FINE = 1, 2
# Treasury account of 07.02.01.01 (buildings tax, natural persons) at unit
# 704, as Sector 4 publishes it (ro.md §4.2)
IBAN = 'RO96TREZ7042107020101XXX'
CNP = '1800101221144'
CUI = '18547290'


def instalment(debit, due_date, kind='tax'):
    "An open instalment as the interest rules read it"
    return SimpleNamespace(
        debit=Decimal(debit), maturity_date=due_date, date=due_date,
        kind=kind)


class ReasonTestCase(unittest.TestCase):
    "The payer a Romanian payment reason names"

    def test_cnp_and_cui(self):
        self.assertEqual(
            reason_identifiers('?20CNP 1800101221144 CUI RO18547290'),
            {CNP, CUI, 'RO' + CUI})

    def test_marks_glued(self):
        "A field-86 marker does not hide the identifier that follows it"
        self.assertEqual(reason_identifiers('?211800101221144'), {CNP})

    def test_invalid_and_longer(self):
        "A number that is no valid CNP or CUI, or inside a longer one"
        self.assertEqual(reason_identifiers(
                'factura 1800101221145 cont 123418547290 suma 100'), set())


class PaymentHooksTestCase(unittest.TestCase):
    "The Romanian hooks of muni.payment"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module('muni_ro_localization')

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def items(self):
        "A fine in an executory title, two years of tax with majorări"
        def item(line, kind, revenue_type, due_date, amount, age=None,
                executory=False):
            return Item(
                line=line, kind=kind, executory=executory,
                age=age or due_date, amount=Decimal(amount),
                revenue_type=revenue_type, year=due_date.year,
                due_date=due_date, assessment=line)
        return [
            item(11, 'tax', TAX, D(2025, 3, 31), '100'),
            item(11, 'interest', TAX, D(2025, 3, 31), '12',
                age=D(2026, 4, 15)),
            item(21, 'fine', FINE, D(2025, 9, 30), '50', executory=True),
            item(31, 'tax', TAX, D(2026, 3, 31), '100'),
            item(31, 'interest', TAX, D(2026, 3, 31), '1',
                age=D(2026, 4, 15)),
            ]

    def paid(self, result):
        return [(i.line, i.kind, str(a), str(d)) for i, a, d in result]

    @with_transaction()
    def test_allocate_art_165(self):
        """The executory fine first though the payer chose the tax, then
        all principal by age, then the majorări: 200 lei pays the fine, the
        2025 tax and 50 of 2026, no majorări"""
        Payment = Pool().get('muni.payment')
        result, credit = Payment._allocate_ro(
            None, None, self.items(), Decimal('200'), D(2026, 4, 15),
            AllocationContext(revenue_type=TAX))
        self.assertEqual(self.paid(result), [
                (21, 'fine', '50', '0'),
                (11, 'tax', '100', '0'),
                (31, 'tax', '50', '0'),
                ])
        self.assertEqual(credit, Decimal('0'))

    @with_transaction()
    def test_allocate_accessories_after_principal(self):
        "Enough for everything: the majorări last, oldest first; the rest"
        Payment = Pool().get('muni.payment')
        result, credit = Payment._allocate_ro(
            None, None, self.items(), Decimal('270'), D(2026, 4, 15),
            AllocationContext())
        self.assertEqual(self.paid(result), [
                (21, 'fine', '50', '0'),
                (11, 'tax', '100', '0'),
                (31, 'tax', '100', '0'),
                (11, 'interest', '12', '0'),
                (31, 'interest', '1', '0'),
                ])
        self.assertEqual(credit, Decimal('7'))

    @with_transaction()
    def test_interest_months(self):
        """1 % a month or fraction of a month, whole lei: due 31 March, 100
        lei open on 10 April is 1 leu, on 1 May 2 lei; nothing on the due
        date"""
        Payment = Pool().get('muni.payment')
        company = SimpleNamespace(localisation='ro')
        due = D(2026, 3, 31)
        for date, expected in [
                (D(2026, 3, 31), '0'),
                (D(2026, 4, 1), '1'),
                (D(2026, 4, 30), '1'),
                (D(2026, 5, 1), '2'),
                ]:
            with self.subTest(date=date):
                amount, _ = Payment._interest_ro(
                    company, instalment('100', due), date, [])
                self.assertEqual(amount, Decimal(expected))

    @with_transaction()
    def test_interest_partial_payment(self):
        """50 of 100 paid on 15 April (1 month: 0.50 → 1 leu), 50 still open
        on 15 June (3 months: 1.50 → 2 lei): 3 lei, explained"""
        Payment = Pool().get('muni.payment')
        company = SimpleNamespace(localisation='ro')
        amount, trace = Payment._interest_ro(
            company, instalment('100', D(2026, 3, 31)), D(2026, 6, 15),
            [(D(2026, 4, 15), Decimal('50'))])
        self.assertEqual(amount, Decimal('3'))
        text = Payment.explain_interest(company, trace)
        self.assertIn('183', text)
        self.assertIn('3', text.splitlines()[-1])

    @with_transaction()
    def test_interest_not_on_fines(self):
        "No majorări on a fine"
        Payment = Pool().get('muni.payment')
        company = SimpleNamespace(localisation='ro')
        amount, _ = Payment._interest_ro(
            company, instalment('100', D(2025, 3, 31), kind='fine'),
            D(2026, 6, 15), [])
        self.assertEqual(amount, Decimal('0'))

    @with_transaction()
    def test_match_treasury_iban_and_cnp(self):
        """A receipt on the Treasury account of 07.02.01.01 naming the
        payer's CNP: the taxpayer and the buildings tax; one naming nobody
        waits in suspense"""
        pool = Pool()
        Party = pool.get('party.party')
        Bank = pool.get('bank')
        BankAccount = pool.get('bank.account')
        BudgetCode = pool.get('muni.budget.code')
        RevenueType = pool.get('muni.revenue.type')
        Taxpayer = pool.get('muni.taxpayer')
        Statement = pool.get('account.statement')
        Line = pool.get('account.statement.line')
        currency = create_currency('RON')
        add_currency_rate(currency, 1)
        company = create_company(currency=currency)
        company.localisation = 'ro'
        company.save()
        with set_company(company):
            create_chart(company)
            _, _, journal = setup_bank(company)
            bank_party, ion = Party.create([
                    {'name': "Trezoreria"},
                    {'name': "Ion Popescu", 'identifiers': [('create', [
                                    {'type': 'ro_cnp', 'code': CNP}])]},
                    ])
            bank, = Bank.create([{'party': bank_party.id}])
            account, = BankAccount.create([{
                        'bank': bank.id, 'currency': currency.id,
                        'owners': [('add', [company.party.id])],
                        'numbers': [('create', [{
                                        'type': 'iban', 'number': IBAN}])],
                        }])
            journal.bank_account = account
            journal.save()
            code = BudgetCode.search([('code', '=', '07.02.01.01')])
            if not code:
                code = BudgetCode.create([{
                            'code': '07.02.01.01',
                            'name': "Impozit pe clădiri de la persoane "
                            "fizice"}])
            tax, = RevenueType.create([{
                        'code': 'ICPF', 'name': "Impozit pe clădiri",
                        'kind': 'tax', 'localisation': 'ro',
                        'budget_code': code[0].id}])
            taxpayer = Taxpayer.get_or_create(company, [ion])[ion.id]
            statement, = Statement.create([{
                        'name': "15 April", 'journal': journal.id,
                        'date': D(2026, 4, 15),
                        'start_balance': Decimal(0),
                        'end_balance': Decimal(150)}])
            lines = [Line(
                    statement=statement, date=D(2026, 4, 15),
                    amount=Decimal(amount), description=description,
                    party=None, account=journal.account)
                for amount, description in [
                    ('100', "impozit cladiri CNP %s" % CNP),
                    ('50', "plata impozit"),
                    ]]
            Line.match(lines)
        self.assertEqual(
            [(l.receipt_state, l.receipt_taxpayer, l.receipt_revenue_type)
                for l in lines],
            [('matched', taxpayer, tax), ('unknown', None, tax)])


class ReceiveTestCase(unittest.TestCase):
    "A Năvodari statement received whole, matched and allocated"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module('muni_ro_localization')

    @classmethod
    def tearDownClass(cls):
        drop_db()

    @with_transaction()
    def test_receive_allocates_by_art_165(self):
        """A receipt naming the payer's CNP on the Treasury account of the
        tax is received, matched and paid by art. 165: the instalment due,
        not the one due in November (future, not requested): a credit"""
        pool = Pool()
        Party = pool.get('party.party')
        Bank = pool.get('bank')
        BankAccount = pool.get('bank.account')
        BudgetCode = pool.get('muni.budget.code')
        TaxObject = pool.get('muni.tax.object')
        Assessment = pool.get('muni.assessment')
        Statement = pool.get('account.statement')
        Origin = pool.get('account.statement.origin')
        Configuration = pool.get('muni.finance.configuration')
        Taxpayer = pool.get('muni.taxpayer')
        from muni_finance.tests.test_module import (
            setup_municipality, setup_suspense)
        company, fee, _ = setup_municipality()
        company.localisation = 'ro'
        company.save()
        date = D(2026, 7, 15)
        with set_company(company):
            cash, _, journal = setup_bank(company)
            setup_suspense(cash)
            config = Configuration(1)
            config.credit_account = fee.receivable_account
            config.save()
            code = BudgetCode.search([('code', '=', '07.02.01.01')])
            if not code:
                code = BudgetCode.create([{
                            'code': '07.02.01.01',
                            'name': "Impozit pe clădiri"}])
            fee.localisation = 'ro'
            fee.budget_code = code[0]
            fee.save()
            bank_party, ion = Party.create([
                    {'name': "Trezoreria"},
                    {'name': "Ion Popescu", 'identifiers': [('create', [
                                    {'type': 'ro_cnp', 'code': CNP}])]},
                    ])
            bank, = Bank.create([{'party': bank_party.id}])
            account, = BankAccount.create([{
                        'bank': bank.id, 'currency': company.currency.id,
                        'owners': [('add', [company.party.id])],
                        'numbers': [('create', [{
                                        'type': 'iban', 'number': IBAN}])],
                        }])
            journal.bank_account = account
            journal.save()
            Taxpayer.get_or_create(company, [ion])
            dog, = TaxObject.create([{
                        'kind': 'other', 'reference': "Rex",
                        'owners': [('create', [{'party': ion.id}])]}])
            assessment, = Assessment.create([{
                        'party': ion.id, 'revenue_type': fee.id,
                        'object': dog.id, 'year': 2026,
                        'date': D(2026, 1, 15),
                        'amount': Decimal('12.01')}])
            Assessment.post([assessment])
            statement, = Statement.create([{
                        'name': "15 July", 'journal': journal.id,
                        'date': date, 'start_balance': Decimal(0),
                        'end_balance': Decimal('12.01')}])
            Origin.create([{
                        'statement': statement.id, 'date': date,
                        'amount': Decimal('12.01'), 'number': '1',
                        'description': "impozit CNP %s" % CNP}])
            Statement.receive([statement])
            statement = Statement(statement.id)
            line, = statement.lines
            payment = line.receipt_payment
            self.assertEqual(line.receipt_state, 'allocated')
            self.assertEqual(line.receipt_revenue_type, fee)
            self.assertEqual(payment.state, 'posted')
            self.assertEqual(
                [(a.due_date, a.principal, a.interest)
                    for a in payment.allocations],
                [(D(2026, 6, 30), Decimal('6.00'), Decimal('0.00'))])
            self.assertEqual(payment.credit, Decimal('6.01'))
