# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"A party becomes the municipality's when it becomes its taxpayer"
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

from muni_base.tests.test_module import as_clerk, create_clerk

from .test_module import setup_bank, setup_municipality


class TaxpayerPartyTestCase(unittest.TestCase):
    "Taxpayers' parties are seen by their municipality's clerks only"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        # the module set of MuniFinanceTestCase: the database cache serves
        # both
        activate_module(['muni_finance'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_taxpayer_links_party(self):
        "Registering a taxpayer links its party; other clerks do not see it"
        pool = Pool()
        Party = pool.get('party.party')
        Taxpayer = pool.get('muni.taxpayer')
        balchik = create_company("Balchik")
        navodari = create_company("Năvodari")
        # loaded by a script without a municipality: nobody's yet
        ivan, ion = Party.create([
                {'name': "Иван Петров", 'identifiers': [('create', [{
                                    'type': 'bg_egn',
                                    'code': '7523169263'}])]},
                {'name': "Ion Popescu"},
                ])
        self.assertEqual(ivan.muni_companies, ())
        clerks = {
            c: create_clerk(c.rec_name, c, 'muni_finance', 'group_finance')
            for c in [balchik, navodari]}
        with as_clerk(clerks[balchik], balchik):
            self.assertNotIn(ivan, Party.search([]))
        with set_company(balchik):
            taxpayer, = Taxpayer.create([{'party': ivan.id}])
        with set_company(navodari):
            Taxpayer.create([{'party': ion.id}])
        self.assertEqual(ivan.muni_companies, (balchik,))
        self.assertEqual(ion.muni_companies, (navodari,))

        with as_clerk(clerks[balchik], balchik):
            self.assertIn(ivan, Party.search([]))
            self.assertNotIn(ion, Party.search([]))
            # the cash desk finds the taxpayer by the ЕГН of his party
            self.assertEqual(
                Taxpayer.search([('rec_name', 'ilike', '%7523169263%')]),
                [taxpayer])
            self.assertEqual(
                Taxpayer.read([taxpayer.id], ['party.rec_name'])[0]
                ['party.']['rec_name'], "Иван Петров")
        with as_clerk(clerks[navodari], navodari):
            self.assertNotIn(ivan, Party.search([]))
            with self.assertRaises(AccessError):
                Party.read([ivan.id], ['name'])

        # banks are public institutions: every clerk sees them
        Bank = pool.get('bank')
        bank_party, = Party.create([{'name': "Банка ДСК"}])
        with as_clerk(clerks[navodari], navodari):
            self.assertNotIn(bank_party, Party.search([]))
        bank, = Bank.create([{'party': bank_party.id}])
        for company in [balchik, navodari]:
            with as_clerk(clerks[company], company):
                self.assertIn(bank_party, Party.search([]))

        # an IBAN is seen with its owner; the municipality's by everyone
        Account = pool.get('bank.account')
        ivans, balchiks = Account.create([{
                    'bank': bank.id,
                    'owners': [('add', [ivan.id])],
                    'numbers': [('create', [{
                                    'type': 'iban',
                                    'number': 'BG80BNBG96611020345678'}])],
                    }, {
                    'bank': bank.id,
                    'owners': [('add', [balchik.party.id])],
                    'numbers': [('create', [{
                                    'type': 'iban',
                                    'number': 'BG18RZBB91550123456789'}])],
                    }])
        Number = pool.get('bank.account.number')
        with as_clerk(clerks[balchik], balchik):
            self.assertLessEqual({ivans, balchiks}, set(Account.search([])))
        with as_clerk(clerks[navodari], navodari):
            self.assertEqual(
                set(Account.search([])) & {ivans, balchiks}, {balchiks})
            self.assertNotIn(
                'BG80BNBG96611020345678',
                {n.number_compact for n in Number.search([])})

        # a taxpayer moved to another party links the new one
        with set_company(balchik):
            Taxpayer.write([taxpayer], {'party': ion.id})
        self.assertEqual(
            set(Party(ion.id).muni_companies), {balchik, navodari})
        with Transaction().set_context(company=None):
            self.assertEqual(
                Taxpayer.search([('party', '=', ion.id)], count=True), 2)

    @with_transaction()
    def test_other_municipality_reads_nothing(self):
        """A clerk of another municipality reads none of the records that
        hang under a municipality's: a payment's allocations, its revenue
        types' accounts (tests/test_cross_border.py checks every model has
        its rule)"""
        pool = Pool()
        Party = pool.get('party.party')
        Taxpayer = pool.get('muni.taxpayer')
        Assessment = pool.get('muni.assessment')
        Payment = pool.get('muni.payment')
        Allocation = pool.get('muni.payment.allocation')
        TypeAccount = pool.get('muni.revenue.type.account')
        company, fee, _ = setup_municipality()
        other = create_company("Năvodari")
        date = dt.date(2026, 3, 16)
        with set_company(company):
            party, = Party.create([{'name': "Иван Петров"}])
            taxpayer, = Taxpayer.create([{'party': party.id}])
            assessment, = Assessment.create([{
                        'party': party.id, 'revenue_type': fee.id,
                        'year': 2026, 'date': dt.date(2026, 1, 15),
                        'amount': Decimal('12.01')}])
            Assessment.post([assessment])
            cash, journal, _ = setup_bank(company)
            payment, = Payment.create([{
                        'taxpayer': taxpayer.id, 'date': date,
                        'amount': Decimal('6.00'), 'channel': 'bank',
                        'account': cash.id, 'journal': journal.id}])
            instalment = assessment.instalments[0]
            allocation, = Allocation.create([{
                        'payment': payment.id, 'line': instalment.id,
                        'assessment': assessment.id, 'revenue_type': fee.id,
                        'year': 2026, 'principal': Decimal('6.00'),
                        'interest': Decimal(0),
                        'interest_charged': Decimal(0),
                        'discount': Decimal(0)}])
        accounts = TypeAccount.search([('company', '=', company.id)])
        self.assertTrue(accounts)
        for municipality, seen in [(company, True), (other, False)]:
            clerk = create_clerk(
                municipality.rec_name + ' clerk', municipality,
                'muni_finance', 'group_finance')
            with as_clerk(clerk, municipality):
                for Model, records in [
                        (Allocation, [allocation]),
                        (TypeAccount, accounts)]:
                    with self.subTest(model=Model.__name__, seen=seen):
                        found = Model.search([])
                        if seen:
                            self.assertTrue(set(records) <= set(found))
                            Model.read([r.id for r in records], ['id'])
                        else:
                            self.assertFalse(set(records) & set(found))
                            with self.assertRaises(AccessError):
                                Model.read([r.id for r in records], ['id'])

    @with_transaction()
    def test_clerk_reads_what_sao_shows(self):
        """The parties sao reads as the clerk: his taxpayers on move lines,
        the municipalities' own parties, the banks'"""
        pool = Pool()
        Party = pool.get('party.party')
        Taxpayer = pool.get('muni.taxpayer')
        Assessment = pool.get('muni.assessment')
        TaxObject = pool.get('muni.tax.object')
        Line = pool.get('account.move.line')
        Company = pool.get('company.company')
        Group = pool.get('res.group')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        company, fee, _ = setup_municipality()
        other = create_company("Năvodari")
        with set_company(company):
            party, = Party.create([{'name': "Иван Петров"}])
            Taxpayer.create([{'party': party.id}])
            dog, = TaxObject.create([{
                        'kind': 'other', 'reference': "Rex",
                        'owners': [('create', [{'party': party.id}])]}])
            assessment, = Assessment.create([{
                        'party': party.id, 'revenue_type': fee.id,
                        'object': dog.id, 'year': 2026,
                        'date': dt.date(2026, 1, 15),
                        'amount': Decimal('12.01')}])
            Assessment.post([assessment])
        clerk = create_clerk('clerk', company, 'muni_finance', 'group_finance')
        User.write([clerk], {'groups': [('add', [
                            Group(ModelData.get_id(
                                    'account', 'group_account')).id])]})
        with as_clerk(clerk, company):
            lines = Line.search([('party', '!=', None)])
            self.assertTrue(lines)
            self.assertEqual(
                {r['party.']['rec_name'] for r in Line.read(
                        [l.id for l in lines], ['party.rec_name'])},
                {"Иван Петров"})
            self.assertEqual(
                Assessment.read([assessment.id], ['party.rec_name'])[0]
                ['party.']['rec_name'], "Иван Петров")
            self.assertEqual(
                {r['party.']['rec_name'] for r in Company.read(
                        [company.id, other.id], ['party.rec_name'])},
                {company.party.name, "Năvodari"})

    @with_transaction()
    def test_clerk_finds_taxpayer_by_each_key(self):
        """A clerk finds a taxpayer's assessments, objects, payments and
        party by his name, ЕГН or taxpayer number, and nobody else's; the
        pick-list names each party with its identifier and number, and
        with its address where the name repeats"""
        pool = Pool()
        Party = pool.get('party.party')
        Taxpayer = pool.get('muni.taxpayer')
        Assessment = pool.get('muni.assessment')
        TaxObject = pool.get('muni.tax.object')
        Payment = pool.get('muni.payment')
        company, fee, _ = setup_municipality()
        with set_company(company):
            ivan, other_ivan, maria = Party.create([{
                        'name': "Иван Петров",
                        'identifiers': [('create', [{
                                        'type': 'bg_egn',
                                        'code': '7523169263'}])],
                        'addresses': [('create', [{
                                        'street': "ул. Черно море 5",
                                        'city': "Балчик"}])],
                        }, {
                        'name': "Иван Петров",
                        'identifiers': [('create', [{
                                        'type': 'bg_egn',
                                        'code': '8032056031'}])],
                        'addresses': [('create', [{
                                        'street': "ул. Приморска 1",
                                        'city': "Кранево"}])],
                        }, {
                        'name': "Мария Георгиева",
                        'identifiers': [('create', [{
                                        'type': 'bg_egn',
                                        'code': '7501020018'}])],
                        }])
            taxpayers = Taxpayer.create([
                    {'party': p.id, 'number': n} for p, n in [
                        (ivan, 'T-0017'), (other_ivan, 'T-0018'),
                        (maria, 'T-0019')]])
            objects = TaxObject.create([{
                        'kind': 'other', 'reference': f"Dog {p.id}",
                        'owners': [('create', [{'party': p.id}])],
                        } for p in [ivan, other_ivan, maria]])
            assessments = Assessment.create([{
                        'party': p.id, 'revenue_type': fee.id,
                        'object': o.id, 'year': 2026,
                        'date': dt.date(2026, 1, 15),
                        'amount': Decimal('12.01'),
                        } for p, o in zip([ivan, other_ivan, maria], objects)])
            cash, journal, _ = setup_bank(company)
            payments = Payment.create([{
                        'taxpayer': t.id, 'date': dt.date(2026, 3, 16),
                        'amount': Decimal('6.00'), 'channel': 'bank',
                        'account': cash.id, 'journal': journal.id,
                        } for t in taxpayers])
        clerk = create_clerk(
            'clerk', company, 'muni_finance', 'group_finance')
        with as_clerk(clerk, company):
            for key, index in [
                    ('Мария', 2), ('Георгиева', 2), ('7523169263', 0),
                    ('752316', 0), ('T-0018', 1), ('t-0019', 2)]:
                text = f'%{key}%'
                with self.subTest(key=key):
                    self.assertEqual(
                        Assessment.search([('rec_name', 'ilike', text)]),
                        [assessments[index]])
                    self.assertEqual(
                        Assessment.search([('party.rec_name', 'ilike', text)]),
                        [assessments[index]])
                    self.assertEqual(
                        TaxObject.search([('rec_name', 'ilike', text)]),
                        [objects[index]])
                    self.assertEqual(
                        Payment.search([('party.rec_name', 'ilike', text)]),
                        [payments[index]])
                    self.assertEqual(
                        Payment.search([('rec_name', 'ilike', text)]),
                        [payments[index]])
                    self.assertEqual(
                        Taxpayer.search([('rec_name', 'ilike', text)]),
                        [taxpayers[index]])
            # both Ivans: told apart by their identifiers and addresses
            self.assertEqual(
                len(Assessment.search([('rec_name', 'ilike', '%Иван%')])), 2)
            self.assertEqual(
                len(Assessment.search([
                            ('rec_name', 'not ilike', '%Иван%')])), 1)

            completion = Party.autocomplete('Иван', domain=[])
            self.assertEqual(sorted(r['name'] for r in completion), [
                    "Иван Петров · T-0017 · 7523169263 · "
                    "ул. Черно море 5, Балчик",
                    "Иван Петров · T-0018 · 8032056031 · "
                    "ул. Приморска 1, Кранево",
                    ])
            # the cash desk's pick-list of taxpayers
            completion = Taxpayer.autocomplete('Иван', domain=[])
            self.assertEqual(sorted(r['name'] for r in completion), [
                    "T-0017 Иван Петров · 7523169263 · "
                    "ул. Черно море 5, Балчик",
                    "T-0018 Иван Петров · 8032056031 · "
                    "ул. Приморска 1, Кранево",
                    ])
            completion = Party.autocomplete('7501020018', domain=[])
            # (and upstream's offer of a new party with the code as VAT)
            self.assertEqual(
                [r['name'] for r in completion if r['id'] is not None],
                ["Мария Георгиева · T-0019 · 7501020018"])
