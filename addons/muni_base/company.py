# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.model import fields
from trytond.pool import Pool, PoolMeta


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    localisation = fields.Selection([
            (None, ""),
            ], "Localisation",
        help="The country rules the municipality works by: "
        "each localisation module adds its own.")
    country = fields.Many2One(
        'country.country', "Country", ondelete='RESTRICT',
        help="The country whose public holidays define the working days.")
    calendar_exceptions = fields.One2Many(
        'muni.calendar.exception', 'company', "Calendar Exceptions",
        help="Local exceptions to the national calendar: "
        "a moved working Saturday, a decreed day off.")
    zones = fields.One2Many('muni.zone', 'company', "Zones")

    @fields.depends('localisation', 'country')
    def on_change_localisation(self):
        pool = Pool()
        Country = pool.get('country.country')
        # Localisation values are ISO 3166 alpha-2 codes in lower case.
        if self.localisation and not self.country:
            countries = Country.search([
                    ('code', '=', self.localisation.upper()),
                    ], limit=1)
            if countries:
                self.country, = countries

    @classmethod
    def on_modification(cls, mode, companies, field_names=None):
        pool = Pool()
        PartyCompany = pool.get('muni.party.company')
        super().on_modification(mode, companies, field_names=field_names)
        if mode == 'create' or (mode == 'write' and 'party' in field_names):
            PartyCompany.link_pairs(
                [(c, c.party) for c in companies], 'company')

    def is_working_day(self, date):
        CalendarException = Pool().get('muni.calendar.exception')
        return date not in CalendarException.non_working_days(
            self, date.year)

    def next_working_day(self, date):
        "Return the date itself when it is a working day, else the next one"
        while not self.is_working_day(date):
            date += dt.timedelta(days=1)
        return date

    def add_working_days(self, date, days):
        """Return the date `days` working days after `date`
        (before it when `days` is negative)"""
        if not days:
            return self.next_working_day(date)
        step = dt.timedelta(days=1 if days > 0 else -1)
        remaining = abs(days)
        while remaining:
            date += step
            if self.is_working_day(date):
                remaining -= 1
        return date

    def working_days_between(self, start, end):
        "Count the working days after start up to and including end"
        count, date = 0, start
        while date < end:
            date += dt.timedelta(days=1)
            if self.is_working_day(date):
                count += 1
        return count
