# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import Decimal
from importlib.resources import files

from trytond.modules.account.tests import create_chart
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.currency.tests import (
    add_currency_rate, create_currency)
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder, PYSONEncoder
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

from muni_finance.exceptions import StatementError
from muni_finance.tests.statement_import import StatementImportTestMixin
from muni_finance.tests.test_module import setup_bank

DATA = files('muni_bg_localization.tests') / 'data'
IBAN = 'BG80BNBG96611020345678'
# What the text of a Python exception looks like
PYTHON = ['NoneType', 'object has no', 'Invalid isoformat', 'invalid chars',
    'unpack', 'index out of range', 'InvalidOperation', 'codec', 'Error']


class StatementImportTestCase(StatementImportTestMixin, unittest.TestCase):
    "Test the import of bank files as banks send them"
    data_dir = DATA
    python_texts = PYTHON

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module('muni_bg_localization')

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def setUp(self):
        super().setUp()
        self.data = {}

    def company(self, timezone=None):
        "A company with a statement journal on its account at the bank"
        pool = Pool()
        Party = pool.get('party.party')
        Bank = pool.get('bank')
        BankAccount = pool.get('bank.account')
        currency = create_currency('EUR')
        add_currency_rate(currency, 1)
        company = create_company(currency=currency)
        company.timezone = timezone
        company.save()
        with set_company(company):
            create_chart(company)
            _, _, journal = setup_bank(company)
        party, = Party.create([{'name': "Bank"}])
        bank, = Bank.create([{'party': party.id}])
        account, = BankAccount.create([{
                    'bank': bank.id, 'currency': company.currency.id,
                    'owners': [('add', [company.party.id])],
                    'numbers': [('create', [{
                                    'type': 'iban', 'number': IBAN}])],
                    }])
        journal.bank_account = account
        journal.save()
        return company

    @with_transaction()
    def test_camt_dates(self):
        "Booking, value and balance dates with offsets and times"
        company = self.company(timezone='Europe/Sofia')
        statement, = self.import_(company, 'statement_dates.xml')
        # the day of the closing balance, not of the file (3 April)
        self.assertEqual(statement.date, dt.date(2017, 4, 1))
        self.assertEqual(
            (statement.start_balance, statement.end_balance),
            (Decimal('500.00'), Decimal('515.00')))
        self.assertEqual(
            [(o.number, o.date) for o in statement.origins],
            [(n, dt.date(2017, 4, 1)) for n in 'ABCDE'])

    @with_transaction()
    def test_camt_date_in_utc_without_timezone(self):
        "Without a time zone, a date-time is taken as the bank wrote it"
        company = self.company()
        statement, = self.import_(company, 'statement_dates.xml')
        dates = {o.number: o.date for o in statement.origins}
        self.assertEqual(dates['D'], dt.date(2017, 3, 31))
        self.assertEqual(dates['B'], dt.date(2017, 4, 1))

    @with_transaction()
    def test_camt_wrong_date(self):
        "A date that does not exist is refused with its line"
        company = self.company()
        data = (DATA / 'statement_dates.xml').read_bytes().replace(
            b'<Dt>2017-04-01+02:00</Dt>', b'<Dt>2017-02-30+02:00</Dt>')
        message = self.refused(company, data, 'camt_053_001')
        self.assertIn('"2017-02-30+02:00" on line 33 is not a date', message)

    @with_transaction()
    def test_camt_multiline(self):
        "The bank's text on several lines is kept on one"
        company = self.company()
        statement, = self.import_(company, 'statement_multiline.xml')
        self.assertEqual([o.description for o in statement.origins], [
                "ДНИ 2017 ЕГН 7523169263 код 44 21 00 "
                "ПЛАЩАНЕ НА МЕСТНИ ДАНЪЦИ Кредитен превод от БАНКА ДСК",
                "ТАКСА СМЕТ",
                ])

    @with_transaction()
    def test_camt_downloaded_again(self):
        "A file downloaded again is refused, even under a new identifier"
        company = self.company()
        first, = self.import_(company, 'statement_dates.xml')
        message = self.refused(company, 'statement_dates_redownload.xml')
        self.assertIn(
            'Statement "STMT-2017-04-01-20170405113127" of 2017-04-01 holds '
            'the same balances and lines as statement '
            '"STMT-2017-04-01-20170403080000"', message)
        # once the first is cancelled, the second may come in
        first.state = 'cancelled'
        first.save()
        self.import_(company, 'statement_dates_redownload.xml')

    @with_transaction()
    def test_camt_twice_in_file(self):
        "A bank that writes the statement twice in its file"
        company = self.company()
        message = self.refused(company, 'statement_twice.xml')
        self.assertIn(
            'The file holds statement "0403-1" of 2017-04-03 twice', message)

    @with_transaction()
    def test_camt_utf16(self):
        "A camt file in UTF-16, as its declaration and its mark say"
        company = self.company()
        text = (DATA / 'statement_multiline.xml').read_text('utf-8')
        data = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode(
            'utf-16')
        statement, = self.import_(company, data, 'camt_053_001')
        self.assertEqual(statement.origins[1].description, "ТАКСА СМЕТ")

    @with_transaction()
    def test_camt_damaged(self):
        "Broken XML, a wrong encoding, an entry without amount"
        company = self.company()
        message = self.refused(company, 'statement_broken.xml')
        self.assertIn('the XML breaks off or is malformed at line 37',
            message)
        data = (DATA / 'statement_multiline.xml').read_text('utf-8')
        message = self.refused(company, data.encode('cp1251'),
            'camt_053_001')
        self.assertIn('encoding it declares (UTF-8)', message)
        data = data.replace('<ns2:Amt Ccy="EUR">20.00</ns2:Amt>', '')
        message = self.refused(company, data.encode('utf-8'), 'camt_053_001')
        self.assertIn('the entry on line 29 of statement "2017-04-02"',
            message)

    @with_transaction()
    def test_camt_doctype(self):
        """A camt file with a document type is refused whole: no entity is
        expanded, no file of the server and no URL is read"""
        company = self.company()
        data = (DATA / 'statement_multiline.xml').read_text('utf-8')
        prolog, body = data.split('\n', 1)
        for doctype in [
                # an external entity: the server's own files
                '<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
                # the billion laughs: entities that grow in memory
                '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
                # a DTD fetched from the network
                '<!DOCTYPE d SYSTEM "http://127.0.0.1:9/camt.dtd">',
                ]:
            entity = '&secret;' if 'secret' in doctype else (
                '&c;' if 'ENTITY c' in doctype else '')
            file_ = '\n'.join([prolog, doctype, body.replace(
                        'ЕГН 7523169263', 'ЕГН 7523169263' + entity)])
            with self.subTest(doctype=doctype[:30]):
                message = self.refused(
                    company, file_.encode('utf-8'), 'camt_053_001')
                self.assertIn('declares a document type (DOCTYPE)', message)
                self.assertNotIn('root:', message)

    @with_transaction()
    def test_mt940_pages(self):
        "A statement in two pages (:60M:, :62M:), SWIFT blocks, CRLF"
        company = self.company()
        statements = self.import_(company, 'statement_pages.sta')
        self.assertEqual(
            [(s.name, s.date, s.start_balance, s.end_balance)
                for s in statements],
            [('92/1', dt.date(2017, 4, 3), Decimal(515), Decimal(525)),
                ('92/2', dt.date(2017, 4, 3), Decimal(525),
                    Decimal('527.50'))])
        self.assertEqual(
            [(o.amount, o.description) for s in statements
                for o in s.origins],
            [(Decimal('10.00'), "ДНИ 2017 ЕГН 7523169263"),
                (Decimal('-1.50'), "ТАКСА ОБСЛУЖВАНЕ"),
                (Decimal('4.00'), "ТАКСА СМЕТ")])

    @with_transaction()
    def test_mt940_windows_1251(self):
        "Windows-1251 and field 86 on several lines"
        company = self.company()
        statement, = self.import_(company, 'statement_cp1251.sta')
        self.assertEqual([o.description for o in statement.origins], [
                # a short line ends a word
                "ПЛАЩАНЕ НА ДНИ 2017 ЕГН 7523169263 КОД 44 21 00",
                # a full line of 65 characters was cut inside one
                "ТАКСА БИТОВИ ОТПАДЪЦИ ЗА 2017 ГОДИНА ЗА ИМОТ В ГР. "
                "БАЛЧИК, УЛ. ЧЕРНО МОРЕ 12",
                ])

    @with_transaction()
    def test_mt940_twice_in_file(self):
        "A file that holds the same statement twice is refused"
        company = self.company()
        message = self.refused(company, 'statement_mt940_twice.sta')
        self.assertIn('The file holds statement "53" of 2026-03-17 twice',
            message)
        self.import_(company, 'statement_balchik.sta')
        message = self.refused(company, 'statement_balchik.sta')
        self.assertIn('was already imported', message)

    @with_transaction()
    def test_mt940_truncated(self):
        "Files cut short say where, and import nothing"
        company = self.company()
        for name, reason in [
                ('statement_cut_transaction.sta',
                    'the field transaction (:61:) on line 7 of statement '
                    '"53" cannot be read: "2603170317C1"'),
                ('statement_no_closing.sta',
                    'statement "53" from line 1 has no closing balance '
                    '(:62F: or :62M:), the file may be cut short'),
                ('statement_no_reference.sta',
                    'statement "53" from line 1 has no transaction '
                    'reference (:20:)'),
                ('statement_utf16.sta',
                    'it is text neither in UTF-8 nor in Windows-1251'),
                ]:
            with self.subTest(name=name):
                message = self.refused(company, name)
                self.assertIn(
                    'The file cannot be read as MT940: %s' % reason, message)
        message = self.refused(company, 'statement_empty.sta')
        self.assertEqual(message,
            'The file holds no MT940 statement. Nothing was imported.')

    @with_transaction()
    def test_mt940_cut_anywhere(self):
        "A file cut at any line or inside any line is refused, told why"
        company = self.company()
        text = (DATA / 'statement_balchik.sta').read_text('utf-8')
        lines = text.splitlines(keepends=True)
        for encoding, end_of_line in [('utf-8', '\n'), ('cp1251', '\r\n')]:
            for end in range(len(lines) - 2):
                line = lines[end]
                for cut in sorted({0, 4, len(line) // 2, len(line) - 2}):
                    data = ''.join(lines[:end]) + line[:cut]
                    data = data.replace('\n', end_of_line).encode(encoding)
                    with self.subTest(
                            encoding=encoding, line=end + 1, cut=cut):
                        self.refused(company, data, 'mt940')
        # without its end marker the file is whole
        statement, = self.import_(company,
            ''.join(lines[:-1]).encode('utf-8'), 'mt940')
        self.assertEqual(statement.end_balance, Decimal('1122.50'))

    @with_transaction()
    def test_debit_not_a_receipt(self):
        "A bank fee is no receipt to clear and cannot be allocated"
        pool = Pool()
        Line = pool.get('account.statement.line')
        Allocate = pool.get('muni.statement.line.allocate', type='wizard')
        company = self.company()
        statement, = self.import_(company, 'statement_pages.sta')[1:]
        with set_company(company):
            lines = Line.create([{
                        'statement': statement.id, 'origin': o.id,
                        'date': o.date, 'amount': o.amount,
                        'description': o.description,
                        'account': statement.journal.account.id,
                        } for o in statement.origins])
            Line.match(lines)
            Line.save(lines)
        self.assertEqual([(l.amount, l.receipt_state) for l in lines],
            [(Decimal('-1.50'), 'not_receipt'),
                (Decimal('4.00'), 'unknown')])
        invisible = PYSONEncoder().encode(
            Line._buttons['allocate_wizard']['invisible'])
        for line, hidden in zip(lines, [True, False]):
            self.assertEqual(PYSONDecoder({
                        'receipt_state': line.receipt_state,
                        'amount': line.amount,
                        }).decode(invisible), hidden)
        with Transaction().set_context(
                active_model=Line.__name__, active_id=lines[0].id,
                active_ids=[lines[0].id]):
            session_id, _, _ = Allocate.create()
            try:
                with self.assertRaises(StatementError) as context:
                    Allocate.execute(session_id, {}, 'start')
            finally:
                Allocate.delete(session_id)
        self.assertIn('"ТАКСА ОБСЛУЖВАНЕ" of', context.exception.message)
        self.assertIn('is not a receipt', context.exception.message)
