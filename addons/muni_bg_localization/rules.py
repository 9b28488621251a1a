# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Bulgarian local-tax rules (ЗМДТ, ЗВЕРБ) as pure functions.

Nothing here touches the database: the council's rates, the statutory
ranges and the deadlines come in as arguments built from the rate tables,
and every computation returns its amount with a trace of the steps.
Arithmetic is exact (fractions) and only the final amount is rounded.
"""
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction

from stdnum.bg import egn, pnf, vat
from stdnum.exceptions import ValidationError

from muni_finance.rules_base import (
    EarlyPayment, Instalment, OutOfRange, RuleError, check_range,
    require_range, round_cent, stdnum_fault, terminating)
from muni_finance.rules_base import exact as _exact

CENT = Decimal('0.01')

# ЗВЕРБ: 1 EUR = 1.95583 BGN, irrevocably fixed (Council decision of
# 8 July 2025); amounts are divided by the full rate, never an inverse.
BGN_PER_EUR = Decimal('1.95583')
STANDARD = ROUND_HALF_UP
# ЗВЕРБ: in favour of the weaker party any digit beyond the cent rounds up
WEAKER_PARTY = ROUND_UP

# ЗМДТ чл. 25: reliefs for the main dwelling
RELIEF_MAIN_DWELLING = Decimal('0.50')
RELIEF_MAIN_DWELLING_DISABLED = Decimal('0.75')

# ЗМДТ чл. 55: upper limits (inclusive) of the law's bands; the amounts
# and per-kW rates of each band are the council's and come in as data.
CAR_KW_LIMITS = (
    Decimal(55), Decimal(74), Decimal(110), Decimal(150), Decimal(245),
    None)
CATALYST_KW_LIMIT = Decimal(74)
TRUCK_PAYLOAD_STEP_KG = 750
MOPED_CC_LIMITS = (Decimal(50),)
MOTORCYCLE_CC_LIMITS = (
    Decimal(125), Decimal(250), Decimal(350), Decimal(490), Decimal(750),
    None)
THREE_WHEELER_KG_LIMITS = (Decimal(400), None)
TRACTOR_KW_LIMITS = (Decimal(18), Decimal(37), None)
TRACTOR_KW_MINIMUM = Decimal(11)

# ЗМДТ чл. 62: the services the waste fee finances, each priced apart
WASTE_COLLECTION = 'collection'
WASTE_TREATMENT = 'treatment'
WASTE_CLEANING = 'cleaning'
WASTE_COMPONENTS = (WASTE_COLLECTION, WASTE_TREATMENT, WASTE_CLEANING)


class InvalidIdentifier(RuleError):
    # codes: invalid_format, invalid_length, invalid_birth_date,
    # invalid_checksum; params: kind, number
    pass


class Discount(EarlyPayment):
    "Discount for the whole year paid by the deadline (ЗМДТ чл. 28, 60)"


@dataclass(frozen=True)
class Result:
    amount: Decimal
    trace: tuple = ()
    parts: tuple = ()
    instalments: tuple = ()
    discount: Discount = None
    due_date: dt.date = None
    # The law's formulas with their values: (label or None, factors,
    # result[, operator]), each factor a Factor; the operator is × unless
    # given
    formulas: tuple = ()

    def explain(self):
        return '\n'.join('%s: %s' % (l, v) for l, v in self.trace)


@dataclass(frozen=True)
class Factor:
    """A factor of a formula: kind is amount, number, permille, percent,
    fraction or months; symbol names the quantity (e.g. the assessment
    value), unit follows the value"""
    kind: str
    value: object
    symbol: str = None
    unit: str = None


def _prorate_factors(share, months):
    "The factors of the share and of the months, when they count"
    factors = []
    share = _exact(share)
    if share != 1:
        factors.append(Factor('fraction', share))
    if months != 12:
        factors.append(Factor('months', months))
    return factors


@dataclass(frozen=True)
class Conversion:
    bgn: Decimal
    eur: Decimal
    rounding: str
    trace: tuple = ()
    # the exact BGN / 1.95583, before rounding (a Fraction)
    quotient: Fraction = None


@dataclass(frozen=True)
class CarRates:
    "Council rates for cars up to 3.5 t (ЗМДТ чл. 55)"
    # ((upper kW limit or None, rate per kW), ...) in ascending order
    kw_rates: tuple
    # ((highest age in the band or None, coefficient), ...) ascending
    age_coefficients: tuple
    # Euro class -> coefficient; the key None is "no class"
    eco_coefficients: Mapping
    catalyst_reduction: Decimal = Decimal(0)


def _fmt(value):
    if not isinstance(value, Fraction):
        return value
    decimal = terminating(value)
    return str(value if decimal is None else decimal)


def shift(date, next_working_day):
    "Move a deadline that falls on a non-working day"
    # bg.md §1.1: deadlines on a non-working day move to the next working
    # day ("до 02.11.2020 г."); the calendar is the municipality's.
    return next_working_day(date)


def months_due(year, start=None, end=None, start_month=True, end_month=True):
    "Months of year in [start, end]; the flags say if those months count"
    first, last = 1, 12
    if start:
        if start.year > year:
            return 0
        if start.year == year:
            first = start.month + (0 if start_month else 1)
    if end:
        if end.year < year:
            return 0
        if end.year == year:
            last = end.month - (0 if end_month else 1)
    return max(0, last - first + 1)


def property_months(year, acquired=None, transferred=None):
    "Months of ДНИ owed by one owner in the year"
    # ЗМДТ чл. 28, ал. 3: the transferor owes the tax up to and including
    # the month of transfer; so the acquirer starts with the next month
    # (чл. 28, ал. 4 itself is UNVERIFIED in bg.md §1.1).
    return months_due(
        year, acquired, transferred, start_month=False, end_month=True)


def vehicle_months(year, acquired=None, disposed=None):
    "Months of ДПС owed by one owner in the year"
    # ЗМДТ чл. 60: 1/12 per month from the month of acquisition; a change
    # takes effect from the month following it, so the disposal month is
    # still owed.
    return months_due(
        year, acquired, disposed, start_month=True, end_month=True)


def _prorate(trace, value, share, months):
    share = _exact(share)
    if not 0 <= share <= 1:
        raise ValueError("Share must be between 0 and 1: %s" % share)
    if not 0 <= months <= 12:
        raise ValueError("Months must be between 0 and 12: %s" % months)
    if share != 1:
        trace.append(("Ownership share", _fmt(share)))
        value *= share
    if months != 12:
        trace.append(("Months", '%s/12' % months))
        value *= Fraction(months, 12)
    return value


def property_relief(main_dwelling, reduced_capacity=None,
        main_dwellings_declared=1):
    "Relief of ЗМДТ чл. 25 for one owner (0, 0.50 or 0.75)"
    # ЗМДТ чл. 25: more than one main dwelling declared loses the relief
    if not main_dwelling or main_dwellings_declared != 1:
        return Decimal(0)
    if (reduced_capacity is not None
            and 50 <= _exact(reduced_capacity) <= 100):
        return RELIEF_MAIN_DWELLING_DISABLED
    return RELIEF_MAIN_DWELLING


def property_tax(assessment_value, rate_per_mille, relief=0, share=1,
        months=12):
    "ДНИ = ДО × ‰ × (1 − relief) × share × months/12 (ЗМДТ чл. 22, 25, 28)"
    trace = [
        ("Rule", "ЗМДТ чл. 22: property tax"),
        ("Assessment value", assessment_value),
        ("Rate (‰)", rate_per_mille),
        ]
    value = _exact(assessment_value) * _exact(rate_per_mille) / 1000
    relief = _exact(relief)
    if relief:
        trace.append(("Relief (ЗМДТ чл. 25)", '%s %%' % _fmt(relief * 100)))
        value *= 1 - relief
    value = _prorate(trace, value, share, months)
    amount = round_cent(value)
    trace.append(("Amount", amount))
    factors = [
        Factor('amount', assessment_value, symbol='assessment_value'),
        Factor('permille', rate_per_mille)]
    if relief:
        factors.append(Factor('percent', (1 - relief) * 100))
    factors.extend(_prorate_factors(share, months))
    return Result(amount, tuple(trace),
        formulas=((None, tuple(factors), amount),))


def waste_exemptions(declarations, deadline, not_provided=()):
    "Components exempt from the ТБО: component -> reason"
    # ЗМДТ чл. 71: a service not provided in the area is not charged; an
    # unused property is exempt only if declared by the deadline (31 Oct
    # of the previous year).
    exempt = {c: "service not provided" for c in not_provided}
    for component, declared_on in declarations.items():
        if declared_on <= deadline:
            exempt.setdefault(
                component, "declared on %s" % declared_on.isoformat())
    return exempt


def waste_fee(base, zone, zone_rates, exempt=(), share=1, months=12):
    "ТБО = Σ per service of base × ‰ of the zone (ЗМДТ чл. 62)"
    try:
        rates = zone_rates[zone]
    except KeyError:
        raise RuleError('unknown_zone', zone=zone)
    if not isinstance(exempt, Mapping):
        exempt = {c: "exempt" for c in exempt}
    trace = [
        ("Rule", "ЗМДТ чл. 62: household waste fee"),
        ("Base", base),
        ("Zone", zone),
        ]
    parts, formulas = [], []
    for component in WASTE_COMPONENTS:
        if component not in rates:
            continue
        rate = rates[component]
        if component in exempt:
            trace.append(
                ("%s (‰)" % component.capitalize(),
                    "%s exempt: %s" % (rate, exempt[component])))
            amount = Decimal('0.00')
        else:
            sub = [("%s (‰)" % component.capitalize(), rate)]
            value = _exact(base) * _exact(rate) / 1000
            value = _prorate(sub, value, share, months)
            # Each service is an obligation rounded on its own and the
            # total is the sum of the rounded ones (bg.md §1.1).
            amount = round_cent(value)
            trace.extend(sub[:1])
            trace.append(("%s amount" % component.capitalize(), amount))
            formulas.append(("%s amount" % component.capitalize(), (
                        Factor('amount', base, symbol='assessment_value'),
                        Factor('permille', rate),
                        *_prorate_factors(share, months)), amount))
        parts.append((component, amount))
    if share != 1:
        trace.append(("Ownership share", _fmt(_exact(share))))
    if months != 12:
        trace.append(("Months", '%s/12' % months))
    total = sum((a for _, a in parts), Decimal('0.00'))
    trace.append(("Amount", total))
    if len(formulas) > 1:
        formulas.append(("Amount", tuple(
                    Factor('amount', a) for _, a in parts), total, '+'))
    return Result(total, tuple(trace), parts=tuple(parts),
        formulas=tuple(formulas))


def _band(value, bands):
    for index, (limit, amount) in enumerate(bands):
        if limit is None or value <= _exact(limit):
            return index, limit, amount
    raise RuleError('no_band', value=value)


def vehicle_age(tax_year, manufacture_year):
    "Age used for Кгп (ЗМДТ чл. 55); tax year − year of manufacture"
    # bg.md §1.2 marks this arithmetic UNVERIFIED; keep it in one place.
    return tax_year - manufacture_year


def car_tax(kw, age, euro_class, rates, catalyst=False, months=12):
    "ДПС of a car up to 3.5 t: kW × rate × Кгп × ЕК (ЗМДТ чл. 55)"
    kw_value = _exact(kw)
    index, limit, kw_rate = _band(kw_value, rates.kw_rates)
    lower = rates.kw_rates[index - 1][0] if index else None
    # bands written without words: the trace is read in any language
    band = ('≤ %s kW' % limit if lower is None
        else '> %s kW' % lower if limit is None
        else '> %s kW, ≤ %s kW' % (lower, limit))
    _, age_limit, age_coefficient = _band(
        _exact(age), rates.age_coefficients)
    if euro_class not in rates.eco_coefficients:
        raise RuleError('unknown_euro_class', euro_class=euro_class)
    # ЗМДТ чл. 55: without an eco class the vehicle is "no class"
    eco = rates.eco_coefficients[euro_class]
    trace = [
        ("Rule", "ЗМДТ чл. 55: car up to 3.5 t"),
        ("Power (kW)", kw),
        ("Band", band),
        ("Rate per kW", kw_rate),
        ("Age (years)", age),
        ("Age coefficient (Кгп)", age_coefficient),
        ("Euro class", euro_class if euro_class is not None else "none"),
        ("Eco coefficient (ЕК)", eco),
        ]
    # ГДПС = ИмК × ЕК, ИмК = Скw × Кгп (bg.md §1.2): the property
    # component is a value of the law's formula, shown unrounded
    property_component = kw_value * _exact(kw_rate) * _exact(age_coefficient)
    trace.insert(-2, ("Property component (ИмК)", _fmt(property_component)))
    value = property_component * _exact(eco)
    trace.append(("Annual tax before reliefs", _fmt(value)))
    component = ("Property component (ИмК)", (
            Factor('number', kw, unit='kW'),
            Factor('amount', kw_rate, unit='/kW'),
            Factor('number', age_coefficient, symbol='age_coefficient')),
        _fmt(property_component))
    factors = [
        Factor('amount', _fmt(property_component),
            symbol='property_component'),
        Factor('number', eco, symbol='eco_coefficient')]
    # ЗМДТ чл. 55: working catalyst on cars up to 74 kW
    if catalyst and kw_value <= CATALYST_KW_LIMIT \
            and rates.catalyst_reduction:
        reduction = _exact(rates.catalyst_reduction)
        trace.append(("Catalyst reduction", '%s %%' % _fmt(reduction * 100)))
        value *= 1 - reduction
        factors.append(Factor('percent', (1 - reduction) * 100))
    value = _prorate(trace, value, 1, months)
    amount = round_cent(value)
    trace.append(("Amount", amount))
    factors.extend(_prorate_factors(1, months))
    return Result(amount, tuple(trace),
        formulas=(component, (None, tuple(factors), amount)))


def truck_tax(payload_kg, rate_per_step, months=12):
    "ДПС of a truck 3.5–12 t: rate per started 750 kg of payload"
    payload = _exact(payload_kg)
    # ЗМДТ чл. 55: each started 750 kg counts in full
    steps = math.ceil(payload / TRUCK_PAYLOAD_STEP_KG)
    trace = [
        ("Rule", "ЗМДТ чл. 55: truck 3.5 to 12 t"),
        ("Payload (kg)", payload_kg),
        ("Started 750 kg", steps),
        ("Rate per 750 kg", rate_per_step),
        ]
    value = steps * _exact(rate_per_step)
    value = _prorate(trace, value, 1, months)
    amount = round_cent(value)
    trace.append(("Amount", amount))
    factors = (Factor('number', steps),
        Factor('amount', rate_per_step), *_prorate_factors(1, months))
    return Result(amount, tuple(trace),
        formulas=((None, factors, amount),))


def banded_vehicle_tax(value, bands, unit, minimum=None, months=12,
        rule="ЗМДТ чл. 55"):
    "ДПС as an annual amount by the law's band of cc, kg or kW"
    trace = [("Rule", rule), ("Value (%s)" % unit, value)]
    if minimum is not None and _exact(value) < _exact(minimum):
        # The law lists no band below its minimum (e.g. tractors < 11 kW)
        trace.append(("Band", "< %s %s" % (minimum, unit)))
        trace.append(("Amount", Decimal('0.00')))
        return Result(Decimal('0.00'), tuple(trace))
    index, limit, annual = _band(_exact(value), bands)
    lower = bands[index - 1][0] if index else minimum
    if limit is None:
        label = '> %s %s' % (lower, unit)
    elif lower is None:
        label = '≤ %s %s' % (limit, unit)
    else:
        label = '> %s %s, ≤ %s %s' % (lower, unit, limit, unit)
    trace.extend([("Band", label), ("Annual amount", annual)])
    amount = round_cent(_prorate(trace, _exact(annual), 1, months))
    trace.append(("Amount", amount))
    formulas = ()
    if months != 12:
        formulas = ((None, (Factor('amount', annual),
                    *_prorate_factors(1, months)), amount),)
    return Result(amount, tuple(trace), formulas=formulas)


def tourist_tax(nights, rates, year, month, due_day, next_working_day):
    "Tourist tax of a month: Σ nights × rate per category (ЗМДТ чл. 61с)"
    trace = [
        ("Rule", "ЗМДТ чл. 61с: tourist tax"),
        ("Period", '%04d-%02d' % (year, month)),
        ]
    parts = []
    for category in sorted(nights, key=str):
        if category not in rates:
            raise RuleError('unknown_category', category=category)
        count = nights[category]
        amount = round_cent(count * _exact(rates[category]))
        trace.append((
                "Category %s" % category,
                '%s nights × %s = %s' % (count, rates[category], amount)))
        parts.append((category, amount))
    total = sum((a for _, a in parts), Decimal('0.00'))
    # ЗМДТ чл. 61с (bg.md §1.4): paid by the 15th of the following month
    statutory = (dt.date(year + 1, 1, due_day) if month == 12
        else dt.date(year, month + 1, due_day))
    due_date = shift(statutory, next_working_day)
    trace.append(("Amount", total))
    trace.append(("Due date", due_date))
    return Result(total, tuple(trace), parts=tuple(parts), due_date=due_date)


def acquisition_tax(rate_percent, assessment_value, price=None):
    "Rate × the higher of price and assessment value (bg.md §1.6)"
    base = _exact(assessment_value)
    trace = [
        ("Rule", "ЗМДТ: acquisition tax, onerous or gratuitous"),
        ("Assessment value", assessment_value),
        ]
    if price is not None:
        trace.append(("Price", price))
        base = max(base, _exact(price))
    trace.append(("Base (the higher)", _fmt(base)))
    trace.append(("Rate (%)", rate_percent))
    amount = round_cent(base * _exact(rate_percent) / 100)
    trace.append(("Amount", amount))
    return Result(amount, tuple(trace))


def split_instalments(amount, due_dates, next_working_day, remainder='last'):
    "Split an amount into equal instalments, the odd cents on one of them"
    if amount != amount.quantize(CENT):
        raise ValueError("Amount must be rounded to the cent: %s" % amount)
    if remainder not in {'first', 'last'}:
        raise ValueError("remainder must be 'first' or 'last'")
    count = len(due_dates)
    cents = int(amount.scaleb(2))
    sign = -1 if cents < 0 else 1
    each, rest = divmod(abs(cents), count)
    shares = [each] * count
    # Equal instalments (ЗМДТ чл. 28, 60); the odd cents go to the
    # instalment the municipality chooses (UNVERIFIED: bg.md §1.1 keeps
    # them on the last one).
    shares[-1 if remainder == 'last' else 0] += rest
    instalments = []
    for number, (date, share) in enumerate(zip(due_dates, shares), 1):
        instalments.append(Instalment(
                number, Decimal(sign * share).scaleb(-2),
                shift(date, next_working_day), date))
    return tuple(instalments)


def early_discount(amount, rate_percent, deadline, next_working_day):
    "Discount for the whole year paid by the deadline (ЗМДТ чл. 28, 60)"
    # bg.md §1.1: due = round2(annual × 0.95), the discount is the rest
    due = round_cent(_exact(amount) * (1 - _exact(rate_percent) / 100))
    return Discount(
        Decimal(rate_percent), shift(deadline, next_working_day),
        amount - due, due)


def annual_schedule(result, due_dates, next_working_day,
        discount_rate=None, discount_deadline=None, remainder='last'):
    "Add instalments and the early-payment discount to an assessment"
    instalments = split_instalments(
        result.amount, due_dates, next_working_day, remainder=remainder)
    trace = list(result.trace)
    for instalment in instalments:
        moved = ('' if instalment.due_date == instalment.statutory_date
            else ' (moved from %s)' % instalment.statutory_date)
        trace.append((
                "Instalment %s" % instalment.number,
                '%s by %s%s' % (
                    instalment.amount, instalment.due_date, moved)))
    discount = None
    if discount_rate:
        discount = early_discount(
            result.amount, discount_rate, discount_deadline,
            next_working_day)
        trace.append((
                "Discount %s %%" % discount.rate,
                '%s due by %s (discount %s)' % (
                    discount.due, discount.deadline, discount.amount)))
    return Result(
        result.amount, tuple(trace), parts=result.parts,
        instalments=instalments, discount=discount,
        due_date=result.due_date)


def patent_tax(annual_amount, due_dates, discount_rate, discount_deadline,
        next_working_day):
    "Patent tax: annual amount in quarterly instalments (bg.md §1.5)"
    amount = round_cent(annual_amount)
    result = Result(amount, (
            ("Rule", "ЗМДТ Annex 4: patent tax"),
            ("Annual amount", amount)))
    return annual_schedule(
        result, due_dates, next_working_day,
        discount_rate=discount_rate, discount_deadline=discount_deadline)


def bgn_to_eur(amount, rounding=STANDARD):
    "Convert a BGN amount to EUR by ЗВЕРБ, keeping both amounts"
    if rounding not in {STANDARD, WEAKER_PARTY}:
        raise ValueError("Unsupported rounding %r" % rounding)
    quotient = _exact(amount) / _exact(BGN_PER_EUR)
    eur = round_cent(quotient, rounding)
    mode = 'standard' if rounding == STANDARD else 'weaker_party'
    trace = (
        ("Rule", "ЗВЕРБ: fixed rate, %s rounding" % mode),
        ("Amount (BGN)", amount),
        ("Rate (BGN per EUR)", BGN_PER_EUR),
        ("Quotient (unrounded)", quotient_text(quotient)),
        ("Amount (EUR)", eur),
        )
    return Conversion(Decimal(amount), eur, mode, trace, quotient)


def quotient_text(value, places=8):
    """An unrounded quotient as it is read: exact when it has a decimal
    form, else to eight places followed by an ellipsis"""
    exact = _fmt(value)
    if '/' not in str(exact):
        return exact
    truncated = Decimal(value.numerator) / Decimal(value.denominator)
    return '%s…' % truncated.quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def compact_identifier(number):
    "Strip spaces, dots, hyphens and a leading BG (bg.md §7.3)"
    number = ''.join(c for c in str(number) if c not in ' .-').upper()
    if number.startswith('BG'):
        number = number[2:]
    return number


def _stdnum_validate(kind, module, number):
    try:
        return module.validate(number)
    except ValidationError as exception:
        code = stdnum_fault(exception, default='invalid')
        if code == 'invalid_component':
            # the component of an ЕГН or ЛНЧ stdnum checks is the birth date
            code = 'invalid_birth_date'
        raise InvalidIdentifier(code, kind=kind, number=number)


def validate_egn(number):
    "Return the compact ЕГН or raise InvalidIdentifier"
    # stdnum checks digits, length, birth date, then the check digit
    return _stdnum_validate('bg_egn', egn, compact_identifier(number))


def validate_pnf(number):
    "Return the compact ЛНЧ or raise InvalidIdentifier"
    return _stdnum_validate('bg_pnf', pnf, compact_identifier(number))


def calc_bulstat13_check_digit(number):
    "Check digit of a 13-digit БУЛСТАТ from its first 12 digits"
    digits = [int(d) for d in number[8:12]]
    check = sum(w * d for w, d in zip((2, 7, 3, 5), digits)) % 11
    if check == 10:
        check = sum(w * d for w, d in zip((4, 9, 5, 7), digits)) % 11
    return str(check % 10)


def validate_eik(number):
    "Return the compact 9- or 13-digit ЕИК or raise InvalidIdentifier"
    number = compact_identifier(number)
    if not number.isdigit() or not number.isascii():
        raise InvalidIdentifier(
            'invalid_format', kind='bg_eik', number=number)
    # bg.vat also accepts 10-digit ЕГН/ЛНЧ, which are no ЕИК
    if len(number) not in {9, 13}:
        raise InvalidIdentifier(
            'invalid_length', kind='bg_eik', number=number)
    _stdnum_validate('bg_eik', vat, number[:9])
    # bg.md §7.3: python-stdnum has no 13-digit БУЛСТАТ
    if (len(number) == 13
            and number[-1] != calc_bulstat13_check_digit(number)):
        raise InvalidIdentifier(
            'invalid_checksum', kind='bg_eik', number=number)
    return number


IDENTIFIERS = {
    'bg_egn': validate_egn,
    'bg_pnf': validate_pnf,
    'bg_eik': validate_eik,
    }


def validate_identifier(kind, number):
    return IDENTIFIERS[kind](number)
