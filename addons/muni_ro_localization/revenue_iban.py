# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The Treasury IBAN of a Romanian revenue type, at the current municipality"
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import treasury


class RevenueType(metaclass=PoolMeta):
    __name__ = 'muni.revenue.type'

    ro_treasury_iban = fields.Function(fields.Char(
            "Treasury IBAN",
            states={'invisible': Eval('localisation') != 'ro'},
            help="The account of the State Treasury into which the revenue "
            "is paid: the municipality's treasury unit and the revenue's "
            "budget code (clasificația bugetară)."),
        'on_change_with_ro_treasury_iban')

    @fields.depends('localisation', 'budget_code')
    def on_change_with_ro_treasury_iban(self, name=None):
        pool = Pool()
        Company = pool.get('company.company')
        company_id = Transaction().context.get('company')
        if (self.localisation != 'ro' or not self.budget_code
                or not company_id or company_id < 0):
            return
        return self.get_ro_treasury_iban(Company(company_id))

    def get_ro_treasury_iban(self, company):
        "The Treasury IBAN of the revenue at company, None if it has none"
        if (company.localisation != 'ro' or not company.ro_treasury_unit
                or not self.budget_code):
            return
        value = treasury.treasury_iban(
            company.ro_treasury_unit, self.budget_code.code)
        if value and treasury.is_treasury_iban(value):
            return value

    @classmethod
    def ro_revenue_types_of_iban(cls, company, iban):
        """The Romanian revenue types paid into the Treasury IBAN at
        company's treasury unit, by the budget code it carries; none for
        an IBAN of another unit or no local-revenue Treasury IBAN"""
        code = treasury.budget_code_of(iban)
        if (code is None or not company.ro_treasury_unit
                or treasury.unit_code_of(iban) != company.ro_treasury_unit):
            return []
        return cls.search([
                ('localisation', '=', 'ro'),
                ('budget_code.code', '=', code),
                ])

    @classmethod
    def validate_fields(cls, types, field_names):
        super().validate_fields(types, field_names)
        if field_names and not (field_names & {'localisation', 'budget_code'}):
            return
        for type_ in types:
            if (type_.localisation == 'ro' and type_.budget_code
                    and treasury.budget_digits(
                        type_.budget_code.code) is None):
                raise ValidationError(gettext(
                        'muni_ro_localization.msg_budget_code_invalid',
                        code=type_.budget_code.code,
                        revenue_type=type_.rec_name))
