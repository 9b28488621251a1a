# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin, create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from muni_base.tests.views import SaoViewsMixin
from muni_finance.tests.test_module import MunicipalChartTestMixin


class MuniRoLocalizationTestCase(
        SaoViewsMixin, MunicipalChartTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test the muni_ro_localization module"
    module = 'muni_ro_localization'
    chart = 'muni_ro_localization.account_template_root_ro'
    currency = 'RON'

    @with_transaction()
    def test_localisation(self):
        "The company can be given the ro localisation"
        Company = Pool().get('company.company')
        self.assertIn('ro', dict(Company.localisation.selection))

    @with_transaction()
    def test_receipt_identifier(self):
        "A chitanță shows the primărie's CIF and the payer's CNP"
        pool = Pool()
        Party = pool.get('party.party')
        Payment = pool.get('muni.payment')
        company = create_company()
        company.localisation = 'ro'
        company.save()
        primarie, ion = Party.create([{
                    'name': "Primăria",
                    'identifiers': [('create', [
                                {'type': 'ro_vat', 'code': '18547290'}])],
                    }, {
                    'name': "Ion Popescu",
                    'identifiers': [('create', [
                                {'type': 'ro_cnp', 'code': '1630615123457'}])],
                    }])
        payment = Payment(company=company)
        self.assertEqual(payment.get_receipt_identifier(primarie),
            ("Fiscal Identification Code (CIF)", '18547290'))
        self.assertEqual(payment.get_receipt_identifier(ion),
            ("Personal Numeric Code (CNP)", '1630615123457'))


del ModuleTestCase
