# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The town of Năvodari, as scenarios, tests and the demo create it"
import datetime as dt

from proteus.config import get_config

from muni_base.tests.tools import create_municipality, get_municipality
from muni_finance.tests.tools import setup_accounting

__all__ = ['NAVODARI', 'create_navodari', 'get_navodari',
    'ModuleDatabaseTestMixin', 'navodari_company']

NAVODARI = "Primăria Năvodari"
CHART = 'muni_ro_localization.account_template_root_ro'


def create_navodari(config=None):
    """Create Năvodari: RON books, the Romanian localisation and calendar,
    its chart and its fiscal years"""
    if config is None:
        config = get_config()
    company = create_municipality(
        NAVODARI, 'RON', 'ro', 'RO', language='ro', config=config)
    setup_accounting(
        company, CHART, {2026, dt.date.today().year}, config=config)
    return company


def get_navodari(config=None):
    return get_municipality(NAVODARI, config=config)


class ModuleDatabaseTestMixin:
    """A test case on a database of its own with `module` activated, dropped
    before and after"""
    module = 'muni_ro_localization'

    @classmethod
    def setUpClass(cls):
        from trytond.tests.test_tryton import activate_module, drop_db
        super().setUpClass()
        drop_db()
        activate_module(cls.module)

    @classmethod
    def tearDownClass(cls):
        from trytond.tests.test_tryton import drop_db
        drop_db()
        super().tearDownClass()


def navodari_company(treasury_unit=None):
    """Năvodari as trytond's test company (in a transaction), with the
    Romanian localisation and its Treasury unit"""
    from trytond.modules.company.tests import create_company
    company = create_company(NAVODARI)
    company.localisation = 'ro'
    if treasury_unit is not None:
        company.ro_treasury_unit = treasury_unit
    company.save()
    return company
