# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The exchange rate a statement in a foreign currency is posted at: one of
the day, or of a few days before, never a stale one.

A rate is missing for a day when the currency has no rate on or before it,
or when its latest one is more than RATE_AGE days older (the option
rate_age of the section [muni_finance] of trytond.cfg, 7 by default: the
National Banks publish a rate each banking day, and the longest gaps,
Easter or the new year's holidays with a weekend, last up to a week; 0
accepts any age).
The currency the others are quoted against (its rate is 1) needs no new
rate. A pegged currency (BGN at 1.95583 to the euro) is given its rate
each banking day like the others: its rate does not move, but a rate not
entered is still a rate nobody checked."""
import datetime as dt

from trytond import config
from trytond.i18n import gettext
from trytond.pool import Pool

from .exceptions import StatementError


def rate_age():
    "How many days the latest rate stays the rate of the days after it"
    return config.getint('muni_finance', 'rate_age', default=7)


def missing_rate(currency, date, age=None):
    """Return None if the currency has a rate for the date, else the
    message id and values that say why not"""
    pool = Pool()
    Rate = pool.get('currency.currency.rate')
    if age is None:
        age = rate_age()
    rates = Rate.search([
            ('currency', '=', currency.id),
            ('date', '<=', date),
            ], order=[('date', 'DESC')], limit=1)
    if not rates:
        return 'muni_finance.msg_statement_rate_none', {}
    rate, = rates
    if rate.rate == 1:
        return
    if age and (date - rate.date) > dt.timedelta(days=age):
        return 'muni_finance.msg_statement_rate_old', {
            'rate_date': rate.date, 'days': age}


def check_rates(statements):
    """Refuse to post statements in a currency other than their company's
    when a rate of the days of their lines is missing (missing_rate)"""
    pool = Pool()
    Lang = pool.get('ir.lang')
    lang = Lang.get()
    age = rate_age()
    checked = set()
    for statement in statements:
        currency = statement.journal.currency
        company_currency = statement.company.currency
        if currency == company_currency:
            continue
        dates = sorted({l.date for l in statement.lines if l.date}
            | {statement.date})
        for date in dates:
            for other in [currency, company_currency]:
                if (other.id, date) in checked:
                    continue
                checked.add((other.id, date))
                missing = missing_rate(other, date, age)
                if missing:
                    message, values = missing
                    if 'rate_date' in values:
                        values['rate_date'] = lang.strftime(
                            values['rate_date'])
                    raise StatementError(gettext(message,
                            statement=statement.rec_name,
                            currency=other.code,
                            company_currency=company_currency.code,
                            date=lang.strftime(date), **values))
