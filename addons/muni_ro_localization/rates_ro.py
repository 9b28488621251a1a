# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Statutory rate tables of the Codul fiscal, Titlul IX, by validity date.

Title IX changed three times for 2026 (domain/ro.md §0, §2.9): Legea
239/2025 (in force 18.12.2025, for the 2026 tax), OUG 78/2025 and an OUG
of 27.02.2026. Each table is a tuple of rate objects with `valid_from`
(inclusive) and `legal_basis`; `rates_for(table, date)` returns the one in
force on date. A value the sources do not give is None: the council's
decision (HCL) supplies it with `dataclasses.replace`, and a rule that
meets None raises RuleError('missing_rate'). Council levels (rates chosen
within ranges, indexed amounts, bonificație) are never here.
"""
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

D = Decimal

# Euro classes of the 2026 vehicle table (ro.md §2.5): one column for
# non-Euro up to Euro 3, one for each of Euro 4, 5 and 6, one for hybrids
# emitting more than 50 g CO₂/km.
EURO_3 = 'euro3'
EURO_4 = 'euro4'
EURO_5 = 'euro5'
EURO_6 = 'euro6'
HYBRID = 'hybrid'
EURO_COLUMNS = (EURO_3, EURO_4, EURO_5, EURO_6, HYBRID)

# Vehicle categories of art. 470 (2) that are taxed per 200 cm³
MOTORCYCLE = 'motorcycle'  # motorcycles, tricycles, quadricycles
CAR = 'car'
BUS = 'bus'  # buses, coaches, minibuses
MOTOR_VEHICLE = 'motor_vehicle'  # other motor vehicles up to 12 t
TRACTOR = 'tractor'  # registered tractors
REGISTERED = 'registered'  # vehicles registered (not licensed)


@dataclass(frozen=True)
class ResidentialRates:
    "Art. 457: natural persons' residential buildings"
    valid_from: dt.date
    legal_basis: str
    # type 'A'..'D' -> (lei/m² with water, sewage, electricity and
    # heating, lei/m² without); None where the source gives no value
    values: dict
    # rooms in a basement, demisol or attic: 'E' used as dwelling, 'F'
    # used otherwise, a fraction of the A–D value
    basement_factors: dict
    # (zone, rank) -> correction coefficient, art. 457 (6)
    coefficients: dict
    # ((lowest age, highest age or None, reduction), ...), ages in whole
    # years, bounds inclusive, checked in order; () when repealed
    age_reductions: tuple
    # art. 457 (7): apartment in a block of > 3 levels and > 8 flats;
    # None when repealed
    block_reduction: Decimal
    # art. 457 (1): the council's rate, in percent, within this range
    rate_range: tuple
    # art. 457 (5): useful area × factor when outer sizes are unknown
    useful_area_factor: Decimal = D('1.4')
    # value increase that makes a renovation "major" and resets the year
    renovation_threshold: Decimal = None
    # disability reductions ('grav', 'accentuat') of the Feb-2026 OUG
    disability_reductions: dict = field(default_factory=dict)


@dataclass(frozen=True)
class BuildingRates:
    "Art. 458–460: non-residential buildings and legal persons"
    valid_from: dt.date
    legal_basis: str
    # ranges (minimum %, maximum %) the council's rate must lie in
    natural_residential_range: tuple
    natural_nonresidential_range: tuple
    legal_residential_range: tuple
    legal_nonresidential_range: tuple
    # art. 458 (3) / 460: buildings used in agriculture (percent)
    agricultural_rate: Decimal
    # art. 458 (4): no value of the last 5 years: this % of the art. 457
    # value
    natural_fallback_rate: Decimal
    # art. 460 (8): legal persons' building not revalued in 5 years
    not_revalued_rate: Decimal
    # years within which a valuation, completion or acquisition counts
    valuation_years: int = 5


@dataclass(frozen=True)
class VehicleRates:
    "Art. 470: lei per 200 cm³ or fraction by category and capacity"
    valid_from: dt.date
    legal_basis: str
    # ((category, highest cm³ inclusive or None, amount), ...) checked in
    # order; amount is lei per 200 cm³, or a dict Euro column -> lei per
    # 200 cm³ (EURO_COLUMNS) from 2026; None where the source gives none
    bands: tuple
    # electric vehicles: lei per year; None where the council sets it
    electric: Decimal = None
    # hybrids: (lowest, highest) reduction the council may grant, as
    # fractions; from 2026 only for hybrids ≤ 50 g CO₂/km
    hybrid_reduction_range: tuple = (D(0), D(0))
    # from 2026: the CO₂ limit (g/km) below which the reduction applies
    hybrid_co2_limit: Decimal = None
    # disability reductions ('grav', 'accentuat') for one vehicle below
    # disability_cc_limit
    disability_reductions: dict = field(default_factory=dict)
    disability_cc_limit: int = None


@dataclass(frozen=True)
class UrbanismRates:
    "Art. 474 (1): certificat de urbanism in urban areas"
    valid_from: dt.date
    legal_basis: str
    # ((highest m² inclusive or None, minimum lei, maximum lei), ...)
    ranges: tuple
    # above the last limit: lei per m² over it, added to the last amount
    per_m2_above: Decimal
    area_above: int
    rural_factor: Decimal
    extension_factor: Decimal
    commission_maximum: Decimal


@dataclass(frozen=True)
class PermitRates:
    "Art. 474: autorizație de construire and de desființare"
    valid_from: dt.date
    legal_basis: str
    residential_rate: Decimal  # percent of the works value
    other_rate: Decimal  # percent of the works value
    demolition_rate: Decimal  # percent of the taxable value
    extension_factor: Decimal


@dataclass(frozen=True)
class ScheduleRates:
    "Art. 462, 467, 472: deadlines, small amounts and the bonificație"
    valid_from: dt.date
    legal_basis: str
    # (month, day) of each instalment
    deadlines: tuple
    small_amount: Decimal
    bonus_maximum: Decimal  # percent


@dataclass(frozen=True)
class LatePaymentRates:
    "Codul de procedură fiscală art. 183: majorări, local budgets"
    valid_from: dt.date
    legal_basis: str
    rate: Decimal  # percent per month or fraction of a month


_COEFFICIENTS = {
    (zone, rank): D(value)
    for zone, row in (
        ('A', ('2.60', '2.50', '2.40', '2.30', '1.10', '1.05')),
        ('B', ('2.50', '2.40', '2.30', '2.20', '1.05', '1.00')),
        ('C', ('2.40', '2.30', '2.20', '2.10', '1.00', '0.95')),
        ('D', ('2.30', '2.20', '2.10', '2.00', '0.95', '0.90')),
        )
    for rank, value in zip(range(6), row)}

_BASEMENT = {'E': D('0.75'), 'F': D('0.50')}

TABLES = {
    'building_residential': (
        ResidentialRates(
            dt.date(2016, 1, 1),
            "Codul fiscal art. 457 (Legea 227/2015), code base values",
            values={
                'A': (D(1000), D(600)), 'B': (D(300), D(200)),
                'C': (D(200), D(175)), 'D': (D(125), D(75))},
            basement_factors=_BASEMENT,
            coefficients=_COEFFICIENTS,
            # art. 457 (8) as quoted in ro.md §2.2: 30–50 years
            # inclusive, 50–100 inclusive, over 100; age 50 is read in
            # the lower band, the one that names it first
            age_reductions=(
                (101, None, D('0.50')),
                (51, 100, D('0.30')),
                (30, 50, D('0.10'))),
            block_reduction=D('0.10'),
            rate_range=(D('0.08'), D('0.2')),
            renovation_threshold=D('0.25')),
        ResidentialRates(
            dt.date(2025, 1, 1),
            "Codul fiscal art. 457, values indexed by art. 491 "
            "(as in HCL Dor Mărunt 75/2024)",
            values={
                'A': (D(1492), D(894)), 'B': (D(447), D(299)),
                'C': (None, None), 'D': (None, None)},
            basement_factors=_BASEMENT,
            coefficients=_COEFFICIENTS,
            age_reductions=(
                (101, None, D('0.50')),
                (51, 100, D('0.30')),
                (30, 50, D('0.10'))),
            block_reduction=D('0.10'),
            rate_range=(D('0.08'), D('0.2')),
            renovation_threshold=D('0.25')),
        ResidentialRates(
            dt.date(2026, 1, 1),
            "Codul fiscal art. 457 as amended by Legea 239/2025 "
            "(art. 457 (7)-(8) repealed)",
            values={
                'A': (D(2677), None), 'B': (D(803), None),
                'C': (None, None), 'D': (None, None)},
            basement_factors=_BASEMENT,
            coefficients=_COEFFICIENTS,
            age_reductions=(),
            block_reduction=None,
            rate_range=(D('0.08'), D('0.2'))),
        ResidentialRates(
            # adoption date; the publication date was not found
            dt.date(2026, 2, 27),
            "Codul fiscal art. 457 as amended by the OUG of 27.02.2026 "
            "(age and disability reductions)",
            values={
                'A': (D(2677), None), 'B': (D(803), None),
                'C': (None, None), 'D': (None, None)},
            basement_factors=_BASEMENT,
            coefficients=_COEFFICIENTS,
            age_reductions=(
                (101, None, D('0.25')),
                (50, 100, D('0.15'))),
            block_reduction=None,
            rate_range=(D('0.08'), D('0.2')),
            renovation_threshold=D('0.50'),
            disability_reductions={
                'grav': D('0.50'), 'accentuat': D('0.25')}),
        ),
    'building': (
        BuildingRates(
            dt.date(2016, 1, 1),
            "Codul fiscal art. 458-460 (Legea 227/2015)",
            natural_residential_range=(D('0.08'), D('0.2')),
            natural_nonresidential_range=(D('0.2'), D('1.3')),
            legal_residential_range=(D('0.08'), D('0.2')),
            legal_nonresidential_range=(D('0.2'), D('1.3')),
            agricultural_rate=D('0.4'),
            natural_fallback_rate=D('2'),
            not_revalued_rate=D('5')),
        ),
    'vehicle': (
        VehicleRates(
            dt.date(2016, 1, 1),
            "Codul fiscal art. 470 (2) (Legea 227/2015), code base levels",
            bands=(
                (MOTORCYCLE, 1600, D(8)),
                (MOTORCYCLE, None, D(9)),
                (CAR, 1600, D(8)),
                (CAR, 2000, D(18)),
                (CAR, 2600, D(72)),
                (CAR, 3000, D(144)),
                (CAR, None, D(290)),
                (BUS, None, D(24)),
                (MOTOR_VEHICLE, None, D(30)),
                (TRACTOR, None, D(18)),
                (REGISTERED, 4800, None),
                (REGISTERED, None, None)),
            hybrid_reduction_range=(D('0.50'), D('1'))),
        VehicleRates(
            dt.date(2026, 1, 1),
            "Codul fiscal art. 470 (2) as amended by Legea 239/2025 "
            "and OUG 78/2025 (by Euro norm)",
            bands=(
                (MOTORCYCLE, 1600, {
                        EURO_3: D('19.5'), EURO_4: D('18.8'),
                        EURO_5: D('17.6'), EURO_6: D('16.5'),
                        HYBRID: D('16.5')}),
                (MOTORCYCLE, None, {
                        EURO_3: None, EURO_4: None, EURO_5: None,
                        EURO_6: None, HYBRID: D('18.4')}),
                (CAR, 1600, {
                        EURO_3: D('19.5'), EURO_4: D('18.8'),
                        EURO_5: D('17.6'), EURO_6: D('16.5'),
                        HYBRID: D('16.5')}),
                (CAR, 2000, {
                        EURO_3: D('29.7'), EURO_4: D('28.5'),
                        EURO_5: D('26.7'), EURO_6: D('25.1'),
                        HYBRID: D('24.6')}),
                (CAR, 2600, {
                        EURO_3: D('92.2'), EURO_4: D('88.6'),
                        EURO_5: D('82.8'), EURO_6: D('77.8'),
                        HYBRID: D('76.3')}),
                (CAR, 3000, {
                        EURO_3: D('182.9'), EURO_4: D('172.8'),
                        EURO_5: D('154.1'), EURO_6: D('151.2'),
                        HYBRID: D('149.8')}),
                # ro.md §2.5: "up to 319" is the highest column
                (CAR, None, {
                        EURO_3: D('319'), EURO_4: None, EURO_5: None,
                        EURO_6: None, HYBRID: D('275.5')}),
                (BUS, None, None),
                (MOTOR_VEHICLE, None, None),
                (TRACTOR, None, None),
                (REGISTERED, 4800, None),
                (REGISTERED, None, None)),
            electric=D(40),
            hybrid_reduction_range=(D(0), D('0.30')),
            hybrid_co2_limit=D(50),
            disability_reductions={
                'grav': D('0.50'), 'accentuat': D('0.25')},
            disability_cc_limit=2000),
        ),
    'urbanism_certificate': (
        UrbanismRates(
            dt.date(2016, 1, 1),
            "Codul fiscal art. 474 (1)-(4)",
            ranges=(
                (150, D(5), D(6)),
                (250, D(6), D(7)),
                (500, D(7), D(9)),
                (750, D(9), D(12)),
                (1000, D(12), D(14)),
                (None, D(14), D(14))),
            per_m2_above=D('0.01'),
            area_above=1000,
            rural_factor=D('0.50'),
            extension_factor=D('0.30'),
            commission_maximum=D(15)),
        ),
    'construction_permit': (
        PermitRates(
            dt.date(2016, 1, 1),
            "Codul fiscal art. 474 (5), (10), (15)",
            residential_rate=D('0.5'),
            other_rate=D('1'),
            demolition_rate=D('0.1'),
            extension_factor=D('0.30')),
        ),
    'schedule': (
        ScheduleRates(
            dt.date(2016, 1, 1),
            "Codul fiscal art. 462, 467, 472",
            deadlines=((3, 31), (9, 30)),
            small_amount=D(50),
            bonus_maximum=D(10)),
        ),
    'late_payment': (
        LatePaymentRates(
            dt.date(2010, 7, 1), "OUG 39/2010 (OG 92/2003 art. 121^1)",
            rate=D(2)),
        LatePaymentRates(
            dt.date(2016, 1, 1), "Codul de procedură fiscală art. 183 (2)",
            rate=D(1)),
        ),
    }


def rates_for(table, date):
    """Return the rates of table (a key of TABLES) in force on date

    For an annual tax pass 1 January of the tax year, or the day of the
    assessment for a recomputation under a later act. Raises
    RuleError('no_rates', table, date) when none was in force."""
    from .rules import RuleError
    try:
        versions = TABLES[table]
    except KeyError:
        raise RuleError('unknown_table', table=table)
    found = None
    for rates in versions:
        if rates.valid_from <= date:
            found = rates
    if found is None:
        raise RuleError('no_rates', table=table, date=date)
    return found
