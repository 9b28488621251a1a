# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import Decimal
from importlib.resources import files

from trytond import config
from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.currency.tests import (
    add_currency_rate, create_currency)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, with_transaction
from trytond.transaction import Transaction

from muni_finance.bank_file import (
    Unreadable, field_86_marker, mt940_cut, mt940_decode, mt940_marker,
    mt940_text, statement_account)
from muni_base.tests.tools import get_currency
from muni_finance.demo_rates import create_demo_rates, demo_rates
from muni_finance.exceptions import StatementError
from muni_finance.tests.statement_import import StatementImportTestMixin

from .tools import ModuleDatabaseTestMixin

DATA = files('muni_ro_localization.tests') / 'data'
# The accounts of Năvodari in the files: at three banks and the Treasury
RNCB = 'RO11RNCB0082044170470001'
BRDE = 'RO64BRDE140SV12345671400'
BTRL_EUR = 'RO63BTRLEURCRT0123456701'
TREZ = 'RO30TREZ2325021XXX000001'
# What the text of a Python exception looks like
PYTHON = ['NoneType', 'object has no', 'unpack', 'index out of range',
    'InvalidOperation', 'codec', 'Error', 'Traceback']
ROMANIAN = "Plată impozit clădiri, Ştefan Ţânţăreanu, ÎNCASARE în Năvodari"
BULGARIAN = "ПЛАЩАНЕ НА ДНИ 2017 ЕГН 7523169263, такса за имот в Балчик"


class BankFileTestCase(unittest.TestCase):
    "Test the reading of Romanian bank files, without a database"

    def test_encoding_romanian(self):
        """Romanian letters in Windows-1250 and ISO-8859-2 are read as
        such, whatever the country said, ş and ţ as ș and ț"""
        expected = ROMANIAN.replace('Ş', 'Ș').replace('Ţ', 'Ț').replace(
            'ţ', 'ț')
        for encoding in ['cp1250', 'iso8859_2']:
            for country in [None, 'RO', 'BG']:
                with self.subTest(encoding=encoding, country=country):
                    text, _ = mt940_decode(
                        ROMANIAN.encode(encoding), country=country)
                    self.assertEqual(text, expected)

    def test_encoding_cyrillic(self):
        "Cyrillic in Windows-1251 is read as such, even in Romania"
        for country in [None, 'RO', 'BG']:
            with self.subTest(country=country):
                text, encoding = mt940_decode(
                    BULGARIAN.encode('cp1251'), country=country)
                self.assertEqual((text, encoding), (BULGARIAN, 'cp1251'))

    def test_encoding_utf8_and_hint(self):
        """UTF-8 first; a text of ASCII letters and one-byte signs read in
        the encoding of the account's country, else the company's"""
        self.assertEqual(
            mt940_decode(ROMANIAN.encode('utf-8'), country='BG'),
            (ROMANIAN, 'utf-8'))
        # Š is 0x8a in Windows-1250, a control character in ISO-8859-2,
        # which reads Ş better than Windows-1250 reads Š: Windows-1250
        self.assertEqual(
            mt940_decode('„Šerban Ştefan”'.encode('cp1250'), country='RO'),
            ('„Šerban Ștefan”', 'cp1250'))
        # only signs: the same bytes, the country decides
        data = ':25:RO11RNCB0082044170470001\n:86:PLATA \xb0'.encode(
            'latin-1')
        self.assertEqual(mt940_decode(data)[1], 'cp1250')
        self.assertEqual(mt940_decode(data.replace(b'RO11', b'BG11'))[1],
            'cp1251')
        self.assertEqual(mt940_decode(b':86:\xb0', country='RO')[1],
            'cp1250')
        self.assertEqual(mt940_decode(b':86:\xb0')[1], 'cp1251')

    def test_encoding_refused(self):
        "UTF-16 is refused, naming the encodings of the country's banks"
        with self.assertRaises(Unreadable) as context:
            mt940_decode(ROMANIAN.encode('utf-16'), country='RO')
        self.assertEqual(context.exception.message,
            'msg_statement_reason_encoding_country')
        self.assertEqual(context.exception.values,
            {'encodings': 'Windows-1250, ISO-8859-2'})
        with self.assertRaises(Unreadable) as context:
            mt940_decode(BULGARIAN.encode('utf-16'), country='BG')
        self.assertEqual(context.exception.message,
            'msg_statement_reason_encoding')

    def test_marker(self):
        """The marker is the character before two digits that starts the
        field or a line of it"""
        for text, marker in [
                ('?20ДНИ', '?'),
                ('166?00GUTSCHRIFT?20ABC', '?'),
                ('^00INCASARE\n^20PLATA', '^'),
                ('~00INCASARE OP~20TAXA', '~'),
                ('+00TRANSFER+20PLATA', '+'),
                ('PLATA\n+20TAXA', '+'),
                # a sign inside the text is no marker
                ('TOTAL +20 LEI', None),
                ('PLATA ^20', None),
                ('^2 PLATA', None),
                ('', None),
                ]:
            with self.subTest(text=text):
                self.assertEqual(field_86_marker(text), marker)

    def test_markers_split(self):
        "The identifier after a marker stands alone"
        for text, expected in [
                ('~311850101123451~32Popescu',
                    '1850101123451 Popescu'),
                ('^00INCASARE\n^3114186770',
                    'INCASARE 14186770'),
                ('+20Taxa+2112/2025+312850312123459',
                    'Taxa 12/2025 2850312123459'),
                # the SWIFT marker inside a free text, as before
                ('ДНИ?21ЕГН 8032056031', 'ДНИ ЕГН 8032056031'),
                # with another marker, "?" and "+" are text
                ('^20CE?21 +40 721', 'CE?21 +40 721'),
                ('TOTAL +20 LEI', 'TOTAL +20 LEI'),
                ]:
            with self.subTest(text=text):
                text = mt940_text(text)
                self.assertEqual(text, expected)

    def test_marker_of_the_file(self):
        """A field that starts with text is split on the marker the other
        fields of its file start with"""
        text = '\n'.join([
                ':61:2603180318C1,00NTRFNONREF',
                ':86:~00INCASARE~20TAXA',
                ':61:2603180318C1,00NTRFNONREF',
                ':86:PLATA TAXA LOCALA~311850101123451',
                ])
        marker = mt940_marker(text)
        self.assertEqual(marker, '~')
        self.assertEqual(
            mt940_text('PLATA TAXA LOCALA~311850101123451', marker=marker),
            'PLATA TAXA LOCALA 1850101123451')
        self.assertEqual(
            mt940_text('PLATA TAXA LOCALA~311850101123451'),
            'PLATA TAXA LOCALA~311850101123451')
        self.assertIsNone(mt940_marker(':86:PLATA\n:86:TEL. +40 721'))

    def test_lines(self):
        """A short line ends a word; a full line (65) is joined to the next
        unless the case says a word starts"""
        full = 'X' * 50 + ' CURS DE SCHIMB'
        self.assertEqual(len(full), 65)
        for previous, line, joined in [
                (full, 'Schimb valutar', full + ' Schimb valutar'),
                (full, 'SCHIMB', full + 'SCHIMB'),
                (full[:-1], 'Schimb', full[:-1] + ' Schimb'),
                (full[:-1], 'B VALUTAR', full[:-1] + ' B VALUTAR'),
                (full[:-1] + 'B', 'VALUTAR', full + 'VALUTAR'),
                ('x' * 64 + 'a', 'Curs', 'x' * 64 + 'a Curs'),
                ('x' * 64 + 'a', 'curs', 'x' * 64 + 'acurs'),
                # a capitalised word cut after its first letter
                ('x' * 64 + 'S', 'chimb', 'x' * 64 + 'Schimb'),
                # an IBAN or a CNP cut anywhere
                ('x' * 61 + 'RO11', 'RNCB00', 'x' * 61 + 'RO11RNCB00'),
                ('x' * 60 + '18501', '01123451', 'x' * 60 + '1850101123451'),
                # a line that ends with a blank or a sign
                ('x' * 64 + ' ', 'Curs', 'x' * 64 + ' Curs'),
                ('x' * 64 + ',', 'curs', 'x' * 64 + ', curs'),
                ]:
            with self.subTest(previous=previous[-8:], line=line):
                self.assertEqual(
                    mt940_text(previous + '\n' + line), joined.strip())
        self.assertFalse(mt940_cut('ABC', ''))
        self.assertFalse(mt940_cut('', 'ABC'))

    def test_statement_account(self):
        "The account of :25: as banks write it"
        for text, expected in [
                (RNCB, (RNCB, None)),
                ('/' + RNCB, (RNCB, None)),
                (' /RO11 RNCB 0082 0441 7047 0001 ', (RNCB, None)),
                ('BTRLRO22/' + BTRL_EUR, (BTRL_EUR, None)),
                (BTRL_EUR + 'EUR', (BTRL_EUR, 'EUR')),
                (BTRL_EUR + '/EUR', (BTRL_EUR, 'EUR')),
                (BTRL_EUR + ' EUR', (BTRL_EUR, 'EUR')),
                ('ro11rncb0082044170470001', (RNCB, None)),
                # no IBAN: as written, without the leading "/"
                ('/12345678 901', ('12345678 901', None)),
                (' 1234/5678 ', ('1234/5678', None)),
                ]:
            with self.subTest(text=text):
                self.assertEqual(statement_account(text), expected)

    def test_demo_rates(self):
        """A rate of each working day, the lev fixed, the leu of its month;
        a day after the table keeps its last month"""
        rates = list(demo_rates(['EUR', 'BGN', 'RON'],
                dt.date(2026, 3, 13), dt.date(2026, 3, 16)))
        # Friday 13 and Monday 16 March 2026, not the weekend
        self.assertEqual(rates, [
                ('EUR', dt.date(2026, 3, 13), Decimal(1)),
                ('BGN', dt.date(2026, 3, 13), Decimal('1.95583')),
                ('RON', dt.date(2026, 3, 13), Decimal('5.0900')),
                ('EUR', dt.date(2026, 3, 16), Decimal(1)),
                ('BGN', dt.date(2026, 3, 16), Decimal('1.95583')),
                ('RON', dt.date(2026, 3, 16), Decimal('5.0900')),
                ])
        self.assertEqual(list(demo_rates(['RON'],
                    dt.date(2025, 5, 30), dt.date(2025, 6, 2))), [
                ('RON', dt.date(2025, 5, 30), Decimal('5.0638')),
                ('RON', dt.date(2025, 6, 2), Decimal('5.0321')),
                ])
        # until today by default
        last = list(demo_rates(['BGN']))[-1][1]
        self.assertLessEqual((dt.date.today() - last).days, 2)


class DemoRatesTestCase(ModuleDatabaseTestMixin, unittest.TestCase):
    "Test the exchange rates the demo creates"

    module = 'currency'

    def test_create_demo_rates(self):
        "The rates of the working days are created once"
        from proteus import Model
        from proteus import config as pconfig
        config = pconfig.set_trytond(DB_NAME)
        for code in ['EUR', 'BGN', 'RON']:
            get_currency(code, config=config)
        start, end = dt.date(2026, 3, 9), dt.date(2026, 3, 15)
        self.assertEqual(create_demo_rates(config, start, end), 15)
        self.assertEqual(create_demo_rates(config, start, end), 0)
        Rate = Model.get('currency.currency.rate', config=config)
        rates = Rate.find([
                ('currency.code', '=', 'RON'), ('date', '>=', start)],
            order=[('date', 'ASC')])
        self.assertEqual([(r.date, r.rate) for r in rates],
            [(dt.date(2026, 3, d), Decimal('5.0900'))
                for d in range(9, 14)])


class RomanianStatementTestCase(
        StatementImportTestMixin, ModuleDatabaseTestMixin, unittest.TestCase):
    "Test the import of Romanian bank files in Năvodari"
    data_dir = DATA
    python_texts = PYTHON

    def company(self):
        """A company in RON in Romania, the rates of 1999 only, with a
        statement journal on each of its accounts"""
        pool = Pool()
        Country = pool.get('country.country')
        FiscalYear = pool.get('account.fiscalyear')
        euro = create_currency('EUR')
        add_currency_rate(euro, 1)
        leu = create_currency('RON')
        add_currency_rate(leu, Decimal('5.0900'), dt.date(1999, 1, 1))
        company = create_company(currency=leu)
        company.country, = Country.create([{'name': "Romania", 'code': 'RO'}])
        company.save()
        with set_company(company):
            create_chart(company)
            fiscalyear = get_fiscalyear(company, dt.date(2026, 6, 30))
            fiscalyear.save()
            FiscalYear.create_period([fiscalyear])
            for number, currency in [
                    (RNCB, leu), (BRDE, leu), (TREZ, leu),
                    (BTRL_EUR, euro)]:
                self.journal(company, number, currency)
        return company

    def journal(self, company, number, currency, bank_account=None):
        "A statement journal on the account of the IBAN"
        pool = Pool()
        Account = pool.get('account.account')
        Journal = pool.get('account.journal')
        StatementJournal = pool.get('account.statement.journal')
        Party = pool.get('party.party')
        Bank = pool.get('bank')
        BankAccount = pool.get('bank.account')
        cash, = Account.search([
                ('company', '=', company.id),
                ('type.receivable', '=', False),
                ('type.payable', '=', False),
                ('type', '!=', None),
                ('closed', '=', False),
                ('party_required', '=', False),
                ], limit=1)
        journal, = Journal.search([('code', '=', 'STA')], limit=1)
        if bank_account is None:
            party, = Party.create([{'name': "Bank %s" % number[4:8]}])
            bank, = Bank.create([{'party': party.id}])
            bank_account, = BankAccount.create([{
                        'bank': bank.id, 'currency': currency.id,
                        'owners': [('add', [company.party.id])],
                        'numbers': [('create', [{
                                        'type': 'iban', 'number': number}])],
                        }])
        statement_journal, = StatementJournal.create([{
                    'name': "%s %s" % (number[4:8], currency.code),
                    'journal': journal.id, 'account': cash.id,
                    'currency': currency.id, 'validation': 'balance',
                    'bank_account': bank_account.id,
                    }])
        return statement_journal

    @with_transaction()
    def test_tilde_windows_1250(self):
        """A bank that writes "/" before its IBAN, marks subfields with ~,
        in Windows-1250 with CRLF"""
        company = self.company()
        statement, = self.import_(company, 'statement_ro_tilde.sta')
        number, = statement.journal.bank_account.numbers
        self.assertEqual(number.number_compact, RNCB)
        self.assertEqual(
            (statement.name, statement.date, statement.start_balance,
                statement.end_balance),
            ('00064/001', dt.date(2026, 3, 18), Decimal('10000.00'),
                Decimal('10358.50')))
        self.assertEqual(
            [(o.amount, o.description) for o in statement.origins], [
                (Decimal('250.00'), "ÎNCASARE OP Plată impozit clădiri "
                    "2026 1850101123451 Popescu Ștefan"),
                (Decimal('120.50'), "ÎNCASARE OP Taxă salubrizare "
                    "14186770 SC Țărm Mării SRL"),
                (Decimal('-12.00'), "COMISION Comision administrare cont"),
                ])
        self.assertIn(
            '1850101123451', statement.origins[0].description.split())

    @with_transaction()
    def test_caret_iso_8859_2(self):
        """A bank that marks subfields with ^ on lines of their own, in
        ISO-8859-2, and free text on full lines; the same in Windows-1250"""
        company = self.company()
        data = (DATA / 'statement_ro_caret.sta').read_bytes()
        statement, = self.import_(company, data, 'mt940')
        descriptions = [
            "INCASARE PLATĂ IMPOZIT MIJLOACE DE TRANSPORT 2026 "
            "1790415123455 Ionescu Ioana Țânțăreanu",
            # a full line that ends a word, the next starts one
            "CONVERSIE VALUTARA LA CURSUL BNR AL ZILEI, CONFORM CURS DE "
            "SCHIMB Schimb valutar EUR/RON",
            # a full line cut inside a word
            "PLATA DEBIT DIRECT PENTRU FURNIZARE SERVICII DE TELEFONIE, "
            "ABONAMENT 03/2026",
            ]
        self.assertEqual(
            [o.description for o in statement.origins], descriptions)
        statement.state = 'cancelled'
        statement.save()
        text = data.decode('iso8859_2')
        statement, = self.import_(company, text.encode('cp1250'), 'mt940')
        self.assertEqual(
            [o.description for o in statement.origins], descriptions)

    @with_transaction()
    def test_plus_utf8_bic_account(self):
        "A bank that writes BIC/IBAN, marks subfields with +, in UTF-8"
        company = self.company()
        statement, = self.import_(company, 'statement_ro_plus.sta')
        self.assertEqual(statement.journal.currency.code, 'EUR')
        origin, = statement.origins
        self.assertEqual(origin.description,
            "TRANSFER SEPA Plată taxă concesiune teren, contract 12/2025 "
            "2850312123459 Georgescu Ana")

    @with_transaction()
    def test_camt_treasury(self):
        "A camt.053 of the Treasury, in Romanian"
        company = self.company()
        statement, = self.import_(company, 'statement_ro.xml')
        self.assertEqual(
            (statement.name, statement.date, statement.end_balance),
            ('EXTRAS-2026-03-18', dt.date(2026, 3, 18), Decimal('1350.00')))
        self.assertEqual([o.description for o in statement.origins], [
                "Impozit clădiri 2026 CNP 1850101123451 "
                "Încasare OP de la Popescu Ștefan",
                "Taxă salubrizare CUI 14186770 SC Țărm SRL",
                ])

    @with_transaction()
    def test_account_unknown(self):
        """A file of an account without journal is refused, naming the
        account as written, in the reader's language"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        Journal = pool.get('account.statement.journal')
        company = self.company()
        journal, = Journal.search([('name', '=', 'RNCB RON')])
        journal.bank_account = None
        journal.save()
        Lang.load_translations(Lang.search([('code', 'in', ['bg', 'ro'])]))
        messages = {}
        for code in ['en', 'ro', 'bg']:
            with Transaction().set_context(language=code):
                messages[code] = self.refused(
                    company, 'statement_ro_tilde.sta')
        self.assertEqual(messages['en'],
            'No statement journal of "%s" is on the bank account '
            '"/%s" of the file. Set this bank account on the journal of '
            'the account, or import the file in the company that owns it. '
            'Nothing was imported.' % (company.rec_name, RNCB))
        self.assertIn('Niciun jurnal de extrase', messages['ro'])
        self.assertIn('„/%s”' % RNCB, messages['ro'])
        self.assertIn('Нито един дневник за извлечения', messages['bg'])
        self.assertIn('„/%s“' % RNCB, messages['bg'])

    @with_transaction()
    def test_account_other_currency(self):
        "The journals of the account are named when none is of its currency"
        pool = Pool()
        Journal = pool.get('account.statement.journal')
        company = self.company()
        journal, = Journal.search([('name', '=', 'BTRL EUR')])
        bank_account = journal.bank_account
        bank_account.currency = None
        bank_account.save()
        journal.currency = company.currency
        journal.save()
        message = self.refused(company, 'statement_ro_plus.sta')
        self.assertEqual(message,
            'The statement of the bank account "BTRLRO22/%s" is in EUR, but '
            'the statement journals on this account are BTRL EUR (RON). '
            'Create a journal in EUR on this account. Nothing was imported.'
            % BTRL_EUR)

    @with_transaction()
    def test_refused_whole(self):
        "A Romanian file that does not balance is refused whole"
        company = self.company()
        data = (DATA / 'statement_ro_tilde.sta').read_bytes().replace(
            b':62F:C260318RON10358,50', b':62F:C260318RON10358,51')
        message = self.refused(company, data, 'mt940')
        self.assertIn('00064/001', message)
        data = (DATA / 'statement_ro_tilde.sta').read_bytes()
        message = self.refused(company, data.decode('cp1250').encode(
                'utf-16'), 'mt940')
        self.assertIn('UTF-8 nor in Windows-1250, ISO-8859-2', message)

    def lines(self, statement):
        "The statement's lines, from its origins, on the journal's account"
        pool = Pool()
        Line = pool.get('account.statement.line')
        return Line.create([{
                    'statement': statement.id, 'origin': o.id,
                    'date': o.date, 'amount': o.amount,
                    'description': o.description,
                    'account': statement.journal.account.id,
                    } for o in statement.origins])

    def validate(self, company, statement):
        "Validate the statement, which creates its moves"
        pool = Pool()
        Statement = pool.get('account.statement')
        language = Transaction().language
        with set_company(company), \
                Transaction().set_context(language=language):
            Statement.validate_statement([statement])

    @with_transaction()
    def test_rate_of_the_day(self):
        """A statement in EUR is posted at a rate of its day, of at most
        7 days before; an older one or none stops it, told why"""
        pool = Pool()
        Currency = pool.get('currency.currency')
        Rate = pool.get('currency.currency.rate')
        Lang = pool.get('ir.lang')
        company = self.company()
        leu, = Currency.search([('code', '=', 'RON')])
        statement, = self.import_(company, 'statement_ro_plus.sta')
        self.lines(statement)
        # the rate of 1999 only
        with self.assertRaises(StatementError) as context:
            self.validate(company, statement)
        self.assertEqual(context.exception.message,
            'Statement "%s" cannot be posted in RON: the latest exchange '
            'rate of RON on 03/20/2026 is of 01/01/1999, more than 7 days '
            'before. Enter the rate of that day.' % statement.rec_name)
        Lang.load_translations(Lang.search([('code', '=', 'ro')]))
        with Transaction().set_context(language='ro'), \
                self.assertRaises(StatementError) as context:
            self.validate(company, statement)
        self.assertIn('cel mai recent curs de schimb pentru RON',
            context.exception.message)
        # 8 days before 20 March: still missing
        rate = add_currency_rate(
            leu, Decimal('5.0912'), dt.date(2026, 3, 12))
        with self.assertRaises(StatementError):
            self.validate(company, statement)
        # 7 days before: the rate of the day
        rate.date = dt.date(2026, 3, 13)
        rate.save()
        self.validate(company, statement)
        self.assertEqual(statement.state, 'validated')
        # 100.00 EUR × 5.0912 = 509.12 RON
        move, = {l.move for l in statement.lines}
        self.assertEqual(
            sorted(l.debit - l.credit for l in move.lines),
            [Decimal('-509.12'), Decimal('509.12')])
        self.assertEqual(
            sorted(l.amount_second_currency for l in move.lines),
            [Decimal('-100.00'), Decimal('100.00')])
        Rate.delete([rate])

    @with_transaction()
    def test_rate_none(self):
        "No rate on or before the day stops the posting"
        pool = Pool()
        Currency = pool.get('currency.currency')
        Rate = pool.get('currency.currency.rate')
        company = self.company()
        leu, = Currency.search([('code', '=', 'RON')])
        Rate.delete(Rate.search([('currency', '=', leu.id)]))
        add_currency_rate(leu, Decimal('5.0900'), dt.date(2026, 3, 23))
        statement, = self.import_(company, 'statement_ro_plus.sta')
        self.lines(statement)
        with self.assertRaises(StatementError) as context:
            self.validate(company, statement)
        self.assertEqual(context.exception.message,
            'Statement "%s" cannot be posted in RON: there is no exchange '
            'rate of RON on or before 03/20/2026. Enter the rate of that '
            'day.' % statement.rec_name)

    @with_transaction()
    def test_rate_age_configured(self):
        "With rate_age 0 any rate before the day is taken"
        company = self.company()
        statement, = self.import_(company, 'statement_ro_plus.sta')
        self.lines(statement)
        section = config.has_section('muni_finance')
        if not section:
            config.add_section('muni_finance')
        age = config.get('muni_finance', 'rate_age')
        config.set('muni_finance', 'rate_age', '0')
        try:
            self.validate(company, statement)
        finally:
            # set clears the cache of the values read, remove_section not
            config.set('muni_finance', 'rate_age', age or '7')
            if not section:
                config.remove_section('muni_finance')
        self.assertEqual(statement.state, 'validated')

    @with_transaction()
    def test_same_currency_no_rate(self):
        "A statement in the company's currency needs no rate"
        company = self.company()
        statement, = self.import_(company, 'statement_ro_tilde.sta')
        self.lines(statement)
        self.validate(company, statement)
        self.assertEqual(statement.state, 'validated')
