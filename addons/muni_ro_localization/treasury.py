# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Romanian State Treasury (Trezoreria Statului) IBANs of local revenues.

A local-budget revenue is collected into its own IBAN at the treasury unit
of the municipality (ro.md §4.2)::

    RO cc TREZ uuu 21 bbbbbbbb XXX

``cc`` the ISO 13616 mod-97 check digits, ``uuu`` the 3-digit treasury unit
code (704 = Trezoreria Sector 4), ``21`` the Treasury plan's group of local
budget revenues, ``bbbbbbbb`` the budget code (clasificația bugetară)
without dots, padded with ``X`` to the 24 characters of a Romanian IBAN.
Published example: ``RO96TREZ7042107020101XXX`` (Sector 4, 07.02.01.01).
"""
import re

from stdnum import iban as _iban

BANK = 'TREZ'
LOCAL_BUDGET_REVENUES = '21'
IBAN_LENGTH = 24
_UNIT = re.compile(r'^[0-9]{3}$')
# chapter.subchapter[.paragraph[.subparagraph]], two digits each
_BUDGET = re.compile(r'^[0-9]{2}(\.?[0-9]{2}){1,3}$')


def _compact(value):
    return ''.join((value or '').split()).upper()


def is_unit_code(unit_code):
    "Whether unit_code is a 3-digit treasury unit code"
    return bool(_UNIT.match((unit_code or '').strip()))


def budget_digits(budget_code):
    """The digits of a budget code ('07.02.01.01' -> '07020101'),
    None if it is not a code of 2, 3 or 4 two-digit levels"""
    code = (budget_code or '').strip()
    if not _BUDGET.match(code):
        return None
    return code.replace('.', '')


def treasury_iban(unit_code, budget_code):
    """The Treasury IBAN of budget_code at treasury unit unit_code,
    None when either is malformed"""
    unit = (unit_code or '').strip()
    digits = budget_digits(budget_code)
    if not is_unit_code(unit) or digits is None:
        return None
    bban = BANK + unit + LOCAL_BUDGET_REVENUES + digits
    bban = bban.ljust(IBAN_LENGTH - 4, 'X')
    check = _iban.calc_check_digits('RO00' + bban)
    return 'RO' + check + bban


def is_treasury_iban(value):
    "Whether value is a valid (mod-97) IBAN held at the Romanian Treasury"
    number = _compact(value)
    return (number.startswith('RO') and number[4:8] == BANK
        and _iban.is_valid(number))


def unit_code_of(value):
    "The treasury unit code of a Treasury IBAN, None otherwise"
    if not is_treasury_iban(value):
        return None
    return _compact(value)[8:11]


def budget_code_of(value):
    """The dotted budget code of a local-revenue Treasury IBAN
    ('RO96TREZ7042107020101XXX' -> '07.02.01.01'), None for any other
    IBAN"""
    if not is_treasury_iban(value):
        return None
    number = _compact(value)
    if number[11:13] != LOCAL_BUDGET_REVENUES:
        return None
    rest = number[13:]
    digits = rest.rstrip('X')
    if (not digits.isdigit() or len(digits) % 2 or not 4 <= len(digits) <= 8
            or set(rest[len(digits):]) - {'X'}):
        return None
    return '.'.join(digits[i:i + 2] for i in range(0, len(digits), 2))


def format_iban(value):
    "The IBAN in groups of four, as printed on Romanian papers"
    return _iban.format(_compact(value))
