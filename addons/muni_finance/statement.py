# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Bank statements: MT940 and camt.053 imported whole or refused whole,
every line posted to the suspense account, the receipts whose reason names
exactly one taxpayer allocated and posted as payments, the others kept in
suspense on the accountant's worklist."""
import datetime as dt
import hashlib
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from io import StringIO
from itertools import groupby

from lxml import etree
from mt940 import MT940
from sql.aggregate import Sum

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.tools import timezone as tz
from trytond.transaction import (
    Transaction, record_cache_size)
from trytond.wizard import Button, StateTransition, StateView, Wizard

from muni_base.export import FormulaSafeExport

from .bank_file import (
    Unreadable, camt_dates, excerpt, iso_date, mt940_check, mt940_decode,
    mt940_marker, mt940_pages, mt940_text, one_line, parse_xml,
    statement_account)
from .exceptions import (
    StatementError, StatementImportError, StatementImportWarning)
from .exchange_rate import check_rates
from .sampling import (
    FREE_TEXT, ValidatedBySample, digits_regular, save_checked, sampling,
    stored, write_checked)

RECEIPT_STATES = [
    (None, ""),
    ('matched', "Matched"),
    ('ambiguous', "Ambiguous"),
    ('unknown', "Unknown"),
    ('allocated', "Allocated"),
    ('not_receipt', "Not a Receipt"),
    ]
# The receipts the accountant allocates by hand (Receipts to Clear)
TO_CLEAR = ['ambiguous', 'unknown']
# camt.052/053/054 versions the import reads: their structure is the same
# for what a statement needs (balances, entries, remittance information)
CAMT_NAMESPACE = re.compile(
    r'^urn:iso:std:iso:20022:tech:xsd:camt\.05[234]\.001\.(\d{2})$')
CAMT_VERSIONS = {'02', '03', '04', '05', '06', '07', '08'}
# What a broken file raises while it is read
PARSE_ERRORS = (
    etree.XMLSyntaxError, ValueError, TypeError, KeyError, IndexError,
    AttributeError, InvalidOperation, UnicodeDecodeError)
# Subfield markers of field 86 (?20, ?21 …) and SWIFT tags (/EREF/ …)
FIELD_86_MARKS = re.compile(r'\?\d{2}')
# The words of a payment reason: letters of any script and digits, with
# the hyphens and slashes inside a reference
TOKEN = re.compile(r'[^\W_]+(?:[-/][^\W_]+)*')
PAYMENT_SLICE = 250
# The receipts of a day are posted in moves of at most this many lines:
# account posts and checks a move's lines as one list, which a whole day's
# file of a town would make grow faster than the file
RECEIPTS_PER_MOVE = 500
RECEIPT_FIELDS = {
    'receipt_state', 'receipt_taxpayer', 'receipt_revenue_type',
    'receipt_candidates', 'receipt_payment'}
# A private context key (RPC strips the keys starting with "_"): the ids of
# the statements whose receipts Statement.receive validates and posts; for
# them, and them only, what account_statement does is done from the stored
# values of their lines
RECEIVING = '_muni_receiving'


def receiving(statement_ids):
    "Whether the statements are all being received (Statement.receive)"
    ids = Transaction().context.get(RECEIVING) or ()
    return all(i in ids for i in statement_ids)


def reason_text(text):
    "The payment reason without the subfield markers of field 86"
    return FIELD_86_MARKS.sub(' ', text or '')


def reason_tokens(text, token=TOKEN):
    """Return the tokens of a payment reason (a reason_text), with the parts
    of those whose parts hyphens or slashes join

    >>> sorted(reason_tokens('ЕГН 7523169263 ref 12/2026'))
    ['12', '12/2026', '2026', '7523169263', 'ref', 'ЕГН']"""
    tokens = set(token.findall(text))
    for found in list(tokens):
        for part in re.split(r'[-/]', found):
            tokens.add(part)
    return tokens


def statement_digits(rows):
    "The digits of the currency of each statement of the rows, by id"
    Statement = Pool().get('account.statement')
    return {s.id: s.journal.currency.digits for s in Statement.browse(
            list({r['statement'] for r in rows}))}


class StatementImport(metaclass=PoolMeta):
    __name__ = 'account.statement.import'

    def do_import_(self, action):
        """Import the statements of the file or refuse the file whole with
        the reason"""
        file_format = self.start.file_format
        parse = getattr(self, 'parse_%s' % file_format)
        try:
            statements = list(parse())
        except StatementImportError:
            raise
        except (Unreadable,) + PARSE_ERRORS as exception:
            raise StatementImportError(gettext(
                    'muni_finance.msg_statement_unparsable',
                    format=self.muni_format(),
                    reason=self.muni_reason(exception))) from exception
        if not statements:
            raise StatementImportError(gettext(
                    'muni_finance.msg_statement_empty',
                    format=self.muni_format()))
        for statement in statements:
            self.muni_check(statement)
        self.muni_check_duplicates(statements)
        self.muni_check_opening(statements)
        for statement in statements:
            statement.origin_file = fields.Binary.cast(self.start.file_)
        self.muni_save(statements)
        self.start.file_ = None
        data = {'res_id': list(map(int, statements))}
        if len(statements) == 1:
            action['views'].reverse()
        return action, data

    @staticmethod
    def muni_save(statements):
        """Save the statements, then their origins: built from the file and
        validated by sample (StatementOrigin)"""
        pool = Pool()
        Statement = pool.get('account.statement')
        origins = {s: list(s.origins) for s in statements}
        for statement in statements:
            statement.origins = []
        Statement.save(statements)
        for statement, statement_origins in origins.items():
            for origin in statement_origins:
                origin.statement = statement
        save_checked([o for os in origins.values() for o in os])

    def muni_format(self):
        "The name of the file format the clerk chose"
        pool = Pool()
        Start = pool.get('account.statement.import.start')
        selection = Start.fields_get(['file_format'])['file_format'][
            'selection']
        return dict(selection).get(self.start.file_format,
            self.start.file_format)

    def muni_reason(self, exception):
        """Return why the file cannot be read, in the clerk's words: never
        the text of a Python exception"""
        if isinstance(exception, Unreadable):
            values = dict(exception.values)
            if 'field' in values:
                values['field'] = gettext(
                    'muni_finance.msg_statement_mt940_field_%s'
                    % values['field'])
            return gettext('muni_finance.%s' % exception.message, **values)
        elif isinstance(exception, etree.XMLSyntaxError):
            return gettext('muni_finance.msg_statement_reason_xml',
                line=exception.lineno)
        return gettext('muni_finance.msg_statement_reason_damaged')

    def muni_tzinfo(self):
        "The time zone of the company, in which the bank's times are read"
        company = self.start.company
        if company and company.timezone:
            return tz.get_tzinfo(company.timezone)

    def muni_check(self, statement):
        "Refuse a statement whose balances do not add up or seen before"
        pool = Pool()
        Statement = pool.get('account.statement')
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        currency = statement.journal.currency
        total = sum((o.amount for o in statement.origins), Decimal(0))
        start, end = statement.start_balance, statement.end_balance
        if start is None or end is None:
            if statement.journal.validation == 'balance':
                raise StatementImportError(gettext(
                        'muni_finance.msg_statement_no_balance',
                        statement=statement.name))
        elif start + total != end:
            raise StatementImportError(gettext(
                    'muni_finance.msg_statement_unbalanced',
                    statement=statement.name,
                    start=lang.currency(start, currency),
                    total=lang.currency(total, currency),
                    computed=lang.currency(start + total, currency),
                    end=lang.currency(end, currency)))
        if (getattr(statement, 'total_amount', None) is not None
                and statement.total_amount != total):
            raise StatementImportError(gettext(
                    'muni_finance.msg_statement_wrong_total',
                    statement=statement.name,
                    total=lang.currency(statement.total_amount, currency),
                    computed=lang.currency(total, currency)))
        if Statement.search([
                    ('company', '=', statement.company.id),
                    ('journal', '=', statement.journal.id),
                    ('name', '=', statement.name),
                    ('date', '=', statement.date),
                    ('state', '!=', 'cancelled'),
                    ], limit=1):
            raise StatementImportError(gettext(
                    'muni_finance.msg_statement_duplicate',
                    statement=statement.name, date=statement.date))

    @staticmethod
    def muni_content(statement):
        """Return what a statement says, whatever the layout of its file and
        the day the file was made: its account, day, balances and lines"""
        return (statement.journal.id, statement.date,
            statement.start_balance, statement.end_balance,
            tuple(sorted(
                    (o.date, o.amount, o.number or '', o.description or '')
                    for o in statement.origins)))

    def muni_check_duplicates(self, statements):
        """Refuse a file that holds a statement twice, or a statement
        imported before under another name or day (a file downloaded
        again)"""
        pool = Pool()
        Statement = pool.get('account.statement')
        contents = set()
        for statement in statements:
            content = self.muni_content(statement)
            if content in contents:
                raise StatementImportError(gettext(
                        'muni_finance.msg_statement_duplicate_in_file',
                        statement=statement.name, date=statement.date))
            contents.add(content)
            for other in Statement.search([
                        ('company', '=', statement.company.id),
                        ('journal', '=', statement.journal.id),
                        ('date', '=', statement.date),
                        ('start_balance', '=', statement.start_balance),
                        ('end_balance', '=', statement.end_balance),
                        ('state', '!=', 'cancelled'),
                        ], order=[('id', 'ASC')]):
                if self.muni_content(other) == content:
                    raise StatementImportError(gettext(
                            'muni_finance.msg_statement_duplicate_content',
                            statement=statement.name, date=statement.date,
                            other=other.name))

    def muni_check_opening(self, statements):
        """Warn of a statement whose opening balance is not the closing
        balance of the statement before it in its journal: one is missing
        in between, or was imported twice"""
        pool = Pool()
        Statement = pool.get('account.statement')
        Warning = pool.get('res.user.warning')
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        last = {}
        # sorted is stable: the pages of a day in the order of the file
        for statement in sorted(statements, key=lambda s: s.date):
            journal = statement.journal
            previous = last.get(journal.id)
            if previous is None:
                previous = next(iter(Statement.search([
                                ('company', '=', statement.company.id),
                                ('journal', '=', journal.id),
                                ('date', '<=', statement.date),
                                ('state', '!=', 'cancelled'),
                                ],
                            order=[('date', 'DESC'), ('id', 'DESC')],
                            limit=1)), None)
            last[journal.id] = statement
            if (previous is None
                    or None in {previous.end_balance, statement.start_balance}
                    or previous.end_balance == statement.start_balance):
                continue
            digest = hashlib.sha256(
                repr(self.muni_content(statement)).encode()).hexdigest()
            key = 'muni_finance.statement_opening.%s' % digest[:32]
            if Warning.check(key):
                currency = journal.currency
                raise StatementImportWarning(key, gettext(
                        'muni_finance.msg_statement_opening_balance',
                        statement=statement.name, date=statement.date,
                        start=lang.currency(statement.start_balance, currency),
                        other=previous.name, other_date=previous.date,
                        previous=lang.currency(
                            previous.end_balance, currency)))

    def parse_mt940(self, encoding=None):
        """Read the statements of an MT940 file once each field is checked:
        UTF-8 or the encoding of the banks of the account's country
        (bank_file.mt940_decode), CRLF or LF, a statement in pages"""
        text, _ = mt940_decode(
            self.start.file_, encoding, country=self.muni_country())
        mt940_check(text)
        # the bank's marker of subfields, for a field that starts with text
        self.muni_marker = mt940_marker(text)
        # the loop of account_statement_mt940, on the text checked, decoded
        # and with the pages' balances as the mt940 library reads them
        mt940 = MT940(StringIO(mt940_pages(text)))
        for mt940_statement in mt940.statements:
            statement = self.mt940_statement(mt940_statement)
            statement.name = one_line(statement.name)
            origins = []
            for transaction in mt940_statement.transactions:
                origins.extend(self.mt940_origin(mt940_statement, transaction))
            statement.origins = origins
            yield statement

    def muni_country(self):
        "The country code of the company, whose banks' encodings are tried"
        company = self.start.company
        if company and getattr(company, 'country', None):
            return company.country.code

    def mt940_statement(self, mt940_statement):
        account, currency = self.mt940_statement_account_currency(
            mt940_statement)
        self.muni_journal(mt940_statement.account, account,
            currency or mt940_statement.start_balance.currency)
        return super().mt940_statement(mt940_statement)

    def mt940_statement_account_currency(self, mt940_statement):
        """The account of :25: as an IBAN, compact, whatever the bank
        writes around it (bank_file.statement_account)"""
        if self.start.mt940_bank:
            return super().mt940_statement_account_currency(mt940_statement)
        return statement_account(mt940_statement.account)

    def muni_journal(self, written, account, currency):
        """Refuse the file, naming the account as the bank wrote it, unless
        a statement journal of the company is on the account in the
        currency"""
        pool = Pool()
        Journal = pool.get('account.statement.journal')
        company = self.start.company
        if Journal.get_by_bank_account(company, account, currency=currency):
            return
        journals = Journal.search([
                ('company', '=', company.id),
                ['OR',
                    ('bank_account.numbers.number', '=', account),
                    ('bank_account.numbers.number_compact', '=', account),
                    ],
                ])
        written = one_line(written) or account
        if not journals:
            raise StatementImportError(gettext(
                    'muni_finance.msg_statement_no_journal',
                    account=written, company=company.rec_name))
        # one journal per bank account (account_statement): on the account
        # but not in the currency of the file
        raise StatementImportError(gettext(
                'muni_finance.msg_statement_journal_currency',
                account=written, currency=currency,
                journals=', '.join('%s (%s)' % (j.rec_name, j.currency.code)
                    for j in journals)))

    def mt940_origin(self, mt940_statement, transaction):
        origins = super().mt940_origin(mt940_statement, transaction)
        for origin in origins:
            # the lines as the text reads, the subfields of field 86 (?20,
            # ^20, +20, ~20 as the bank marks them) as words
            origin.description = mt940_text(transaction.description,
                marker=getattr(self, 'muni_marker', None))
            origin.number = one_line(origin.number)
        return origins

    def parse_camt(self):
        "Read camt.052/053/054 versions 02 to 08, whatever their prefix"
        root = parse_xml(self.start.file_)
        namespace = etree.QName(root).namespace or ''
        match = CAMT_NAMESPACE.match(namespace)
        if not match or match.group(1) not in CAMT_VERSIONS:
            raise StatementImportError(gettext(
                    'muni_finance.msg_statement_camt_version',
                    namespace=namespace))
        camt_dates(root, self.muni_tzinfo())
        for camt_statement in root.xpath(
                './*[local-name()="BkToCstmrStmt"]/*[local-name()="Stmt"]'
                ' | ./*[local-name()="BkToCstmrAcctRpt"]'
                '/*[local-name()="Rpt"]'
                ' | ./*[local-name()="BkToCstmrDbtCdtNtfctn"]'
                '/*[local-name()="Ntfctn"]'):
            try:
                statement = self.camt_statement(camt_statement)
            except PARSE_ERRORS as exception:
                raise Unreadable('msg_statement_reason_camt_statement',
                    statement=excerpt(
                        camt_statement.findtext('./{*}Id')) or '?',
                    line=camt_statement.sourceline) from exception
            statement.name = one_line(statement.name)
            origins = []
            for entry in camt_statement.iterfind('./{*}Ntry'):
                try:
                    origins.extend(self.camt_origin(camt_statement, entry))
                except PARSE_ERRORS as exception:
                    raise Unreadable('msg_statement_reason_camt_entry',
                        statement=excerpt(statement.name) or '?',
                        line=entry.sourceline) from exception
            statement.number_of_lines = len(origins)
            statement.origins = origins
            yield statement

    def camt_statement(self, camt_statement):
        written = super().camt_account_number(camt_statement)
        account, currency = statement_account(written)
        self.muni_journal(written, account,
            self.camt_account_currency(camt_statement) or currency)
        return super().camt_statement(camt_statement)

    def camt_account_number(self, camt_statement):
        "The IBAN of the statement, compact"
        number = super().camt_account_number(camt_statement)
        return statement_account(number)[0] if number else number

    parse_camt_052_001 = parse_camt
    parse_camt_053_001 = parse_camt
    parse_camt_054_001 = parse_camt

    def camt_statement_date(self, camt_statement):
        """The day the statement closes on, not the day its file was made
        (CreDtTm, which a file downloaded again changes)"""
        dates = defaultdict(list)
        # the dates as camt_dates wrote them
        for balance in camt_statement.iterfind('./{*}Bal'):
            date = balance.findtext('./{*}Dt/{*}Dt')
            if date:
                dates[balance.findtext('./{*}Tp/{*}CdOrPrtry/{*}Cd')].append(
                    dt.date.fromisoformat(date))
        if dates:
            return max(dates.get('CLBD') or sum(dates.values(), []))
        end = camt_statement.findtext('./{*}FrToDt/{*}ToDtTm')
        if end:
            return iso_date(end, self.muni_tzinfo())
        bookings = camt_statement.xpath(
            './*[local-name()="Ntry"]/*[local-name()="BookgDt"]'
            '/*[local-name()="Dt"]/text()')
        if bookings:
            return max(map(dt.date.fromisoformat, bookings))
        return super().camt_statement_date(camt_statement)

    def camt_statement_balances(self, camt_statement):
        start_balance = end_balance = None
        for balance in camt_statement.iterfind('./{*}Bal'):
            code = balance.findtext('./{*}Tp/{*}CdOrPrtry/{*}Cd')
            if code in {'OPBD', 'PRCD'}:
                start_balance = self._camt_amount(balance)
            elif code == 'CLBD':
                end_balance = self._camt_amount(balance)
        return start_balance, end_balance

    def camt_origin(self, camt_statement, entry):
        # an entry not yet booked is dated by its value date, else by the
        # statement's, not by the day of the import
        date = None
        if entry.find('./{*}BookgDt/{*}Dt') is None:
            value_date = entry.findtext('./{*}ValDt/{*}Dt')
            date = (dt.date.fromisoformat(value_date) if value_date
                else self.camt_statement_date(camt_statement))
        for origin in super().camt_origin(camt_statement, entry):
            if date:
                origin.date = date
            origin.number = one_line(origin.number)
            yield origin

    def camt_description(self, camt_statement, entry):
        "The reasons the payers gave, and the bank's words, on one line"
        texts = entry.xpath(
            './*[local-name()="NtryDtls"]/*[local-name()="TxDtls"]'
            '/*[local-name()="RmtInf"]/*[local-name()="Ustrd"]/text()'
            ' | ./*[local-name()="NtryDtls"]/*[local-name()="TxDtls"]'
            '/*[local-name()="AddtlTxInf"]/text()')
        texts.append(super().camt_description(camt_statement, entry))
        return ' '.join(filter(None, map(one_line, texts)))[:1000] or None


class Statement(metaclass=PoolMeta):
    __name__ = 'account.statement'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'receive': {
                    'invisible': ((Eval('state') != 'draft')
                        | ~Eval('origins', [])),
                    'depends': ['state', 'origins'],
                    },
                })

    @classmethod
    @ModelView.button
    def receive(cls, statements):
        """Post the receipts of the statements to the suspense account and
        allocate those whose reason names exactly one taxpayer"""
        pool = Pool()
        Line = pool.get('account.statement.line')
        Payment = pool.get('muni.payment')
        Configuration = pool.get('muni.finance.configuration')
        config = Configuration(1)
        lines = []
        for statement in statements:
            account = config.get_multivalue(
                'suspense_account', company=statement.company.id)
            if not account:
                raise StatementError(gettext(
                        'muni_finance.msg_statement_no_suspense',
                        company=statement.company.rec_name))
            for origin in statement.origins:
                if origin.lines:
                    continue
                lines.append(Line(
                        statement=statement, origin=origin,
                        number=origin.number, date=origin.date,
                        amount=origin.amount, party=origin.party,
                        description=(origin.description or '')[:1000],
                        account=account))
        Line.match(lines)
        # what posting and allocating will lock, at once: the transaction
        # restarts once, before the work
        matched = [l for l in lines if l.receipt_state == 'matched']
        journals = {c: config.get_multivalue('payment_journal', company=c.id)
            for c in {l.statement.company for l in matched}}
        Payment.lock_for(config,
            [(l.statement.company, l.date, l.receipt_taxpayer)
                for l in matched],
            [(l.statement.company, l.date, l.statement.journal.journal)
                for l in lines]
            + [(l.statement.company, l.date, journals[l.statement.company])
                for l in matched])
        # built from the origins of the statements: validated by sample
        save_checked(lines)
        # A file holds thousands of lines, which account_statement reads in
        # lists of a statement: a record cache of the list's size, as
        # account's own reconciliation does, or each read pushes the others
        # out
        with Transaction().set_context({
                    RECEIVING: tuple(s.id for s in statements),
                    '_record_cache_size': max(
                        record_cache_size(Transaction()),
                        2 * sum(len(s.origins) for s in statements)),
                    }):
            statements = cls.browse(statements)
            cls.validate_statement(statements)
            cls.post(statements)
        Line.allocate([l for l in lines if l.receipt_state == 'matched'])

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, statements):
        """Post the statements; those being received (receive) as
        account_statement's Statement.post (8.0) does, their pending
        origins found with one search"""
        pool = Pool()
        Line = pool.get('account.statement.line')
        Origin = pool.get('account.statement.origin')
        if (not receiving([s.id for s in statements])
                or Origin.search([
                        ('statement', 'in', [s.id for s in statements]),
                        ('pending_amount', '!=', 0),
                        ], limit=1)):
            super().post(statements)
            return
        # the receipts of a file (receive), no origin left pending (with
        # SQL: account_statement computes the pending amount origin by
        # origin, each reading its lines); then what account_statement does
        cls.write(statements, {'state': 'posted'})
        Line.post_move([l for s in statements for l in s.lines])

    def validate_balance(self):
        """Check the balance as account_statement's
        Statement.validate_balance (8.0) does; the lines of a statement
        being received (receive) summed with SQL"""
        pool = Pool()
        Line = pool.get('account.statement.line')
        if not receiving([self.id]):
            return super().validate_balance()
        # the receipts of a file (receive): their amounts summed with SQL,
        # not read through the ORM, the message is account_statement's
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*line.select(Sum(line.amount),
                where=line.statement == self.id))
        total, = cursor.fetchone()
        # SQLite sums a numeric column as a float
        total = Decimal(str(total or 0))
        if self.start_balance + total != self.end_balance:
            super().validate_balance()

    @classmethod
    def create_move(cls, statements):
        """Create the moves of the statements as account_statement's
        Statement.create_move (8.0) does; those of a file's receipts
        (receive) from the stored values of their lines, read once:
        account_statement reads each line's fields through the ORM for each
        list of them, its Function fields again each time, which costs a
        town's file more than its allocation"""
        pool = Pool()
        Line = pool.get('account.statement.line')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Account = pool.get('account.account')
        check_rates(statements)
        if not any(receiving([s.id]) for s in statements):
            return super().create_move(statements)
        names = ['statement', 'origin', 'date', 'amount', 'account',
            'party', 'second_currency', 'related_to', 'receipt_state']
        rows = stored(Line, [l.id for s in statements for l in s.lines],
            names)
        by_statement = defaultdict(list)
        for row in rows:
            by_statement[row['statement']].append(row)
        receipts, others = [], []
        for statement in statements:
            statement_rows = by_statement[statement.id]
            # what get_move_line converts or a module relates is left to
            # account_statement
            if (receiving([statement.id])
                    and (statement.journal.currency
                        == statement.company.currency)
                    and all(r['receipt_state'] and r['origin']
                        and not r['second_currency'] and not r['related_to']
                        for r in statement_rows)):
                receipts.append(statement)
            else:
                others.append(statement)
        moves = super().create_move(others) if others else []
        accounts = {a.id: a for a in Account.browse(list(
                    {r['account'] for s in receipts
                        for r in by_statement[s.id]}))}
        groups = []
        for statement in receipts:
            statement_rows = sorted(
                by_statement[statement.id], key=lambda r: r['origin'])
            for key, group in groupby(statement_rows, key=lambda r: (
                        r['date'], r['origin'] // RECEIPTS_PER_MOVE)):
                group = list(group)
                move = statement._get_move({'date': key[0]})
                groups.append((move, statement, group))
        Move.save([m for m, _, _ in groups])
        to_write, move_lines, result = [], [], []
        for move, statement, group in groups:
            lines = Line.browse([r['id'] for r in group])
            to_write.extend([lines, {'move': move.id}])
            result.append((move, statement, lines))
            amount = Decimal(0)
            for row in group:
                if not row['amount']:
                    continue
                account = accounts[row['account']]
                move_line = MoveLine(
                    move=move, origin=Line(row['id']),
                    debit=-row['amount'] if row['amount'] < 0 else 0,
                    credit=row['amount'] if row['amount'] > 0 else 0,
                    account=account,
                    party=(row['party'] if account.party_required
                        else None))
                amount += move_line.debit - move_line.credit
                move_lines.append(move_line)
            move_line = statement._get_move_line(amount, None, lines)
            move_line.move = move
            move_lines.append(move_line)
        if to_write:
            write_checked(Line, *to_write)
        # built here from the receipts' stored values: validated by sample
        save_checked(move_lines)
        return moves + result

    def _group_key(self, line):
        # the receipts of a day are posted together, each on a line of its
        # own with the statement line as origin: a move per receipt would
        # cost a day's file of a town as much again; by RECEIPTS_PER_MOVE
        # in the order of the file. grouped_lines groups the origins, which
        # have no receipt state, with the same key but the chunk
        key = super()._group_key(line)
        if getattr(line, 'receipt_state', None):
            key = tuple((name, None if name in {'number', 'party'} else value)
                for name, value in key)
            key += (('chunk', (line.origin.id if line.origin else 0)
                    // RECEIPTS_PER_MOVE),)
        return key


class StatementOrigin(
        ValidatedBySample, FormulaSafeExport, metaclass=PoolMeta):
    """The transactions of a bank file, imported whole and validated by
    sample; the bank's text of an origin is exported as text"""
    __name__ = 'account.statement.origin'

    _sample_key = ('statement', 'account', 'second_currency', 'date')
    _sample_exempt = {
        'amount': "its digits are checked on each origin; required, and "
        "each origin of a file has one",
        'amount_second_currency': "none in an origin of the key: an "
        "origin with one is a sample of its own",
        'company': "the statement's, which is in the key",
        'company_currency': "the statement's, which is in the key",
        'currency': "the statement's, which is in the key",
        'description': FREE_TEXT,
        'number': FREE_TEXT,
        'party': "no check reads it but a read-only state",
        'lines': "an origin has no lines when its file is imported",
        }

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each origin that StatementImport.do_import_ creates
        from a file the values the generic checks depend on, but its
        number, description, party and information (free values no check
        reads); or None when its amount does not fit the currency"""
        names = list(cls._sample_key)
        rows = stored(cls, ids, names + ['amount', 'amount_second_currency'])
        digits = statement_digits(rows)
        keys = {}
        for row in rows:
            if (digits_regular(row['amount'], digits[row['statement']])
                    and row['amount_second_currency'] is None):
                keys[row['id']] = tuple(row[n] for n in names)
            else:
                keys[row['id']] = None
        return keys


class StatementLine(
        FormulaSafeExport, ValidatedBySample, metaclass=PoolMeta):
    """Statement lines; the receipts Statement.receive builds from the
    origins of a file are validated by sample"""
    __name__ = 'account.statement.line'

    _sample_key = ('statement', 'account', 'date', 'second_currency',
        'related_to', 'receipt_state', 'receipt_revenue_type')
    _sample_exempt = {
        'amount': "its digits are checked on each receipt; required, and "
        "each origin of a file has one",
        'amount_second_currency': "none in a receipt of the key: a "
        "receipt with one is a sample of its own",
        'party': "only whether it is set is in the key: its required "
        "state reads the account, in the key",
        'origin': "only whether it is set is in the key: receive builds "
        "each receipt from an origin of its statement, with its date",
        'move': "empty when a receipt is created; Statement.create_move "
        "writes the move it made for the receipt's statement",
        'description': FREE_TEXT,
        'number': FREE_TEXT,
        'receipt_candidates': FREE_TEXT,
        'company': "the statement's, which is in the key",
        'company_currency': "the statement's, which is in the key",
        'currency': "the statement's journal's, which is in the key",
        'party_required': "the account's, which is in the key",
        'statement_state': "the statement's, which is in the key",
        }

    receipt_state = fields.Selection(
        RECEIPT_STATES, "Receipt", readonly=True,
        help="Whether the reason of the receipt names exactly one taxpayer "
        "and the receipt was allocated to its debts. Money that left the "
        "account (a bank fee, an outgoing transfer) is not a receipt: it "
        "stays in the suspense account until booked by a journal entry.")
    receipt_taxpayer = fields.Many2One(
        'muni.taxpayer', "Taxpayer", readonly=True, ondelete='RESTRICT')
    receipt_revenue_type = fields.Many2One(
        'muni.revenue.type', "Revenue Type", readonly=True,
        ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    receipt_candidates = fields.Char(
        "Candidates", readonly=True,
        help="The taxpayers the reason names.")
    receipt_payment = fields.Many2One(
        'muni.payment', "Payment", readonly=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'allocate_wizard': {
                    'invisible': (~Eval('receipt_state').in_(TO_CLEAR)
                        | (Eval('amount', 0) <= 0)),
                    'depends': ['receipt_state', 'amount'],
                    },
                })

    @classmethod
    def _validate(cls, lines, field_names=None):
        if (not sampling(cls) and field_names
                and field_names <= RECEIPT_FIELDS):
            # Only what the matching and the allocation found is written:
            # trytond would check again every field that depends on a
            # Function field (the statement's state, its company…), 18
            # PYSON evaluations a line, though none changed. The receipt
            # fields are read-only, have no domain and their values are set
            # by the code
            cls.validate(lines)
            cls.validate_fields(lines, field_names)
        else:
            super()._validate(lines, field_names=field_names)

    @classmethod
    def _validate_checked_write(cls, lines, field_names, generic):
        if field_names == {'move'}:
            # the move Statement.create_move just created for the lines of
            # its statement (receive): nothing of a line depends on it
            cls.validate(lines)
            cls.validate_fields(lines, field_names)
        else:
            super()._validate_checked_write(lines, field_names, generic)

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each line that Statement.receive creates from the
        origins of its statement the values the generic checks depend on,
        but its number, description, party, origin (of its statement and
        date, by construction) and the taxpayer found; or None when its
        amount does not fit the currency (sampling.validate_by_sample)"""
        names = list(cls._sample_key)
        rows = stored(cls, ids, names + [
                'amount', 'amount_second_currency', 'party', 'origin'])
        digits = statement_digits(rows)
        keys = {}
        for row in rows:
            if (digits_regular(row['amount'], digits[row['statement']])
                    and row['amount_second_currency'] is None):
                keys[row['id']] = tuple(row[n] for n in names) + (
                    row['party'] is None, row['origin'] is None)
            else:
                keys[row['id']] = None
        return keys

    @classmethod
    def post_move(cls, lines):
        """Post the moves of the lines as account_statement's Line.post_move
        (8.0) does; those of the statements being received (receive) found
        with SQL"""
        pool = Pool()
        Move = pool.get('account.move')
        if not receiving({l.statement.id for l in lines}):
            return super().post_move(lines)
        # the receipts of a file (receive): their draft moves found with
        # SQL, where account_statement reads each line's move
        line = cls.__table__()
        move = Move.__table__()
        cursor = Transaction().connection.cursor()
        move_ids = set()
        for sub_ids in grouped_slice(
                [l.id for l in lines], backend.MAX_QUERY_PARAMS):
            cursor.execute(*line.join(move, condition=line.move == move.id)
                .select(move.id, distinct=True,
                    where=fields.SQL_OPERATORS['in'](line.id, list(sub_ids))
                    & (move.state != 'posted')))
            move_ids.update(m for m, in cursor)
        Move.post(Move.browse(sorted(move_ids)))

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default is not None else {}
        for name in ['receipt_state', 'receipt_taxpayer',
                'receipt_revenue_type', 'receipt_candidates',
                'receipt_payment']:
            default.setdefault(name)
        return super().copy(lines, default=default)

    @classmethod
    def __register__(cls, module):
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        super().__register__(module)
        # Migration from 8.0.0: a debit is not a receipt to clear
        cursor.execute(*table.update(
                [table.receipt_state], ['not_receipt'],
                where=table.receipt_state.in_(TO_CLEAR)
                & (table.amount <= 0)))

    @classmethod
    def match(cls, lines):
        """Set on each line the taxpayer its reason names and the revenue
        type it pays, by the matcher of its company's localisation
        (``_match_<localisation>``); a line of a company whose localisation
        has no matcher, or no allocation rule, stays in suspense"""
        pool = Pool()
        Payment = pool.get('muni.payment')
        Taxpayer = pool.get('muni.taxpayer')
        by_localisation = defaultdict(list)
        for line in lines:
            by_localisation[line.statement.company.localisation].append(line)
        found = {}
        for localisation, localisation_lines in by_localisation.items():
            method = getattr(cls, f'_match_{localisation}', None)
            if (method is None or not hasattr(
                        Payment, f'_allocate_{localisation}')):
                continue
            found.update(method(localisation_lines))
            # the party the bank's file or a statement rule gave
            for line in localisation_lines:
                taxpayers, revenue_type = found.get(line, (set(), None))
                if not taxpayers and line.party:
                    taxpayer = next(iter(Taxpayer.search([
                                    ('company', '=',
                                        line.statement.company.id),
                                    ('party', '=', line.party.id),
                                    ], limit=1)), None)
                    if taxpayer:
                        found[line] = ({taxpayer}, revenue_type)
        for line in lines:
            taxpayers, revenue_type = found.get(line, (set(), None))
            line.receipt_candidates = ', '.join(
                sorted(t.number or '' for t in taxpayers)) or None
            line.receipt_revenue_type = revenue_type
            if line.amount <= 0:
                # a bank fee, an outgoing transfer: no taxpayer paid it
                line.receipt_taxpayer = None
                line.receipt_state = 'not_receipt'
            elif len(taxpayers) == 1:
                line.receipt_taxpayer, = taxpayers
                line.receipt_state = 'matched'
            elif len(taxpayers) > 1:
                line.receipt_taxpayer = None
                line.receipt_state = 'ambiguous'
            else:
                line.receipt_taxpayer = None
                line.receipt_state = 'unknown'

    @classmethod
    def taxpayers_named(cls, companies, tokens, numbers=True,
            identifiers=True):
        """Return the taxpayers of the companies whose number, or whose
        party's identifier, is one of the tokens, by (company id, token)
        (read at once for the lines of a file)"""
        pool = Pool()
        Taxpayer = pool.get('muni.taxpayer')
        Identifier = pool.get('party.identifier')
        companies = list(companies)
        named = defaultdict(set)
        by_party = defaultdict(set)
        for sub_tokens in grouped_slice(sorted(tokens), 1000):
            sub_tokens = list(sub_tokens)
            if numbers:
                for taxpayer in Taxpayer.search([
                            ('company', 'in', companies),
                            ('number', 'in', sub_tokens),
                            ]):
                    named[taxpayer.company.id, taxpayer.number].add(
                        taxpayer)
            if identifiers:
                for identifier in Identifier.search([
                            ('code', 'in', sub_tokens),
                            ]):
                    by_party[identifier.party.id].add(identifier.code)
        taxpayers_of = {}
        for sub_parties in grouped_slice(sorted(by_party), 1000):
            for taxpayer in Taxpayer.search([
                        ('company', 'in', companies),
                        ('party', 'in', list(sub_parties)),
                        ]):
                taxpayers_of[taxpayer.company.id, taxpayer.party.id] = (
                    taxpayer)
        for (company, party), taxpayer in taxpayers_of.items():
            for code in by_party[party]:
                named[company, code].add(taxpayer)
        return named

    @classmethod
    def allocate(cls, lines):
        """Create and post the payment of each line from the suspense
        account to the debts of its taxpayer"""
        pool = Pool()
        Payment = pool.get('muni.payment')
        Configuration = pool.get('muni.finance.configuration')
        config = Configuration(1)
        journals = {}
        # read again by slice: the statements were posted since they were
        # read, and each slice's writes would make trytond read all again
        for sub_ids in grouped_slice([l.id for l in lines], PAYMENT_SLICE):
            payments = []
            sub_lines = cls.browse(list(sub_ids))
            for line in sub_lines:
                if line.receipt_payment or line.statement.state != 'posted':
                    raise StatementError(gettext(
                            'muni_finance.msg_statement_line_allocated',
                            line=line.description or line.number or line.id))
                company = line.statement.company
                if company not in journals:
                    journals[company] = config.get_multivalue(
                        'payment_journal', company=company.id)
                journal = journals[company]
                payments.append(Payment(
                        company=company, taxpayer=line.receipt_taxpayer,
                        party=line.receipt_taxpayer.party,
                        date=line.date, amount=line.amount,
                        channel='bank',
                        revenue_type=line.receipt_revenue_type,
                        reference=(line.description or '')[:1000] or None,
                        account=line.account, journal=journal,
                        origin=line))
            # built from the matched receipts: validated by sample
            # (Payment._checked_keys)
            save_checked(payments)
            with Transaction().set_context(_check_access=False):
                Payment.post(payments)
            for line, payment in zip(sub_lines, payments):
                line.receipt_payment = payment
                line.receipt_state = 'allocated'
            cls.save(sub_lines)

    @classmethod
    @ModelView.button_action('muni_finance.wizard_statement_line_allocate')
    def allocate_wizard(cls, lines):
        pass


class StatementLineAllocateStart(ModelView):
    __name__ = 'muni.statement.line.allocate.start'
    __string__ = "Allocate Receipt"

    company = fields.Many2One('company.company', "Company", readonly=True)
    taxpayer = fields.Many2One(
        'muni.taxpayer', "Taxpayer", required=True,
        domain=[('company', '=', Eval('company', -1))])
    revenue_type = fields.Many2One(
        'muni.revenue.type', "Revenue Type",
        context={'company': Eval('company', -1)}, depends={'company'},
        help="The type of debt the payer chose to pay; empty to pay the "
        "oldest debts of any type.")
    candidates = fields.Char("Candidates", readonly=True)
    description = fields.Char("Reason", readonly=True)


class StatementLineAllocate(Wizard):
    __name__ = 'muni.statement.line.allocate'
    start = StateView('muni.statement.line.allocate.start',
        'muni_finance.statement_line_allocate_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Allocate", 'allocate', 'tryton-ok', default=True),
            ])
    allocate = StateTransition()

    @staticmethod
    def check_receipt(line):
        "Refuse a line that is no receipt to clear, with the reason"
        pool = Pool()
        Lang = pool.get('ir.lang')
        name = line.description or line.number or line.id
        if line.amount <= 0 or line.receipt_state == 'not_receipt':
            lang = Lang.get()
            raise StatementError(gettext(
                    'muni_finance.msg_statement_line_not_receipt',
                    line=name,
                    amount=lang.currency(
                        line.amount, line.statement.journal.currency)))
        if line.receipt_state not in TO_CLEAR:
            raise StatementError(gettext(
                    'muni_finance.msg_statement_line_allocated', line=name))

    def default_start(self, fields):
        line = self.record
        self.check_receipt(line)
        return {
            'company': line.statement.company.id,
            'revenue_type': (line.receipt_revenue_type.id
                if line.receipt_revenue_type else None),
            'candidates': line.receipt_candidates,
            'description': line.description,
            }

    def transition_allocate(self):
        pool = Pool()
        Line = pool.get('account.statement.line')
        line = self.record
        self.check_receipt(line)
        line.receipt_taxpayer = self.start.taxpayer
        line.receipt_revenue_type = self.start.revenue_type
        line.save()
        Line.allocate([line])
        return 'end'
