# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Statutory interest on overdue principal.

The arithmetic is a pure function, ``accrue``: the principal outstanding
day by day (reduced by the payments made on it), split at the boundaries
of the rate periods, each day at annual rate / basis days. The rates are
data: one record per period and localisation with its legal basis."""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval

from .exceptions import InterestError

CENT = Decimal('0.01')
ONE_DAY = dt.timedelta(days=1)


class Segment:
    "Days of one principal at one rate"
    __slots__ = (
        'start', 'end', 'principal', 'rate', 'basis', 'amount', 'currency')

    def __init__(self, start, end, principal, rate, basis, currency=None):
        self.start, self.end = start, end
        self.currency = currency
        self.principal, self.rate, self.basis = principal, rate, basis
        self.amount = principal * rate / 100 * self.days / basis

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def __repr__(self):
        return (f'Segment({self.start}, {self.end}, {self.principal}, '
            f'{self.rate}, {self.days}/{self.basis})')


def accrue(principal, due_date, to_date, rates, payments=()):
    """Return the segments of the interest on principal due on due_date,
    from the day after due_date to to_date, both counted

    rates: (start, end, annual rate in %, basis days) sorted by start, end
    None when open; payments: (date, amount) of principal paid, which stops
    running on the day after the payment. The sum of the segments'
    amounts is not rounded: round the total, not each segment.
    Raise LookupError with the first day that no rate covers."""
    start = due_date + ONE_DAY
    if to_date < start or principal <= 0:
        return []
    # the principal outstanding from each date on
    changes = {}
    for date, amount in payments:
        date = max(date + ONE_DAY, start)
        changes[date] = changes.get(date, 0) + amount
    boundaries = set(changes)
    for rate_start, rate_end, _, _ in rates:
        boundaries.add(rate_start)
        if rate_end:
            boundaries.add(rate_end + ONE_DAY)
    segments = []
    outstanding = principal
    day = start
    for boundary in sorted(b for b in boundaries if b > start) + [None]:
        outstanding -= changes.get(day, 0)
        end = to_date if boundary is None else min(
            boundary - ONE_DAY, to_date)
        if end < day:
            continue
        if outstanding > 0:
            rate = _rate_on(rates, day)
            segments.append(Segment(day, end, outstanding, rate[2], rate[3]))
        day = end + ONE_DAY
        if day > to_date:
            break
    return segments


def _rate_on(rates, date):
    for rate in rates:
        start, end = rate[0], rate[1]
        if start <= date and (end is None or date <= end):
            return rate
    raise LookupError(date)


def total(segments):
    "The interest of the segments rounded to the cent"
    return sum((s.amount for s in segments), Decimal(0)).quantize(
        CENT, rounding=ROUND_HALF_UP)


class InterestRate(ModelSQL, ModelView):
    __name__ = 'muni.interest.rate'
    __string__ = "Interest Rate"

    localisation = fields.Selection(
        'get_localisations', "Localisation", required=True)
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date(
        "End Date",
        domain=['OR',
            ('end_date', '=', None),
            ('end_date', '>=', Eval('start_date', None)),
            ])
    base_rate = fields.Numeric(
        "Base Rate", digits=(5, 4),
        help="The reference rate in % the law adds its margin to "
        "(e.g. the BNB base rate, the ECB main refinancing rate).")
    margin = fields.Numeric("Margin", digits=(5, 4))
    rate = fields.Numeric(
        "Annual Rate", digits=(5, 4), required=True,
        domain=[('rate', '>=', 0)],
        help="The annual interest rate in %.")
    basis = fields.Integer(
        "Days Basis", required=True,
        domain=[('basis', '>', 0)],
        help="The daily rate is the annual rate divided by this number "
        "of days.")
    legal_basis = fields.Char("Legal Basis")
    # the whole table of a localisation: a few rows a year, read by every
    # payment for each instalment
    _rates_cache = Cache('muni_interest_rate.get', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('localisation', 'ASC'), ('start_date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_basis():
        return 360

    @classmethod
    def get_localisations(cls):
        from muni_base.settlement import localisations
        return localisations()

    def get_rec_name(self, name):
        return f'{self.start_date} {self.rate} %'

    @fields.depends('base_rate', 'margin')
    def on_change_with_rate(self, name=None):
        if self.base_rate is not None and self.margin is not None:
            return self.base_rate + self.margin

    @classmethod
    def validate_fields(cls, rates, field_names):
        super().validate_fields(rates, field_names)
        if field_names & {'localisation', 'start_date', 'end_date'}:
            cls.check_overlap(rates)

    @classmethod
    def check_overlap(cls, rates):
        for rate in rates:
            domain = [
                ('id', '!=', rate.id),
                ('localisation', '=', rate.localisation),
                ['OR',
                    ('end_date', '=', None),
                    ('end_date', '>=', rate.start_date),
                    ],
                ]
            if rate.end_date:
                domain.append(('start_date', '<=', rate.end_date))
            others = cls.search(domain, limit=1)
            if others:
                other, = others
                raise InterestError(gettext(
                        'muni_finance.msg_interest_rate_overlap',
                        rate=rate.rec_name, other=other.rec_name))

    @classmethod
    def create(cls, vlist):
        cls._rates_cache.clear()
        return super().create(vlist)

    @classmethod
    def write(cls, *args):
        cls._rates_cache.clear()
        super().write(*args)

    @classmethod
    def delete(cls, rates):
        cls._rates_cache.clear()
        super().delete(rates)

    @classmethod
    def get(cls, localisation, start, end):
        """Return the rates of the localisation from start to end as the
        tuples accrue takes"""
        rates = cls._rates_cache.get(localisation)
        if rates is None:
            rates = [(r.start_date, r.end_date, r.rate, r.basis)
                for r in cls.search([
                        ('localisation', '=', localisation),
                        ], order=[('start_date', 'ASC')])]
            cls._rates_cache.set(localisation, rates)
        return [r for r in rates
            if r[0] <= end and (r[1] is None or r[1] >= start)]

    @classmethod
    def compute(cls, localisation, principal, due_date, to_date,
            payments=()):
        """Return the segments of the interest, raising a translated error
        when a day has no rate"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        rates = cls.get(localisation, due_date, to_date)
        try:
            return accrue(principal, due_date, to_date, rates, payments)
        except LookupError as exception:
            date, = exception.args
            raise InterestError(gettext(
                    'muni_finance.msg_interest_rate_missing',
                    date=Lang.get().strftime(date))) from exception

    @classmethod
    def explain(cls, segments, currency):
        "Return the segments as the lines a citizen reads"
        lang = Pool().get('ir.lang').get()
        return '\n'.join(gettext(
                'muni_finance.msg_interest_segment',
                start=lang.strftime(s.start), end=lang.strftime(s.end),
                days=s.days,
                principal=lang.currency(
                    s.principal, s.currency or currency, grouping=True),
                rate=lang.format('%.2f', s.rate), basis=s.basis,
                amount=lang.format('%.2f', s.amount.quantize(CENT)))
            for s in segments)
