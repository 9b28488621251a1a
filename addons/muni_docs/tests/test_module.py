# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class MuniDocsTestCase(CompanyTestMixin, ModuleTestCase):
    "Test the muni_docs module"
    module = 'muni_docs'


del ModuleTestCase
