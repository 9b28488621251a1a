# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import functools

import holidays

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from trytond.wizard import Button, StateView, Wizard

from .exceptions import CalendarError


@functools.lru_cache(maxsize=64)
def national_non_working_days(country_code, year):
    """Return the public holidays and weekend days of the country in the year
    as a frozenset of dates"""
    calendar = holidays.country_holidays(
        country_code, years=year, categories=(holidays.PUBLIC,))
    days = set(calendar)
    date = dt.date(year, 1, 1)
    while date.year == year:
        if date.weekday() in calendar.weekend:
            days.add(date)
        date += dt.timedelta(days=1)
    return frozenset(days)


def national_holidays(country_code, year, language=None):
    "Return the public holidays of the country in the year with their names"
    calendar = holidays.country_holidays(
        country_code, years=year, categories=(holidays.PUBLIC,),
        language=language)
    return dict(sorted(calendar.items()))


class CalendarException(ModelSQL, ModelView):
    __name__ = 'muni.calendar.exception'
    __string__ = "Calendar Exception"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    kind = fields.Selection([
            ('working', "Working Day"),
            ('non_working', "Non-Working Day"),
            ], "Kind", required=True,
        help="A working day overrides a weekend or a public holiday; "
        "a non-working day is a day off decreed locally.")
    name = fields.Char("Reason", required=True, translate=True)
    legal_basis = fields.Char(
        "Legal Basis",
        help="The act that decided the exception, "
        "e.g. a government or mayor's decision with its number and date.")

    _non_working_cache = Cache(
        'muni.calendar.exception.non_working_days', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_date_unique', Unique(t, t.company, t.date),
                'muni_base.msg_calendar_exception_date_unique'),
            ]
        cls._order.insert(0, ('date', 'DESC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def non_working_days(cls, company, year):
        key = (company.id, year)
        days = cls._non_working_cache.get(key)
        if days is not None:
            return days
        if not company.country:
            raise CalendarError(gettext(
                    'muni_base.msg_company_no_country',
                    company=company.rec_name))
        if company.country.code not in holidays.list_supported_countries():
            raise CalendarError(gettext(
                    'muni_base.msg_calendar_country_unsupported',
                    country=company.country.rec_name))
        days = set(national_non_working_days(company.country.code, year))
        # The calendar is the municipality's, whoever asks for a deadline.
        with without_check_access():
            exceptions = cls.search([
                    ('company', '=', company.id),
                    ('date', '>=', dt.date(year, 1, 1)),
                    ('date', '<=', dt.date(year, 12, 31)),
                    ])
        for exception in exceptions:
            if exception.kind == 'working':
                days.discard(exception.date)
            else:
                days.add(exception.date)
        days = frozenset(days)
        cls._non_working_cache.set(key, days)
        return days

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        cls._non_working_cache.clear()


class DeadlineStart(ModelView):
    __name__ = 'muni.calendar.deadline.start'
    __string__ = "Deadline Calculator"

    company = fields.Many2One('company.company', "Company", required=True)
    date = fields.Date(
        "Date", required=True,
        help="The day the time limit starts from, e.g. the registration date.")
    days = fields.Integer(
        "Working Days", required=True,
        help="The number of working days to add; "
        "0 gives the date itself or the next working day, "
        "a negative number counts backwards.")
    deadline = fields.Date("Deadline", readonly=True)
    working_day = fields.Boolean("Date Is a Working Day", readonly=True)

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_days():
        return 0

    @fields.depends('company', 'date', 'days')
    def on_change_with_deadline(self):
        if self.company and self.date and self.days is not None:
            return self.company.add_working_days(self.date, self.days)

    @fields.depends('company', 'date')
    def on_change_with_working_day(self):
        if self.company and self.date:
            return self.company.is_working_day(self.date)


class Deadline(Wizard):
    __name__ = 'muni.calendar.deadline'

    start = StateView(
        'muni.calendar.deadline.start',
        'muni_base.calendar_deadline_start_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])
