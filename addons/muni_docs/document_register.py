# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import zlib
from functools import reduce
from operator import or_

from sql import Literal, Null
from sql.aggregate import Max, Min
from sql.conditionals import Coalesce
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction

from muni_base.settlement import fields_clause

from .exceptions import RegisterFormatError

DIRECTIONS = [
    ('incoming', "Incoming"),
    ('outgoing', "Outgoing"),
    ('internal', "Internal"),
    ]
# The first key of the PostgreSQL advisory locks of the numbering, the
# second being the register id
NUMBERING_LOCK = zlib.crc32(b'muni.document.register') & 0x7fffffff


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
    numbers = fields.One2Many(
        'muni.document.register.numbers', 'register', "Numbers Given",
        readonly=True,
        help="The numbers each registration took, never changed nor "
        "deleted.")

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

    @classmethod
    def lock_numbering(cls, registers):
        """Make the registrations in the registers wait for each other until
        the end of the transaction

        On PostgreSQL a blocking advisory lock per register: the second
        registration waits for the first to commit instead of restarting.
        Its snapshot then misses the number just given, so
        RegisterNumbers.last_numbers reads them on a connection of its
        own."""
        registers = sorted(set(registers), key=int)
        if backend.name == 'postgresql':
            cursor = Transaction().connection.cursor()
            for register in registers:
                cursor.execute('SELECT pg_advisory_xact_lock(%s, %s)',
                    (NUMBERING_LOCK, register.id))
        else:
            # The other databases have one writer at a time
            cls.lock(registers)


class RegisterGroup(ModelSQL):
    __name__ = 'muni.document.register-res.group'
    __string__ = "Register - Group"

    register = fields.Many2One(
        'muni.document.register', "Register", required=True,
        ondelete='CASCADE')
    group = fields.Many2One(
        'res.group', "Group", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('register')


class RegisterNumbers(ModelSQL, ModelView):
    __name__ = 'muni.document.register.numbers'
    __string__ = "Register Numbers Given"

    register = fields.Many2One(
        'muni.document.register', "Register", required=True, readonly=True,
        ondelete='RESTRICT')
    year = fields.Integer("Year", required=True, readonly=True)
    first_number = fields.Integer("First Number", readonly=True)
    last_number = fields.Integer("Last Number", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('register')
        t = cls.__table__()
        cls._sql_constraints += [
            ('register_year_last_unique',
                Unique(t, t.register, t.year, t.last_number),
                'muni_docs.msg_register_numbers_unique'),
            ]
        cls._sql_indexes.add(
            Index(t,
                (t.register, Index.Equality()),
                (t.year, Index.Equality()),
                (t.last_number, Index.Range())))
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        # Migration from 8.0.0: the last numbers were computed from the
        # documents; the numbers given start from the highest of them
        cls.catch_up_documents()

    @classmethod
    def catch_up_documents(cls):
        """Record as given the numbers of the documents above the last
        number given of their register and year"""
        pool = Pool()
        Document = pool.get('muni.document')
        if not backend.TableHandler.table_exist(Document._table):
            return
        numbers = cls.__table__()
        document = Document.__table__()
        cursor = Transaction().connection.cursor()
        given = numbers.select(
            Max(numbers.last_number),
            where=(numbers.register == document.book)
            & (numbers.year == document.year))
        cursor.execute(*numbers.insert(
                [numbers.register, numbers.year, numbers.first_number,
                    numbers.last_number, numbers.create_uid,
                    numbers.create_date],
                document.select(
                    document.book, document.year, Coalesce(given, 0) + 1,
                    Max(document.sequence), Literal(0), CurrentTimestamp(),
                    where=document.sequence != Null,
                    group_by=[document.book, document.year],
                    having=Max(document.sequence) > Coalesce(given, 0))))

    @classmethod
    def last_numbers(cls, keys):
        """Return the last number given per (register id, year) of keys, 0
        for none; the caller must hold the lock_numbering of the registers

        On PostgreSQL the numbers given since the snapshot of the
        transaction are read on a connection of its own."""
        numbers = cls.__table__()
        transaction = Transaction()
        keys = set(keys)
        last = dict.fromkeys(keys, 0)
        if not keys:
            return last
        query = numbers.select(
            numbers.register, numbers.year, Max(numbers.last_number),
            where=reduce(or_, (
                    (numbers.register == r) & (numbers.year == y)
                    for r, y in sorted(keys))),
            group_by=[numbers.register, numbers.year])

        def fetch(cursor):
            cursor.execute(*query)
            for register, year, number in cursor:
                last[register, year] = max(last[register, year], number)
        # The numbers given in this transaction
        fetch(transaction.connection.cursor())
        if backend.name == 'postgresql':
            # Those committed since the snapshot of this transaction
            database = transaction.database
            connection = database.get_connection(autocommit=True)
            try:
                fetch(connection.cursor())
            finally:
                database.put_connection(connection)
        return last

    @classmethod
    def add(cls, given):
        """Record the numbers given: given[register id, year] is the first
        and the last number"""
        numbers = cls.__table__()
        if not given:
            return
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        rows = [
            [register, year, first, last_, transaction.user,
                CurrentTimestamp()]
            for (register, year), (first, last_) in sorted(given.items())]
        cursor.execute(*numbers.insert(
                [numbers.register, numbers.year, numbers.first_number,
                    numbers.last_number, numbers.create_uid,
                    numbers.create_date],
                rows))

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        # Only added, by the registration: never changed nor deleted, by
        # anyone
        if external or mode in {'write', 'delete'}:
            raise AccessError(gettext(
                    'muni_docs.msg_register_counter_readonly'))


class RegisterCounter(ModelSQL, ModelView):
    __name__ = 'muni.document.register.counter'
    __string__ = "Register Counter"

    register = fields.Many2One(
        'muni.document.register', "Register", required=True, readonly=True)
    year = fields.Integer("Year", required=True, readonly=True)
    last_number = fields.Integer(
        "Last Number", required=True, readonly=True,
        help="The last number given in the year; numbers are never reused.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('register')
        cls._order.insert(0, ('year', 'DESC'))

    @classmethod
    def __register__(cls, module):
        # The counters were a table updated by each registration
        if backend.TableHandler.table_exist(cls._table):
            backend.TableHandler.drop_table(cls.__name__, cls._table)
        super().__register__(module)

    @classmethod
    def table_query(cls):
        "The last number given per register and year"
        pool = Pool()
        Numbers = pool.get('muni.document.register.numbers')
        numbers = Numbers.__table__()
        return numbers.select(
            Min(numbers.id).as_('id'),
            numbers.register.as_('register'),
            numbers.year.as_('year'),
            Max(numbers.last_number).as_('last_number'),
            group_by=[numbers.register, numbers.year])
