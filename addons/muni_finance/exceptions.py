# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import AccessError, ValidationError


class OwnershipError(ValidationError):
    pass


class RateError(ValidationError):
    pass


class AssessmentError(UserError):
    pass


class AssessmentAccessError(AccessError):
    pass


class LevyError(UserError):
    pass


class InterestError(UserError):
    pass


class PaymentError(UserError):
    pass


class CashSessionError(UserError):
    pass


class ImportError_(UserError):
    pass


class ImportAccessError(AccessError):
    pass


class StatementImportError(UserError):
    pass


class StatementError(UserError):
    pass


class StatementImportWarning(UserWarning):
    pass


class LockedError(AccessError):
    pass


class PaymentWarning(UserWarning):
    pass
