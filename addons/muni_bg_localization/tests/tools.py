# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The municipality of Balchik, as scenarios, tests and the demo create it"
import datetime as dt

from proteus import Model
from proteus.config import get_config

from muni_base.tests.tools import (
    create_municipality, get_currency, get_municipality)
from muni_finance.tests.tools import setup_accounting

__all__ = ['BALCHIK', 'create_balchik', 'get_balchik', 'setup_balchik_finance']

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


# Balchik's accounts per revenue type: receivable, revenue, interest revenue
ACCOUNTS = {
    'DNI': ('4111', '7011', '7221'),
    'TBO': ('4112', '7111', '7221'),
    'DPS': ('4111', '7012', '7221'),
    'INTEREST': ('4111', '7221', None),
    }
# The finance configuration's accounts for payments
PAYMENT_ACCOUNTS = {
    'interest_receivable_account': '4113',
    'credit_account': '4511',
    'suspense_account': '4911',
    }


def setup_balchik_finance(company=None, config=None):
    """Give Balchik's revenue types their accounts and its payments their
    configuration (interest receivable, overpayments, suspense)"""
    if config is None:
        config = get_config()
    if company is None:
        company = get_balchik(config)
    Account = Model.get('account.account', config=config)
    RevenueType = Model.get('muni.revenue.type', config=config)
    Configuration = Model.get('muni.finance.configuration', config=config)
    codes = {c for codes in ACCOUNTS.values() for c in codes if c}
    codes |= set(PAYMENT_ACCOUNTS.values())
    accounts = {a.code: a for a in Account.find([
                ('company', '=', company.id),
                ('code', 'in', list(codes)),
                ])}
    revenue_types = RevenueType.find([
            ('localisation', '=', 'bg'),
            ('code', 'in', list(ACCOUNTS)),
            ])
    for revenue_type in revenue_types:
        receivable, revenue, interest = ACCOUNTS[revenue_type.code]
        revenue_type.receivable_account = accounts[receivable]
        revenue_type.revenue_account = accounts[revenue]
        if interest:
            revenue_type.interest_account = accounts[interest]
    RevenueType.save(revenue_types)
    configuration = Configuration(1)
    for name, code in PAYMENT_ACCOUNTS.items():
        setattr(configuration, name, accounts[code])
    configuration.save()
