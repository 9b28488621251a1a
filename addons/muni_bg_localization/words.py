# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Amounts in words in Bulgarian ("словом") for receipts.

num2words has no Bulgarian, so the numerals are spelled here.  Pure
Python: no pool, no database; the model layer turns the ValueError of an
unknown currency into a translated UserError.

Grammar followed (standard literary Bulgarian, full forms such as
"двадесет", not the colloquial "двайсет"):

* 1 and 2 agree with the counted noun: един / една / едно, два / две
  (две for the feminine and the neuter).  "хиляда" is feminine ("две
  хиляди", "двадесет и една хиляди"), "милион" and "милиард" masculine
  ("два милиона", "двадесет и един милиарда").  One thousand is plain
  "хиляда", one million "един милион", one billion "един милиард".
* Masculine non-personal nouns take the counting form in -а after any
  number other than one: "два лева", "пет евроцента", "два милиона";
  a compound ending in one still counts as a plural: "двадесет и един
  лева", "двадесет и една стотинки".
* The conjunction "и" stands before the last element of a number, an
  element being a word for hundreds, a word for 10-19 or a whole ten, or
  a unit ("сто и пет", "сто и двадесет", "сто двадесет и три").  Each
  group of three digits counting thousands, millions or billions is a
  number of its own with its own "и" ("сто двадесет и три хиляди").
  Between the groups there is an "и" only before the last group, and only
  when that group is a single element; otherwise the "и" inside the last
  group is the one before the last element of the whole number:
  "хиляда и сто", "две хиляди и петстотин", "един милион и сто хиляди",
  "един милион и хиляда", but "хиляда сто двадесет и три", "един милион
  двадесет и една хиляди".

Amounts: "<whole> <unit> и <cents> <subunit>", the cents omitted when
they are zero (70.00 EUR is "седемдесет евро", as the issue asks and as
receipts write it), the whole part always stated, even when zero (0.50
BGN is "нула лева и петдесет стотинки"), so that the words always begin
with the whole units and cannot be read as a smaller sum.  Nothing is
capitalised: the caller does that.
"""
from muni_finance.words import LIMIT, split_amount

__all__ = ['number_to_words', 'amount_to_words', 'CURRENCIES']


# 1 and 2 by gender; 3-9 do not agree
ONE = {'m': 'един', 'f': 'една', 'n': 'едно'}
TWO = {'m': 'два', 'f': 'две', 'n': 'две'}
UNITS = ('', None, None, 'три', 'четири', 'пет', 'шест', 'седем', 'осем',
    'девет')
TEENS = ('десет', 'единадесет', 'дванадесет', 'тринадесет', 'четиринадесет',
    'петнадесет', 'шестнадесет', 'седемнадесет', 'осемнадесет',
    'деветнадесет')
TENS = ('', '', 'двадесет', 'тридесет', 'четиридесет', 'петдесет',
    'шестдесет', 'седемдесет', 'осемдесет', 'деветдесет')
HUNDREDS = ('', 'сто', 'двеста', 'триста', 'четиристотин', 'петстотин',
    'шестстотин', 'седемстотин', 'осемстотин', 'деветстотин')

# scale: (value, gender of the noun, singular, plural / counting form)
SCALES = (
    (10 ** 9, 'm', 'милиард', 'милиарда'),
    (10 ** 6, 'm', 'милион', 'милиона'),
    (10 ** 3, 'f', 'хиляда', 'хиляди'),
    )

# code: (whole unit gender, singular, plural; subunit gender, singular,
# plural).  евро is neuter and indeclinable; евроцент and лев are
# masculine (counting forms евроцента, лева); стотинка is feminine.
CURRENCIES = {
    'EUR': ('n', 'евро', 'евро', 'm', 'евроцент', 'евроцента'),
    'BGN': ('m', 'лев', 'лева', 'f', 'стотинка', 'стотинки'),
    }


def _unit(digit, gender):
    if digit == 1:
        return ONE[gender]
    if digit == 2:
        return TWO[gender]
    return UNITS[digit]


def _elements(n, gender):
    "The elements (hundreds, tens or 10-19, units) of 1 <= n <= 999"
    hundreds, rest = divmod(n, 100)
    elements = []
    if hundreds:
        elements.append(HUNDREDS[hundreds])
    if 10 <= rest < 20:
        elements.append(TEENS[rest - 10])
    else:
        tens, units = divmod(rest, 10)
        if tens:
            elements.append(TENS[tens])
        if units:
            elements.append(_unit(units, gender))
    return elements


def _join(elements):
    "The elements of one group with 'и' before the last one"
    if len(elements) > 1:
        elements = elements[:-1] + ['и', elements[-1]]
    return ' '.join(elements)


def number_to_words(n, gender='m'):
    """The Bulgarian words for the integer 0 <= n < 10**12

    gender ('m', 'f' or 'n') is that of the counted noun: it chooses
    един / една / едно and два / две for the units of the number.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f'an int is required, not {type(n).__name__}')
    if gender not in ONE:
        raise ValueError(f'unknown gender {gender!r}')
    if not 0 <= n < LIMIT:
        raise ValueError(f'{n} is out of range [0, 10**12)')
    if n == 0:
        return 'нула'
    # groups: (text, number of elements) of each non-zero group
    groups = []
    for scale, scale_gender, singular, plural in SCALES:
        count, n = divmod(n, scale)
        if not count:
            continue
        if count == 1 and scale_gender == 'f':
            # one thousand is plain "хиляда"
            groups.append((singular, 1))
            continue
        elements = _elements(count, scale_gender)
        noun = singular if count == 1 else plural
        groups.append((f'{_join(elements)} {noun}', len(elements)))
    if n:
        elements = _elements(n, gender)
        groups.append((_join(elements), len(elements)))
    texts = [text for text, _ in groups]
    if len(groups) > 1 and groups[-1][1] == 1:
        texts.insert(-1, 'и')
    return ' '.join(texts)


def amount_to_words(amount, currency_code):
    """The Bulgarian words for an amount of 'EUR' or 'BGN'

    amount is a Decimal (or an int) exact to the cent, 0 <= amount <
    10**12.  Zero cents are omitted: 70.00 EUR -> "седемдесет евро";
    1.01 BGN -> "един лев и една стотинка"; 0.01 EUR -> "нула евро и един
    евроцент".
    """
    whole, cents = split_amount(amount, currency_code, CURRENCIES)
    (unit_gender, unit_singular, unit_plural,
        sub_gender, sub_singular, sub_plural) = CURRENCIES[currency_code]
    text = '%s %s' % (number_to_words(whole, unit_gender),
        unit_singular if whole == 1 else unit_plural)
    if cents:
        text += ' и %s %s' % (number_to_words(cents, sub_gender),
            sub_singular if cents == 1 else sub_plural)
    return text
