# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase

from muni_base.tests.views import SaoViewsMixin


class MuniEservicesTestCase(
        SaoViewsMixin, CompanyTestMixin, ModuleTestCase):
    "Test the muni_eservices module"
    module = 'muni_eservices'


del ModuleTestCase
