# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Romanian identifiers of parties (ro.md §5): the CNP of a person, the CUI
(or CIF, a CUI written with "RO") of a legal person or public institution,
checked with python-stdnum, with an error that says what is wrong"""
from stdnum.exceptions import ValidationError
from stdnum.ro import cf, cnp, cui

from trytond.pool import PoolMeta

from muni_finance.rules_base import stdnum_fault

MODULES = {
    'ro_cnp': cnp,
    'ro_cui': cui,
    'ro_vat': cf,
    }


def identifier_error(type_, code):
    """The kind of fault of a Romanian identifier: None when it is valid,
    else invalid_length, invalid_format, invalid_component (a CNP's birth
    date or county) or invalid_checksum"""
    module = MODULES.get(type_)
    if not module:
        return
    try:
        module.validate(code)
    except ValidationError as exception:
        return stdnum_fault(exception, default='invalid_format')


class Configuration(metaclass=PoolMeta):
    __name__ = 'party.configuration'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Tryton knows the CUI only as the VAT number (ro_vat, "RO" + CUI);
        # most municipal taxpayers are not VAT payers
        cls.identifier_types.selection.append(
            ('ro_cui', "Romanian Unique Identification Code (CUI)"))


class Identifier(metaclass=PoolMeta):
    __name__ = 'party.identifier'

    def check_code(self):
        error = identifier_error(self.type, self.code or '')
        if error:
            raise self._invalid_code(
                f'muni_ro_localization.msg_identifier_{error}')
        super().check_code()
