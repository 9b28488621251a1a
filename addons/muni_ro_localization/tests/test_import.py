# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import Decimal
from importlib.resources import files

from trytond.modules.account.tests import create_chart
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from muni_finance.import_row import Report, Row
from muni_ro_localization.import_ import identifier_type, key

from .tools import ModuleDatabaseTestMixin, navodari_company

DATA = files('muni_ro_localization.tests') / 'data'
# A building register with Romanian headers, as the web export writes it
HEADER = ("CNP/CUI;Nume și prenume/Denumire;Tip bun;Nr. cadastral;"
    "Cod SIRUTA;Rang;Zona;Cotă-parte;Destinație;Tip clădire;"
    "Suprafața construită (mp);An construcție")
ROWS = [
    "1630615123457;Ion Popescu;clădire;109123-C1;60516;III;A;1;"
    "rezidențială;A;100,50;2000",
    "RO18547290;Marea Nord SRL;clădire;109200-C1;60516;III;B;1;"
    "nerezidențială;A;400;2010",
    ]


class ImportTestCase(ModuleDatabaseTestMixin, unittest.TestCase):
    "Test the reading and the checks of the Romanian registers"

    def navodari(self):
        "Năvodari, whose SIRUTA localities come with the module"
        return navodari_company()

    def plan(self, kind, content, encoding='utf-8-sig',
            delimiter='semicolon', warnings=False, messages=False,
            company=None, language=None, **values):
        "Return the errors (and warnings) and the plan of an import"
        pool = Pool()
        Import = pool.get('muni.import')
        company = company or self.navodari()
        with set_company(company), Transaction().set_context(
                language=language or Transaction().language):
            import_ = Import(
                company=company, kind=kind, encoding=encoding,
                delimiter=delimiter,
                file=(content.encode('utf-8') if isinstance(content, str)
                    else content),
                **values)
            report, plan = import_._plan()
        if messages:
            return report.messages, plan
        return sorted(((m['row'], m['column'], m['severity'])
                for m in report.messages
                if warnings or m['severity'] == 'error'),
            key=lambda m: m[0] or 0), plan

    def test_key(self):
        "Headers and values compare without diacritics, cedilla or comma"
        self.assertEqual(key("Suprafața construită (mp)"),
            'suprafata construita mp')
        self.assertEqual(key("Suprafaţa  construită(mp)"),
            'suprafata construita mp')
        self.assertEqual(key("SUPRAFATA CONSTRUITA - MP"),
            'suprafata construita mp')
        self.assertEqual(key("Curți-construcții"), 'curti constructii')
        self.assertEqual(key(None), '')

    def test_identifier_type(self):
        "Without a type column, 13 digits are a CNP, any other code a CUI"
        self.assertEqual(identifier_type('1630615123457'), 'ro_cnp')
        self.assertEqual(identifier_type('163 0615 123457'), 'ro_cnp')
        self.assertEqual(identifier_type('18547290'), 'ro_cui')
        self.assertEqual(identifier_type('RO18547290'), 'ro_cui')
        # 13 characters, not 13 digits
        self.assertEqual(identifier_type('RO12345678901'), 'ro_cui')

    @with_transaction()
    def test_layouts(self):
        "The same register in every layout of the town hall's exports"
        header_ascii = ("CNP/CUI;Nume si prenume/Denumire;Tip bun;"
            "Nr cadastral;Cod SIRUTA;Rang;Zona;Cota-parte;Destinatie;"
            "Tip cladire;Suprafata construita (mp);An constructie")
        self.assertTrue(header_ascii.isascii())
        text = '\r\n'.join([HEADER] + ROWS) + '\r\n'
        cedilla = text.replace('ș', 'ş').replace('ț', 'ţ')
        layouts = [
            ('\ufeff' + text, 'utf-8-sig', 'semicolon'),
            (text.replace('100,50', '100.50').replace(';', ','),
                'utf-8-sig', 'comma'),
            (cedilla.encode('cp1250'), 'cp1250', 'semicolon'),
            (cedilla.encode('iso-8859-2'), 'iso-8859-2', 'semicolon'),
            ('\n'.join([header_ascii] + ROWS), 'utf-8-sig', 'semicolon'),
            ]
        plans = []
        for content, encoding, delimiter in layouts:
            messages, plan = self.plan('objects', content,
                encoding=encoding, delimiter=delimiter, warnings=True)
            self.assertEqual(messages, [], msg=encoding + delimiter)
            plans.append(plan)
        for plan in plans:
            self.assertEqual(
                {r: {k: v for k, v in o['values'].items()}
                    for r, o in plan['object_values'].items()},
                {r: {k: v for k, v in o['values'].items()}
                    for r, o in plans[0]['object_values'].items()})
        house = plans[0]['object_values']['109123-C1']['values']
        self.assertEqual(house['kind'], 'property')
        self.assertEqual(house['settlement'].code, '60516')
        self.assertEqual(
            {k: v for k, v in house.items() if k.startswith('ro_')}, {
                'ro_owner_kind': 'natural', 'ro_property_kind': 'building',
                'ro_rank': 'III', 'ro_zone': 'A',
                'ro_building_use': 'residential', 'ro_building_type': 'A',
                'ro_area': Decimal('100.50'), 'ro_construction_year': 2000,
                })
        office = plans[0]['object_values']['109200-C1']['values']
        self.assertEqual(office['ro_owner_kind'], 'legal')
        self.assertEqual(office['ro_building_use'], 'non_residential')
        self.assertEqual(
            sorted((c, p['type']) for c, p in
                plans[0]['party_values'].items()),
            [('1630615123457', 'ro_cnp'), ('18547290', 'ro_cui')])

        # A Windows-1250 file read as UTF-8 cannot be decoded; a UTF-8 file
        # read as Windows-1250 has no known column
        messages, plan = self.plan('objects', layouts[2][0])
        self.assertEqual(messages, [(None, None, 'error')])
        messages, plan = self.plan(
            'objects', layouts[0][0].encode('utf-8'), encoding='iso-8859-2')
        self.assertIn((1, 'Name', 'error'), messages)
        self.assertEqual(plan['rows'], 0)
        # The wrong delimiter: one column only
        messages, plan = self.plan('objects', layouts[0][0],
            delimiter='comma')
        self.assertIn((1, 'CNP/CUI', 'error'), messages)

    @with_transaction()
    def test_numbers(self):
        "Decimal commas, with or without the dots of thousands"
        pool = Pool()
        Import = pool.get('muni.import')
        import_ = Import(kind='debts')
        values = import_._row_values_ro({
                'amount': '1.000.000,50', 'value': '1.234,5',
                'area': '1.234', 'share': '0,5', 'land_area': '12.34,5',
                'year': '2.025,0'})
        self.assertEqual(values, {
                'amount': '1000000,50', 'value': '1234,5', 'area': '1.234',
                'share': '0,5', 'land_area': '12.34,5', 'year': '2.025,0'})
        row = Row(2, values, Report())
        self.assertEqual(row.decimal('amount'), Decimal('1000000.50'))
        self.assertEqual(row.decimal('area'), Decimal('1.234'))
        self.assertIsNone(row.decimal('land_area'))

    @with_transaction()
    def test_cedilla_names(self):
        "The cedilla letters of the old code pages become ș and ț"
        text = ("CNP/CUI;Nume;Tip bun;Nr. cadastral;Tip vehicul;"
            "Capacitate cilindrica (cmc)\n"
            "2900725131237;Elena Dinu-Şerban Ţuţea;mijloc de transport;"
            "CT 13 ELN;autoturism;1600\n")
        messages, plan = self.plan(
            'objects', text.encode('iso-8859-2'), encoding='iso-8859-2')
        self.assertEqual(messages, [])
        self.assertEqual(plan['party_values']['2900725131237']['name'],
            "Elena Dinu-Șerban Țuțea")

    @with_transaction()
    def test_identifiers(self):
        "CNP and CUI checked by python-stdnum, with the kind of mistake"
        header = "Tip identificator;CNP/CUI;Nume;Tip bun;Nr. cadastral;" \
            "Tip vehicul;Capacitate cilindrica (cmc)"
        codes = [
            ('', '163 0615 123457'),  # CNP with spaces
            ('', '1630615123458'),  # CNP, wrong check digit
            ('', '1631315123451'),  # CNP, month 13
            ('', 'RO 18547290'),  # CIF of a VAT payer: its CUI
            ('CUI', '18547291'),  # CUI, wrong check digit
            ('', '185472900001'),  # 12 digits: too long for a CUI
            ('', 'RO18A47290'),  # letters
            ('CNP', '18547290'),  # a CUI said to be a CNP
            ('pașaport', '123456'),  # no Romanian type
            ('cnp', '2750312130016'),
            ]
        text = header + ''.join(
            f'\n{t};{c};Name {i};vehicul;CT {i};motocicletă;125'
            for i, (t, c) in enumerate(codes))
        messages, plan = self.plan('objects', text, messages=True)
        self.assertEqual(
            [(m['row'], m['column']) for m in messages], [
                (3, 'CNP/CUI'), (4, 'CNP/CUI'), (6, 'CNP/CUI'),
                (7, 'CNP/CUI'), (8, 'CNP/CUI'), (9, 'CNP/CUI'),
                (10, 'Identifier Type'),
                ])
        self.assertEqual([m['message'] for m in messages[:5]], [
                'The CNP "1630615123458" has a wrong check digit: '
                'it was probably mistyped.',
                'The CNP "1631315123451" does not encode a valid birth date '
                'or county code.',
                'The CUI "18547291" has a wrong check digit: '
                'it was probably mistyped.',
                'The CUI "185472900001" has the wrong number of digits: '
                'a CNP has 13, a CUI 2 to 10.',
                'The CUI "RO18A47290" must contain only digits '
                '(a CIF may start with "RO").',
                ])
        parties = plan['party_values']
        self.assertEqual(sorted((c, p['type']) for c, p in parties.items()), [
                ('1630615123457', 'ro_cnp'), ('18547290', 'ro_cui'),
                ('2750312130016', 'ro_cnp')])
        # The vehicles of a CNP are a natural person's, of a CUI a legal's
        owners = {o['values']['ro_owner_kind']
            for o in plan['object_values'].values()}
        self.assertEqual(owners, {'natural', 'legal'})

    @with_transaction()
    def test_object_fields(self):
        "The fields the law needs for each kind of building, land, vehicle"
        header = ("CNP/CUI;Nume;Tip bun;Nr. cadastral;Cod SIRUTA;Rang;Zona;"
            "Destinație;Tip clădire;Suprafața construită (mp);"
            "An construcție;Amplasare;Categorie folosință;"
            "Suprafața teren (mp);Tip vehicul;Capacitate cilindrică (cmc);"
            "Combustibil;Emisii CO2 (g/km);MTMA;Nr axe")
        cnp_ = '1630615123457'
        rows = [
            # 2: a complete building, 3: no area, 4: area 0, rank VI
            f"{cnp_};I;clădire;B1;60516;III;A;rezidențială;A;100;2000"
            ";;;;;;;;;",
            f"{cnp_};I;clădire;B2;60516;III;A;rezidențială;A;;2000;;;;;;;;;",
            f"{cnp_};I;clădire;B3;60516;VI;A;rezidențială;A;0;2000;;;;;;;;;",
            # 5: a building of the future, in zone E, SIRUTA unknown
            f"{cnp_};I;clădire;B4;99999;III;E;rezidențială;A;80;2099"
            ";;;;;;;;;",
            # 6: land inside the town without a zone, 7: outside, complete
            f"{cnp_};I;teren;T1;60516;III;;;;;;intravilan;curți construcții"
            ";400;;;;;;",
            f"{cnp_};I;teren;T2;60525;;;;;;;extravilan;arabil;25000;;;;;;",
            # 8: a category unknown, 9: "proprietate" without saying which
            f"{cnp_};I;teren;T3;60525;;;;;;;extravilan;mlaștină;100;;;;;;",
            f"{cnp_};I;proprietate;T4;60525;;;;;;;;;;;;;;;",
            # 10: a car without cm³, 11: an electric car needs none
            f"{cnp_};I;auto;CT 1;60516;;;;;;;;;;autoturism;;benzină;;;",
            f"{cnp_};I;auto;CT 2;60516;;;;;;;;;;autoturism;;electric;;;",
            # 12: a hybrid without CO₂, 13: a truck without mass nor axles
            f"{cnp_};I;auto;CT 3;60516;;;;;;;;;;autoturism;1800;hibrid;;;",
            f"{cnp_};I;auto;CT 4;60516;;;;;;;;;;autocamion;;motorină;;;",
            # 14: a trailer with its mass
            f"{cnp_};I;auto;CT 5;60516;;;;;;;;;;remorcă;;;;3000;",
            # 15: a building whose rank is its locality's
            f"{cnp_};I;clădire;B5;60516;;C;mixtă;B;50;1990;;;;;;;;;",
            ]
        messages, plan = self.plan('objects', '\n'.join([header] + rows),
            messages=True)
        self.assertEqual(
            [(m['row'], m['column']) for m in messages], [
                (3, 'Built Area (m²)'),
                (4, 'Locality Rank'),
                (4, 'Built Area (m²)'),
                (5, 'Locality (SIRUTA)'),
                (5, 'Zone (A–D)'),
                (5, 'Construction Year'),
                (6, 'Zone (A–D)'),
                (8, 'Use Category'),
                (9, 'Building or Land'),
                (10, 'Cylinder Capacity (cm³)'),
                (12, 'CO₂ Emissions (g/km)'),
                (13, 'Maximum Authorised Mass (kg)'),
                (13, 'Axles'),
                ])
        by_row = {m['row']: m['message'] for m in messages}
        self.assertEqual(by_row[3],
            'The column "Built Area (m²)" needs a value for "clădire".')
        self.assertEqual(by_row[9], 'The column "Building or Land" needs '
            'a value for "proprietate".')
        self.assertEqual(by_row[12], 'The column "CO₂ Emissions (g/km)" '
            'needs a value for "hibrid".')
        values = {r: o['values'] for r, o in plan['object_values'].items()}
        self.assertEqual(values['T2']['ro_land_location'], 'extravilan')
        self.assertEqual(values['T2']['ro_land_category'], 'arable')
        self.assertEqual(values['T2']['ro_land_area'], Decimal(25000))
        # The rank of the SIRUTA locality when the register gives none
        self.assertEqual(values['T2']['ro_rank'], 'V')
        self.assertEqual(values['B5']['ro_rank'], 'III')
        self.assertEqual(values['B5']['ro_building_use'], 'mixed')
        self.assertEqual(values['CT 2']['ro_propulsion'], 'electric')
        self.assertEqual(values['CT 5']['ro_vehicle_kind'], 'trailer')
        self.assertEqual(values['CT 5']['ro_max_mass'], 3000)

    @with_transaction()
    def test_owners(self):
        "The rows of the owners of an object repeat the object's fields"
        header = ("CNP/CUI;Nume;Tip bun;Nr. cadastral;Cod SIRUTA;Rang;Zona;"
            "Cotă-parte;Destinație;Tip clădire;Suprafața construită (mp);"
            "An construcție")
        rows = [
            "2750312130016;Maria;clădire;U5;60516;III;B;0,5;rezidențială;A;"
            "65,50;1985",
            "1850101134565;Andrei;clădire;U5;60516;III;B;0,5;rezidențială;A;"
            "65,5;1985",
            "2750312130016;Maria;clădire;U6;60516;III;B;0,5;rezidențială;A;"
            "65,50;1985",
            "1850101134565;Andrei;clădire;U6;60516;III;B;0,5;rezidențială;A;"
            "56,50;1985",
            ]
        messages, plan = self.plan(
            'objects', '\n'.join([header] + rows), messages=True)
        self.assertEqual([(m['row'], m['column'], m['message'])
                for m in messages], [
                (5, 'Built Area (m²)', 'The object "U6" has another value '
                    'in the column "Built Area (m²)" on row 4.'),
                ])
        self.assertEqual(len(plan['object_values']['U5']['owners']), 2)

    @with_transaction()
    def test_debt_rows(self):
        "Debt rows: years 2024–2026, lei and bani, budget codes"
        pool = Pool()
        Import = pool.get('muni.import')
        Party = pool.get('party.party')
        RevenueType = pool.get('muni.revenue.type')
        Account = pool.get('account.account')
        company = self.navodari()
        with set_company(company):
            create_chart(company)
            receivable, = Account.search([
                    ('type.receivable', '=', True),
                    ('party_required', '=', True),
                    ('closed', '!=', True),
                    ], limit=1)
            revenue, = Account.search([
                    ('type.revenue', '=', True),
                    ('closed', '!=', True),
                    ], limit=1)
            RevenueType.write(RevenueType.search([
                        ('localisation', '=', 'ro')]), {
                    'receivable_account': receivable.id,
                    'revenue_account': revenue.id,
                    })
        Party.create([{'name': "Ion Popescu", 'identifiers': [('create', [{
                                'type': 'ro_cnp',
                                'code': '1630615123457'}])]}])
        header = "CNP/CUI;Cod venit;An;Scadența;Suma (lei)"
        cnp_ = '1630615123457'
        rows = [
            f"{cnp_};IC-PF;2023;30.09.2023;10,00",
            f"{cnp_};IC-PF;2024;30.09.2024;10,00",
            f"{cnp_};IC-PF;2026;31.03.2026;10,00",
            f"{cnp_};IC-PF;2027;31.03.2027;10,00",
            f"{cnp_};IC-PF;2025;30.09.2025;10,005",
            f"{cnp_};IC-PF;2025;30.09.2025;10,050",
            f"{cnp_};IC-PF;2025;30.09.2025;0,00",
            f"{cnp_};07.02.02.01;2025;30.09.2025;1",
            f"{cnp_};16020201;2025;30.09.2025;1",
            f"{cnp_};07.02;2025;30.09.2025;1",
            ]
        messages, plan = self.plan(
            'debts', '\n'.join([header] + rows), date=dt.date(2027, 1, 1),
            company=company)
        self.assertEqual([m for m in messages if m[0]], [
                (2, 'Year', 'error'),
                (5, 'Year', 'error'),
                (6, 'Amount (lei)', 'error'),
                (8, 'Amount (lei)', 'error'),
                (11, 'Revenue Type', 'error'),
                ])
        self.assertEqual(
            sorted((t.code, y) for _, t, y, _ in plan['debt_values']), [
                ('IC-PF', 2024), ('IC-PF', 2025), ('IC-PF', 2026),
                ('IMT-PF', 2025), ('IT-PF', 2025)])
        self.assertEqual(plan['amount'], Decimal('32.05'))

        company = Import(company=self.navodari(), kind='debts')
        row = Row(2, {}, Report())
        self.assertEqual(company._debt_amount_ro(
                row, 2024, Decimal('10.5'))['amount'], Decimal('10.50'))
        self.assertIsNone(company._debt_amount_ro(row, 2023, Decimal(1)))
        self.assertIsNone(company._debt_amount_ro(row, 2027, Decimal(1)))
        self.assertIsNone(
            company._debt_amount_ro(row, 2026, Decimal('0.001')))
        self.assertEqual(
            [m['column'] for m in row.report.messages],
            ['year', 'year', 'amount'])

    @with_transaction()
    def test_budget_code_aliases(self):
        "A budget code names its revenue type only when it is the only one"
        pool = Pool()
        Import = pool.get('muni.import')
        RevenueType = pool.get('muni.revenue.type')
        types = RevenueType.search([('localisation', '=', 'ro')])
        aliases = Import()._revenue_type_aliases_ro(types)
        self.assertEqual(aliases['07.02.01.01'].code, 'IC-PF')
        self.assertEqual(aliases['07020101'].code, 'IC-PF')
        self.assertEqual(aliases['16.02.02.02'].code, 'IMT-PJ')
        twin, = RevenueType.copy(
            [aliases['07.02.01.01']], default={'code': 'IC-PF-BIS'})
        aliases = Import()._revenue_type_aliases_ro(types + [twin])
        self.assertNotIn('07.02.01.01', aliases)
        self.assertNotIn('07020101', aliases)
        self.assertIn('07.02.01.02', aliases)

    @with_transaction()
    def test_report_languages(self):
        "The report names the column in the clerk's language"
        pool = Pool()
        Lang = pool.get('ir.lang')
        languages = Lang.search([('code', 'in', ['ro', 'bg'])])
        Lang.load_translations(languages)
        text = ("CNP/CUI;Nume;Tip bun;Nr. cadastral;Cod SIRUTA\n"
            "1630615123458;Ion;proprietate;B1;60516\n")
        expected = {
            'en': ('CNP/CUI', 'The CNP "1630615123458" has a wrong check '
                'digit: it was probably mistyped.',
                'Building or Land', 'The column "Building or Land" needs a '
                'value for "proprietate".'),
            'ro': ('CNP/CUI', 'CNP „1630615123458” are cifra de control '
                'greșită: probabil a fost tastat greșit.',
                'Clădire/teren', 'Coloana „Clădire/teren” trebuie completată '
                'pentru „proprietate”.'),
            'bg': ('CNP/CUI', 'CNP „1630615123458“ има грешна контролна '
                'цифра: вероятно е сгрешен при въвеждането.',
                'Сграда/земя', None),
            }
        for language, (column, message, column2, message2) in (
                expected.items()):
            messages, _ = self.plan(
                'objects', text, messages=True, language=language)
            self.assertEqual(messages[0]['column'], column)
            self.assertEqual(messages[0]['message'], message)
            self.assertEqual(messages[1]['column'], column2)
            if message2:
                self.assertEqual(messages[1]['message'], message2)
        # A column unknown is named as the file names it
        messages, _ = self.plan('objects', "Nume;Culoare\nIon;roșu\n",
            messages=True, language='ro')
        self.assertEqual([m['column'] for m in messages],
            ['CNP/CUI', 'Tip bun', 'Identificator bun', 'culoare'])
        self.assertEqual(messages[0]['message'],
            'Coloana „CNP/CUI” lipsește de pe primul rând al fișierului.')

    @with_transaction()
    def test_registers(self):
        "The registers of the scenario, as their files are"
        messages, plan = self.plan('objects',
            (DATA / 'registru_cladiri_teren.csv').read_bytes(),
            encoding='cp1250', warnings=True)
        self.assertEqual(messages, [])
        self.assertEqual((plan['rows'], plan['objects'], plan['owners']),
            (6, 5, 6))
        messages, plan = self.plan('objects',
            (DATA / 'registru_mijloace_transport.csv').read_bytes(),
            encoding='iso-8859-2', delimiter='comma', warnings=True)
        self.assertEqual(messages, [])
        self.assertEqual(plan['objects'], 4)
