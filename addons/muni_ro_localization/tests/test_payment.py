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

from muni_ro_localization.allocation import bonus_shares
from muni_ro_localization.statement import reason_identifiers

D = dt.date
TAX, FINE = 1, 2
# Treasury account of 07.02.01.01 (buildings tax, natural persons) at unit
# 704, as Sector 4 publishes it (ro.md §4.2)
IBAN = 'RO96TREZ7042107020101XXX'
# the Treasury account of a budget code no revenue type of the module has
FEE_IBAN = 'RO92TREZ70421330228XXXXX'
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


class BonusSharesTestCase(unittest.TestCase):
    "The bonificație of a year spread over its instalments, whole lei"

    def shares(self, amounts, rate):
        return [(str(d), str(b)) for d, b in bonus_shares(
                [Decimal(a) for a in amounts], Decimal(rate))]

    def test_levy_examples(self):
        """The levy scenario's: 616 × 0.9 = 554.40 → 554, 62 off, 308 ×
        0.9 = 277.20 → 277 (31 off) and the rest 31; 50 × 0.9 = 45; 856 ×
        0.9 = 770.40 → 770, 86 off: 428 → 385 (43) and 43"""
        self.assertEqual(self.shares(['308', '308'], 10),
            [('277', '31'), ('277', '31')])
        self.assertEqual(self.shares(['50'], 10), [('45', '5')])
        self.assertEqual(self.shares(['428', '428'], 10),
            [('385', '43'), ('385', '43')])

    def test_rounding(self):
        """The year is rounded as a whole, the last instalment takes the
        rest: 51 × 0.95 = 48.45 → 48, 3 off; 26 × 0.95 = 24.70 → 25 (1
        off), the last 25 − 2 = 23; 45 × 0.9 = 40.50 → 41 (50 bani up), 4
        off; 44 × 0.9 = 39.60 → 40, 4 off"""
        self.assertEqual(self.shares(['26', '25'], 5),
            [('25', '1'), ('23', '2')])
        self.assertEqual(self.shares(['45'], 10), [('41', '4')])
        self.assertEqual(self.shares(['44'], 10), [('40', '4')])

    def test_no_rate(self):
        self.assertEqual(self.shares(['26', '25'], 0),
            [('26', '0'), ('25', '0')])


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

    def year_items(self, discount_date=D(2026, 3, 31)):
        """The 2026 buildings tax, 333 lei in two instalments (167 by 31
        March, 166 by 30 September), bonificație 10 % by discount_date;
        2025's 100 lei still open with 5 lei of majorări"""
        def item(line, kind, due_date, amount, assessment, rate=None,
                untouched=True):
            return Item(
                line=line, kind=kind, executory=False, age=due_date,
                amount=Decimal(amount), revenue_type=TAX,
                year=due_date.year, due_date=due_date,
                assessment=assessment, untouched=untouched,
                discount_rate=rate, discount_date=discount_date)
        return [
            item(41, 'tax', D(2025, 3, 31), '100', 4, untouched=False),
            item(41, 'interest', D(2025, 3, 31), '5', 4, untouched=False),
            item(51, 'tax', D(2026, 3, 31), '167', 5, Decimal('0.10')),
            item(52, 'tax', D(2026, 9, 30), '166', 5, Decimal('0.10')),
            ]

    # the municipality's calendar: Saturday and Sunday are not working days
    company = SimpleNamespace(next_working_day=lambda d: d + dt.timedelta(
            days=max(0, 7 - d.weekday()) if d.weekday() >= 5 else 0))

    def allocate(self, amount, date, items):
        Payment = Pool().get('muni.payment')
        result, credit = Payment._allocate_ro(
            self.company, None, items, Decimal(amount), date,
            AllocationContext())
        return self.paid(result), credit

    @with_transaction()
    def test_bonus_whole_year(self):
        """333 lei less 10 %: 299.70, whole lei 300 due, bonificație 33;
        167 × 0.9 = 150.30 → 150 (17 off), the last 166 − 16 = 150. 300
        lei on 20 March 2026 pays the year, September's instalment too"""
        items = self.year_items()[2:]
        paid, credit = self.allocate('300', D(2026, 3, 20), items)
        self.assertEqual(paid, [
                (51, 'tax', '150', '17'),
                (52, 'tax', '150', '16'),
                ])
        self.assertEqual(credit, Decimal(0))
        self.assertIn('10', items[0].explanation)
        self.assertIn('17', items[0].explanation)

    @with_transaction()
    def test_bonus_not_whole(self):
        """299 lei on 31 March is not the year's 300: no bonificație, art.
        165 pays March's 167 and leaves September's (not due, not
        requested): 132 lei of credit; on 20 March, both instalments not
        yet due, all 299 lei are credit"""
        paid, credit = self.allocate(
            '299', D(2026, 3, 20), self.year_items()[2:])
        self.assertEqual((paid, credit), ([], Decimal(299)))
        paid, credit = self.allocate(
            '299', D(2026, 3, 31), self.year_items()[2:])
        self.assertEqual(paid, [(51, 'tax', '167', '0')])
        self.assertEqual(credit, Decimal(132))

    @with_transaction()
    def test_bonus_deadline(self):
        """On 31 March (a Tuesday) the bonificație is given, on 1 April
        not: 167 paid, 133 credit; a deadline on Sunday 29 March is moved
        to Monday 30 March"""
        paid, credit = self.allocate(
            '300', D(2026, 3, 31), self.year_items()[2:])
        self.assertEqual(credit, Decimal(0))
        self.assertEqual(paid[0][3], '17')
        paid, credit = self.allocate(
            '300', D(2026, 4, 1), self.year_items()[2:])
        self.assertEqual(paid, [(51, 'tax', '167', '0')])
        self.assertEqual(credit, Decimal(133))
        for date, discount in [(D(2026, 3, 30), '17'), (D(2026, 3, 31), '0')]:
            with self.subTest(date=date):
                paid, _ = self.allocate('300', date,
                    self.year_items(discount_date=D(2026, 3, 29))[2:])
                self.assertEqual(paid[0][3], discount)

    @with_transaction()
    def test_bonus_after_older_debts(self):
        """Art. 165 first, on 31 March: 2025's 100 lei, March's 150, the 5
        lei of majorări, then September's 150: 405 lei pays all with the
        bonificație; 404 lei leaves September's short by 1 leu, so no
        bonificație: 100 + 167 + 5 and 132 lei of credit"""
        paid, credit = self.allocate(
            '405', D(2026, 3, 31), self.year_items())
        self.assertEqual(paid, [
                (41, 'tax', '100', '0'),
                (51, 'tax', '150', '17'),
                (41, 'interest', '5', '0'),
                (52, 'tax', '150', '16'),
                ])
        self.assertEqual(credit, Decimal(0))
        items = self.year_items()
        paid, credit = self.allocate('404', D(2026, 3, 31), items)
        self.assertEqual(paid, [
                (41, 'tax', '100', '0'),
                (51, 'tax', '167', '0'),
                (41, 'interest', '5', '0'),
                ])
        self.assertEqual(credit, Decimal(132))
        self.assertEqual(
            [i.explanation.split('(')[0] for i in items], [
                "1. Main obligation: all main obligations oldest first ",
                "3. Accessory obligation: after all main obligations, "
                "oldest first ",
                "2. Main obligation: all main obligations oldest first ",
                "Not yet due and not requested: left open ",
                ])

    @with_transaction()
    def test_bonus_year_touched(self):
        "A year one of whose instalments was paid before gets none"
        items = self.year_items()[2:]
        items[0].untouched = False
        paid, credit = self.allocate('300', D(2026, 3, 31), items)
        self.assertEqual(paid, [(51, 'tax', '167', '0')])
        self.assertEqual(credit, Decimal(133))

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
        self.assertEqual(text.splitlines()[1:], [
                "50.00 lei due 03/31/2026, to 04/15/2026: 1 months × 1 % "
                "= 1.00 lei",
                "50.00 lei due 03/31/2026, to 06/15/2026: 3 months × 1 % "
                "= 2.00 lei",
                "Majorări (whole lei): 3.00 lei",
                ])
        self.assertIn('183', text.splitlines()[0])

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
            # the module's buildings tax of natural persons, if it has one
            tax = RevenueType.search([
                    ('budget_code', '=', code[0].id),
                    ('localisation', '=', 'ro'),
                    ], order=[('id', 'ASC')], limit=1)
            if tax:
                tax, = tax
            else:
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
        then the one due in November, of the tax the account indicates"""
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
            # a code of the test's own: the fee is the only revenue type
            # of its Treasury account
            code = BudgetCode.create([{
                        'code': '33.02.28', 'name': "Taxă de test",
                        'localisation': 'ro'}])
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
                                        'type': 'iban', 'number': FEE_IBAN}])],
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
            # paid into the fee's Treasury account: the fee is the
            # obligation indicated, its instalment due in November too
            # (art. 165 (1) b), at the payer's request)
            self.assertEqual(
                [(a.due_date, a.principal, a.interest)
                    for a in payment.allocations],
                [(D(2026, 6, 30), Decimal('6.00'), Decimal('0')),
                    (D(2026, 11, 2), Decimal('6.01'), Decimal('0'))])
            self.assertEqual(payment.credit, Decimal('0'))
