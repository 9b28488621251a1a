# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.pool import PoolMeta

from . import rates_ro, rules


class RateTable(metaclass=PoolMeta):
    __name__ = 'muni.rate.table'

    def split(self, amount):
        """The Romanian taxes are split in equal instalments of whole lei,
        the odd leu on the first; an annual amount of at most 50 lei is due at
        once by the first deadline (Codul fiscal art. 462 (3), 467 (3),
        472 (3))"""
        if (self.revenue_type.localisation != 'ro'
                or len(self.instalments) < 2
                or len({i.fraction for i in self.instalments}) != 1
                or amount != amount.quantize(rules.LEU)
                or amount <= 0):
            return super().split(amount)
        schedule = rates_ro.rates_for('schedule', dt.date(self.year, 1, 1))
        count = len(self.instalments)
        if amount <= schedule.small_amount:
            return [amount] + [amount * 0] * (count - 1)
        instalments = rules.split_instalments(
            amount, [i.due_date for i in self.instalments], lambda d: d)
        return [i.amount.quantize(amount) for i in instalments]
