# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The municipality of Balchik, as scenarios, tests and the demo create it"
import datetime as dt

from proteus.config import get_config

from muni_base.tests.tools import (
    create_municipality, get_currency, get_municipality)
from muni_finance.tests.tools import setup_accounting

__all__ = ['BALCHIK', 'create_balchik', 'get_balchik']

BALCHIK = "Община Балчик"
CHART = 'muni_bg_localization.account_template_root_bg'


def create_balchik(config=None):
    """Create Balchik: EUR books since 2026 (BGN kept for the history), the
    Bulgarian localisation and calendar, its chart and its fiscal years"""
    if config is None:
        config = get_config()
    get_currency('BGN', config)
    company = create_municipality(
        BALCHIK, 'EUR', 'bg', 'BG', language='bg', config=config)
    setup_accounting(
        company, CHART, {2026, dt.date.today().year}, config=config)
    return company


def get_balchik(config=None):
    return get_municipality(BALCHIK, config=config)
