# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Proteus helpers shared by the scenarios, the tests and the demo script"
import datetime as dt
from decimal import Decimal

from proteus import Model
from proteus.config import get_config

__all__ = ['get_country', 'get_currency', 'create_municipality',
    'get_municipality']

COUNTRIES = {
    'BG': ("Bulgaria", 'BGR', '100'),
    'RO': ("Romania", 'ROU', '642'),
    }
# Rates against the euro; BGN is fixed by the Council of the EU, the RON rate
# is an illustrative figure of January 2026 (currency_ro imports the real
# ones from the National Bank of Romania).
CURRENCIES = {
    'EUR': ("Euro", '€', Decimal('1')),
    'BGN': ("Bulgarian Lev", 'лв.', Decimal('1.95583')),
    'RON': ("Romanian Leu", 'lei', Decimal('5.0900')),
    }


def get_country(code, config=None):
    "Return the country of the ISO code, creating it when missing"
    Country = Model.get('country.country', config=config)
    countries = Country.find([('code', '=', code)])
    if countries:
        return countries[0]
    name, code3, numeric = COUNTRIES[code]
    country = Country(name=name, code=code, code3=code3, code_numeric=numeric)
    country.save()
    return country


def get_currency(code, config=None):
    "Return the currency of the ISO code, creating it when missing"
    Currency = Model.get('currency.currency', config=config)
    Rate = Model.get('currency.currency.rate', config=config)
    currencies = Currency.find([('code', '=', code)])
    if currencies:
        return currencies[0]
    name, symbol, rate = CURRENCIES[code]
    currency = Currency(
        name=name, code=code, symbol=symbol, rounding=Decimal('0.01'))
    currency.save()
    Rate(currency=currency, date=dt.date(1999, 1, 1), rate=rate).save()
    return currency


def create_municipality(
        name, currency, localisation, country, language=None, config=None):
    """Create the company of a municipality and give it to the admin user
    next to the companies he already has"""
    if config is None:
        config = get_config()
    Party = Model.get('party.party', config=config)
    Company = Model.get('company.company', config=config)
    User = Model.get('res.user', config=config)
    Lang = Model.get('ir.lang', config=config)

    party = Party(name=name)
    if language:
        party.lang, = Lang.find([('code', '=', language)])
    party.save()
    company = Company(party=party, currency=get_currency(currency, config))
    company.localisation = localisation
    company.country = get_country(country, config)
    company.save()

    admin = User(config.user)
    admin.companies.append(Company(company.id))
    admin.company = Company(company.id)
    admin.save()
    config._context = User.get_preferences(True, {})
    return company


def get_municipality(name, config=None):
    "Return the company of the municipality and make it the current one"
    if config is None:
        config = get_config()
    Company = Model.get('company.company', config=config)
    User = Model.get('res.user', config=config)
    company, = Company.find([('party.name', '=', name)])
    admin = User(config.user)
    admin.company = company
    admin.save()
    config._context = User.get_preferences(True, {})
    return company
