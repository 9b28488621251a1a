# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

from muni_finance.import_row import Report, Row

OBJECT_HEADER = ('identifier_type,identifier,name,kind,reference,share,'
    'acquired,disposed,settlement')


class ImportTestCase(unittest.TestCase):
    "Test the reading and the checks of the legacy files"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module('muni_bg_localization')

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def plan(self, kind, text, encoding='utf-8-sig', delimiter='comma',
            warnings=False, **values):
        "Return the errors (and warnings) and the plan of an import"
        pool = Pool()
        Import = pool.get('muni.import')
        company = create_company("Balchik")
        company.localisation = 'bg'
        company.save()
        with set_company(company):
            import_ = Import(
                company=company, kind=kind, encoding=encoding,
                delimiter=delimiter,
                file=text.encode('utf-8') if isinstance(text, str) else text,
                **values)
            report, plan = import_._plan()
        return sorted(((m['row'], m['column'], m['severity'])
                for m in report.messages
                if warnings or m['severity'] == 'error'),
            key=lambda m: m[0] or 0), plan

    def row(self, **values):
        report = Report()
        return Row(2, values, report), report

    @with_transaction()
    def test_decimal(self):
        "Decimals with a point or a comma, no thousands separator"
        row, report = self.row(a='0,5', b='1 234.50', c='1.234,5', d='x')
        self.assertEqual(row.decimal('a'), Decimal('0.5'))
        self.assertEqual(row.decimal('b'), Decimal('1234.50'))
        self.assertIsNone(row.decimal('c'))
        self.assertIsNone(row.decimal('d'))
        self.assertIsNone(row.decimal('e'))
        self.assertEqual(
            [(m['column'], m['severity']) for m in report.messages],
            [('c', 'error'), ('d', 'error')])
        self.assertFalse(row.valid)

    @with_transaction()
    def test_date(self):
        "Dates in ISO or Bulgarian form"
        row, report = self.row(
            a='2026-01-31', b='31.01.2026', c='31/01/2026', d='2026-13-01',
            e=' ')
        self.assertEqual(row.date('a'), dt.date(2026, 1, 31))
        self.assertEqual(row.date('b'), dt.date(2026, 1, 31))
        self.assertEqual(row.date('c'), dt.date(2026, 1, 31))
        self.assertIsNone(row.date('d'))
        self.assertIsNone(row.date('e', required=True))
        self.assertEqual([m['column'] for m in report.messages], ['d', 'e'])

    @with_transaction()
    def test_boolean_integer_selection(self):
        "Yes and no in Bulgarian and English, numbers, selections"
        row, report = self.row(
            a='да', b='Не', c='x', d='', e='maybe', f='12', g='12a',
            h='Property', i='vehicle', j='house')
        self.assertEqual(
            [row.boolean(c) for c in 'abcd'], [True, False, True, False])
        self.assertIsNone(row.boolean('e'))
        self.assertEqual(row.integer('f'), 12)
        self.assertIsNone(row.integer('g'))
        selection = [('property', "Property"), ('vehicle', "Vehicle")]
        self.assertEqual(row.selection('h', selection), 'property')
        self.assertEqual(row.selection('i', selection), 'vehicle')
        self.assertIsNone(row.selection('j', selection))
        self.assertEqual(
            [m['column'] for m in report.messages], ['e', 'g', 'j'])

    @with_transaction()
    def test_file_errors(self):
        "Missing and unknown columns, bad rows, encodings, empty files"
        messages, plan = self.plan(
            'objects', 'identifier,name,colour\nx,y,z\n', warnings=True)
        self.assertIn((1, 'identifier_type', 'error'), messages)
        self.assertIn((1, 'kind', 'error'), messages)
        self.assertIn((1, 'colour', 'warning'), messages)
        self.assertEqual(plan['rows'], 0)

        messages, plan = self.plan('objects', OBJECT_HEADER + '\n\n')
        self.assertEqual(messages, [(None, None, 'error')])

        messages, plan = self.plan('objects', '')
        self.assertIn((1, 'identifier', 'error'), messages)

        cp1251 = (OBJECT_HEADER + '\nЕГН,7523169263,Иван,property,A,1,,,'
            '\n').encode('cp1251')
        messages, plan = self.plan('objects', cp1251)
        self.assertEqual(messages, [(None, None, 'error')])
        messages, plan = self.plan(
            'objects', cp1251, encoding='cp1251', warnings=True)
        self.assertEqual(messages, [(2, 'assessment_value', 'warning')])
        self.assertEqual(plan['objects'], 1)

        messages, plan = self.plan('objects', '\ufeff' + OBJECT_HEADER
            + '\nЕГН,7523169263,Иван,property,A,1,,,,extra\n')
        self.assertEqual(messages, [(2, None, 'error')])

    @with_transaction()
    def test_identifiers(self):
        "ЕГН, ЛНЧ and ЕИК checked by the rules of bg.md §7.3"
        text = OBJECT_HEADER + ''.join(f'\n{t},{c},Name {i},property,R{i},1,,,'
            for i, (t, c) in enumerate([
                    ('ЕГН', '752316 9263'),
                    ('егн', '7513169263'),
                    ('ЛНЧ', '7111 042 925'),
                    ('ЕИК', 'BG 175074752'),
                    ('БУЛСТАТ', '1213961230342'),
                    ('булстат', '1213961230343'),
                    ('ЕИК', '7523169263'),
                    ('паспорт', '123'),
                    ], 2))
        messages, plan = self.plan('objects', text)
        self.assertEqual(messages, [
                (3, 'identifier', 'error'),
                (7, 'identifier', 'error'),
                (8, 'identifier', 'error'),
                (9, 'identifier_type', 'error'),
                ])
        parties = plan['party_values']
        self.assertEqual(parties['7523169263']['type'], 'bg_egn')
        self.assertEqual(parties['7111042925']['type'], 'bg_pnf')
        self.assertEqual(parties['175074752']['type'], 'bg_vat')
        self.assertIsNone(parties['1213961230342']['type'])

    @with_transaction()
    def test_shares_in_time(self):
        "Shares add up to one at any date, sales included"
        rows = [
            # sold on 15 September: 1 before, 1 after
            'ЕГН,7523169263,A,property,SOLD,1,,2026-09-15,',
            'ЕГН,8032056031,B,property,SOLD,1,2026-09-15,,',
            # the buyer's half overlaps the seller's whole
            'ЕГН,7523169263,A,property,OVER,1,,2026-09-15,',
            'ЕГН,8032056031,B,property,OVER,0.5,2026-06-01,,',
            # a share above one, a disposal before the acquisition
            'ЕГН,7523169263,A,property,BAD,1.5,,,',
            'ЕГН,7523169263,A,property,DATES,1,2026-02-01,2026-01-01,',
            'ЕГН,7523169263,A,vehicle,CAR,1,,,',
            'ЕГН,7523169263,A,property,ZONE,1,,,99999',
            ]
        messages, plan = self.plan(
            'objects', OBJECT_HEADER + '\n' + '\n'.join(rows))
        self.assertEqual(messages, [
                (4, 'share', 'error'),
                (6, 'share', 'error'),
                (7, 'disposed', 'error'),
                (8, 'vehicle_category', 'error'),
                (9, 'settlement', 'error'),
                ])
        self.assertEqual(plan['objects'], 6)
        self.assertEqual(plan['parties'], 2)

    @with_transaction()
    def test_debt_rows(self):
        "Debt rows: unknown revenue types, taxpayers, future years"
        header = 'identifier_type,identifier,revenue_type,year,due_date,amount'
        rows = [
            'ЕГН,7523169263,XYZ,2025,2025-06-30,10',
            'ЕГН,7523169263,DNI,2027,2027-06-30,10',
            'ЕГН,7523169263,DNI,2025,2025-06-30,-10',
            'ЕГН,7523169263,DNI,2025,2025-06-30,10',
            ]
        messages, plan = self.plan(
            'debts', header + '\n' + '\n'.join(rows),
            date=dt.date(2026, 1, 1))
        # no fiscal year, no accounts: reported, not raised
        self.assertIn((None, 'date', 'error'), messages)
        self.assertIn((2, 'revenue_type', 'error'), messages)
        self.assertIn((3, 'year', 'error'), messages)
        self.assertIn((4, 'amount', 'error'), messages)
        self.assertEqual(plan['debts'], 0)

    @with_transaction()
    def test_debt_conversion(self):
        "Leva before 2026 are converted, euro from 2026 are kept"
        pool = Pool()
        Import = pool.get('muni.import')
        Currency = pool.get('currency.currency')
        Currency.create([{'name': "Lev", 'code': 'BGN', 'symbol': "лв."}])
        row, report = self.row()
        import_ = Import(bg_rounding='standard')
        self.assertEqual(
            import_._debt_amount_bg(row, 2025, Decimal('65'))['amount'],
            Decimal('33.23'))
        self.assertEqual(
            import_._debt_amount_bg(row, 2026, Decimal('65'))['amount'],
            Decimal('65'))
        import_.bg_rounding = 'weaker_party'
        values = import_._debt_amount_bg(row, 2025, Decimal('2000'))
        self.assertEqual(values['amount'], Decimal('1022.59'))
        self.assertEqual(values['amount_second_currency'], Decimal('2000'))
        self.assertEqual(values['second_currency'].code, 'BGN')

    @with_transaction()
    def test_neutral_identifiers(self):
        "Without localisation, identifiers are party types checked by stdnum"
        pool = Pool()
        Import = pool.get('muni.import')
        company = create_company("Elsewhere")
        text = OBJECT_HEADER + (
            '\nbg_egn,752316 9263,A,property,R1,1,,,'
            '\nbg_egn,7523169264,B,property,R2,1,,,'
            '\nxx_unknown,1,C,property,R3,1,,,'
            '\n,ID 42,D,property,R4,1,,,')
        with set_company(company):
            import_ = Import(
                company=company, kind='objects', encoding='utf-8-sig',
                delimiter='comma', file=text.encode('utf-8'))
            report, plan = import_._plan()
        self.assertEqual(
            [(m['row'], m['column']) for m in report.messages],
            [(3, 'identifier'), (4, 'identifier_type')])
        self.assertEqual(
            plan['party_values']['7523169263']['type'], 'bg_egn')
        self.assertIsNone(plan['party_values']['ID42']['type'])
