# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the localisations' amounts in words share: the amount checked and
split into whole units and cents; each localisation words them in its
own language."""
from decimal import Decimal

CENT = Decimal('0.01')
LIMIT = 10 ** 12


def split_amount(amount, currency_code, currencies):
    """(whole units, cents) of amount, a Decimal (or an int) exact to the
    cent, 0 <= amount < 10**12, in a currency of currencies"""
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        raise TypeError(
            f'a Decimal is required, not {type(amount).__name__}')
    if currency_code not in currencies:
        raise ValueError(f'no words for the currency {currency_code!r}')
    amount = Decimal(amount)
    if not amount.is_finite():
        raise ValueError(f'{amount} is not a finite amount')
    if amount < 0:
        raise ValueError(f'{amount} is negative')
    if amount >= LIMIT:
        raise ValueError(f'{amount} is out of range [0, 10**12)')
    if amount != amount.quantize(CENT):
        raise ValueError(f'{amount} is not exact to the cent')
    return divmod(int(amount.scaleb(2)), 100)
