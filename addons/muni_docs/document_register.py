# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import zlib

from sql import Conflict, Literal, Null
from sql.operators import Exists
from sql.aggregate import Max
from sql.conditionals import Coalesce, Greatest
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
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
        RegisterCounter.take counts on a connection of its own."""
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


class RegisterCounter(ModelSQL, ModelView):
    __name__ = 'muni.document.register.counter'
    __string__ = "Register Counter"

    register = fields.Many2One(
        'muni.document.register', "Register", required=True, readonly=True,
        ondelete='RESTRICT')
    year = fields.Integer("Year", required=True, readonly=True)
    last_number = fields.Integer(
        "Last Number", required=True, readonly=True,
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
    def __register__(cls, module):
        super().__register__(module)
        # Migration from 8.0.0: the last numbers were computed from the
        # documents; the counters start from the highest number given
        cls.raise_to_documents()

    @classmethod
    def raise_to_documents(cls, registers=None):
        """Raise the counters to the highest number of the documents of
        their register and year, creating the missing ones"""
        pool = Pool()
        Document = pool.get('muni.document')
        if not backend.TableHandler.table_exist(Document._table):
            return
        counter = cls.__table__()
        other = cls.__table__()
        document = Document.__table__()
        cursor = Transaction().connection.cursor()
        where = document.sequence != Null
        if registers is not None:
            where &= document.book.in_([int(r) for r in registers])
        cursor.execute(*counter.insert(
                [counter.register, counter.year, counter.last_number,
                    counter.create_uid, counter.create_date],
                document.select(
                    document.book, document.year, Max(document.sequence),
                    Literal(0), CurrentTimestamp(),
                    where=where & ~Exists(other.select(
                            Literal(1),
                            where=(other.register == document.book)
                            & (other.year == document.year))),
                    group_by=[document.book, document.year])))
        highest = document.select(
            Max(document.sequence),
            where=(document.book == counter.register)
            & (document.year == counter.year))
        cursor.execute(*counter.update(
                [counter.last_number], [highest],
                where=counter.last_number < highest))

    @classmethod
    def take(cls, counts):
        """Take counts[register id, year] numbers from the counters and
        return the last number given before them per key; the caller holds
        the lock_numbering of the registers

        The counters only go up: a number is never given twice, even if
        its document disappeared. On PostgreSQL they are counted on a
        connection of the numbering (see NumberingConnection), committed
        just after the transaction."""
        transaction = Transaction()
        if backend.name == 'postgresql':
            numbering = transaction.join(
                NumberingConnection(transaction.database))
            cursor = numbering.cursor()
        else:
            # the other databases have one writer at a time
            cursor = transaction.connection.cursor()
        last = {}
        for (register, year), count in sorted(counts.items()):
            total = cls._increment(cursor, register, year, count)
            if total is None:
                cls._insert(cursor, register, year)
                total = cls._increment(cursor, register, year, count)
            last[register, year] = total - count
        return last

    @classmethod
    def _increment(cls, cursor, register, year, count):
        pool = Pool()
        Document = pool.get('muni.document')
        counter = cls.__table__()
        document = Document.__table__()
        where = (counter.register == register) & (counter.year == year)
        # Never below the documents: a counter lost with its transaction
        # (a crash between the two commits) is caught up with them
        highest = document.select(
            Coalesce(Max(document.sequence), 0),
            where=(document.book == register) & (document.year == year))
        update = counter.update(
            [counter.last_number, counter.write_uid, counter.write_date],
            [Greatest(counter.last_number, highest) + count,
                Transaction().user, CurrentTimestamp()],
            where=where)
        if backend.name == 'postgresql':
            update.returning = [counter.last_number]
            cursor.execute(*update)
            row = cursor.fetchone()
        else:
            cursor.execute(*update)
            cursor.execute(*counter.select(counter.last_number, where=where))
            row = cursor.fetchone()
        return row[0] if row else None

    @classmethod
    def _insert(cls, cursor, register, year):
        counter = cls.__table__()
        insert = counter.insert(
            [counter.register, counter.year, counter.last_number,
                counter.create_uid, counter.create_date],
            [[register, year, 0, Transaction().user, CurrentTimestamp()]])
        if backend.name == 'postgresql':
            # The first registration of the year in another transaction
            # may have created it: wait for it and keep it
            insert.on_conflict = Conflict(
                counter, indexed_columns=[counter.register, counter.year])
        cursor.execute(*insert)

    @classmethod
    def check_modification(cls, mode, counters, values=None, external=False):
        super().check_modification(
            mode, counters, values=values, external=external)
        if external or mode == 'delete':
            raise AccessError(gettext(
                    'muni_docs.msg_register_counter_readonly'))


class NumberingConnection:
    """The connection on which a transaction counts its registration
    numbers on PostgreSQL, committed just after the transaction and rolled
    back with it

    Trytond's transactions read a snapshot (repeatable read): one that
    waited for the lock_numbering of a register cannot update a counter
    row committed since its snapshot without failing. This connection reads
    committed (each statement sees the last commit), and its update of the
    counter waits for the numbering connection of the registration before,
    which commits right after its transaction."""

    def __init__(self, database):
        self.database = database
        self.connection = None

    def __eq__(self, other):
        return isinstance(other, NumberingConnection)

    def __hash__(self):
        return hash(NumberingConnection)

    def cursor(self):
        if self.connection is None:
            from psycopg import IsolationLevel
            connection = self.database.get_connection()
            connection.isolation_level = IsolationLevel.READ_COMMITTED
            self.connection = connection
        return self.connection.cursor()

    def tpc_begin(self, transaction):
        pass

    def commit(self, transaction):
        pass

    def tpc_vote(self, transaction):
        pass

    def tpc_finish(self, transaction):
        self._end(commit=True)

    def tpc_abort(self, transaction):
        self._end(commit=False)

    def _end(self, commit):
        connection, self.connection = self.connection, None
        if connection is None:
            return
        try:
            if commit:
                connection.commit()
            else:
                connection.rollback()
        finally:
            self.database.put_connection(connection)
