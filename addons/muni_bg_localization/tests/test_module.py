# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.modules.company.tests import CompanyTestMixin, create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from muni_base.tests.views import SaoViewsMixin
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


del ModuleTestCase
