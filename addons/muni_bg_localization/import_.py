# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import rules

# ЗВЕРБ: the books are kept in euro from 1 January 2026
EURO_DATE = dt.date(2026, 1, 1)
# The labels the legacy systems give the identifiers, and the types of
# rules.validate_identifier
IDENTIFIER_TYPES = {
    'егн': 'bg_egn', 'egn': 'bg_egn', 'bg_egn': 'bg_egn',
    'лнч': 'bg_pnf', 'lnch': 'bg_pnf', 'lnc': 'bg_pnf', 'bg_pnf': 'bg_pnf',
    'еик': 'bg_eik', 'булстат': 'bg_eik', 'eik': 'bg_eik',
    'bulstat': 'bg_eik', 'bg_eik': 'bg_eik', 'bg_vat': 'bg_eik',
    }
IDENTIFIER_NAMES = {
    'bg_egn': "ЕГН",
    'bg_pnf': "ЛНЧ",
    'bg_eik': "ЕИК",
    }
OBJECT_COLUMNS = {
    'assessment_value': 'bg_assessment_value',
    'vehicle_category': 'bg_vehicle_category',
    'power_kw': 'bg_power_kw',
    'manufacture_year': 'bg_manufacture_year',
    'euro_class': 'bg_euro_class',
    'catalyst': 'bg_catalyst',
    'payload_kg': 'bg_payload_kg',
    'engine_cc': 'bg_engine_cc',
    }
OWNER_COLUMNS = {
    'reduced_capacity': 'bg_reduced_capacity',
    }
# The vehicle columns the law needs, per category (ЗМДТ чл. 55)
VEHICLE_REQUIRED = {
    'car': ['power_kw', 'manufacture_year'],
    'truck': ['payload_kg'],
    'motorcycle': ['engine_cc'],
    'moped': ['engine_cc'],
    'tractor': ['power_kw'],
    }


class Import(metaclass=PoolMeta):
    __name__ = 'muni.import'

    bg_rounding = fields.Selection([
            ('standard', "Standard"),
            ('weaker_party', "In Favour of the Weaker Party"),
            ], "Euro Conversion",
        states={
            'invisible': ((Eval('localisation') != 'bg')
                | (Eval('kind') != 'debts')),
            'required': ((Eval('localisation') == 'bg')
                & (Eval('kind') == 'debts')),
            'readonly': Eval('state') != 'draft',
            },
        help="How the amounts in leva of the periods before 2026 are "
        "converted (ЗВЕРБ): divided by 1.95583 and rounded half up to the "
        "cent, or, in favour of the weaker party, any remainder rounded "
        "up.")
    bg_rounding_string = bg_rounding.translated('bg_rounding')

    @classmethod
    def default_bg_rounding(cls):
        return 'standard'

    @classmethod
    def default_date(cls):
        pool = Pool()
        Company = pool.get('company.company')
        company = Transaction().context.get('company')
        if company is not None and company >= 0:
            if Company(company).localisation == 'bg':
                # ЗВЕРБ: the debts of the legacy system open the euro books
                return EURO_DATE
        return super().default_date()

    def _identifier_bg(self, row, type_, code):
        kind = IDENTIFIER_TYPES.get((type_ or '').lower())
        if kind is None:
            row.error('identifier_type', gettext(
                    'muni_bg_localization.msg_import_identifier_type',
                    value=type_ or '',
                    values=', '.join(IDENTIFIER_NAMES.values())))
            return
        try:
            code = rules.validate_identifier(kind, code)
        except rules.InvalidIdentifier as exception:
            row.error('identifier', gettext(
                    'muni_bg_localization.msg_import_identifier_'
                    + exception.code,
                    type=IDENTIFIER_NAMES[kind], code=code))
            return
        if kind == 'bg_eik':
            # party has no type of its own for the ЕИК: bg_vat checks the
            # 9 digits of ЕИК/БУЛСТАТ as stdnum.bg.vat, the 13-digit
            # БУЛСТАТ of a branch has no type
            return ('bg_vat' if len(code) == 9 else None), code
        return kind, code

    def _object_columns_bg(self):
        return list(OBJECT_COLUMNS) + list(OWNER_COLUMNS)

    def _object_values_bg(self, row, values):
        pool = Pool()
        TaxObject = pool.get('muni.tax.object')
        selections = TaxObject.fields_get(
            ['bg_vehicle_category', 'bg_euro_class'])
        result = {
            'bg_assessment_value': row.decimal('assessment_value'),
            'bg_power_kw': row.decimal('power_kw'),
            'bg_manufacture_year': row.integer('manufacture_year'),
            'bg_payload_kg': row.integer('payload_kg'),
            'bg_engine_cc': row.integer('engine_cc'),
            'bg_catalyst': row.boolean('catalyst'),
            }
        category = row.selection('vehicle_category',
            selections['bg_vehicle_category']['selection'])
        if row.text('euro_class'):
            result['bg_euro_class'] = row.selection('euro_class',
                selections['bg_euro_class']['selection'])
        value = result['bg_assessment_value']
        if value is not None and value < 0:
            row.error('assessment_value', gettext(
                    'muni_bg_localization.msg_import_negative',
                    value=value))
        if values.get('kind') == 'vehicle':
            result['bg_vehicle_category'] = category
            if category is None and not row.text('vehicle_category'):
                row.error('vehicle_category', gettext(
                        'muni_finance.msg_import_required',
                        column='vehicle_category'))
            for column in VEHICLE_REQUIRED.get(category, []):
                if not row.text(column):
                    row.error(column, gettext(
                            'muni_bg_localization'
                            '.msg_import_vehicle_required',
                            column=column, category=category))
        elif values.get('kind') == 'property' and value is None:
            row.warning('assessment_value', gettext(
                    'muni_bg_localization.msg_import_no_assessment_value'))
        return {k: v for k, v in result.items() if v is not None}

    def _owner_values_bg(self, row, values):
        capacity = row.integer('reduced_capacity')
        if capacity is not None and not (0 <= capacity <= 100):
            row.error('reduced_capacity', gettext(
                    'muni_bg_localization.msg_import_reduced_capacity',
                    value=capacity))
            capacity = None
        return {'bg_reduced_capacity': capacity}

    def _debt_amount_bg(self, row, year, amount):
        """Convert the amounts of the periods before 2026, in leva, to euro
        keeping the leva as the second currency"""
        pool = Pool()
        Currency = pool.get('currency.currency')
        # ЗВЕРБ чл. 50: an amount for a past period is in the currency of
        # the end of that period
        if year >= EURO_DATE.year:
            return {'amount': amount, 'trace': []}
        currencies = Currency.search([('code', '=', 'BGN')], limit=1)
        if not currencies:
            row.error('amount', gettext(
                    'muni_bg_localization.msg_import_no_bgn'))
            return
        bgn, = currencies
        rounding = (rules.WEAKER_PARTY if self.bg_rounding == 'weaker_party'
            else rules.STANDARD)
        conversion = rules.bgn_to_eur(amount, rounding)
        mode = self.bg_rounding_string
        return {
            'amount': conversion.eur,
            'second_currency': bgn,
            'amount_second_currency': conversion.bgn,
            'trace': [(gettext('muni_bg_localization.msg_trace_conversion',
                        row=row.number),
                    gettext('muni_bg_localization.msg_trace_conversion_value',
                        bgn=conversion.bgn, eur=conversion.eur,
                        quotient=rules.quotient_text(conversion.quotient),
                        rate=rules.BGN_PER_EUR, rounding=mode))],
            }
