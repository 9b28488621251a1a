# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo data of Năvodari: citizens with their CNP and address in the
town, the correspondents its registry starts with, their buildings, land
and vehicles, the council's decision (HCL) of 2026 as rate tables and the
posted 2026 levy.

Created through proteus by the demo script after create_navodari, never by
activating the module. The citizens and their objects are random but
seeded: the same seed gives the same people, CNP, addresses and objects.

Năvodari's decision on local taxes for 2026 was not found (shared/domain/
ro.md 8, 11): every level of HCL_2026 is ILLUSTRATIVE, chosen inside the
ranges of the Codul fiscal, and said so in the tables' notes."""
import datetime as dt
import random
from decimal import Decimal

from proteus import Model
from proteus.config import get_config
from stdnum.ro import cnp as stdnum_cnp
from stdnum.ro import cui as stdnum_cui

from muni_base.demo import create_people

from .tests.tools import get_navodari

__all__ = ['create_navodari_demo', 'levy', 'HCL_2026']

# The CNP's county code of Constanța (JJ)
COUNTY = '13'
POSTAL_CODE = '905700'
CITY = "Năvodari"
# The province of the town (ISO 3166-2)
SUBDIVISION = 'RO-CT'
# Streets of the town as published addresses give them: the town hall (Str.
# Dobrogei nr. 1), the social canteen (Str. Sănătății nr. 2), the
# roundabout of Str. Rândunelelor and Bd. Năvodari, Str. Midiei.
STREETS = [
    'Str. Dobrogei', 'Str. Sănătății', 'Str. Rândunelelor', 'Bd. Năvodari',
    'Str. Midiei']

MALE_NAMES = [
    'Ion', 'Gheorghe', 'Vasile', 'Constantin', 'Mihai', 'Andrei',
    'Alexandru', 'Nicolae', 'Florin', 'Marian', 'Adrian', 'Cristian']
FEMALE_NAMES = [
    'Maria', 'Elena', 'Ioana', 'Ana', 'Mihaela', 'Andreea', 'Gabriela',
    'Cristina', 'Daniela', 'Alina', 'Georgiana', 'Simona']
SURNAMES = [
    'Popescu', 'Ionescu', 'Popa', 'Dumitru', 'Stan', 'Stoica', 'Gheorghe',
    'Rusu', 'Munteanu', 'Matei', 'Constantin', 'Șerban', 'Marin', 'Tudor',
    'Dobre', 'Barbu', 'Nistor', 'Florea', 'Ene', 'Dinu']


def _cnp(rng, birth, male):
    "Return a valid CNP of a citizen born in Constanța county"
    if birth.year < 2000:
        sex = '1' if male else '2'
    else:
        sex = '5' if male else '6'
    digits = (f'{sex}{birth.year % 100:02d}{birth.month:02d}'
        f'{birth.day:02d}{COUNTY}{rng.randrange(1, 1000):03d}')
    return digits + stdnum_cnp.calc_check_digit(digits)


def _people(rng, count):
    "Return count (name, CNP) of distinct citizens"
    people, seen = [], set()
    while len(people) < count:
        male = rng.random() < 0.5
        first = rng.choice(MALE_NAMES if male else FEMALE_NAMES)
        name = f'{first} {rng.choice(SURNAMES)}'
        birth = dt.date(1940, 1, 1) + dt.timedelta(
            days=rng.randrange(0, 365 * 64))
        cnp = _cnp(rng, birth, male)
        if cnp in seen:
            continue
        seen.add(cnp)
        people.append((name, cnp))
    return people


def _address(rng):
    "Return the values of a citizen's address: a flat or a house in the town"
    values = {
        'street_name': rng.choice(STREETS),
        'building_number': str(rng.randrange(1, 80)),
        'postal_code': POSTAL_CODE,
        'city': CITY,
        }
    if rng.random() < 0.6:
        values['room_number'] = str(rng.randrange(1, 61))
    return values


def create_navodari_demo(config=None, citizens=60, seed=2026):
    """Create Năvodari's demo citizens that are missing; the first time,
    also their objects, the 2026 rate tables and the posted 2026 levy.
    Return the company"""
    if config is None:
        config = get_config()
    company = get_navodari(config=config)
    RateTable = Model.get('muni.rate.table', config=config)
    with config.set_context(company=company.id, companies=[company.id]):
        parties = _create_citizens(citizens, seed, config)
        if RateTable.find([
                    ('company', '=', company.id),
                    ('year', '=', YEAR),
                    ]):
            return company
        zones = _create_zones(company, config)
        setup_revenue_accounts(company, config)
        parties += _create_businesses(seed, config)
        _create_objects(company, zones, parties, seed, config)
        create_rate_tables(company, config)
    levy(config=config)
    return company


def _create_citizens(count, seed, config):
    "Create the citizens that are missing; return all of them"
    people = _people(random.Random(seed), count)
    # their own generator: the people stay those of the seed
    address_rng = random.Random(seed + 2)
    return create_people(people, 'ro_cnp', 'RO', SUBDIVISION,
        lambda: _address(address_rng), config)


YEAR = 2026
HCL = "Hotărârea Consiliului Local al orașului Năvodari privind impozitele " \
    "și taxele locale pentru anul 2026 (ilustrativă)"
NOTE = (
    "Niveluri ILUSTRATIVE, alese în limitele Codului fiscal, titlul IX: "
    "HCL-ul Năvodari pentru 2026 nu a fost găsit (shared/domain/ro.md 8). "
    "Valorile legii (lei/m², coeficienți, tabelul vehiculelor pe norme "
    "Euro) vin din rates_ro, după data intrării în vigoare.")
# The council's levels by revenue type (keys: rate_range.xml). The lei/m²
# the 2026 law gives for types A and B with utilities are the law's; the
# other cells, not found, are the 2016 values × 2.677 (the rise of type A),
# illustrative. Land: lei/ha by zone for the town (rank III) and
# Mamaia-Sat (rank V); the rank coefficients of art. 465 (5) as ro.md 2.4
# remembers them (UNVERIFIED).
HCL_2026 = {
    'IC-PF': {
        'rate_residential': '0.1', 'rate_non_residential': '0.5',
        'value_A_without': '1606', 'value_B_without': '535',
        'value_C_with': '535', 'value_C_without': '468',
        'value_D_with': '335', 'value_D_without': '201'},
    'IC-PJ': {'rate_residential': '0.1', 'rate_non_residential': '0.5'},
    'IT-PF': {
        'land_constructions_A_3': '8000', 'land_constructions_B_3': '6400',
        'land_constructions_C_3': '4800', 'land_constructions_D_3': '3200',
        'land_constructions_A_5': '1000', 'land_constructions_B_5': '800',
        'land_constructions_C_5': '600', 'land_constructions_D_5': '400',
        'land_arabil_A': '28', 'land_arabil_B': '21',
        'land_arabil_C': '19', 'land_arabil_D': '15',
        'land_livada_A': '53', 'land_livada_B': '41',
        'land_livada_C': '36', 'land_livada_D': '29',
        'rank_coefficient_3': '3.00', 'rank_coefficient_5': '1.00'},
    'IT-EXT': {
        'extravilan_arabil': '45', 'extravilan_pasune': '40',
        'extravilan_faneata': '40', 'extravilan_vie': '80',
        'extravilan_livada': '80', 'extravilan_padure': '20'},
    'IMT-PF': {
        'cc_bus_over': '43', 'cc_motor_vehicle_over': '54',
        'cc_tractor_over': '32',
        'trailer_1000': '16', 'trailer_3000': '61', 'trailer_5000': '93',
        'trailer_over': '115'},
    }
HCL_2026['IT-PJ'] = HCL_2026['IT-PF']
HCL_2026['IMT-PJ'] = HCL_2026['IMT-PF']
# The deadlines of art. 462, 467, 472 and the bonificație: 10 % for
# natural persons, 5 % for legal persons, as SPIT Constanța grants
# (ro.md 2.1, 8)
INSTALMENTS = [(dt.date(YEAR, 3, 31), Decimal('0.5')),
    (dt.date(YEAR, 9, 30), Decimal('0.5'))]
BONUS = {'PF': Decimal('0.10'), 'PJ': Decimal('0.05'),
    'EXT': Decimal('0.10')}
# (receivable, revenue) of the chart by revenue type
ACCOUNTS = {
    'IC-PF': ('464.01', '734.01'), 'IC-PJ': ('464.01', '734.01'),
    'IT-PF': ('464.01', '734.02'), 'IT-PJ': ('464.01', '734.02'),
    'IT-EXT': ('464.01', '734.02'),
    'IMT-PF': ('464.01', '735.01'), 'IMT-PJ': ('464.01', '735.01'),
    }
ZONES = [
    ('A', "Zona A", "Centrul orașului (împărțire ilustrativă)."),
    ('B', "Zona B", "Cartierele de blocuri (împărțire ilustrativă)."),
    ('C', "Zona C", "Cartierele de case (împărțire ilustrativă)."),
    ('D', "Zona D", "Periferia și Peninsula (împărțire ilustrativă)."),
    ]
TOWN, VILLAGE = '60516', '60525'
PLATE_LETTERS = 'ABCDEFGHKLMNPRSTUVXYZ'
BUSINESSES = [
    "Hotel Mamaia Nord SRL", "Pescăria Tașaul SRL", "Construct Dobrogea SA",
    "Transport Năvodari SRL", "Farmacia Sănătății SRL"]


def setup_revenue_accounts(company, config):
    "Give Năvodari's revenue types their accounts"
    Account = Model.get('account.account', config=config)
    RevenueType = Model.get('muni.revenue.type', config=config)
    codes = {c for pair in ACCOUNTS.values() for c in pair}
    accounts = {a.code: a for a in Account.find([
                ('company', '=', company.id),
                ('code', 'in', list(codes)),
                ])}
    revenue_types = RevenueType.find([
            ('localisation', '=', 'ro'),
            ('code', 'in', list(ACCOUNTS)),
            ])
    for revenue_type in revenue_types:
        receivable, revenue = ACCOUNTS[revenue_type.code]
        revenue_type.receivable_account = accounts[receivable]
        revenue_type.revenue_account = accounts[revenue]
    RevenueType.save(revenue_types)


def _create_zones(company, config):
    "The zones A to D of the town, illustrative: the HCL was not found"
    Zone = Model.get('muni.zone', config=config)
    zones = {z.code: z for z in Zone.find([('company', '=', company.id)])}
    missing = []
    for code, name, description in ZONES:
        if code in zones:
            continue
        zone = Zone(company=company, code=code, name=name)
        zone.description = description
        missing.append(zone)
    Zone.save(missing)
    zones.update({z.code: z for z in missing})
    return zones


def _cui(rng):
    "Return a valid CUI of 8 digits"
    digits = str(rng.randrange(10 ** 6, 10 ** 7))
    return digits + stdnum_cui.calc_check_digit(digits)


def _create_businesses(seed, config):
    "The businesses of the demo, with their CUI; return their parties"
    rng = random.Random(seed + 3)
    people = [(name, _cui(rng)) for name in BUSINESSES]
    address_rng = random.Random(seed + 4)
    return create_people(people, 'ro_cui', 'RO', SUBDIVISION,
        lambda: _address(address_rng), config)


def _plate(rng, used):
    "A registration plate of Constanța county"
    while True:
        letters = ''.join(rng.choice(PLATE_LETTERS) for _ in range(3))
        plate = f"CT {rng.randrange(1, 100):02d} {letters}"
        if plate not in used:
            used.add(plate)
            return plate


def objects(rng, parties, legal):
    """Return the values of the tax objects of the parties, given by id
    (legal: the set of the ids of legal persons): a home for each citizen,
    a flat in the town or a house with its yard, some land outside the
    town, about half a car; an office or a hotel and a few vehicles for
    each business"""
    result, plates = [], set()
    number = 0

    def reference(prefix):
        nonlocal number
        number += 1
        return f'{prefix}{100000 + number}'

    def vehicle(party, owner_kind):
        kind = rng.choices(
            ['car', 'motorcycle', 'trailer', 'motor_vehicle'],
            [85, 6, 6, 3])[0]
        values = {
            'kind': 'vehicle', 'reference': _plate(rng, plates),
            'owners': [(party, None)], 'ro_owner_kind': owner_kind,
            'ro_vehicle_kind': kind}
        if kind == 'car':
            propulsion = rng.choices(
                ['thermal', 'hybrid', 'electric'], [88, 8, 4])[0]
            values['ro_propulsion'] = propulsion
            values['description'] = "Autoturism"
            if propulsion != 'electric':
                values['ro_engine_cc'] = rng.choice([
                        999, 1199, 1390, 1461, 1598, 1600, 1798, 1968,
                        1995, 2000, 2001, 2198, 2487, 2993])
                values['ro_euro_norm'] = rng.choices(
                    ['none', '4', '5', '6'], [20, 25, 30, 25])[0]
            if propulsion == 'hybrid':
                values['ro_co2'] = rng.choice([35, 48, 92, 110])
        elif kind == 'motorcycle':
            values['description'] = "Motocicletă"
            values['ro_engine_cc'] = rng.choice([125, 250, 650, 1200])
            values['ro_euro_norm'] = rng.choice(['none', '4', '5'])
        elif kind == 'trailer':
            values['description'] = "Remorcă"
            values['ro_max_mass'] = rng.choice([750, 1300, 3500, 7500])
        else:
            values['description'] = "Autoutilitară"
            values['ro_engine_cc'] = rng.choice([2198, 2287, 2998])
        if rng.random() < 0.04:
            values['owners'] = [(party, dt.date(YEAR, rng.randrange(2, 12),
                        10))]
        result.append(values)

    for party in parties:
        if party in legal:
            hotel = rng.random() < 0.5
            result.append({
                    'kind': 'property', 'reference': reference('C'),
                    'description': "Hotel" if hotel else "Sediu",
                    'owners': [(party, None)], 'ro_owner_kind': 'legal',
                    'ro_property_kind': 'building', 'settlement': TOWN,
                    'zone': rng.choice('AB'),
                    'ro_building_use': 'non_residential',
                    'ro_building_type': 'A', 'ro_utilities': True,
                    'ro_area': Decimal(rng.randrange(150, 2000)),
                    'ro_construction_year': rng.randrange(1975, 2020),
                    'ro_value': Decimal(rng.randrange(400, 6000) * 1000),
                    'ro_value_year': rng.choice([2019, 2021, 2023, 2024])})
            for _ in range(rng.randrange(1, 4)):
                vehicle(party, 'legal')
            continue
        village = rng.random() < 0.15
        settlement = VILLAGE if village else TOWN
        flat = not village and rng.random() < 0.6
        zone = rng.choice('CD' if village else 'ABC' if flat else 'BCD')
        building = {
            'kind': 'property', 'reference': reference('C'),
            'owners': [(party, None)], 'ro_owner_kind': 'natural',
            'ro_property_kind': 'building', 'settlement': settlement,
            'zone': zone, 'ro_building_use': 'residential',
            'ro_building_type': 'A' if flat or rng.random() < 0.7 else 'B',
            'ro_utilities': flat or rng.random() < 0.8,
            'ro_construction_year': rng.randrange(1960, 2025)}
        if flat:
            building['description'] = "Apartament"
            building['ro_area'] = Decimal(rng.randrange(3500, 9500)) / 100
        else:
            building['description'] = "Casă"
            building['ro_area'] = Decimal(rng.randrange(6000, 22000)) / 100
        result.append(building)
        if not flat:
            result.append({
                    'kind': 'property', 'reference': reference('T'),
                    'description': "Curte", 'owners': [(party, None)],
                    'ro_owner_kind': 'natural', 'ro_property_kind': 'land',
                    'settlement': settlement, 'zone': zone,
                    'ro_land_location': 'intravilan',
                    'ro_land_category': 'buildings',
                    'ro_land_area': Decimal(rng.randrange(150, 800))})
        if rng.random() < 0.1:
            result.append({
                    'kind': 'property', 'reference': reference('E'),
                    'description': "Teren agricol",
                    'owners': [(party, None)], 'ro_owner_kind': 'natural',
                    'ro_property_kind': 'land',
                    'ro_land_location': 'extravilan',
                    'ro_land_category': rng.choice(
                        ['arable', 'arable', 'vineyard', 'pasture']),
                    'ro_land_area': Decimal(rng.randrange(2000, 50000))})
        if rng.random() < 0.5:
            vehicle(party, 'natural')
    return result


def _create_objects(company, zones, parties, seed, config):
    "Create the tax objects that are missing"
    TaxObject = Model.get('muni.tax.object', config=config)
    Settlement = Model.get('muni.settlement', config=config)
    Identifier = Model.get('party.identifier', config=config)
    settlements = {s.code: s for s in Settlement.find([
                ('localisation', '=', 'ro'),
                ('code', 'in', [TOWN, VILLAGE]),
                ])}
    legal = {i.party.id for i in Identifier.find([
                ('type', '=', 'ro_cui'),
                ('party', 'in', [p.id for p in parties]),
                ])}
    records_of = {p.id: p for p in parties}
    values = objects(
        random.Random(seed + 1), [p.id for p in parties], legal)
    existing = {o.reference for o in TaxObject.find([
                ('company', '=', company.id),
                ('reference', 'in', [v['reference'] for v in values]),
                ])}
    records = []
    for item in values:
        if item['reference'] in existing:
            continue
        object_ = TaxObject(company=company, kind=item['kind'],
            reference=item['reference'])
        for name, value in item.items():
            if name in {'kind', 'reference', 'owners'}:
                continue
            if name == 'settlement':
                value = settlements.get(value)
            elif name == 'zone':
                object_.ro_zone = value
                value = zones[value]
            setattr(object_, name, value)
        for party, start_date in item['owners']:
            object_.owners.new(
                party=records_of[party], start_date=start_date)
        records.append(object_)
    for i in range(0, len(records), 500):
        TaxObject.save(records[i:i + 500])
    return records


def create_rate_tables(company, config, year=YEAR, rates=None):
    "The council's decision of the year: each level checked against the law"
    RateTable = Model.get('muni.rate.table', config=config)
    RevenueType = Model.get('muni.revenue.type', config=config)
    rates = rates or HCL_2026
    revenue_types = {r.code: r for r in RevenueType.find([
                ('localisation', '=', 'ro'),
                ('code', 'in', list(rates)),
                ])}
    tables = []
    for code, lines in sorted(rates.items()):
        table = RateTable(
            company=company, revenue_type=revenue_types[code], year=year)
        table.legal_basis = HCL
        table.note = NOTE
        for key, value in lines.items():
            table.lines.new(key=key, value=Decimal(value))
        for due_date, fraction in INSTALMENTS:
            table.instalments.new(
                due_date=due_date.replace(year=year), fraction=fraction)
        table.discount_rate = BONUS[code.split('-')[1]]
        table.discount_date = dt.date(year, 3, 31)
        tables.append(table)
    RateTable.save(tables)
    return tables


def levy(config=None, year=YEAR):
    """Run Năvodari's levy of the year for its building, land and vehicle
    taxes, unless one was already run"""
    if config is None:
        config = get_config()
    company = get_navodari(config=config)
    Levy = Model.get('muni.levy.run', config=config)
    RevenueType = Model.get('muni.revenue.type', config=config)
    if Levy.find([('company', '=', company.id), ('year', '=', year)]):
        return
    run = Levy(year=year, date=dt.date(year, 1, 15))
    run.revenue_types.extend(RevenueType.find([
                ('localisation', '=', 'ro'),
                ('code', 'in', list(ACCOUNTS)),
                ]))
    run.save()
    run.click('start')
    return run
