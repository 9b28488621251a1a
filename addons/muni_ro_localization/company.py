# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from . import treasury

# The identifier types that carry a municipality's fiscal code (CIF): a
# public institution's CIF is a CUI, written with or without "RO"
CIF_TYPES = ['ro_cui', 'ro_vat']

_ro = Eval('localisation') == 'ro'


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    ro_treasury_unit = fields.Char(
        "Treasury Unit", size=3,
        states={'invisible': ~_ro},
        help="The 3-digit code of the State Treasury unit that holds the "
        "municipality's revenue accounts (e.g. 704 for Trezoreria "
        "Sector 4); with a revenue's budget code it gives the revenue's "
        "Treasury IBAN.")
    ro_cif = fields.Function(fields.Char(
            "Fiscal Identification Code (CIF)",
            states={'invisible': ~_ro},
            help="The municipality's fiscal code (CUI), "
            "kept as an identifier of its party."),
        'get_ro_cif', setter='set_ro_cif')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.localisation.selection.append(('ro', "Romania"))

    def get_ro_cif(self, name):
        if self.party:
            for identifier in self.party.identifiers:
                if identifier.type in CIF_TYPES:
                    return identifier.code

    @classmethod
    def set_ro_cif(cls, companies, name, value):
        pool = Pool()
        Identifier = pool.get('party.identifier')
        to_save, to_delete = [], []
        for company in companies:
            identifiers = [i for i in company.party.identifiers
                if i.type in CIF_TYPES]
            if not value:
                to_delete.extend(identifiers)
            elif identifiers:
                identifier = identifiers[0]
                identifier.code = value
                to_save.append(identifier)
            else:
                to_save.append(Identifier(
                        party=company.party, type='ro_cui', code=value))
        Identifier.delete(to_delete)
        Identifier.save(to_save)

    @classmethod
    def validate_fields(cls, companies, field_names):
        super().validate_fields(companies, field_names)
        if field_names and 'ro_treasury_unit' not in field_names:
            return
        for company in companies:
            if (company.ro_treasury_unit
                    and not treasury.is_unit_code(company.ro_treasury_unit)):
                raise ValidationError(gettext(
                        'muni_ro_localization.msg_treasury_unit_invalid',
                        unit=company.ro_treasury_unit,
                        company=company.rec_name))
