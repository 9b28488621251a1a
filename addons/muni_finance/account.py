# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval

from .assessment import ValidatedBySample, stored


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'muni.assessment', 'muni.payment', 'muni.interest.charge']


class MoveLine(metaclass=PoolMeta):
    __name__ = 'account.move.line'

    budget_code = fields.Many2One(
        'muni.budget.code', "Budget Code", ondelete='RESTRICT',
        states={
            'readonly': Eval('move_state') == 'posted',
            },
        help="The budget classification the amount is reported under.")

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'muni.assessment', 'muni.payment', 'muni.interest.charge']


class Reconciliation(ValidatedBySample, metaclass=PoolMeta):
    """The reconciliations of what payments settled, validated by sample:
    payment_items.reconcile_balanced gives each the company of the moves of
    its lines, a date and a number of the company's sequence; the generic
    checks (its lines' domain on the company of their move, the required
    fields) are those of one sample per key, account's check of the lines
    (valid, one account and party, balanced) runs on each (validate)"""
    __name__ = 'account.move.reconciliation'

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each reconciliation the values the generic checks
        depend on, but its lines (their company is the reconciliation's by
        construction), date and number (of the same sequence)
        (assessment.validate_by_sample)"""
        rows = stored(cls, ids, ['company', 'delegate_to', 'number', 'date'])
        return {r['id']: (r['company'], r['delegate_to'] is None,
                r['number'] is None, r['date'] is None)
            for r in rows}
