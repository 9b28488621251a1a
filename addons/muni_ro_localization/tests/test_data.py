# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Năvodari's data: the municipality's Treasury unit and CIF, the Treasury
IBAN of a revenue type, the budget classification, the Romanian
identifiers"""
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model.exceptions import ValidationError
from trytond.modules.company.tests import set_company
from trytond.modules.party.exceptions import InvalidIdentifierCode
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from ..party import identifier_error
from ..treasury import treasury_iban
from .tools import ModuleDatabaseTestMixin, navodari_company

# ro.md §4.1
BUDGET_CODES = [
    '07.02.01.01', '07.02.01.02', '07.02.02.01', '07.02.02.02',
    '07.02.02.03', '07.02.03', '07.02.50', '15.02.01', '15.02.50',
    '16.02.02.01', '16.02.02.02', '16.02.03', '16.02.50', '18.02.50',
    '35.02.01', '35.02.50', '36.02.06', '12.02.07']
UNVERIFIED = [
    '16.02.02.02', '16.02.03', '16.02.50', '18.02.50', '35.02.01',
    '35.02.50', '36.02.06', '12.02.07']


class IdentifierRulesTestCase(unittest.TestCase):
    "The faults of Romanian identifiers, without a database"

    def test_cnp(self):
        "A CNP's length, digits, birth date and check digit"
        self.assertIsNone(identifier_error('ro_cnp', '1630615123457'))
        for code, error in [
                ('163061512345', 'invalid_length'),
                ('16306151234570', 'invalid_length'),
                ('163061512345A', 'invalid_format'),
                # month 13
                ('1631315123457', 'invalid_component'),
                ('1630615123458', 'invalid_checksum'),
                ]:
            with self.subTest(code=code):
                self.assertEqual(identifier_error('ro_cnp', code), error)

    def test_cui(self):
        "A CUI's length and check digit, with or without RO"
        self.assertIsNone(identifier_error('ro_cui', '18547290'))
        self.assertIsNone(identifier_error('ro_cui', 'RO18547290'))
        self.assertIsNone(identifier_error('ro_vat', 'RO18547290'))
        self.assertEqual(
            identifier_error('ro_cui', '18547291'), 'invalid_checksum')
        self.assertEqual(identifier_error('ro_cui', '1'), 'invalid_length')
        self.assertEqual(
            identifier_error('ro_cui', '12345678901'), 'invalid_length')
        self.assertEqual(
            identifier_error('ro_cui', '1854A290'), 'invalid_format')

    def test_other_types(self):
        "Other types are left to Tryton"
        self.assertIsNone(identifier_error('bg_egn', 'x'))
        self.assertIsNone(identifier_error(None, 'x'))


def _check(digits):
    from stdnum.ro import cnp
    return cnp.calc_check_digit(digits)


class DataTestCase(ModuleDatabaseTestMixin, unittest.TestCase):
    "Năvodari's data in a database"

    def company(self, unit='704'):
        return navodari_company(unit)

    @with_transaction()
    def test_birth_date(self):
        "A CNP tells its birth date and century by its first digit"
        Identifier = Pool().get('party.identifier')

        def birth_date(code):
            return Identifier(
                type='ro_cnp', code=code).on_change_with_birth_date()
        self.assertEqual(birth_date('1630615123457'), dt.date(1963, 6, 15))
        # 5/6: born 2000-2099
        self.assertEqual(
            birth_date('501022813001' + _check('501022813001')),
            dt.date(2001, 2, 28))
        # 29 February 2001 does not exist
        self.assertIsNone(
            birth_date('501022913001' + _check('501022913001')))
        self.assertIsNone(birth_date('1630615123458'))

    @with_transaction()
    def test_budget_codes(self):
        "The codes of ro.md §4.1, unverified ones marked in their name"
        BudgetCode = Pool().get('muni.budget.code')
        codes = {c.code: c for c in BudgetCode.search(
                [('localisation', '=', 'ro')])}
        for code in BUDGET_CODES:
            with self.subTest(code=code):
                self.assertIn(code, codes)
                self.assertEqual(
                    '[neverificat]' in codes[code].name,
                    code in UNVERIFIED)
        self.assertEqual(
            codes['07.02.01.01'].name,
            "Impozit pe clădiri de la persoane fizice")
        self.assertEqual(codes['07.02.01.01'].parent.code, '07.02.01')
        self.assertEqual(codes['07.02.01'].parent.code, '07.02')

    @with_transaction()
    def test_xml_ids(self):
        "The XML ids are budget_ro_ and the digits"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        BudgetCode = pool.get('muni.budget.code')
        code = BudgetCode(ModelData.get_id(
                'muni_ro_localization', 'budget_ro_07020101'))
        self.assertEqual(code.code, '07.02.01.01')

    @with_transaction()
    def test_cif(self):
        "The municipality's CIF is an identifier of its party"
        company = self.company()
        company.ro_cif = '18547290'
        company.save()
        identifier, = company.party.identifiers
        self.assertEqual((identifier.type, identifier.code),
            ('ro_cui', '18547290'))
        self.assertEqual(company.ro_cif, '18547290')
        with self.assertRaises(InvalidIdentifierCode):
            company.ro_cif = '18547291'
            company.save()

    @with_transaction()
    def test_treasury_unit(self):
        "A Treasury unit is 3 digits"
        company = self.company()
        self.assertEqual(company.ro_treasury_unit, '704')
        company.ro_treasury_unit = '7A4'
        with self.assertRaises(ValidationError):
            company.save()

    @with_transaction()
    def test_revenue_iban(self):
        "A revenue type's Treasury IBAN at the current municipality"
        pool = Pool()
        RevenueType = pool.get('muni.revenue.type')
        ModelData = pool.get('ir.model.data')
        company = self.company()
        # the building tax of natural persons the module gives (07.02.01.01)
        revenue = RevenueType(ModelData.get_id(
                'muni_ro_localization', 'revenue_type_ic_pf'))
        self.assertEqual(revenue.budget_code.code, '07.02.01.01')
        self.assertEqual(
            revenue.get_ro_treasury_iban(company),
            'RO96TREZ7042107020101XXX')
        with set_company(company):
            revenue = RevenueType(revenue.id)
            self.assertEqual(
                revenue.ro_treasury_iban, 'RO96TREZ7042107020101XXX')
        with Transaction().set_context(company=None):
            self.assertIsNone(RevenueType(revenue.id).ro_treasury_iban)
        self.assertEqual(RevenueType.ro_revenue_types_of_iban(
                company, 'RO96 TREZ 7042 1070 2010 1XXX'), [revenue])
        # another unit, another code, no Treasury IBAN
        for value in [treasury_iban('705', '07.02.01.01'),
                treasury_iban('704', '07.02.50'),
                'RO49AAAA1B31007593840000']:
            with self.subTest(iban=value):
                self.assertEqual(
                    RevenueType.ro_revenue_types_of_iban(company, value), [])
        company.ro_treasury_unit = None
        company.save()
        self.assertIsNone(revenue.get_ro_treasury_iban(company))
        self.assertEqual(RevenueType.ro_revenue_types_of_iban(
                company, 'RO96TREZ7042107020101XXX'), [])

    @with_transaction()
    def test_revenue_budget_code_invalid(self):
        "A Romanian revenue type's budget code must give an IBAN"
        pool = Pool()
        RevenueType = pool.get('muni.revenue.type')
        BudgetCode = pool.get('muni.budget.code')
        code, = BudgetCode.create([{
                    'code': '07-02', 'name': "Malformed",
                    'localisation': 'ro'}])
        with self.assertRaises(ValidationError):
            RevenueType.create([{
                        'code': 'X', 'name': "X", 'kind': 'tax',
                        'localisation': 'ro', 'budget_code': code.id}])

    @with_transaction()
    def test_identifier_errors(self):
        "A wrong CNP says what is wrong with it"
        Party = Pool().get('party.party')
        for code, text in [
                ('1630615123458', "check digit"),
                ('163061512345', "number of digits"),
                ('1631315123457', "birth date"),
                ]:
            with self.subTest(code=code), \
                    self.assertRaises(InvalidIdentifierCode) as cm:
                Party.create([{'name': "Ion Popescu", 'identifiers': [
                                ('create', [
                                        {'type': 'ro_cnp', 'code': code}])]}])
            self.assertIn(text, cm.exception.message)

    @with_transaction()
    def test_identifier_birth_date(self):
        "A CNP's birth date is shown on the identifier"
        Party = Pool().get('party.party')
        party, = Party.create([{'name': "Ion Popescu", 'identifiers': [
                        ('create', [{
                                    'type': 'ro_cnp',
                                    'code': '1630615123457'}])]}])
        identifier, = party.identifiers
        self.assertEqual(identifier.birth_date, dt.date(1963, 6, 15))
        party, = Party.create([{'name': "SC Exemplu SRL", 'identifiers': [
                        ('create', [{
                                    'type': 'ro_cui',
                                    'code': '18547290'}])]}])
        identifier, = party.identifiers
        self.assertIsNone(identifier.birth_date)

    @with_transaction()
    def test_receipt_words(self):
        "A chitanță in lei gives its amount in Romanian words"
        pool = Pool()
        Currency = pool.get('currency.currency')
        Payment = pool.get('muni.payment')
        Party = pool.get('party.party')
        ron, eur = Currency.create([
                {'name': "Leu", 'code': 'RON', 'symbol': 'lei'},
                {'name': "Euro", 'code': 'EUR', 'symbol': '€'}])
        company = self.company()
        payment = Payment(
            company=company, currency=ron, amount=Decimal('21.01'))
        self.assertEqual(payment.get_amount_in_words(),
            "douăzeci și unu de lei și un ban")
        self.assertEqual(payment.get_amount_in_words(Decimal('1')), "un leu")
        payment.currency = eur
        self.assertIsNone(payment.get_amount_in_words())
        firm, = Party.create([{'name': "SC Exemplu SRL", 'identifiers': [
                        ('create', [{
                                    'type': 'ro_cui',
                                    'code': '18547290'}])]}])
        self.assertEqual(payment.get_receipt_identifier(firm),
            ("Unique Identification Code (CUI)", '18547290'))

    @with_transaction()
    def test_settlements(self):
        "Năvodari's SIRUTA localities with their ranks (ro.md §8)"
        Settlement = Pool().get('muni.settlement')
        settlements = {s.code: s for s in Settlement.search(
                [('localisation', '=', 'ro')])}
        town = settlements['60516']
        self.assertEqual(
            (town.name, town.kind, town.ro_rank, town.postal_code),
            ("Năvodari", 'town', 'III', '905700'))
        village = settlements['60525']
        self.assertEqual(
            (village.name, village.kind, village.ro_rank),
            ("Mamaia-Sat", 'village', 'V'))
        self.assertEqual(
            {s.municipality for s in settlements.values()}, {"Năvodari"})

    @with_transaction()
    def test_chart_unverified(self):
        """The invented analytic sub-accounts of the chart say they are
        unverified (464.01 is named by other tests, the root says it)"""
        pool = Pool()
        Template = pool.get('account.account.template')
        ModelData = pool.get('ir.model.data')
        root = Template(ModelData.get_id(
                'muni_ro_localization', 'account_template_root_ro'))
        self.assertIn("de verificat", root.name)
        templates = Template.browse([d.db_id for d in ModelData.search([
                        ('module', '=', 'muni_ro_localization'),
                        ('model', '=', 'account.account.template')])])
        codes = {t.code: t.name for t in templates if t.code}
        self.assertIn('734.01', codes)
        for code, name in codes.items():
            with self.subTest(code=code):
                self.assertEqual(
                    '[neverificat]' in name,
                    ('.' in code and code != '464.01') or code == '750')
        self.assertEqual(
            codes['5211'], "Disponibil al bugetului local")

    @with_transaction()
    def test_tax_decision(self):
        """The decizie de impunere of a posted assessment: its computation,
        budget code, Treasury IBAN and the taxpayer's CNP, as a PDF"""
        from trytond.exceptions import UserError

        from muni_finance.tests.test_module import setup_municipality
        pool = Pool()
        Assessment = pool.get('muni.assessment')
        Party = pool.get('party.party')
        TaxObject = pool.get('muni.tax.object')
        ModelData = pool.get('ir.model.data')
        Decision = pool.get('muni.assessment.tax_decision_ro', type='report')
        company, fee, table = setup_municipality()
        company.localisation = 'ro'
        company.ro_treasury_unit = '704'
        company.save()
        fee.localisation = 'ro'
        fee.budget_code = ModelData.get_id(
            'muni_ro_localization', 'budget_ro_07020101')
        fee.save()
        party, = Party.create([{'name': "Ion Popescu", 'identifiers': [
                        ('create', [{
                                    'type': 'ro_cnp',
                                    'code': '1630615123457'}])]}])
        with set_company(company):
            dog, = TaxObject.create([{
                        'kind': 'other', 'reference': "Rex",
                        'owners': [('create', [{'party': party.id}])]}])
            assessment, = Assessment.create([{
                        'party': party.id, 'revenue_type': fee.id,
                        'object': dog.id, 'year': 2026,
                        'date': dt.date(2026, 1, 15),
                        'amount': Decimal('12.01')}])
            with self.assertRaises(UserError):
                Decision.get_context([assessment], {}, {})
            Assessment.post([assessment])
            context = Decision.get_context([assessment], {}, {})
            decision, = context['decisions']
            self.assertEqual(decision['identifier'],
                ("Personal Numeric Code (CNP)", '1630615123457'))
            self.assertEqual(decision['total'], Decimal('12.01'))
            line, = decision['lines']
            self.assertEqual(line['iban'], 'RO96TREZ7042107020101XXX')
            self.assertEqual(line['budget_code'].code, '07.02.01.01')
            self.assertEqual(len(line['schedule']), 2)
            extension, content, _, name = Decision.execute(
                [assessment.id], {})
            self.assertEqual(extension, 'pdf')
            self.assertTrue(bytes(content).startswith(b'%PDF'))
            self.check_statement(company, party, fee)
            company.localisation = None
            company.save()
            with self.assertRaises(UserError):
                Decision.get_context([Assessment(assessment.id)], {}, {})

    def check_statement(self, company, party, fee):
        """The fișa contribuabilului of a Romanian taxpayer: the wizard
        prints the Romanian statement, with each revenue's budget code and
        Treasury IBAN"""
        pool = Pool()
        Taxpayer = pool.get('muni.taxpayer')
        Wizard = pool.get('muni.taxpayer.statement', type='wizard')
        Report = pool.get('muni.taxpayer.statement_ro', type='report')
        taxpayer = Taxpayer.get_or_create(company, [party])[party.id]
        session_id, _, _ = Wizard.create()
        wizard = Wizard(session_id)
        wizard.start.taxpayer = taxpayer
        # before the first due date: no late-payment charge to compute
        wizard.start.date = dt.date(2026, 6, 29)
        action, data = wizard.do_print_(None)
        self.assertEqual(action['report_name'], 'muni.taxpayer.statement_ro')
        self.assertEqual(data['ids'], [taxpayer.id])
        context = Report.get_context([taxpayer], {}, data)
        self.assertEqual(context['treasuries'],
            {fee.id: ('07.02.01.01', 'RO96TREZ7042107020101XXX')})
        # the Romanian words and the Treasury line in muni_finance's template
        ActionReport = pool.get('ir.action.report')
        action_report, = ActionReport.search([
                ('report_name', '=', 'muni.taxpayer.statement_ro')])
        html = Report.render(action_report, context)
        self.assertIn('; late-payment charges to ', html)
        self.assertIn('<th class="amount">Late-Payment Charges to Date</th>',
            html)
        self.assertIn('Budget Code: 07.02.01.01; Treasury IBAN: '
            'RO96TREZ7042107020101XXX', html)
        self.assertNotIn('Interest', html)
        extension, content, _, _ = Report.execute([taxpayer.id], data)
        self.assertEqual(extension, 'pdf')
        self.assertTrue(bytes(content).startswith(b'%PDF'))
