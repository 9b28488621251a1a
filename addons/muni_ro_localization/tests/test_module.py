# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from muni_finance.tests.test_module import MunicipalChartTestMixin


class MuniRoLocalizationTestCase(
        MunicipalChartTestMixin, CompanyTestMixin, ModuleTestCase):
    "Test the muni_ro_localization module"
    module = 'muni_ro_localization'
    chart = 'muni_ro_localization.account_template_root_ro'
    currency = 'RON'

    @with_transaction()
    def test_localisation(self):
        "The company can be given the ro localisation"
        Company = Pool().get('company.company')
        self.assertIn('ro', dict(Company.localisation.selection))


del ModuleTestCase
