# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Romanian local-tax rules (Codul fiscal, Titlul IX) as pure functions.

Nothing here touches the database. The statutory tables come from
rates_ro.rates_for(table, date) and the council's levels (HCL) come in as
arguments; every rule returns a Result with the amount, the named
intermediate values of the law's formula (`values`) and a trace of
(label, value) a clerk reads. Labels are English; the integrator
translates them.

Rounding (domain/ro.md §2.1): sums owed to local budgets are whole lei,
fractions under 50 bani dropped and 50 bani or more rounded up (HG 1/2016,
Titlul IX, pct. 11 lit. n)). Arithmetic is exact (fractions) and only the
amount owed is rounded; a reduction is the difference between the tax
before it and the rounded amount, never rounded itself.
"""
import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from muni_finance.rules_base import (
    EarlyPayment, Instalment, OutOfRange, RuleError, check_range,
    require_range, round_cent, terminating)
from muni_finance.rules_base import exact as _exact

from .rates_ro import EURO_3, EURO_4, EURO_5, EURO_6, HYBRID

LEU = Decimal(1)
CENT = Decimal('0.01')
HECTARE = 10000  # m²
CC_GROUP = 200  # cm³, art. 470 (2)

# Propulsions of vehicle_tax
THERMAL = 'thermal'
ELECTRIC = 'electric'
PROPULSIONS = (THERMAL, HYBRID, ELECTRIC)


class Bonus(EarlyPayment):
    "Bonificație for the whole year paid by its deadline; due in whole lei"


@dataclass(frozen=True, eq=False)
class Result:
    """amount: what is owed, rounded as the rule says (whole lei for
    taxes); values: the law's named intermediate values (key -> value,
    keys in English snake case, values exact Decimal or Fraction);
    trace: ((label, value), ...) in reading order for the clerk."""
    amount: Decimal
    values: dict = field(default_factory=dict)
    trace: tuple = ()
    parts: tuple = ()
    instalments: tuple = ()
    bonus: Bonus = None
    due_date: dt.date = None

    def __post_init__(self):
        # the trace is stored and shown: exact fractions become decimals
        object.__setattr__(self, 'trace', tuple(
                (label, _fmt(value)) for label, value in self.trace))

    def explain(self):
        return '\n'.join('%s: %s' % (l, _fmt(v)) for l, v in self.trace)


def _fmt(value):
    "Show an exact fraction as a decimal when it has one"
    if not isinstance(value, Fraction):
        return value
    decimal = terminating(value)
    return round_cent(value) if decimal is None else decimal


def round_lei(value):
    """Whole lei by HG 1/2016, Titlul IX, pct. 11 lit. n): under 50 bani
    dropped, 50 bani or more rounded up (away from zero)"""
    value = _exact(value)
    lei = math.floor(abs(value))
    if abs(value) - lei >= Fraction(1, 2):
        lei += 1
    return Decimal(-lei if value < 0 else lei)


def _required(value, label, **params):
    if value is None:
        raise RuleError('missing_rate', label=label, **params)
    return value


def shift(date, next_working_day):
    """Move a deadline on a non-working day to the next working day

    next_working_day(date) -> date is the municipality's calendar."""
    # Codul de procedură fiscală art. 181 (5) via Codul de procedură
    # civilă: a term ending on a non-working day ends on the next one
    return next_working_day(date)


def add_months(date, months):
    "date plus months, on the last day of the month when it has no such day"
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1)
        - dt.timedelta(days=1)).day
    return dt.date(year, month, min(date.day, last))


def months_owed(year, acquired=None, disposed=None):
    """Months of year for which an owner owes an annual tax

    ro.md §2.1: an asset acquired during the year is taxed from the 1st
    of the month after acquisition; the one who disposes of it owes up
    to the end of the month of disposal (same logic)."""
    first, last = 1, 12
    if acquired:
        if acquired.year > year:
            return 0
        if acquired.year == year:
            first = acquired.month + 1
    if disposed:
        if disposed.year < year:
            return 0
        if disposed.year == year:
            last = disposed.month
    return max(0, last - first + 1)


def _prorate(values, trace, tax, share, months):
    share = _exact(share)
    if not 0 <= share <= 1:
        raise RuleError('invalid_share', share=share)
    if not 0 <= months <= 12:
        raise RuleError('invalid_months', months=months)
    if share != 1:
        values['share'] = share
        trace.append(("Ownership share", share))
        tax *= share
    if months != 12:
        values['months'] = months
        trace.append(("Months", '%s/12' % months))
        tax *= Fraction(months, 12)
    return tax


def _reduce(values, trace, tax, key, label, reduction):
    "Apply a percentage reduction given as a fraction (0.5 = 50 %)"
    reduction = _exact(reduction or 0)
    if not reduction:
        return tax
    if not 0 <= reduction <= 1:
        raise RuleError('invalid_reduction', reduction=reduction)
    values[key] = reduction
    trace.append((label, '%s %%' % _fmt(reduction * 100)))
    return tax * (1 - reduction)


def _finish(values, trace, tax, **kwargs):
    "Round the tax to whole lei and close the trace"
    values['tax'] = tax
    amount = round_lei(tax)
    trace.append(("Amount (whole lei)", amount))
    return Result(amount, values, tuple(trace), **kwargs)


# Buildings -----------------------------------------------------------

def building_age(tax_year, reference_year):
    """Age of a building at 1 January of tax_year: tax_year − the year of
    completion or of the last major renovation (art. 457 (8))"""
    return tax_year - reference_year


def building_reference_year(completion_year, renovations, rates):
    """Year from which a building's age counts: the year of its last
    major renovation, else of its completion (art. 457 (8))

    renovations: [(year, value increase as a fraction of the building's
    value)]; a renovation is major from rates.renovation_threshold (25 %
    until 2025, 50 % from the Feb-2026 OUG); without a threshold (age
    reductions repealed) the completion year stands."""
    year = completion_year
    threshold = rates.renovation_threshold
    if threshold is None:
        return year
    for renovated, increase in renovations:
        if _exact(increase) >= _exact(threshold) and renovated > year:
            year = renovated
    return year


def age_reduction(age, rates):
    "Reduction (fraction) of rates.age_reductions for an age in years"
    for lowest, highest, reduction in rates.age_reductions:
        if age >= lowest and (highest is None or age <= highest):
            return reduction
    return Decimal(0)


def building_taxable_value(area, building_type, utilities, zone, rank,
        rates, useful_area=False, basement=None, block=False):
    """Taxable value of art. 457 (2)-(7), in lei, unrounded

    area: m² of suprafața construită desfășurată, or of useful area when
    useful_area (× rates.useful_area_factor, art. 457 (5));
    building_type: 'A'..'D'; utilities: True when it has water, sewage,
    electricity and heating; basement: None, 'E' (used as dwelling) or 'F'
    (used otherwise), a share of the A–D value; zone 'A'..'D' and rank
    0..5 choose the coefficient of art. 457 (6); block: apartment in a
    block of more than 3 levels and 8 flats (− rates.block_reduction to
    the coefficient, until 2025). rates: ResidentialRates, with the
    council's indexed values if any. Result.amount is the value to the
    ban; values: area, value_per_m2, basement_factor, coefficient,
    block_reduction, taxable_value (exact)."""
    values, trace = {}, []
    area = _exact(area)
    trace.append(("Built area (m²)" if not useful_area
            else "Useful area (m²)", area))
    if useful_area:
        factor = _exact(rates.useful_area_factor)
        values['useful_area'] = area
        values['useful_area_factor'] = factor
        area *= factor
        trace.append(("Useful area factor", factor))
        trace.append(("Built area (m²)", area))
    values['area'] = area
    try:
        with_, without = rates.values[building_type]
    except KeyError:
        raise RuleError('unknown_building_type', type=building_type)
    per_m2 = _required(with_ if utilities else without, "value per m²",
        type=building_type, utilities=utilities)
    per_m2 = _exact(per_m2)
    trace.append(("Building type", building_type))
    trace.append(("Utilities", "yes" if utilities else "no"))
    trace.append(("Value per m² (lei)", per_m2))
    if basement:
        try:
            share = _exact(rates.basement_factors[basement])
        except KeyError:
            raise RuleError('unknown_building_type', type=basement)
        values['basement_factor'] = share
        trace.append(("Basement or attic (%s) factor" % basement, share))
        per_m2 *= share
    values['value_per_m2'] = per_m2
    try:
        coefficient = _exact(rates.coefficients[(zone, rank)])
    except KeyError:
        raise RuleError('unknown_zone', zone=zone, rank=rank)
    trace.append(("Zone", zone))
    trace.append(("Rank", rank))
    trace.append(("Correction coefficient", coefficient))
    if block and rates.block_reduction is not None:
        reduction = _exact(rates.block_reduction)
        values['block_reduction'] = reduction
        trace.append(("Block reduction of the coefficient", reduction))
        coefficient -= reduction
        trace.append(("Coefficient applied", coefficient))
    values['coefficient'] = coefficient
    taxable = area * per_m2 * coefficient
    values['taxable_value'] = taxable
    trace.append(("Taxable value (lei)", taxable))
    return Result(round_cent(taxable), values, tuple(trace))


def residential_building_tax(taxable_value, rate_percent, rates,
        age=None, disability=None, share=1, months=12):
    """Natural persons' residential building tax (art. 457)

    tax = taxable value × (1 − age reduction) × rate % × (1 − disability
    reduction) × share × months/12, whole lei.
    taxable_value: a Result of building_taxable_value (its values and
    trace are carried over) or an amount in lei; rate_percent: the
    council's rate, checked against rates.rate_range; age: whole years at
    1 January (building_age), reduced by rates.age_reductions; disability:
    None, 'grav' or 'accentuat' (rates.disability_reductions, from the
    Feb-2026 OUG). values: taxable_value, age_reduction, rate,
    disability_reduction, share, months, tax (exact)."""
    values, trace = _carry(taxable_value,
        "Codul fiscal art. 457: residential building, natural person")
    base = values['taxable_value']
    require_range(rate_percent, *rates.rate_range, label="rate")
    if age is not None:
        values['age'] = age
        trace.append(("Age (years)", age))
        reduction = _exact(age_reduction(age, rates))
        if reduction:
            values['age_reduction'] = reduction
            trace.append(("Age reduction", '%s %%' % _fmt(reduction * 100)))
            base *= 1 - reduction
            trace.append(("Value after age reduction (lei)", base))
    values['rate'] = _exact(rate_percent)
    trace.append(("Rate (%)", rate_percent))
    tax = base * _exact(rate_percent) / 100
    trace.append(("Tax before reductions", tax))
    tax = _disability(values, trace, tax, rates, disability)
    tax = _prorate(values, trace, tax, share, months)
    return _finish(values, trace, tax)


def _carry(taxable_value, rule):
    "Values and trace of a taxable value given as a Result or an amount"
    trace = [("Rule", rule)]
    if isinstance(taxable_value, Result):
        values = dict(taxable_value.values)
        trace.extend(taxable_value.trace)
        values.setdefault('taxable_value', _exact(taxable_value.amount))
    else:
        values = {'taxable_value': _exact(taxable_value)}
        trace.append(("Taxable value (lei)", values['taxable_value']))
    return values, trace


def _disability(values, trace, tax, rates, disability):
    if not disability:
        return tax
    try:
        reduction = rates.disability_reductions[disability]
    except KeyError:
        raise RuleError('no_disability_reduction', disability=disability)
    return _reduce(values, trace, tax, 'disability_reduction',
        "Disability reduction (%s)" % disability, reduction)


def within_valuation_years(year, tax_year, rates):
    """Tell whether a valuation, completion or acquisition of year counts
    for tax_year: in the rates.valuation_years years before it, or in it
    (art. 458 (1), 460 (8))"""
    return tax_year - rates.valuation_years <= year <= tax_year


def nonresidential_building_tax(rate_percent, rates, tax_year,
        value=None, value_year=None, value_source=None,
        fallback_value=None, agricultural=False, share=1, months=12):
    """Natural persons' non-residential building tax (art. 458)

    value: lei from value_source 'valuation' (raport de evaluare),
    'works' (final works value) or 'acquisition', of value_year; it counts
    when within_valuation_years. Otherwise the tax is
    rates.natural_fallback_rate % of fallback_value, the art. 457 value
    (a Result of building_taxable_value or lei). agricultural: the
    building is used in agriculture (rates.agricultural_rate).
    rate_percent: the council's, checked against
    rates.natural_nonresidential_range. values: taxable_value, rate,
    value_source, share, months, tax."""
    rule = "Codul fiscal art. 458: non-residential building, natural person"
    if value is not None and value_year is not None \
            and within_valuation_years(value_year, tax_year, rates):
        values, trace = _carry(value, rule)
        values['value_source'] = value_source
        values['value_year'] = value_year
        trace.append(("Value source", '%s %s' % (value_source, value_year)))
        if agricultural:
            rate = rates.agricultural_rate
            trace.append(("Agricultural use", "yes"))
        else:
            rate = require_range(rate_percent,
                *rates.natural_nonresidential_range, label="rate")
    else:
        if fallback_value is None:
            raise RuleError('missing_value', rule='art. 458')
        values, trace = _carry(fallback_value, rule)
        values['value_source'] = 'art_457'
        trace.append(("Value source", "art. 457 (no value of the last "
                "%s years)" % rates.valuation_years))
        rate = rates.natural_fallback_rate
    values['rate'] = _exact(rate)
    trace.append(("Rate (%)", rate))
    tax = values['taxable_value'] * _exact(rate) / 100
    tax = _prorate(values, trace, tax, share, months)
    return _finish(values, trace, tax)


def mixed_building_tax(residential, nonresidential):
    """Mixed building (art. 459): the residential part by art. 457 plus
    the non-residential part by art. 458, each a Result computed on its
    own area; the sum of the exact taxes is rounded once. parts:
    (('residential', Result), ('nonresidential', Result))."""
    trace = [("Rule", "Codul fiscal art. 459: mixed building")]
    for label, part in (("Residential part", residential),
            ("Non-residential part", nonresidential)):
        trace.append((label, part.values['tax']))
    tax = residential.values['tax'] + nonresidential.values['tax']
    values = {
        'residential_tax': residential.values['tax'],
        'nonresidential_tax': nonresidential.values['tax']}
    return _finish(values, trace, tax, parts=(
            ('residential', residential), ('nonresidential', nonresidential)))


def legal_person_building_tax(value, rate_percent, rates, tax_year,
        value_year, residential=False, agricultural=False, share=1,
        months=12):
    """Legal persons' building tax (art. 460)

    value: the taxable value in lei (book value or revaluation) of
    value_year (year of the last revaluation, completion or acquisition).
    Residential: rate_percent in rates.legal_residential_range;
    non-residential: in rates.legal_nonresidential_range; agricultural:
    rates.agricultural_rate. Not revalued within rates.valuation_years:
    rates.not_revalued_rate (art. 460 (8)) whatever the use. values:
    taxable_value, value_year, revalued, rate, tax."""
    values, trace = _carry(value,
        "Codul fiscal art. 460: building of a legal person")
    values['value_year'] = value_year
    trace.append(("Value of year", value_year))
    revalued = within_valuation_years(value_year, tax_year, rates)
    values['revalued'] = revalued
    trace.append(("Revalued in the last %s years" % rates.valuation_years,
            "yes" if revalued else "no"))
    if not revalued:
        rate = rates.not_revalued_rate
    elif agricultural:
        rate = rates.agricultural_rate
        trace.append(("Agricultural use", "yes"))
    elif residential:
        rate = require_range(
            rate_percent, *rates.legal_residential_range, label="rate")
    else:
        rate = require_range(
            rate_percent, *rates.legal_nonresidential_range, label="rate")
    values['rate'] = _exact(rate)
    trace.append(("Rate (%)", rate))
    tax = values['taxable_value'] * _exact(rate) / 100
    tax = _prorate(values, trace, tax, share, months)
    return _finish(values, trace, tax)


# Land ----------------------------------------------------------------

def land_tax_intravilan(area, zone, rank, amounts, category='constructions',
        rank_coefficients=None, disability=None, disability_reductions=None,
        share=1, months=12):
    """Land in the built-up area (art. 465 (2)-(5))

    area: m² (taxed per hectare: area / 10 000). category 'constructions'
    (terenuri cu construcții): amounts[(zone, rank)] lei/ha, art. 465 (2).
    Other categories (arabil, pasune, faneata, vie, livada, padure, ape,
    ...): amounts[(category, zone)] lei/ha × rank_coefficients[rank]
    (art. 465 (4)-(5)). amounts and rank_coefficients are the council's
    (ro.md marks the code's figures UNVERIFIED). disability: 'grav' or
    'accentuat' with disability_reductions (fractions). values: area_ha,
    amount_per_ha, coefficient, share, months, tax."""
    values, trace = {}, [
        ("Rule", "Codul fiscal art. 465: land in the built-up area")]
    area_ha = _exact(area) / HECTARE
    values['area_ha'] = area_ha
    trace.append(("Area (m²)", _exact(area)))
    trace.append(("Area (ha)", area_ha))
    trace.append(("Category", category))
    trace.append(("Zone", zone))
    trace.append(("Rank", rank))
    if category == 'constructions':
        key = (zone, rank)
    else:
        key = (category, zone)
    per_ha = _exact(_required(amounts.get(key), "lei per ha",
            category=category, zone=zone, rank=rank))
    values['amount_per_ha'] = per_ha
    trace.append(("Amount per ha (lei)", per_ha))
    tax = area_ha * per_ha
    if category != 'constructions':
        coefficient = _exact(_required((rank_coefficients or {}).get(rank),
                "rank coefficient", rank=rank))
        values['coefficient'] = coefficient
        trace.append(("Rank coefficient", coefficient))
        tax *= coefficient
    if disability:
        reduction = (disability_reductions or {}).get(disability)
        if reduction is None:
            raise RuleError('no_disability_reduction', disability=disability)
        tax = _reduce(values, trace, tax, 'disability_reduction',
            "Disability reduction (%s)" % disability, reduction)
    tax = _prorate(values, trace, tax, share, months)
    return _finish(values, trace, tax)


def land_tax_extravilan(area, category, amounts, coefficient, share=1,
        months=12):
    """Land outside the built-up area (art. 465 (7))

    tax = area (ha) × amounts[category] lei/ha × coefficient (the
    correction coefficient the council applies). values: area_ha,
    amount_per_ha, coefficient, share, months, tax."""
    values, trace = {}, [
        ("Rule", "Codul fiscal art. 465 (7): land outside the built-up "
            "area")]
    area_ha = _exact(area) / HECTARE
    values['area_ha'] = area_ha
    trace.append(("Area (m²)", _exact(area)))
    trace.append(("Area (ha)", area_ha))
    trace.append(("Category", category))
    per_ha = _exact(_required(amounts.get(category), "lei per ha",
            category=category))
    values['amount_per_ha'] = per_ha
    trace.append(("Amount per ha (lei)", per_ha))
    coefficient = _exact(coefficient)
    values['coefficient'] = coefficient
    trace.append(("Coefficient", coefficient))
    tax = area_ha * per_ha * coefficient
    tax = _prorate(values, trace, tax, share, months)
    return _finish(values, trace, tax)


# Vehicles ------------------------------------------------------------

def cc_groups(cc):
    "Groups of 200 cm³, a started one counted in full (art. 470 (2))"
    return math.ceil(_exact(cc) / CC_GROUP)


def euro_column(euro_norm):
    """Column of the 2026 table for a Euro norm (0 = non-Euro, 1..6 and
    above): non-Euro to Euro 3 share a column, Euro 6 includes later"""
    if euro_norm is None:
        raise RuleError('missing_euro_norm')
    return {4: EURO_4, 5: EURO_5}.get(
        euro_norm, EURO_3 if euro_norm <= 3 else EURO_6)


def vehicle_band(category, cc, rates):
    """Return (lowest cm³ or None, highest cm³ or None, amount) of the
    band of rates.bands the total capacity falls in"""
    lowest = None
    for band_category, highest, amount in rates.bands:
        if band_category != category:
            continue
        if highest is None or _exact(cc) <= highest:
            return lowest, highest, amount
        lowest = highest
    raise RuleError('no_band', category=category, cc=cc)


def vehicle_tax(category, cc, rates, euro_norm=None, propulsion=THERMAL,
        co2=None, units=None, hybrid_reduction=0, disability=None,
        months=12):
    """Tax of a vehicle taxed per 200 cm³ (art. 470 (2))

    tax = ceil(cc / 200) × lei per 200 cm³ of the band the whole capacity
    falls in, whole lei. category: rates_ro MOTORCYCLE, CAR, BUS,
    MOTOR_VEHICLE, TRACTOR, REGISTERED; rates: VehicleRates of the year.
    The council's levels (indexed, with its cote adiționale) come in
    units: (category, highest cm³) -> lei, or a dict Euro column -> lei,
    overriding the band of rates. From 2026 the unit is read in the Euro
    norm's column (euro_norm 0..6), or the HYBRID column for a hybrid
    above rates.hybrid_co2_limit g CO₂/km. propulsion
    ELECTRIC: rates.electric (or units[('electric', None)]) per year.
    hybrid_reduction: the council's reduction for hybrids (a fraction in
    rates.hybrid_reduction_range; from 2026 only at or below the CO₂
    limit). disability: 'grav' or 'accentuat' below
    rates.disability_cc_limit (from 2026). values: cc, groups, band_from,
    band_to, unit, column, hybrid_reduction, disability_reduction,
    months, tax."""
    if propulsion not in PROPULSIONS:
        raise RuleError('unknown_propulsion', propulsion=propulsion)
    units = units or {}
    values, trace = {}, [("Rule", "Codul fiscal art. 470: vehicle tax")]
    trace.append(("Category", category))
    if propulsion == ELECTRIC:
        annual = units.get(('electric', None), rates.electric)
        annual = _exact(_required(annual, "electric vehicle amount"))
        values['annual_amount'] = annual
        trace.append(("Propulsion", "electric"))
        trace.append(("Annual amount (lei)", annual))
        tax = _prorate(values, trace, annual, 1, months)
        return _finish(values, trace, tax)
    lowest, highest, unit = vehicle_band(category, cc, rates)
    groups = cc_groups(cc)
    values.update(cc=_exact(cc), groups=groups, band_from=lowest,
        band_to=highest)
    trace.append(("Capacity (cm³)", _exact(cc)))
    trace.append(("Band (cm³)", '%s–%s' % (
                '' if lowest is None else lowest + 1,
                '' if highest is None else highest)))
    trace.append(("Groups of 200 cm³", groups))
    unit = units.get((category, highest), unit)
    if isinstance(unit, dict):
        co2_low = (propulsion == HYBRID and rates.hybrid_co2_limit is not None
            and co2 is not None and _exact(co2) <= rates.hybrid_co2_limit)
        if propulsion == HYBRID and not co2_low:
            column = HYBRID
        else:
            column = euro_column(euro_norm)
        values['column'] = column
        trace.append(("Euro column", column))
        unit = unit.get(column)
    unit = _exact(_required(unit, "lei per 200 cm³", category=category,
            cc=cc))
    values['unit'] = unit
    trace.append(("Lei per 200 cm³", unit))
    tax = groups * unit
    trace.append(("Tax before reductions", tax))
    if propulsion == HYBRID and hybrid_reduction:
        if rates.hybrid_co2_limit is not None and (
                co2 is None or _exact(co2) > rates.hybrid_co2_limit):
            raise RuleError('hybrid_reduction_co2', co2=co2,
                limit=rates.hybrid_co2_limit)
        require_range(hybrid_reduction, *rates.hybrid_reduction_range,
            label="hybrid reduction")
        tax = _reduce(values, trace, tax, 'hybrid_reduction',
            "Hybrid reduction", hybrid_reduction)
    if disability:
        if rates.disability_cc_limit is None \
                or _exact(cc) >= rates.disability_cc_limit:
            raise RuleError('no_disability_reduction', disability=disability)
        tax = _disability(values, trace, tax, rates, disability)
    tax = _prorate(values, trace, tax, 1, months)
    return _finish(values, trace, tax)


def banded_vehicle_tax(value, bands, unit, rule, months=12):
    """Annual amount by band for trailers (by mass) and other tables the
    council loads (art. 470 (5)-(7)): bands ((highest value inclusive or
    None, lei per year), ...) in ascending order; value in unit (kg, t).
    values: value, band_to, annual_amount, months, tax."""
    values, trace = {}, [("Rule", rule), ("Value (%s)" % unit, value)]
    for highest, annual in bands:
        if highest is None or _exact(value) <= _exact(highest):
            break
    else:
        raise RuleError('no_band', value=value)
    values.update(value=_exact(value), band_to=highest,
        annual_amount=_exact(annual))
    trace.append(("Band up to (%s)" % unit,
            highest if highest is not None else "above"))
    trace.append(("Annual amount (lei)", annual))
    tax = _prorate(values, trace, _exact(annual), 1, months)
    return _finish(values, trace, tax)


def trailer_tax(mass_kg, bands, months=12):
    """Trailers, semi-trailers and caravans by authorised mass (art. 470
    (7)): bands ((highest kg inclusive or None, lei per year), ...) are
    the council's (ro.md: 9/34/52/64 lei for ≤ 1 t, 1–3 t, 3–5 t, > 5 t,
    UNVERIFIED)."""
    return banded_vehicle_tax(mass_kg, bands, 'kg',
        "Codul fiscal art. 470 (7): trailer", months=months)


def truck_tax(axles, mass, table, pneumatic=True, combination=False,
        months=12):
    """Trucks of 12 t or more and road combinations (art. 470 (5)-(6))

    table: ((axles, lowest t inclusive, highest t exclusive or None,
    lei with pneumatic suspension, lei with other suspension), ...), the
    council's (loaded from the code, MO 1160/2025 for 2026); mass in t.
    values: axles, mass, band_from, band_to, suspension, annual_amount,
    months, tax."""
    rule = ("Codul fiscal art. 470 (6): road combination" if combination
        else "Codul fiscal art. 470 (5): truck of 12 t or more")
    values, trace = {}, [("Rule", rule), ("Axles", axles),
        ("Authorised mass (t)", _exact(mass))]
    for row_axles, lowest, highest, air, other in table:
        if row_axles == axles and _exact(mass) >= _exact(lowest) and (
                highest is None or _exact(mass) < _exact(highest)):
            break
    else:
        raise RuleError('no_band', axles=axles, mass=mass)
    annual = _exact(_required(air if pneumatic else other, "truck amount",
            axles=axles, mass=mass))
    values.update(axles=axles, mass=_exact(mass), band_from=lowest,
        band_to=highest, suspension='pneumatic' if pneumatic else 'other',
        annual_amount=annual)
    trace.append(("Mass band (t)", '%s–%s' % (
                lowest, '' if highest is None else highest)))
    trace.append(("Suspension", values['suspension']))
    trace.append(("Annual amount (lei)", annual))
    tax = _prorate(values, trace, annual, 1, months)
    return _finish(values, trace, tax)


# Fees ----------------------------------------------------------------

def urbanism_certificate_fee(plot_area, amounts, rates, rural=False,
        extension=False):
    """Certificat de urbanism (art. 474 (1)-(4))

    plot_area: m²; amounts: the council's lei per band of rates.ranges,
    a tuple in the same order, each checked in its range; above
    rates.area_above m² the last amount + rates.per_m2_above lei per m²
    over it. rural: × rates.rural_factor; extension (prelungire):
    × rates.extension_factor of the initial fee. Whole lei. values:
    plot_area, band_to, band_amount, area_above, rural_factor,
    extension_factor, fee."""
    if len(amounts) != len(rates.ranges):
        raise RuleError('band_count', expected=len(rates.ranges))
    values, trace = {}, [("Rule", "Codul fiscal art. 474: certificat de "
            "urbanism")]
    area = _exact(plot_area)
    trace.append(("Plot area (m²)", area))
    for (highest, minimum, maximum), amount in zip(rates.ranges, amounts):
        require_range(amount, minimum, maximum, label="certificate fee")
        if highest is None or area <= highest:
            break
    values.update(plot_area=area, band_to=highest,
        band_amount=_exact(amount))
    trace.append(("Band up to (m²)", highest if highest is not None
            else "above"))
    trace.append(("Band amount (lei)", _exact(amount)))
    fee = _exact(amount)
    if highest is None and area > rates.area_above:
        above = area - rates.area_above
        values['area_above'] = above
        trace.append(("Area above %s m²" % rates.area_above, above))
        trace.append(("Lei per m² above", _exact(rates.per_m2_above)))
        fee += above * _exact(rates.per_m2_above)
    if rural:
        fee = _factor(values, trace, fee, 'rural_factor', "Rural factor",
            rates.rural_factor)
    if extension:
        fee = _factor(values, trace, fee, 'extension_factor',
            "Extension factor", rates.extension_factor)
    values['fee'] = fee
    amount = round_lei(fee)
    trace.append(("Amount (whole lei)", amount))
    return Result(amount, values, tuple(trace))


def _factor(values, trace, value, key, label, factor):
    factor = _exact(factor)
    values[key] = factor
    trace.append((label, factor))
    return value * factor


def construction_permit_fee(works_value, rates, residential=True,
        extension=False, demolition=False):
    """Autorizație de construire (art. 474 (5), (10)) or de desființare
    (art. 474 (15)): works_value lei × rates.residential_rate % (dwelling
    and its annexes) or rates.other_rate %; demolition: the taxable value
    × rates.demolition_rate %; extension: × rates.extension_factor.
    Whole lei. values: works_value, rate, extension_factor, fee."""
    rule = ("Codul fiscal art. 474: demolition permit" if demolition
        else "Codul fiscal art. 474: building permit")
    values, trace = {}, [("Rule", rule)]
    value = _exact(works_value)
    if demolition:
        rate = rates.demolition_rate
        trace.append(("Taxable value (lei)", value))
    else:
        rate = rates.residential_rate if residential else rates.other_rate
        trace.append(("Works value (lei)", value))
        trace.append(("Use", "residential" if residential else "other"))
    values.update(works_value=value, rate=_exact(rate))
    trace.append(("Rate (%)", rate))
    fee = value * _exact(rate) / 100
    if extension:
        fee = _factor(values, trace, fee, 'extension_factor',
            "Extension factor", rates.extension_factor)
    values['fee'] = fee
    amount = round_lei(fee)
    trace.append(("Amount (whole lei)", amount))
    return Result(amount, values, tuple(trace))


def construction_permit_regularisation(paid, final_value, rates,
        residential=True):
    """Regularisation at completion (art. 474 (6)-(9), detail UNVERIFIED):
    the fee on the final works value minus the fee paid; amount > 0 is
    owed, < 0 refunded. values: final_fee, paid, difference."""
    final = construction_permit_fee(final_value, rates, residential)
    difference = final.amount - Decimal(paid)
    values = dict(final.values, final_fee=final.amount, paid=_exact(paid),
        difference=_exact(difference))
    trace = final.trace + (("Fee paid", Decimal(paid)),
        ("Difference", difference))
    return Result(difference, values, trace)


# Tourist promotion tax -------------------------------------------------

def tourist_promotion_tax(accommodation_value, rate_percent, year, month,
        next_working_day, exempt_value=0, due_day=10):
    """Taxa specială de promovare turistică of a month (art. 484; ro.md
    §2.8, Năvodari 1 %): (accommodation price ex VAT of the month's
    nights − the exempt guests' part) × rate %, whole lei, due by the
    due_day of the following month (moved to a working day).
    values: accommodation_value, exempt_value, base, rate, tax."""
    values, trace = {}, [
        ("Rule", "Codul fiscal art. 484: tourist promotion tax"),
        ("Period", '%04d-%02d' % (year, month))]
    gross = _exact(accommodation_value)
    exempt = _exact(exempt_value)
    if exempt > gross or exempt < 0:
        raise RuleError('invalid_exempt_value', exempt=exempt_value)
    base = gross - exempt
    values.update(accommodation_value=gross, exempt_value=exempt,
        base=base, rate=_exact(rate_percent))
    trace.append(("Accommodation value ex VAT (lei)", gross))
    if exempt:
        trace.append(("Exempt guests (lei)", exempt))
    trace.append(("Base (lei)", base))
    trace.append(("Rate (%)", _exact(rate_percent)))
    statutory = (dt.date(year + 1, 1, due_day) if month == 12
        else dt.date(year, month + 1, due_day))
    due_date = shift(statutory, next_working_day)
    trace.append(("Due date", due_date))
    return _finish(values, trace, base * _exact(rate_percent) / 100,
        due_date=due_date)


# Schedules -----------------------------------------------------------

def split_instalments(amount, dates, next_working_day, remainder='first'):
    """Split whole lei into equal instalments on the statutory dates,
    the odd lei on the first (or 'last') one (UNVERIFIED which)"""
    if amount != amount.quantize(LEU):
        raise RuleError('not_whole_lei', amount=amount)
    if remainder not in {'first', 'last'}:
        raise ValueError("remainder must be 'first' or 'last'")
    count = len(dates)
    each, rest = divmod(int(amount), count)
    shares = [each] * count
    shares[0 if remainder == 'first' else -1] += rest
    return tuple(
        Instalment(number, Decimal(share), shift(date, next_working_day),
            date)
        for number, (date, share) in enumerate(zip(dates, shares), 1))


def bonus(amount, rate_percent, deadline, next_working_day, rates):
    """Bonificație of art. 462 (2), 467 (2), 472 (2): the council's rate,
    at most rates.bonus_maximum %, for the whole year paid by deadline.
    due = round_lei(amount × (1 − rate)); the bonificație is the rest."""
    require_range(rate_percent, 0, rates.bonus_maximum, label="bonificație")
    due = round_lei(_exact(amount) * (1 - _exact(rate_percent) / 100))
    return Bonus(Decimal(rate_percent), shift(deadline, next_working_day),
        Decimal(amount) - due, due)


def annual_schedule(result, year, next_working_day, rates,
        bonus_rate=None, cumulated=None, acquired=None, remainder='first'):
    """Add the instalments and the bonificație to an annual assessment

    result: a Result in whole lei. Deadlines rates.deadlines of year
    (31 March, 30 September), moved by next_working_day. An annual amount
    ≤ rates.small_amount (50 lei) is due at once by the first deadline
    (art. 462 (3)); cumulated: the total of the same tax type in the
    same budget when the payer has several assets (the threshold is
    tested on it). acquired: an asset acquired in the year is due on the
    deadlines after its acquisition (ro.md §2.1, re-spread); when none
    is left it raises RuleError('no_deadline_left') (ro.md gives no
    date; the caller sets one). bonus_rate: the council's
    bonificație %; it applies only when the first deadline is still
    open. Returns a Result with instalments and bonus, trace extended."""
    dates = [dt.date(year, m, d) for m, d in rates.deadlines]
    if acquired:
        dates = [d for d in dates if d > acquired]
        if not dates:
            raise RuleError('no_deadline_left', acquired=acquired)
    values = dict(result.values)
    trace = list(result.trace)
    small = Decimal(cumulated if cumulated is not None else result.amount)
    if small <= rates.small_amount and len(dates) > 1:
        values['small_amount'] = True
        trace.append(("At most %s lei: due at once" % rates.small_amount,
                small))
        dates = dates[:1]
    instalments = split_instalments(result.amount, dates, next_working_day,
        remainder=remainder)
    for instalment in instalments:
        trace.append(("Instalment %s" % instalment.number,
                '%s by %s' % (instalment.amount, instalment.due_date)))
    granted = None
    first = dt.date(year, *rates.deadlines[0])
    if bonus_rate and (acquired is None or acquired < first):
        granted = bonus(result.amount, bonus_rate, first, next_working_day,
            rates)
        values['bonus_rate'] = granted.rate
        values['bonus'] = granted.amount
        trace.append(("Bonificație %s %%" % granted.rate,
                '%s due by %s (bonificație %s)' % (
                    granted.due, granted.deadline, granted.amount)))
    return Result(result.amount, values, tuple(trace), parts=result.parts,
        instalments=instalments, bonus=granted, due_date=result.due_date)
