# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


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
