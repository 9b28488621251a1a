# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .exceptions import RateError


class RateTable(ModelSQL, ModelView):
    __name__ = 'muni.rate.table'
    __string__ = "Rate Table"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    revenue_type = fields.Many2One(
        'muni.revenue.type', "Revenue Type", required=True,
        ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    year = fields.Integer("Year", required=True)
    legal_basis = fields.Char(
        "Legal Basis", required=True,
        help="The council's ordinance and decision that set the rates.")
    note = fields.Text(
        "Note", help="Where the figures come from, and what is illustrative.")
    lines = fields.One2Many('muni.rate.table.line', 'table', "Rates")
    instalments = fields.One2Many(
        'muni.rate.table.instalment', 'table', "Instalments",
        help="The due dates of the year and the part of the annual amount "
        "due at each; a date on a non-working day moves to the next "
        "working day.")
    discount_rate = fields.Numeric(
        "Discount Rate", digits=(1, 4),
        domain=['OR',
            ('discount_rate', '=', None),
            [('discount_rate', '>=', 0), ('discount_rate', '<', 1)],
            ],
        help="The early-payment discount, e.g. 0.05 for 5 %.")
    discount_date = fields.Date(
        "Discount Date",
        states={'required': Bool(Eval('discount_rate'))},
        help="The whole year paid by this date earns the discount.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_revenue_year_unique',
                Unique(t, t.company, t.revenue_type, t.year),
                'muni_finance.msg_rate_table_unique'),
            ]
        cls._order.insert(0, ('year', 'DESC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return f'{self.revenue_type.rec_name} {self.year}'

    @classmethod
    def validate_fields(cls, tables, field_names):
        super().validate_fields(tables, field_names)
        cls.check_instalments(tables)

    @classmethod
    def check_instalments(cls, tables):
        for table in tables:
            if table.instalments and sum(
                    i.fraction for i in table.instalments) != 1:
                raise RateError(gettext(
                        'muni_finance.msg_rate_table_instalments',
                        table=table.rec_name))

    def rates(self):
        "Return the rates of the table, ready for the calculators"
        return Rates(self)

    def schedule(self, company, amount):
        """Return the instalments of the annual amount as (due date, amount)
        with due dates moved to working days; the cents that do not divide
        go to the last instalment"""
        return list(zip(self.due_dates(company), self.split(amount)))

    def due_dates(self, company):
        "Return the due dates of the instalments moved to working days"
        if not self.instalments:
            return [company.next_working_day(dt.date(self.year, 12, 31))]
        return [company.next_working_day(i.due_date)
            for i in self.instalments]

    def split(self, amount):
        """Return the amounts of the instalments of the annual amount, in the
        order of the due dates; the cents that do not divide go to the last"""
        if not self.instalments:
            return [amount]
        amounts = [(amount * i.fraction).quantize(
                Decimal('0.01'), rounding='ROUND_DOWN')
            for i in self.instalments]
        amounts[-1] += amount - sum(amounts)
        return amounts

    @classmethod
    def find(cls, company, revenue_type, year):
        tables = cls.search([
                ('company', '=', company.id),
                ('revenue_type', '=', revenue_type.id),
                ('year', '=', year),
                ], limit=1)
        if not tables:
            raise RateError(gettext(
                    'muni_finance.msg_rate_table_missing',
                    revenue_type=revenue_type.rec_name, year=year,
                    company=company.rec_name))
        return tables[0]


class Rates:
    "The rates of a table, looked up by key and by the object's zone"

    def __init__(self, table):
        self.table = table
        self.year = table.year
        self._values = {
            (l.key, ('zone', l.zone.id) if l.zone
                else ('settlement', l.settlement.id) if l.settlement
                else None): l.value for l in table.lines}

    def get(self, key, object_=None, default=None):
        """Return the rate of the key, the one of the object's zone or
        settlement first"""
        for scope in self._scopes(object_):
            value = self._values.get((key, scope))
            if value is not None:
                return value
        if default is not None:
            return default
        raise RateError(gettext(
                'muni_finance.msg_rate_missing',
                table=self.table.rec_name, key=key))

    def has(self, key, object_=None):
        return any((key, scope) in self._values
            for scope in self._scopes(object_))

    @staticmethod
    def _scopes(object_):
        if object_ is not None:
            if object_.zone:
                yield ('zone', object_.zone.id)
            if object_.settlement:
                yield ('settlement', object_.settlement.id)
        yield None


class RateTableLine(ModelSQL, ModelView):
    __name__ = 'muni.rate.table.line'
    __string__ = "Rate"

    table = fields.Many2One(
        'muni.rate.table', "Table", required=True, ondelete='CASCADE')
    key = fields.Char(
        "Key", required=True,
        help="What the rate is for, as the calculator names it.")
    description = fields.Char("Description")
    zone = fields.Many2One('muni.zone', "Zone", ondelete='RESTRICT')
    settlement = fields.Many2One(
        'muni.settlement', "Settlement", ondelete='RESTRICT')
    value = fields.Numeric("Value", digits=(16, 6), required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('table')
        cls._order.insert(0, ('key', 'ASC'))

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        cls.check_range(lines)

    @classmethod
    def check_range(cls, lines):
        "A council's rate stays inside the range the law allows"
        pool = Pool()
        Range = pool.get('muni.rate.range')
        for line in lines:
            table = line.table
            for range_ in Range.search([
                        ('revenue_type', '=', table.revenue_type.id),
                        ('key', '=', line.key),
                        ]):
                if not range_.applies(table.year):
                    continue
                if not range_.minimum <= line.value <= range_.maximum:
                    raise RateError(gettext(
                            'muni_finance.msg_rate_out_of_range',
                            table=table.rec_name, key=line.key,
                            value=line.value, minimum=range_.minimum,
                            maximum=range_.maximum,
                            legal_basis=range_.legal_basis or ''))


class RateTableInstalment(sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'muni.rate.table.instalment'
    __string__ = "Instalment Date"

    table = fields.Many2One(
        'muni.rate.table', "Table", required=True, ondelete='CASCADE')
    due_date = fields.Date("Due Date", required=True)
    fraction = fields.Numeric(
        "Fraction", digits=(1, 4), required=True,
        domain=[('fraction', '>', 0), ('fraction', '<=', 1)],
        help="The part of the annual amount due, e.g. 0.5.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('table')


class RateRange(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'muni.rate.range'
    __string__ = "Statutory Range"

    revenue_type = fields.Many2One(
        'muni.revenue.type', "Revenue Type", required=True,
        ondelete='CASCADE')
    key = fields.Char("Key", required=True)
    description = fields.Char("Description", translate=True)
    minimum = fields.Numeric("Minimum", digits=(16, 6), required=True)
    maximum = fields.Numeric(
        "Maximum", digits=(16, 6), required=True,
        domain=[('maximum', '>=', Eval('minimum', 0))])
    start_year = fields.Integer("From Year")
    end_year = fields.Integer("To Year")
    legal_basis = fields.Char("Legal Basis", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('key', 'ASC'))

    def applies(self, year):
        return ((not self.start_year or self.start_year <= year)
            and (not self.end_year or year <= self.end_year))
