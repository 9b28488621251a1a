# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from muni_base.settlement import fields_clause

from .exceptions import RegisterFormatError

DIRECTIONS = [
    ('incoming', "Incoming"),
    ('outgoing', "Outgoing"),
    ('internal', "Internal"),
    ]


class Register(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'muni.document.register'
    __string__ = "Document Register"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT')
    name = fields.Char("Name", required=True)
    index = fields.Char(
        "Nomenclature Index",
        help="The index of the register in the nomenclature of files, "
        "printed in front of every number (e.g. 94-00).")
    direction = fields.Selection(
        DIRECTIONS, "Direction", required=True,
        help="Incoming registers receive letters, outgoing registers "
        "send replies; a general register can hold all three.")
    directions = fields.MultiSelection(
        DIRECTIONS, "Allowed Directions",
        help="The directions of the documents the register accepts; "
        "empty accepts only its own direction.")
    number_format = fields.Char(
        "Number Format", required=True,
        help="Python format of the registration number with the "
        "placeholders {index}, {sequence}, {year} and {date}, "
        "e.g. {index}-{sequence}/{date:%d.%m.%Y}.")
    continuation_format = fields.Char(
        "Continuation Format", required=True,
        help="Format of the number of a follow-up document in the same "
        "case: the placeholders of the number format plus {continuation}; "
        "{sequence} is the one of the first document and {date} the "
        "date of the follow-up.")
    groups = fields.Many2Many(
        'muni.document.register-res.group', 'register', 'group',
        "Reader Groups",
        help="Members of these groups see the non-confidential "
        "documents of the register.")
    counters = fields.One2Many(
        'muni.document.register.counter', 'register', "Counters",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_direction(cls):
        return 'incoming'

    @classmethod
    def default_number_format(cls):
        return '{index}-{sequence}/{date:%d.%m.%Y}'

    @classmethod
    def default_continuation_format(cls):
        return '{index}-{sequence}-{continuation}/{date:%d.%m.%Y}'

    def get_rec_name(self, name):
        if self.index:
            return f'{self.index} - {self.name}'
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        return fields_clause(clause, 'name', 'index')

    def accepts(self, direction):
        return direction in (self.directions or [self.direction])

    @classmethod
    def validate_fields(cls, registers, field_names):
        super().validate_fields(registers, field_names)
        cls.check_formats(registers, field_names)

    @classmethod
    def check_formats(cls, registers, field_names=None):
        if field_names and not (
                field_names & {'number_format', 'continuation_format'}):
            return
        for register in registers:
            for field in ['number_format', 'continuation_format']:
                format_ = getattr(register, field)
                try:
                    register._format(format_, 1, dt.date.today(), 1)
                except (KeyError, ValueError, IndexError, TypeError,
                        AttributeError) as exception:
                    raise RegisterFormatError(gettext(
                            'muni_docs.msg_register_invalid_format',
                            register=register.rec_name,
                            format=format_,
                            exception=exception)) from exception

    def _format(self, format_, sequence, date, continuation=None):
        return format_.format(
            index=self.index or '', sequence=sequence, year=date.year,
            date=date, continuation=continuation)

    def format_number(self, sequence, date):
        return self._format(self.number_format, sequence, date)

    def format_continuation(self, sequence, date, continuation):
        return self._format(
            self.continuation_format, sequence, date, continuation)

    def next_sequence(self, year):
        """Return the next number of the year; the caller must hold the lock
        of the register (taken by the registration)"""
        pool = Pool()
        Counter = pool.get('muni.document.register.counter')
        with without_check_access():
            counters = Counter.search([
                    ('register', '=', self.id),
                    ('year', '=', year),
                    ], limit=1)
            if counters:
                counter, = counters
                counter.last_number += 1
            else:
                counter = Counter(register=self, year=year, last_number=1)
            counter.save()
        return counter.last_number


class RegisterGroup(ModelSQL):
    __name__ = 'muni.document.register-res.group'
    __string__ = "Register - Group"

    register = fields.Many2One(
        'muni.document.register', "Register", required=True,
        ondelete='CASCADE')
    group = fields.Many2One(
        'res.group', "Group", required=True, ondelete='CASCADE')


class RegisterCounter(ModelSQL, ModelView):
    __name__ = 'muni.document.register.counter'
    __string__ = "Register Counter"

    register = fields.Many2One(
        'muni.document.register', "Register", required=True,
        ondelete='CASCADE', readonly=True)
    year = fields.Integer("Year", required=True, readonly=True)
    last_number = fields.Integer(
        "Last Number", required=True, readonly=True,
        domain=[('last_number', '>=', 0)],
        help="The last number given in the year; numbers are never reused.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('register')
        t = cls.__table__()
        cls._sql_constraints += [
            ('register_year_unique', Unique(t, t.register, t.year),
                'muni_docs.msg_register_counter_unique'),
            ]
        cls._order.insert(0, ('year', 'DESC'))

    @classmethod
    def check_modification(cls, mode, counters, values=None, external=False):
        super().check_modification(
            mode, counters, values=values, external=external)
        if external:
            raise AccessError(gettext(
                    'muni_docs.msg_register_counter_readonly'))
