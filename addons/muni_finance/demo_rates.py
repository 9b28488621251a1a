# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The exchange rates of the demo, against the euro, for each banking day
from 2025 to today: the euro 1, the lev at its fixed 1.95583 (Council of
the EU, 1999; BGN was replaced by the euro on 1 January 2026), the leu at
illustrative monthly figures close to the National Bank of Romania's
averages, not the BNR's daily fixings (a real installation imports them,
e.g. with currency_ro). A statement in EUR in Năvodari is then posted at a
rate of its day (exchange_rate.check_rates), not at the rate of 1999."""
import datetime as dt
from decimal import Decimal

from proteus import Model
from proteus.config import get_config

__all__ = ['demo_rates', 'create_demo_rates']

START = dt.date(2025, 1, 1)
FIXED = {
    'EUR': Decimal('1'),
    'BGN': Decimal('1.95583'),
    }
# RON for one euro, by month: illustrative, rounded to the BNR's four
# decimals; a month after the last keeps its figure
RON = {
    (2025, 1): Decimal('4.9743'),
    (2025, 2): Decimal('4.9771'),
    (2025, 3): Decimal('4.9767'),
    (2025, 4): Decimal('4.9874'),
    (2025, 5): Decimal('5.0638'),
    (2025, 6): Decimal('5.0321'),
    (2025, 7): Decimal('5.0738'),
    (2025, 8): Decimal('5.0667'),
    (2025, 9): Decimal('5.0751'),
    (2025, 10): Decimal('5.0843'),
    (2025, 11): Decimal('5.0882'),
    (2025, 12): Decimal('5.0912'),
    (2026, 1): Decimal('5.0900'),
    }


def demo_rates(codes, start=START, end=None):
    """Yield (code, date, rate) of the currencies for each working day
    (Monday to Friday) from start to end (today), both included"""
    if end is None:
        end = dt.date.today()
    last = max(RON)
    day = start
    while day <= end:
        if day.weekday() < 5:
            for code in codes:
                if code in FIXED:
                    yield code, day, FIXED[code]
                elif code == 'RON':
                    yield code, day, RON[min((day.year, day.month), last)]
        day += dt.timedelta(days=1)


def create_demo_rates(config=None, start=START, end=None):
    """Give the currencies of the database (EUR, BGN, RON) the rates of
    demo_rates they do not have yet; return how many were created"""
    if config is None:
        config = get_config()
    Currency = Model.get('currency.currency', config=config)
    Rate = Model.get('currency.currency.rate', config=config)
    currencies = {c.code: c for c in Currency.find([
                ('code', 'in', list(FIXED) + ['RON'])])}
    existing = {(r.currency.code, r.date) for r in Rate.find([
                ('currency', 'in', [c.id for c in currencies.values()]),
                ('date', '>=', start),
                ])}
    rates = [Rate(currency=currencies[code], date=date, rate=rate)
        for code, date, rate in demo_rates(currencies, start, end)
        if (code, date) not in existing]
    Rate.save(rates)
    return len(rates)
