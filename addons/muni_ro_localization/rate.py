# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.pool import Pool, PoolMeta

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


class LevyBatch(metaclass=PoolMeta):
    __name__ = 'muni.levy.batch'

    def _schedule_ro(self, assessments):
        """The instalments of the batch's Romanian assessments: those the
        calculator gave (the deadlines after an acquisition), and the 50
        lei tested on the payer's total of the same tax in the municipality
        (art. 462 (3), 467 (3), 472 (3)). The batch is cut by object: the
        amounts of the payer's objects outside it (other batches, or
        assessed before) are computed again here, so each batch finds the
        same total whatever the cut and the order the workers run in."""
        entries = [(values, computed)
            for values, (_, _, _, computed) in assessments
            if computed.get('ro_tax')]
        if not entries:
            return
        small_amount = self._ro_small_amount()
        totals = defaultdict(Decimal)
        for values, computed in entries:
            totals[values['party'], computed['ro_tax']] += values['amount']
        # only a total of at most 50 lei in the batch may change with the
        # payer's other objects
        keys = {(o.id, w.party.id, t.id) for _, (o, w, t, _) in assessments}
        for party, tax, amount in self._ro_other_amounts(
                {k: t for k, t in totals.items() if t <= small_amount},
                keys):
            totals[party, tax] += amount
        for values, computed in entries:
            total = totals[values['party'], computed['ro_tax']]
            small = computed['ro_small']
            if small != (total <= small_amount):
                computed = computed['ro_reschedule'](total)
                values['trace_data'] = {
                    'lines': computed['trace'],
                    'formulas': computed.get('formulas', []),
                    }
            values['instalments'] = computed['ro_instalments']

    def _ro_small_amount(self):
        return rates_ro.rates_for(
            'schedule', dt.date(self.run.year, 1, 1)).small_amount

    def _ro_other_amounts(self, wanted, keys):
        """Yield (party id, tax, amount) of the objects of the payers and
        taxes of wanted, {(party id, tax): total so far}, that keys
        (object, party, revenue type) do not hold, until the total is over
        50 lei.
        An object whose amount cannot be computed adds nothing: its own
        batch reports it."""
        pool = Pool()
        Owner = pool.get('muni.tax.object.owner')
        RateTable = pool.get('muni.rate.table')
        from .revenue import RO_TAXES
        run = self.run
        company = run.company
        taxes = {t for _, t in wanted}
        types = [t for t in run.revenue_types
            if RO_TAXES.get(t.calculator) in taxes]
        kinds = {k for t in types for k in t.object_kinds}
        if not types or not wanted:
            return
        small_amount = self._ro_small_amount()
        totals = dict(wanted)
        owners = Owner.search([
                ('party', 'in', sorted({p for p, _ in wanted})),
                ('object.company', '=', company.id),
                ('object.kind', 'in', sorted(kinds)),
                ])
        rates = {}
        for owner in owners:
            object_ = owner.object
            for revenue_type in types:
                key = (object_.id, owner.party.id, revenue_type.id)
                tax = (owner.party.id, RO_TAXES[revenue_type.calculator])
                if (tax not in wanted or totals[tax] > small_amount
                        or object_.kind not in revenue_type.object_kinds
                        or key in keys
                        or not owner.months_in(run.year)):
                    continue
                if revenue_type.id not in rates:
                    rates[revenue_type.id] = RateTable.find(
                        company, revenue_type, run.year).rates()
                try:
                    values = revenue_type.compute(
                        object_, owner, rates[revenue_type.id])
                except UserError:
                    continue
                if values and values['amount']:
                    totals[tax] += values['amount']
                    yield tax + (values['amount'],)
