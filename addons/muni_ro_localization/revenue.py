# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import dataclasses
import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

from trytond.i18n import gettext
from trytond.pool import PoolMeta

from muni_finance.assessment import exact_decimal as _decimal
from muni_finance.assessment import message, token
from muni_finance.exceptions import AssessmentError

from . import rates_ro, rules

MODULE = 'muni_ro_localization'
ROMAN = ['0', 'I', 'II', 'III', 'IV', 'V']
# The use categories of land of the tax object, as rules.py names them
LAND_CATEGORIES = {
    'buildings': 'constructions',
    'arable': 'arabil',
    'pasture': 'pasune',
    'hayfield': 'faneata',
    'vineyard': 'vie',
    'orchard': 'livada',
    'forest': 'padure',
    'water': 'ape',
    'unproductive': 'neproductiv',
    }
VEHICLE_CATEGORIES = {
    'motorcycle': rates_ro.MOTORCYCLE,
    'car': rates_ro.CAR,
    'bus': rates_ro.BUS,
    'motor_vehicle': rates_ro.MOTOR_VEHICLE,
    'tractor': rates_ro.TRACTOR,
    }
EURO_NORMS = {'none': 0, '4': 4, '5': 5, '6': 6}

# The labels of rules.py's traces, translated for the clerk who reads them
TRACE_LABELS = {
    'Rule': 'msg_trace_rule',
    'Built area (m²)': 'msg_trace_built_area',
    'Useful area (m²)': 'msg_trace_useful_area',
    'Useful area factor': 'msg_trace_useful_area_factor',
    'Building type': 'msg_trace_building_type',
    'Utilities': 'msg_trace_utilities',
    'Value per m² (lei)': 'msg_trace_value_per_m2',
    'Zone': 'msg_trace_zone',
    'Rank': 'msg_trace_rank',
    'Correction coefficient': 'msg_trace_coefficient',
    'Block reduction of the coefficient': 'msg_trace_block_reduction',
    'Coefficient applied': 'msg_trace_coefficient_applied',
    'Taxable value (lei)': 'msg_trace_taxable_value',
    'Age (years)': 'msg_trace_age',
    'Age reduction': 'msg_trace_age_reduction',
    'Value after age reduction (lei)': 'msg_trace_value_after_age',
    'Rate (%)': 'msg_trace_rate',
    'Tax before reductions': 'msg_trace_tax_before_reductions',
    'Ownership share': 'msg_trace_share',
    'Months': 'msg_trace_months',
    'Amount (whole lei)': 'msg_trace_amount',
    'Value source': 'msg_trace_value_source',
    'Agricultural use': 'msg_trace_agricultural',
    'Residential part': 'msg_trace_residential_part',
    'Non-residential part': 'msg_trace_non_residential_part',
    'Value of year': 'msg_trace_value_year',
    'Area (m²)': 'msg_trace_area_m2',
    'Area (ha)': 'msg_trace_area_ha',
    'Category': 'msg_trace_category',
    'Amount per ha (lei)': 'msg_trace_amount_per_ha',
    'Rank coefficient': 'msg_trace_rank_coefficient',
    'Coefficient': 'msg_trace_land_coefficient',
    'Capacity (cm³)': 'msg_trace_capacity',
    'Band (cm³)': 'msg_trace_band',
    'Groups of 200 cm³': 'msg_trace_groups',
    'Euro column': 'msg_trace_euro_column',
    'Lei per 200 cm³': 'msg_trace_unit',
    'Hybrid reduction': 'msg_trace_hybrid_reduction',
    'Propulsion': 'msg_trace_propulsion',
    'Annual amount (lei)': 'msg_trace_annual_amount',
    'Axles': 'msg_trace_axles',
    'Authorised mass (t)': 'msg_trace_mass',
    'Mass band (t)': 'msg_trace_mass_band',
    'Suspension': 'msg_trace_suspension',
    }
# The labels of rules.py with a value inside, as a message with arguments
TRACE_PATTERNS = [
    (re.compile(r'Basement or attic \((?P<part>\w+)\) factor'),
        'msg_trace_basement_factor'),
    (re.compile(r'Disability reduction \((?P<degree>\w+)\)'),
        'msg_trace_disability_reduction'),
    (re.compile(r'Revalued in the last (?P<years>\d+) years'),
        'msg_trace_revalued'),
    (re.compile(r'Value \((?P<unit>.+)\)'), 'msg_trace_value_unit'),
    (re.compile(r'Band up to \((?P<unit>.+)\)'), 'msg_trace_band_up_to'),
    ]
# The schedule's lines of rules.annual_schedule: written again from its
# instalments and bonificație, with their dates and amounts as tokens
SCHEDULE_LABELS = re.compile(r'^(Instalment \d+|At most .* due at once'
    r'|Bonificație .*)$')
# The fixed values of rules.py's traces
TRACE_VALUES = {
    'yes': 'msg_trace_yes',
    'no': 'msg_trace_no',
    'above': 'msg_trace_above',
    'electric': 'msg_trace_electric',
    'pneumatic': 'msg_trace_pneumatic',
    'other': 'msg_trace_other_suspension',
    'Codul fiscal art. 457: residential building, natural person':
        'msg_trace_rule_residential',
    'Codul fiscal art. 458: non-residential building, natural person':
        'msg_trace_rule_non_residential',
    'Codul fiscal art. 459: mixed building': 'msg_trace_rule_mixed',
    'Codul fiscal art. 460: building of a legal person':
        'msg_trace_rule_legal',
    'Codul fiscal art. 465: land in the built-up area':
        'msg_trace_rule_intravilan',
    'Codul fiscal art. 465 (7): land outside the built-up area':
        'msg_trace_rule_extravilan',
    'Codul fiscal art. 470: vehicle tax': 'msg_trace_rule_vehicle',
    'Codul fiscal art. 470 (7): trailer': 'msg_trace_rule_trailer',
    'Codul fiscal art. 470 (5): truck of 12 t or more':
        'msg_trace_rule_truck',
    rates_ro.EURO_3: 'msg_trace_euro_3',
    rates_ro.EURO_4: 'msg_trace_euro_4',
    rates_ro.EURO_5: 'msg_trace_euro_5',
    rates_ro.EURO_6: 'msg_trace_euro_6',
    rates_ro.HYBRID: 'msg_trace_hybrid',
    rates_ro.MOTORCYCLE: 'msg_trace_motorcycle',
    rates_ro.CAR: 'msg_trace_car',
    rates_ro.BUS: 'msg_trace_bus',
    rates_ro.MOTOR_VEHICLE: 'msg_trace_motor_vehicle',
    rates_ro.TRACTOR: 'msg_trace_tractor',
    'constructions': 'msg_trace_land_constructions',
    'arabil': 'msg_trace_land_arable',
    'pasune': 'msg_trace_land_pasture',
    'faneata': 'msg_trace_land_hayfield',
    'vie': 'msg_trace_land_vineyard',
    'livada': 'msg_trace_land_orchard',
    'padure': 'msg_trace_land_forest',
    'ape': 'msg_trace_land_water',
    'neproductiv': 'msg_trace_land_unproductive',
    }
# How the values of rules.py's traces read, by their label
AMOUNT_LABELS = {
    'Value per m² (lei)', 'Taxable value (lei)',
    'Value after age reduction (lei)', 'Tax before reductions',
    'Amount (whole lei)', 'Amount per ha (lei)', 'Lei per 200 cm³',
    'Annual amount (lei)', 'Residential part', 'Non-residential part',
    }
TEXT_LABELS = {
    'Rule', 'Building type', 'Utilities', 'Zone', 'Category', 'Band (cm³)',
    'Euro column', 'Propulsion', 'Mass band (t)', 'Suspension',
    'Agricultural use', 'Value of year'}
# Keys of the council's rate tables (HCL)
VALUE_KEY = re.compile(r'^value_(?P<type>[A-D])_(?P<column>with|without)$')
TRUCK_KEY = re.compile(r'^truck_(?P<axles>\d+)_(?P<lowest>\d+)_'
    r'(?P<highest>\d+|over)_(?P<suspension>air|other)$')
TRAILER_KEY = re.compile(r'^trailer_(?P<highest>\d+|over)$')
CC_KEY = re.compile(r'^cc_(?P<category>[a-z_]+?)_(?P<highest>\d+|over)$')


class RevenueType(metaclass=PoolMeta):
    __name__ = 'muni.revenue.type'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.calculator.selection += [
            ('ro_building_natural',
                "Romania: Building Tax, Natural Persons (art. 457-459)"),
            ('ro_building_legal',
                "Romania: Building Tax, Legal Persons (art. 460)"),
            ('ro_land_natural',
                "Romania: Land Tax in the Built-Up Area, Natural Persons "
                "(art. 465)"),
            ('ro_land_legal',
                "Romania: Land Tax in the Built-Up Area, Legal Persons "
                "(art. 465)"),
            ('ro_land_extravilan',
                "Romania: Land Tax outside the Built-Up Area (art. 465)"),
            ('ro_vehicle_natural',
                "Romania: Vehicle Tax, Natural Persons (art. 470)"),
            ('ro_vehicle_legal',
                "Romania: Vehicle Tax, Legal Persons (art. 470)"),
            ]

    def _compute_ro_building_natural(self, object_, owner, rates):
        if not _is_building(object_, 'natural'):
            return
        return self._ro_building(object_, owner, rates)

    def _compute_ro_building_legal(self, object_, owner, rates):
        if not _is_building(object_, 'legal'):
            return
        return self._ro_building(object_, owner, rates)

    def _compute_ro_land_natural(self, object_, owner, rates):
        if not _is_land(object_, 'natural', 'intravilan'):
            return
        return self._ro_land(object_, owner, rates)

    def _compute_ro_land_legal(self, object_, owner, rates):
        if not _is_land(object_, 'legal', 'intravilan'):
            return
        return self._ro_land(object_, owner, rates)

    def _compute_ro_land_extravilan(self, object_, owner, rates):
        if not _is_land(object_, None, 'extravilan'):
            return
        return self._ro_land(object_, owner, rates)

    def _compute_ro_vehicle_natural(self, object_, owner, rates):
        if not _is_vehicle(object_, 'natural'):
            return
        return self._ro_vehicle(object_, owner, rates)

    def _compute_ro_vehicle_legal(self, object_, owner, rates):
        if not _is_vehicle(object_, 'legal'):
            return
        return self._ro_vehicle(object_, owner, rates)

    def _ro_building(self, object_, owner, rates):
        year = rates.year
        months = _months(rates, owner)
        if not months:
            return
        law = _law(rates, 'building_residential')
        building = _law(rates, 'building')
        use = object_.ro_building_use
        share = owner.share
        with _rule_errors(object_):
            if object_.ro_owner_kind == 'legal':
                if object_.ro_value is None or object_.ro_value_year is None:
                    raise AssessmentError(gettext(
                            f'{MODULE}.msg_object_no_value',
                            object=object_.rec_name))
                key = ('rate_residential' if use == 'residential'
                    else 'rate_non_residential')
                result = rules.legal_person_building_tax(
                    object_.ro_value, _rate(rates, key), building,
                    year, object_.ro_value_year,
                    residential=use == 'residential', share=share,
                    months=months)
                base = object_.ro_value
            elif use == 'mixed' and object_.ro_non_residential_area:
                other = object_.ro_non_residential_area
                if other >= object_.ro_area:
                    raise AssessmentError(gettext(
                            f'{MODULE}.msg_object_mixed_area',
                            object=object_.rec_name))
                residential = self._ro_residential(
                    object_, object_.ro_area - other, law, rates, share,
                    months)
                non_residential = self._ro_non_residential(
                    object_, other, law, building, rates, share, months)
                result = rules.mixed_building_tax(
                    residential, non_residential)
                base = rules.round_cent(
                    residential.values['taxable_value']
                    + non_residential.values['taxable_value'])
            elif use == 'non_residential':
                result = self._ro_non_residential(
                    object_, object_.ro_area, law, building, rates, share,
                    months)
                base = rules.round_cent(result.values['taxable_value'])
            else:
                # a mixed building whose parts cannot be told apart is
                # taxed as the dwelling of its owner (art. 459 (3))
                result = self._ro_residential(
                    object_, object_.ro_area, law, rates, share, months)
                base = rules.round_cent(result.values['taxable_value'])
        return self._ro_result(object_, owner, rates, result, base)

    @staticmethod
    def _ro_taxable_value(object_, area, law):
        part = {
            'basement_dwelling': 'E',
            'basement_other': 'F',
            }.get(object_.ro_building_part)
        if not object_.ro_zone or object_.ro_rank is None:
            raise AssessmentError(gettext(
                    f'{MODULE}.msg_object_no_zone',
                    object=object_.rec_name))
        return rules.building_taxable_value(
            area, object_.ro_building_type, bool(object_.ro_utilities),
            object_.ro_zone, ROMAN.index(object_.ro_rank), law,
            basement=part)

    def _ro_residential(self, object_, area, law, rates, share, months):
        taxable = self._ro_taxable_value(object_, area, law)
        age = None
        if object_.ro_construction_year:
            age = rules.building_age(
                rates.year, object_.ro_construction_year)
        return rules.residential_building_tax(
            taxable, _rate(rates, 'rate_residential'), law, age=age,
            share=share, months=months)

    def _ro_non_residential(
            self, object_, area, law, building, rates, share, months):
        return rules.nonresidential_building_tax(
            _rate(rates, 'rate_non_residential'), building,
            rates.year, value=object_.ro_value,
            value_year=object_.ro_value_year, value_source='valuation',
            fallback_value=self._ro_taxable_value(object_, area, law),
            share=share, months=months)

    def _ro_land(self, object_, owner, rates):
        months = _months(rates, owner)
        if not months:
            return
        council = _council(rates)
        category = LAND_CATEGORIES[object_.ro_land_category]
        area = object_.ro_land_area
        with _rule_errors(object_):
            if object_.ro_land_location == 'extravilan':
                result = rules.land_tax_extravilan(
                    area, category, council['extravilan'],
                    _rate(rates, 'extravilan_coefficient', default=1),
                    share=owner.share, months=months)
            else:
                if not object_.ro_zone or object_.ro_rank is None:
                    raise AssessmentError(gettext(
                            f'{MODULE}.msg_object_no_zone',
                            object=object_.rec_name))
                result = rules.land_tax_intravilan(
                    area, object_.ro_zone, ROMAN.index(object_.ro_rank),
                    council['land'], category=category,
                    rank_coefficients=council['rank_coefficients'],
                    share=owner.share, months=months)
        return self._ro_result(object_, owner, rates, result, area)

    def _ro_vehicle(self, object_, owner, rates):
        months = _months(rates, owner)
        if not months:
            return
        council = _council(rates)
        kind = object_.ro_vehicle_kind
        with _rule_errors(object_):
            if kind == 'trailer':
                result = rules.trailer_tax(
                    object_.ro_max_mass, council['trailer'], months=months)
                base = object_.ro_max_mass
            elif kind == 'truck':
                result = rules.truck_tax(
                    object_.ro_axles,
                    Decimal(object_.ro_max_mass) / 1000, council['truck'],
                    pneumatic=bool(object_.ro_air_suspension),
                    months=months)
                base = object_.ro_max_mass
            else:
                law = _law(rates, 'vehicle')
                result = rules.vehicle_tax(
                    VEHICLE_CATEGORIES[kind], object_.ro_engine_cc, law,
                    euro_norm=EURO_NORMS.get(object_.ro_euro_norm or 'none'),
                    propulsion=object_.ro_propulsion or rules.THERMAL,
                    co2=object_.ro_co2, units=council['units'],
                    hybrid_reduction=_rate(
                        rates, 'hybrid_reduction', default=0),
                    months=months)
                base = object_.ro_engine_cc
        if owner.share != 1:
            # a vehicle's tax is owed by each co-owner for the share
            amount = rules.round_lei(result.amount * owner.share)
            result = dataclasses.replace(result, amount=amount,
                trace=result.trace + (
                    ("Ownership share", Fraction(owner.share)),
                    ("Amount (whole lei)", amount)))
        return self._ro_result(object_, owner, rates, result, base)

    def _ro_result(self, object_, owner, rates, result, base,
            cumulated=None):
        """The values of the assessment: the rule's trace with the
        instalments and the bonificație of the year, as tokens.

        An asset acquired during the year is due at the deadlines after its
        acquisition (ro.md §2.1), without bonificație when the first one is
        past; acquired after the last one, it is due by 31 December, as
        the engine's table without instalments (ro.md gives no date).
        cumulated: the payer's total of the same tax in the municipality,
        on which the 50 lei are tested (art. 462 (3)): the levy gives it
        (LevyBatch._schedule_ro), which calls 'ro_reschedule' of the
        values with it."""
        table = rates.table
        company = table.company
        schedule = _law(rates, 'schedule')
        bonus_rate = (table.discount_rate * 100
            if table.discount_rate else None)
        acquired = owner.start_date
        if acquired and acquired.year != rates.year:
            acquired = None
        if acquired and all(dt.date(rates.year, *d) <= acquired
                for d in schedule.deadlines):
            schedule = dataclasses.replace(schedule, deadlines=((12, 31),))
            bonus_rate = None
        prorated = result
        # the rule's trace, then the schedule's lines: the same for every
        # assessment of the same amount, made once per rate table
        trace = [[_label_token(label), _value_token(label, value)]
            for label, value in prorated.trace]
        schedules = rates.__dict__.setdefault('_ro_schedules', {})
        key = (prorated.amount, acquired, cumulated)
        if key not in schedules:
            with _rule_errors(object_):
                result = rules.annual_schedule(
                    rules.Result(prorated.amount), rates.year,
                    _calendar(company, rates), schedule,
                    bonus_rate=bonus_rate, cumulated=cumulated,
                    acquired=acquired)
            schedules[key] = (result, self._ro_schedule_trace(
                    result, schedule))
        result, lines = schedules[key]
        trace.extend(lines)
        cent = rules.CENT
        return {
            'base': base,
            'amount': result.amount.quantize(cent),
            'trace': trace,
            'formulas': _formulas(prorated),
            'ro_tax': RO_TAXES.get(self.calculator),
            'ro_small': bool(result.values.get('small_amount')),
            'ro_instalments': [(i.due_date, i.amount.quantize(cent))
                for i in result.instalments],
            'ro_reschedule': lambda cumulated: self._ro_result(
                object_, owner, rates, prorated, base, cumulated=cumulated),
            }


    @staticmethod
    def _ro_schedule_trace(result, schedule):
        "The trace's lines of the instalments and bonificație of result"
        trace = []
        if result.values.get('small_amount'):
            trace.append([
                    message(f'{MODULE}.msg_trace_small_amount',
                        limit=token('amount', schedule.small_amount)),
                    token('amount', result.amount)])
        for instalment in result.instalments:
            trace.append([
                    message(f'{MODULE}.msg_trace_instalment',
                        number=str(instalment.number)),
                    message(f'{MODULE}.msg_trace_due_by',
                        amount=token('amount', instalment.amount),
                        date=token('date', instalment.due_date))])
        if result.bonus:
            trace.append([
                    message(f'{MODULE}.msg_trace_bonus',
                        rate=token('percent', result.bonus.rate)),
                    message(f'{MODULE}.msg_trace_bonus_due',
                        amount=token('amount', result.bonus.due),
                        date=token('date', result.bonus.deadline),
                        bonus=token('amount', result.bonus.amount))])
        return trace

# The tax of each calculator: the 50 lei are tested on a payer's total of
# the same tax (art. 462 (3), 467 (3), 472 (3)), all his land, in or
# outside the built-up area, together
RO_TAXES = {
    'ro_building_natural': 'building',
    'ro_building_legal': 'building',
    'ro_land_natural': 'land',
    'ro_land_legal': 'land',
    'ro_land_extravilan': 'land',
    'ro_vehicle_natural': 'vehicle',
    'ro_vehicle_legal': 'vehicle',
    }


# The levy asks each revenue type in turn about the same object: what the
# object is, read once
_last = (None, None)


def _what(object_):
    """(kind, property kind, owner kind, land location) of the object"""
    global _last
    last, values = _last
    if last is not object_:
        values = (object_.kind, object_.ro_property_kind,
            object_.ro_owner_kind, object_.ro_land_location)
        _last = (object_, values)
    return values


def _is_building(object_, owner_kind):
    kind, property_kind, owner, _ = _what(object_)
    return (kind == 'property' and property_kind == 'building'
        and owner == owner_kind)


def _is_land(object_, owner_kind, location):
    kind, property_kind, owner, land_location = _what(object_)
    return (kind == 'property' and property_kind == 'land'
        and land_location == location
        and (owner_kind is None or owner == owner_kind))


def _is_vehicle(object_, owner_kind):
    kind, _, owner, _ = _what(object_)
    return kind == 'vehicle' and owner == owner_kind


def _law(rates, name):
    """The law's table in force on 1 January of the year of the rates,
    with the values per m² the council's decision supplies"""
    laws = _council(rates)['laws']
    if name not in laws:
        law = rates_ro.rates_for(name, dt.date(rates.year, 1, 1))
        values = _council(rates)['values']
        if name == 'building_residential' and values:
            values = dict(law.values)
            for type_, (with_, without) in _council(rates)[
                    'values'].items():
                old_with, old_without = values.get(type_, (None, None))
                values[type_] = (
                    with_ if with_ is not None else old_with,
                    without if without is not None else old_without)
            law = dataclasses.replace(law, values=values)
        laws[name] = law
    return laws[name]


def _rate(rates, key, default=None):
    """The council's level of the key: the municipality's, the same for
    all its zones (the zone's coefficient is the law's)"""
    value = _council(rates)['levels'].get(key, default)
    if value is None:
        return rates.get(key)
    return value


def _months(rates, owner):
    "The months of the year the owner owes (art. 461, 466, 471)"
    return rules.months_owed(rates.year, owner.start_date, owner.end_date)


def _calendar(company, rates):
    """The company's next working day, remembered for the rate table: a
    levy asks it for the same deadlines of every object"""
    cache = rates.__dict__.setdefault('_ro_working_days', {})

    def next_working_day(date):
        if date not in cache:
            cache[date] = company.next_working_day(date)
        return cache[date]
    return next_working_day


def _council(rates):
    """The council's levels of the rate table (HCL) by what the rules
    read, parsed once per table"""
    cached = getattr(rates, '_ro_council', None)
    if cached is not None:
        return cached
    council = {
        'laws': {}, 'levels': {}, 'values': {}, 'land': {},
        'rank_coefficients': {},
        'extravilan': {}, 'units': {}, 'trailer': [], 'truck': []}
    for line in rates.table.lines:
        if line.zone or line.settlement:
            continue
        key, value = line.key, line.value
        council['levels'][key] = value
        if match := VALUE_KEY.match(key):
            with_, without = council['values'].get(
                match['type'], (None, None))
            if match['column'] == 'with':
                with_ = value
            else:
                without = value
            council['values'][match['type']] = (with_, without)
        elif key.startswith('land_constructions_'):
            # land_constructions_<zone>_<rank>
            _, _, zone, rank = key.split('_')
            council['land'][(zone, int(rank))] = value
        elif key.startswith('land_'):
            # land_<category>_<zone>
            _, category, zone = key.split('_')
            council['land'][(category, zone)] = value
        elif key.startswith('rank_coefficient_'):
            council['rank_coefficients'][int(key.rsplit('_', 1)[1])] = value
        elif key.startswith('extravilan_') and key != (
                'extravilan_coefficient'):
            council['extravilan'][key[len('extravilan_'):]] = value
        elif key == 'electric':
            council['units'][('electric', None)] = value
        elif match := CC_KEY.match(key):
            highest = match['highest']
            council['units'][(match['category'],
                    None if highest == 'over' else int(highest))] = value
        elif match := TRAILER_KEY.match(key):
            highest = match['highest']
            council['trailer'].append(
                (None if highest == 'over' else int(highest), value))
        elif match := TRUCK_KEY.match(key):
            council['truck'].append((match['suspension'], int(match['axles']),
                    Decimal(match['lowest']),
                    None if match['highest'] == 'over'
                    else Decimal(match['highest']), value))
    council['trailer'].sort(key=lambda b: (b[0] is None, b[0] or 0))
    trucks = {}
    for suspension, axles, lowest, highest, value in council['truck']:
        row = trucks.setdefault((axles, lowest, highest), {})
        row[suspension] = value
    council['truck'] = tuple(
        (axles, lowest, highest, row.get('air'), row.get('other'))
        for (axles, lowest, highest), row in sorted(
            trucks.items(), key=lambda r: (r[0][0], r[0][1])))
    council['trailer'] = tuple(council['trailer'])
    rates._ro_council = council
    return council


class _rule_errors:
    "Turn the errors of the rules into the clerk's messages"

    def __init__(self, object_):
        self.object = object_

    def __enter__(self):
        return self

    def __exit__(self, type_, value, traceback):
        if isinstance(value, rules.RuleError):
            params = ', '.join(
                f'{k}={v}' for k, v in sorted(value.params.items()))
            msg_id = {
                'missing_rate': 'msg_rule_missing_rate',
                'out_of_range': 'msg_rule_out_of_range',
                'no_band': 'msg_rule_no_band',
                'missing_euro_norm': 'msg_rule_missing_euro_norm',
                'unknown_zone': 'msg_rule_unknown_zone',
                'hybrid_reduction_co2': 'msg_rule_hybrid_co2',
                }.get(value.code, 'msg_rule_error')
            raise AssessmentError(gettext(
                    f'{MODULE}.{msg_id}', object=self.object.rec_name,
                    details=params, code=value.code)) from value
        return False


def _label_token(label):
    """The token of a label of rules.py's trace, the same for every
    assessment: made once (tokens are never changed once made)"""
    token_ = _LABEL_TOKENS.get(label)
    if token_ is None:
        token_ = _LABEL_TOKENS[label] = _make_label_token(label)
    return token_


_LABEL_TOKENS = {}


def _make_label_token(label):
    if label in TRACE_LABELS:
        return message(f'{MODULE}.{TRACE_LABELS[label]}')
    for pattern, msg_id in TRACE_PATTERNS:
        if match := pattern.fullmatch(label):
            args = {k: _text_token(v) for k, v in match.groupdict().items()}
            return message(f'{MODULE}.{msg_id}', **args)
    return label


def _text_token(value):
    if isinstance(value, str) and value in TRACE_VALUES:
        token_ = _VALUE_TOKENS.get(value)
        if token_ is None:
            token_ = _VALUE_TOKENS[value] = message(
                f'{MODULE}.{TRACE_VALUES[value]}')
        return token_
    return str(value)


_VALUE_TOKENS = {}


def _value_token(label, value):
    "The token of a value of rules.py's trace, typed by its label"
    if isinstance(value, str):
        if value in TRACE_VALUES:
            return _text_token(value)
        if value.endswith(' %'):
            return token('percent', Decimal(value[:-2]))
        if match := re.fullmatch(r'(\d+)/12', value):
            return token('months', int(match[1]))
        if label == 'Value source':
            source, _, year = value.partition(' ')
            if source == 'art.':
                return message(f'{MODULE}.msg_trace_source_art_457')
            return message(f'{MODULE}.msg_trace_source_{source}',
                year=year)
        return value
    if label == 'Rank' and isinstance(value, int):
        return ROMAN[value]
    if label in TEXT_LABELS or isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.date):
        return token('date', value)
    if label == 'Ownership share':
        return token('fraction', Fraction(value))
    number = _decimal(value)
    if label in AMOUNT_LABELS:
        if number is None:
            number = rules.round_cent(value)
        return token('amount', number)
    if number is None:
        if isinstance(value, Fraction):
            return token('fraction', value)
        return str(value)
    return token('number', number)


def _amount(value):
    number = _decimal(value)
    return token('amount', number if number is not None
        else rules.round_cent(value))


def _number(value, unit=None):
    number = _decimal(value)
    if number is None:
        result = token('fraction', Fraction(value))
    else:
        result = token('number', number)
    if unit:
        result['unit'] = unit
    return result


def _formulas(result):
    """The law's formulas with the rule's values: the taxable value and
    the tax before rounding"""
    formulas = []
    for _, part in result.parts or (('', result),):
        values = part.values
        if 'value_per_m2' in values and 'coefficient' in values:
            formulas.append([
                    message(f'{MODULE}.msg_trace_taxable_value'),
                    [_number(values['area'], 'm²'),
                        _amount(values['value_per_m2']),
                        _number(values['coefficient'])],
                    _amount(values['taxable_value'])])
        factors = []
        if 'rate' in values and 'taxable_value' in values:
            if values.get('age_reduction'):
                factors = [_amount(values['taxable_value']),
                    token('percent', _decimal(
                            100 - values['age_reduction'] * 100)),
                    token('percent', _decimal(values['rate']))]
            else:
                factors = [_amount(values['taxable_value']),
                    token('percent', _decimal(values['rate']))]
        elif 'amount_per_ha' in values:
            factors = [_number(values['area_ha'], 'ha'),
                _amount(values['amount_per_ha'])]
            if 'coefficient' in values:
                factors.append(_number(values['coefficient']))
        elif 'groups' in values and 'unit' in values:
            factors = [_number(values['groups']), _amount(values['unit'])]
        elif 'annual_amount' in values:
            factors = [_amount(values['annual_amount'])]
        if not factors:
            continue
        for key in ['disability_reduction', 'hybrid_reduction']:
            if values.get(key):
                factors.append(token('percent', _decimal(
                            100 - values[key] * 100)))
        if 'share' in values:
            factors.append(token('fraction', Fraction(values['share'])))
        if 'months' in values:
            factors.append(token('months', values['months']))
        formulas.append([
                message(f'{MODULE}.msg_trace_tax'), factors,
                _amount(values['tax'])])
    if result.parts:
        formulas.append([
                message(f'{MODULE}.msg_trace_amount'),
                [_amount(p.values['tax']) for _, p in result.parts],
                token('amount', result.amount), '+'])
    return formulas
