# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from trytond.i18n import gettext
from trytond.pool import PoolMeta

from muni_finance.assessment import exact_decimal, message, token
from muni_finance.exceptions import AssessmentError

from . import rules

CAR_KW_KEYS = ['kw_55', 'kw_74', 'kw_110', 'kw_150', 'kw_245', 'kw_over_245']
CAR_AGE_BANDS = [
    (5, 'age_5'), (10, 'age_10'), (15, 'age_15'), (20, 'age_20'),
    (None, 'age_over_20')]
ECO_KEYS = {
    None: 'eco_none', '1': 'eco_none', '2': 'eco_none',
    '3': 'eco_3', '4': 'eco_4', '5': 'eco_5', '6': 'eco_6'}
MOTORCYCLE_KEYS = [
    'moto_125', 'moto_250', 'moto_350', 'moto_490', 'moto_750',
    'moto_over_750']
TRACTOR_KEYS = ['tractor_18', 'tractor_37', 'tractor_over_37']
# The labels and fixed values of rules.py's traces, translated for the
# inspector who reads them
TRACE_LABELS = {
    'Rule': 'msg_trace_rule',
    'Amount': 'msg_trace_amount',
    'Band': 'msg_trace_band',
    'Ownership share': 'msg_trace_share',
    'Months': 'msg_trace_months',
    'Assessment value': 'msg_trace_assessment_value',
    'Annual amount': 'msg_trace_annual_amount',
    'Zone': 'msg_trace_zone',
    'Started 750 kg': 'msg_trace_started_750kg',
    'Relief (ЗМДТ чл. 25)': 'msg_trace_relief',
    'Rate per kW': 'msg_trace_rate_per_kw',
    'Rate per 750 kg': 'msg_trace_rate_per_750kg',
    'Rate (‰)': 'msg_trace_rate_per_mille',
    'Power (kW)': 'msg_trace_power',
    'Payload (kg)': 'msg_trace_payload',
    'Euro class': 'msg_trace_euro_class',
    'Eco coefficient (ЕК)': 'msg_trace_eco_coefficient',
    'Catalyst reduction': 'msg_trace_catalyst',
    'Base': 'msg_trace_base',
    'Annual tax before reliefs': 'msg_trace_annual_before_reliefs',
    'Age coefficient (Кгп)': 'msg_trace_age_coefficient',
    'Age (years)': 'msg_trace_age',
    'Value (cc)': 'msg_trace_value_cc',
    'Value (kW)': 'msg_trace_value_kw',
    'Collection (‰)': 'msg_trace_collection_rate',
    'Treatment (‰)': 'msg_trace_treatment_rate',
    'Cleaning (‰)': 'msg_trace_cleaning_rate',
    'Collection amount': 'msg_trace_collection_amount',
    'Treatment amount': 'msg_trace_treatment_amount',
    'Cleaning amount': 'msg_trace_cleaning_amount',
    'Property component (ИмК)': 'msg_trace_property_component',
    }
TRACE_VALUES = {
    'ЗМДТ чл. 22: property tax': 'msg_trace_rule_property',
    'ЗМДТ чл. 62: household waste fee': 'msg_trace_rule_waste',
    'ЗМДТ чл. 55: car up to 3.5 t': 'msg_trace_rule_car',
    'ЗМДТ чл. 55: truck 3.5 to 12 t': 'msg_trace_rule_truck',
    'none': 'msg_trace_no_class',
    }


# How the values of rules.py's traces read, by their label
AMOUNT_LABELS = {
    'Amount', 'Assessment value', 'Base', 'Annual amount',
    'Annual tax before reliefs', 'Rate per kW', 'Rate per 750 kg',
    'Collection amount', 'Treatment amount', 'Cleaning amount',
    'Property component (ИмК)',
    }
PERCENT_LABELS = {'Relief (ЗМДТ чл. 25)', 'Catalyst reduction'}
TEXT_LABELS = {'Rule', 'Band', 'Zone', 'Euro class', 'Months'}
FORMULA_SYMBOLS = {
    'assessment_value': 'msg_trace_symbol_assessment_value',
    'age_coefficient': 'msg_trace_symbol_age_coefficient',
    'eco_coefficient': 'msg_trace_symbol_eco_coefficient',
    'property_component': 'msg_trace_symbol_property_component',
    }


class RevenueType(metaclass=PoolMeta):
    __name__ = 'muni.revenue.type'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.calculator.selection += [
            ('bg_property', "Bulgaria: Property Tax (ЗМДТ чл. 22)"),
            ('bg_waste', "Bulgaria: Household Waste Fee (ЗМДТ чл. 62)"),
            ('bg_vehicle', "Bulgaria: Vehicle Tax (ЗМДТ чл. 55)"),
            ]

    @staticmethod
    def _bg_result(result, base):
        "The values of the assessment: its computation as tokens"
        return {
            'base': base,
            'amount': result.amount,
            'trace': [
                [_label_token(label), _value_token(label, value)]
                for label, value in result.trace],
            'formulas': [
                [_label_token(label) if label else None,
                    [_factor_token(f) for f in factors],
                    token('amount', amount), *operator]
                for label, factors, amount, *operator in result.formulas],
            }

    @staticmethod
    def _bg_property_base(object_, owner, rates):
        "The assessment value and the months owed of a property's owner"
        value = object_.bg_assessment_value
        if value is None:
            raise AssessmentError(gettext(
                    'muni_bg_localization.msg_object_no_assessment_value',
                    object=object_.rec_name))
        return value, rules.property_months(
            rates.year, owner.start_date, owner.end_date)

    def _compute_bg_property(self, object_, owner, rates):
        value, months = self._bg_property_base(object_, owner, rates)
        if not months:
            return
        relief = rules.property_relief(
            owner.main_dwelling, owner.bg_reduced_capacity)
        result = rules.property_tax(
            value, rates.get('rate', object_), relief=relief,
            share=owner.share, months=months)
        return self._bg_result(result, value)

    def _compute_bg_waste(self, object_, owner, rates):
        value, months = self._bg_property_base(object_, owner, rates)
        if not months:
            return
        zone = object_.zone.code if object_.zone else ''
        zone_rates = {zone: {
                component: rates.get(component, object_)
                for component in rules.WASTE_COMPONENTS
                if rates.has(component, object_)}}
        result = rules.waste_fee(
            value, zone, zone_rates, share=owner.share, months=months)
        return self._bg_result(result, value)

    def _compute_bg_vehicle(self, object_, owner, rates):
        months = rules.vehicle_months(
            rates.year, owner.start_date, owner.end_date)
        if not months:
            return
        category = object_.bg_vehicle_category
        if category == 'car':
            car_rates = rules.CarRates(
                kw_rates=tuple(zip(
                        rules.CAR_KW_LIMITS,
                        [rates.get(k) for k in CAR_KW_KEYS])),
                age_coefficients=tuple(
                    (limit, rates.get(key)) for limit, key in CAR_AGE_BANDS),
                eco_coefficients={
                    c: rates.get(k) for c, k in ECO_KEYS.items()},
                catalyst_reduction=rates.get('catalyst_reduction', default=0))
            euro_class = (object_.bg_euro_class
                if object_.bg_euro_class != 'none' else None)
            result = rules.car_tax(
                object_.bg_power_kw,
                rules.vehicle_age(rates.year, object_.bg_manufacture_year),
                euro_class, car_rates, catalyst=object_.bg_catalyst,
                months=months)
            base = object_.bg_power_kw
        elif category == 'truck':
            result = rules.truck_tax(
                object_.bg_payload_kg, rates.get('truck_750kg'),
                months=months)
            base = object_.bg_payload_kg
        elif category in {'motorcycle', 'moped'}:
            if category == 'moped':
                bands = ((rules.MOPED_CC_LIMITS[0], rates.get('moped')),)
            else:
                bands = tuple(zip(
                        rules.MOTORCYCLE_CC_LIMITS,
                        [rates.get(k) for k in MOTORCYCLE_KEYS]))
            result = rules.banded_vehicle_tax(
                object_.bg_engine_cc, bands, 'cc', months=months)
            base = object_.bg_engine_cc
        elif category == 'tractor':
            bands = tuple(zip(
                    rules.TRACTOR_KW_LIMITS,
                    [rates.get(k) for k in TRACTOR_KEYS]))
            result = rules.banded_vehicle_tax(
                object_.bg_power_kw, bands, 'kW',
                minimum=rules.TRACTOR_KW_MINIMUM, months=months)
            base = object_.bg_power_kw
        else:
            raise AssessmentError(gettext(
                    'muni_bg_localization.msg_object_no_vehicle_category',
                    object=object_.rec_name))
        values = self._bg_result(result, base)
        if owner.share != 1:
            values['amount'] = rules.round_cent(result.amount * owner.share)
            share = Fraction(owner.share)
            values['trace'].append([
                    message('muni_finance.msg_trace_share'),
                    token('fraction', share)])
            values['trace'].append([
                    message('muni_bg_localization.msg_trace_owner_amount'),
                    token('amount', values['amount'])])
            values['formulas'].append([
                    message('muni_bg_localization.msg_trace_owner_amount'),
                    [token('amount', result.amount),
                        token('fraction', share)],
                    token('amount', values['amount'])])
        return values


def _label_token(label):
    if label in TRACE_LABELS:
        return message(f'muni_bg_localization.{TRACE_LABELS[label]}')
    return label


def _decimal(value):
    """The value as a Decimal, or None when it has no finite decimal form;
    the rules' trace also carries numbers as text"""
    if isinstance(value, (Fraction, Decimal, int)):
        return exact_decimal(value)
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _value_token(label, value):
    "The token of a value of rules.py's trace, typed by its label"
    if isinstance(value, str) and value in TRACE_VALUES:
        return message(f'muni_bg_localization.{TRACE_VALUES[value]}')
    if label in TEXT_LABELS or isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.date):
        return token('date', value)
    if label == 'Ownership share':
        return token('fraction', Fraction(str(value)))
    if label in PERCENT_LABELS and isinstance(value, str):
        value = value.rstrip(' %')
    number = _decimal(value)
    if number is None:
        return str(value)
    if label in AMOUNT_LABELS:
        return token('amount', number)
    if label in PERCENT_LABELS:
        return token('percent', number)
    return token('number', number)


def _factor_token(factor):
    "The token of a factor of a formula of rules.py"
    if factor.kind == 'fraction':
        value = token('fraction', Fraction(factor.value))
    elif factor.kind == 'months':
        value = token('months', factor.value)
    else:
        number = _decimal(factor.value)
        if number is None:
            value = token('fraction', Fraction(factor.value))
        else:
            value = token(factor.kind, number)
        if factor.unit:
            value['unit'] = factor.unit
    if factor.symbol:
        return token('join', [message(
                    f'muni_bg_localization.{FORMULA_SYMBOLS[factor.symbol]}'),
                value])
    return value
