# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class RegisterFormatError(ValidationError):
    pass


class RegistrationError(UserError):
    pass


class DeadlineError(ValidationError):
    pass


class AssignmentError(UserError):
    pass


class DocumentReasonError(UserError):
    pass


class DocumentModificationError(AccessError):
    pass


class AuditModificationError(AccessError):
    pass
