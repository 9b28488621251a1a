# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from muni_finance.tests.test_module import MunicipalChartTestMixin


class MuniBgLocalizationTestCase(
        MunicipalChartTestMixin, CompanyTestMixin, ModuleTestCase):
    "Test the muni_bg_localization module"
    module = 'muni_bg_localization'
    chart = 'muni_bg_localization.account_template_root_bg'
    currency = 'EUR'

    @with_transaction()
    def test_localisation(self):
        "The company can be given the bg localisation"
        Company = Pool().get('company.company')
        self.assertIn('bg', dict(Company.localisation.selection))


del ModuleTestCase
