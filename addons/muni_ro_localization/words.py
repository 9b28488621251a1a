# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Amounts in words in Romanian ("suma în litere") for RON receipts.

num2words spells each group of three digits (its masculine forms, e.g.
"o sută douăzeci și unu", are right); the agreement and the "de" are
done here, because num2words gets them wrong: "douăzeci și unu milioane"
(no "de"), "o sută unu de mii" (a "de" after 101), "douăzeci și unu de
mii" (masculine with the feminine "mie"), "una sută ... de lei" in its
currency mode.  Pure Python: no pool, no database.

Grammar followed (ro.md §9; Gramatica limbii române, DOOM):

* "de" stands between a numeral and the counted noun when the numeral is
  20 or more and its last two digits are not 01 to 19: "douăzeci de lei",
  "o sută de lei", "douăzeci și unu de lei", but "o sută unu lei", "o mie
  nouăsprezece lei", "doisprezece lei".  The same rule holds for the
  thousands, millions and billions a number counts: "douăzeci de mii",
  "o sută cinci mii", "douăzeci și unu de milioane".
* 1 and 2 agree with the counted noun.  "leu" and "ban" are masculine:
  "un leu", "un ban", "doi lei", "doisprezece lei", "douăzeci și unu de
  lei", "douăzeci și doi de bani".  "mie" is feminine: "o mie", "două
  mii", "douăsprezece mii", "douăzeci și una de mii", "douăzeci și două
  de mii".  "milion" and "miliard" are neuter, masculine in the singular
  and feminine in the plural: "un milion", "două milioane", "douăzeci și
  unu de milioane", "douăzeci și două de milioane".  Hundreds are always
  "o sută", "două sute" (sută is feminine).
* Bare numbers (no noun) are masculine: "unu", "doi", "douăzeci și unu".

Amounts: "<lei> și <bani>", the bani omitted when they are zero ("doi
lei"), the lei always stated, even when zero ("zero lei și cincizeci de
bani"), so that the words cannot be read as a smaller sum.  Nothing is
capitalised: the caller does that.
"""
from num2words import num2words

from muni_finance.words import LIMIT, split_amount

# (one, plural, gender) of each power of a thousand
SCALES = [
    (10 ** 9, ('un miliard', 'miliarde', 'n')),
    (10 ** 6, ('un milion', 'milioane', 'n')),
    (10 ** 3, ('o mie', 'mii', 'f')),
    ]
# currency: (the unit singular and plural, the subunit singular and plural)
CURRENCIES = {
    'RON': ('leu', 'lei', 'ban', 'bani'),
    }
# masculine -> feminine of the words that end a numeral
_FEMININE = {'unu': 'una', 'doi': 'două', 'doisprezece': 'douăsprezece'}
_NEUTER_PLURAL = {'doi': 'două', 'doisprezece': 'douăsprezece'}


def takes_de(n):
    "Whether the numeral n is joined to its noun by 'de'"
    return n >= 20 and not 1 <= n % 100 <= 19


def _group(n, gender):
    "The words of 1 <= n <= 999 counting a noun of gender m, f or n(euter)"
    words = num2words(n, lang='ro').split()
    forms = {'f': _FEMININE, 'n': _NEUTER_PLURAL}.get(gender, {})
    words[-1] = forms.get(words[-1], words[-1])
    return ' '.join(words)


def _counted(n, one, plural, gender):
    "n (>= 1) of a noun: its singular after one, else numeral (de) plural"
    if n == 1:
        return one
    return ' '.join(
        [_group_or_large(n, gender)] + (['de'] if takes_de(n) else [])
        + [plural])


def _group_or_large(n, gender):
    if n < 1000:
        return _group(n, gender)
    return number_to_words(n, gender)


def number_to_words(n, gender='m'):
    """The words of the integer 0 <= n < 10**12, as it counts a noun of
    gender 'm', 'f' or 'n' (the plural of a neuter noun is feminine)"""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f'an int is required, not {type(n).__name__}')
    if not 0 <= n < LIMIT:
        raise ValueError(f'{n} is out of range [0, 10**12)')
    if gender not in {'m', 'f', 'n'}:
        raise ValueError(f'unknown gender {gender!r}')
    if n == 0:
        return 'zero'
    texts = []
    for scale, (one, plural, scale_gender) in SCALES:
        count, n = divmod(n, scale)
        if count:
            texts.append(_counted(count, one, plural, scale_gender))
    if n:
        texts.append(_group(n, gender))
    return ' '.join(texts)


def counted_to_words(n, singular, plural, gender='m'):
    """n of a noun: "un leu", "doi lei", "douăzeci și unu de lei",
    "zero lei"; one is "un" (m, n) or "o" (f)"""
    if n == 1:
        return '%s %s' % ('o' if gender == 'f' else 'un', singular)
    words = number_to_words(n, gender)
    return ' '.join([words] + (['de'] if takes_de(n) else []) + [plural])


def amount_to_words(amount, currency_code):
    """The Romanian words for an amount of 'RON'

    amount is a Decimal (or an int) exact to the cent, 0 <= amount <
    10**12.  Zero bani are omitted: 2.00 -> "doi lei"; 21.01 ->
    "douăzeci și unu de lei și un ban"; 0.50 -> "zero lei și cincizeci
    de bani".
    """
    whole, cents = split_amount(amount, currency_code, CURRENCIES)
    unit, units, sub, subs = CURRENCIES[currency_code]
    text = counted_to_words(whole, unit, units)
    if cents:
        text += ' și ' + counted_to_words(cents, sub, subs)
    return text
