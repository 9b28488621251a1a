# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.pool import PoolMeta

from . import rules


class Configuration(metaclass=PoolMeta):
    __name__ = 'party.configuration'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # python-stdnum knows the 9-digit ЕИК as a VAT number only and has
        # no 13-digit БУЛСТАТ (bg.md §7.3)
        cls.identifier_types.selection.append(
            ('bg_eik', "Bulgarian Unified Identification Code (ЕИК)"))


class Identifier(metaclass=PoolMeta):
    __name__ = 'party.identifier'

    def check_code(self):
        super().check_code()
        if self.type == 'bg_eik':
            try:
                rules.validate_eik(self.code)
            except rules.InvalidIdentifier:
                raise self._invalid_code()
