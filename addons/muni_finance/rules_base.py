# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the localisations' tax rules share, and no law.

Each localisation keeps its law (rates, rounding to the unit the law
owes, schedules) in its own rules module; this one holds the neutral
pieces: the error a rule raises, exact arithmetic, rounding to the cent,
range checks, the instalment and early-payment records and the fault
of an identifier python-stdnum refuses.
"""
import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction

from stdnum.exceptions import (
    InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength)

# The fault of an identifier python-stdnum refuses; InvalidLength is a
# subclass of InvalidFormat, so it is tried first
STDNUM_FAULTS = (
    (InvalidLength, 'invalid_length'),
    (InvalidFormat, 'invalid_format'),
    (InvalidComponent, 'invalid_component'),
    (InvalidChecksum, 'invalid_checksum'),
    )


class RuleError(ValueError):
    "A rule cannot be applied; `code` is mapped by the model to a message"

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


class OutOfRange(RuleError):
    # code: out_of_range; params: label, value, minimum, maximum
    pass


@dataclass(frozen=True)
class Instalment:
    number: int
    amount: Decimal
    due_date: dt.date  # moved to a working day
    statutory_date: dt.date


@dataclass(frozen=True)
class EarlyPayment:
    "Reduction for the whole year paid by a deadline"
    rate: Decimal  # percent
    deadline: dt.date  # moved to a working day
    amount: Decimal  # the reduction, whole-year amount − due
    due: Decimal  # what the payer pays


def exact(value):
    "The value as an exact fraction; floats are refused"
    if isinstance(value, float):
        raise TypeError("Use Decimal, not float: %r" % value)
    return Fraction(value)


def terminating(value):
    "The Decimal equal to a fraction, or None when it has no finite one"
    denominator = value.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    if denominator == 1:
        return Decimal(value.numerator) / Decimal(value.denominator)
    return None


def round_cent(value, rounding=ROUND_HALF_UP):
    "Round an exact value to the cent, away from zero on ties or digits"
    value = exact(value)
    hundredths = abs(value) * 100
    cents = math.floor(hundredths)
    rest = hundredths - cents
    if rounding == ROUND_HALF_UP:
        cents += rest >= Fraction(1, 2)
    elif rounding == ROUND_UP:
        cents += rest > 0
    elif rounding != ROUND_DOWN:
        raise ValueError("Unsupported rounding %r" % rounding)
    if value < 0:
        cents = -cents
    return Decimal(int(cents)).scaleb(-2)


def check_range(value, minimum, maximum):
    "Tell whether a council rate lies in the law's range, bounds included"
    value = exact(value)
    return ((minimum is None or value >= exact(minimum))
        and (maximum is None or value <= exact(maximum)))


def require_range(value, minimum, maximum, label=''):
    "Return value, or raise OutOfRange when outside [minimum, maximum]"
    if not check_range(value, minimum, maximum):
        raise OutOfRange(
            'out_of_range', label=label, value=value, minimum=minimum,
            maximum=maximum)
    return value


def stdnum_fault(exception, default=None):
    "The fault code of a python-stdnum ValidationError, else default"
    for class_, code in STDNUM_FAULTS:
        if isinstance(exception, class_):
            return code
    return default
