# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class CalendarError(UserError):
    pass


class PartyLookupError(UserError):
    pass


class PartySharedError(ValidationError):
    pass


class PartySharedAccessError(AccessError):
    pass
