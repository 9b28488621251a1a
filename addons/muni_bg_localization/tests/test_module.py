# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import json
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.company.tests import CompanyTestMixin, create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from muni_base.tests.views import SaoViewsMixin
from muni_bg_localization import rules
from muni_finance.assessment import (
    render_computation, render_computation_html)
from muni_finance.tests.test_module import MunicipalChartTestMixin


class MuniBgLocalizationTestCase(
        SaoViewsMixin, MunicipalChartTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test the muni_bg_localization module"
    module = 'muni_bg_localization'
    chart = 'muni_bg_localization.account_template_root_bg'
    currency = 'EUR'

    @with_transaction()
    def test_eik_identifier(self):
        "ЕИК of 9 and 13 digits are checked, the БУЛСТАТ check digit too"
        pool = Pool()
        Party = pool.get('party.party')
        # bg.md §7.3: examples of eik_validator
        Party.create([{'name': "Фирма", 'identifiers': [('create', [
                                {'type': 'bg_eik', 'code': '201355508'},
                                {'type': 'bg_eik', 'code': '1213961230342'},
                                ])]}])
        for code in ['201355509', '1234567891234', '12345']:
            with self.subTest(code=code):
                with self.assertRaisesRegex(UserError, 'not valid'):
                    Party.create([{'name': "Фирма", 'identifiers': [
                                    ('create', [{
                                                'type': 'bg_eik',
                                                'code': code}])]}])

    @with_transaction()
    def test_localisation(self):
        "The company can be given the bg localisation"
        Company = Pool().get('company.company')
        self.assertIn('bg', dict(Company.localisation.selection))

    @with_transaction()
    def test_address_in_reader_language(self):
        "A Bulgarian address reads № in Bulgarian, Tryton's No. in English"
        pool = Pool()
        Party = pool.get('party.party')
        Country = pool.get('country.country')
        bulgaria, = Country.create([{'name': "Bulgaria", 'code': 'BG'}])
        party, = Party.create([{
                    'name': "Иван Петров",
                    'addresses': [('create', [{
                                    'street_name': "ул. „Приморска“",
                                    'building_number': '46',
                                    'floor_number': '6',
                                    'room_number': '9',
                                    'postal_code': '9600',
                                    'city': "Балчик",
                                    'country': bulgaria.id,
                                    }])],
                    }])
        address, = party.addresses
        with Transaction().set_context(language='bg'):
            self.assertEqual(Party(party.id).addresses[0].street,
                "ул. „Приморска“ № 46, ет. 6, ап. 9")
        with Transaction().set_context(language='en'):
            self.assertEqual(Party(party.id).addresses[0].street,
                "ул. „Приморска“ No. 46, ет. 6, ап. 9")

    @with_transaction()
    def test_settlement_and_zone(self):
        "Settlements are found by code and zones belong to a municipality"
        pool = Pool()
        Settlement = pool.get('muni.settlement')
        Zone = pool.get('muni.zone')
        company = create_company("Balchik")
        # The settlements of Balchik come with the module
        town, = Settlement.search([('code', '=', '02508')])
        self.assertEqual(town.rec_name, "Балчик [02508]")
        self.assertEqual(town.kind, 'town')
        self.assertEqual(Settlement.search([('rec_name', '=', '02508')]),
            [town])
        self.assertEqual(
            len(Settlement.search([('municipality', '=', "Балчик")])), 22)
        zone, = Zone.create([{
                    'company': company.id, 'code': 'I', 'name': "Zone I",
                    'settlement': town.id}])
        self.assertEqual(zone.rec_name, "I - Zone I")
        self.assertEqual(town.zones, (zone,))
        # last: on PostgreSQL the transaction is aborted after it
        with self.assertRaisesRegex(UserError, "unique in its country"):
            Settlement.create([{
                        'name': "Other", 'code': '02508',
                        'localisation': 'bg'}])

    @with_transaction()
    def test_computation_in_reader_language(self):
        """A property tax's computation reads in the language of whoever
        reads it, numbers and amounts as the language writes them, with
        the law's formula and its values (ЗМДТ чл. 22, 25, 28)"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        Currency = pool.get('currency.currency')
        RevenueType = pool.get('muni.revenue.type')
        euro, = Currency.create([{
                    'name': "Euro", 'code': 'EUR', 'symbol': '€',
                    'digits': 2}])
        # 29 824.03 × 1.8 ‰ = 53.683254; × 50 % (main dwelling) =
        # 26.841627; × ½ (share) = 13.4208135 → 13.42
        result = rules.property_tax(
            Decimal('29824.03'), Decimal('1.8'), relief=Decimal('0.50'),
            share=Decimal('0.5'))
        self.assertEqual(result.amount, Decimal('13.42'))
        values = RevenueType._bg_result(result, Decimal('29824.03'))
        # stored as JSON, read back as the database gives it
        data = json.loads(json.dumps(
                {'lines': values['trace'], 'formulas': values['formulas']}))
        languages = Lang.search([('code', 'in', ['bg', 'ro'])])
        Lang.load_translations(languages)

        def render(code):
            with Transaction().set_context(language=code):
                return render_computation(
                    data, Lang.get(), euro).replace('\xa0', ' ')
        self.assertEqual(render('bg'), '\n'.join([
                    "Правило: ЗМДТ чл. 22: данък върху недвижимите имоти",
                    "Данъчна оценка: 29 824,03 €",
                    "Ставка (‰): 1,8",
                    "Облекчение (ЗМДТ чл. 25): 50 %",
                    "Дял от собствеността: ½",
                    "Сума: 13,42 €",
                    "",
                    "ДО 29 824,03 € × 1,8 ‰ × 50 % × ½ = 13,42 €",
                    ]))
        self.assertEqual(render('en'), '\n'.join([
                    "Rule: ЗМДТ чл. 22: property tax",
                    "Assessment value: €29,824.03",
                    "Rate (‰): 1.8",
                    "Relief (ЗМДТ чл. 25): 50 %",
                    "Ownership share: ½",
                    "Amount: €13.42",
                    "",
                    "AV €29,824.03 × 1.8 ‰ × 50 % × ½ = €13.42",
                    ]))
        # the form shows it at once, every line, the formula in bold
        with Transaction().set_context(language='bg'):
            html = render_computation_html(data, Lang.get(), euro)
        self.assertEqual(html.count('<div>'), 8)
        self.assertTrue(html.replace('\xa0', ' ').endswith(
                '<div><br></div><div><b>ДО 29 824,03 € × 1,8 ‰ × 50 % × ½ '
                '= 13,42 €</b></div>'))
        self.assertIn('<div>Ставка (‰): 1,8</div>', html)
        self.assertEqual(
            render_computation_html("Rows 2 & 3\n\nDebt <2024>", None, None),
            '<div>Rows 2 &amp; 3</div><div><br></div>'
            '<div>Debt &lt;2024&gt;</div>')
        # a Năvodari clerk reads the same computation in Romanian
        self.assertEqual(render('ro'), '\n'.join([
                    "Regulă: ZMDT art. 22: impozit pe proprietăți imobiliare",
                    "Valoare impozabilă: € 29.824,03",
                    "Cotă (‰): 1,8",
                    "Facilitate (ZMDT art. 25): 50 %",
                    "Cotă-parte de proprietate: ½",
                    "Sumă: € 13,42",
                    "",
                    "VI € 29.824,03 × 1,8 ‰ × 50 % × ½ = € 13,42",
                    ]))

        # a third of a flat owned 7 months (acquired in May), no relief:
        # 61 234.50 × 2 ‰ = 122.469; × 0.333333 = 40.822959…;
        # × 7/12 = 23.813393… → 23.81
        result = rules.property_tax(
            Decimal('61234.50'), Decimal('2'), share=Decimal('0.333333'),
            months=7)
        self.assertEqual(result.amount, Decimal('23.81'))
        values = RevenueType._bg_result(result, Decimal('61234.50'))
        data = json.loads(json.dumps(
                {'lines': values['trace'], 'formulas': values['formulas']}))
        self.assertEqual(render('bg').split('\n\n')[1],
            "ДО 61 234,50 € × 2 ‰ × 0,333333 × 7/12 = 23,81 €")
        self.assertEqual(render('en').split('\n\n')[1],
            "AV €61,234.50 × 2 ‰ × 0.333333 × 7/12 = €23.81")


del ModuleTestCase
