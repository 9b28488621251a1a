# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo data of Balchik: its zones, its 2026 ordinance as rate tables,
the accounts of its revenue types and a few hundred taxpayers with their
flats, houses and vehicles.

Created through proteus by the demo script after create_balchik, never by
activating the module. The taxpayers and their objects are random but seeded:
the same seed gives the same people, ЕГН and objects."""
import datetime as dt
import random
from decimal import Decimal

from proteus import Model
from proteus.config import get_config
from stdnum.bg import egn as stdnum_egn

from muni_base.demo import create_people

from .tests.tools import get_balchik, setup_balchik_finance

__all__ = ['create_balchik_demo']

YEAR = 2026
ORDINANCE = (
    "Наредба за определяне размера на местните данъци на територията на "
    "община Балчик")
FEES_ORDINANCE = (
    "Наредба за определянето и администрирането на местните такси и цени "
    "на услуги на територията на община Балчик")

# The zones of Balchik. Zone I and its streets are those of the mayor's
# order on the household-waste service (balchik.bg/bg/infopage/4075, Order
# 1285/21.10.2021); the other zones are a simplification for the demo.
TOWN = '02508'
ZONE_I_STREETS = [
    'Крайморска алея „Дамба“', 'пл. „Кап. Г. Радков“', 'ул. „Приморска“',
    'ул. „Ас. Златаров“', 'ул. „Сребрист бряг“', 'ул. „Гео Милев“',
    'ул. „Самара“', 'ул. „В. Девитакова“', 'ул. „Акад. Даки Йорданов“',
    'ул. „Албенски път“']
# Streets of the town outside zone I, as published addresses give them
# (ул. „Черно море“ 23, ул. „Хемус“ 2, ул. „Дионисополис“ 2, пл. „21
# септември“ 6).
ZONE_II_STREETS = [
    'ул. „Черно море“', 'ул. „Хемус“', 'ул. „Дионисополис“',
    'пл. „21 септември“']
ZONES = [
    ('I', "Централна градска част", TOWN,
        "Гр. Балчик: " + ", ".join(ZONE_I_STREETS) + ".",
        "Заповед № 1285/21.10.2021 на кмета на община Балчик "
        "(чл. 63, ал. 2 ЗМДТ)"),
    ('II', "Останала част на града", TOWN,
        "Гр. Балчик извън зона I (примерно разделение за демонстрация).",
        None),
    ('III', "Села", None,
        "Селата на общината (примерно разделение за демонстрация).", None),
    ('K', "Курортен комплекс „Албена“", None,
        "КК „Албена“ в землището на с. Оброчище; комплексът сам събира "
        "отпадъците си (balchik.bg/bg/infopage/4073).", None),
    ]

# The 2026 ordinance. Balchik's published property-tax rate is 1.8 ‰
# (чл. 15 of its ordinance, Decision № 30/22.12.2016); whether it changed
# after 2017 is not known (shared/domain/bg.md 8).
DNI_RATES = {'rate': '1.8'}
# ТБО, ‰ of the tax assessment value by zone and service. Balchik's 2016
# fee was 3.64 to 5.80 ‰ by settlement, with a uniform 2 ‰ for treatment
# (the landfill), and 2 to 5.74 ‰ by zone in 2017 (bg.md 1.3, 8); the split
# between collection and cleaning is illustrative.
TBO_RATES = {
    'I': {'collection': '2.60', 'treatment': '2.00', 'cleaning': '1.10'},
    'II': {'collection': '2.10', 'treatment': '2.00', 'cleaning': '0.70'},
    'III': {'collection': '1.40', 'treatment': '2.00', 'cleaning': '0.24'},
    'K': {'collection': '0', 'treatment': '2.00', 'cleaning': '0'},
    }
# ДПС in euros, illustrative values inside the 2026 ranges (Balchik's
# current rates are not known; bg.md 1.2).
DPS_RATES = {
    'kw_55': '0.45', 'kw_74': '0.60', 'kw_110': '1.20', 'kw_150': '1.35',
    'kw_245': '1.75', 'kw_over_245': '2.30',
    'age_5': '2.3', 'age_10': '1.5', 'age_15': '1.3', 'age_20': '1.0',
    'age_over_20': '1.1',
    'eco_none': '1.20', 'eco_3': '1.05', 'eco_4': '0.90', 'eco_5': '0.70',
    'eco_6': '0.50',
    'catalyst_reduction': '0.30',
    'truck_750kg': '10.00',
    'moped': '7.50', 'moto_125': '9.00', 'moto_250': '20.00',
    'moto_350': '28.00', 'moto_490': '40.00', 'moto_750': '60.00',
    'moto_over_750': '80.00',
    'tractor_18': '4.00', 'tractor_37': '6.00', 'tractor_over_37': '8.00',
    }
TABLES = [
    ('DNI', f"{ORDINANCE}, чл. 15, Решение № 30/22.12.2016",
        "1,8 ‰ е размерът, приет с Решение № 30/22.12.2016 на Общински "
        "съвет Балчик; дали е променян след 2017 г. не е установено."),
    ('TBO', f"{FEES_ORDINANCE}, Решение № 31/22.12.2016 (с изменения)",
        "Примерни стойности: ‰ от данъчната оценка по зони и услуги в "
        "рамките на размерите на община Балчик за 2016–2017 г. (3,64–5,80 ‰ "
        "през 2016 г. с 2 ‰ за обезвреждане навсякъде; 2–5,74 ‰ през "
        "2017 г.). Размерите за 2026 г. не са установени."),
    ('DPS', f"{ORDINANCE} (примерни стойности)",
        "Примерни стойности в евро в рамките на законовите граници за "
        "2026 г.; действащите размери на община Балчик не са установени."),
    ]
INSTALMENTS = [(dt.date(YEAR, 6, 30), Decimal('0.5')),
    (dt.date(YEAR, 10, 31), Decimal('0.5'))]
DISCOUNT = (Decimal('0.05'), dt.date(YEAR, 4, 30))

# Accounts of Balchik's chart: (receivable, revenue, interest) by revenue type

# Common Bulgarian names; the father's name gives the middle name
MALE_NAMES = [
    'Георги', 'Иван', 'Димитър', 'Николай', 'Петър', 'Христо', 'Стоян',
    'Тодор', 'Йордан', 'Васил', 'Атанас', 'Стефан', 'Красимир', 'Александър',
    'Михаил', 'Пламен', 'Илия', 'Веселин']
FEMALE_NAMES = [
    'Мария', 'Иванка', 'Елена', 'Йорданка', 'Пенка', 'Росица', 'Даниела',
    'Десислава', 'Петя', 'Гергана', 'Виолета', 'Надежда', 'Милена',
    'Радка', 'Стефка', 'Галина', 'Теодора', 'Светлана']
PATRONYMICS = {
    'Георги': 'Георгиев', 'Иван': 'Иванов', 'Димитър': 'Димитров',
    'Николай': 'Николаев', 'Петър': 'Петров', 'Христо': 'Христов',
    'Стоян': 'Стоянов', 'Тодор': 'Тодоров', 'Йордан': 'Йорданов',
    'Васил': 'Василев', 'Атанас': 'Атанасов', 'Стефан': 'Стефанов',
    'Красимир': 'Красимиров', 'Александър': 'Александров',
    'Михаил': 'Михайлов', 'Пламен': 'Пламенов', 'Илия': 'Илиев',
    'Веселин': 'Веселинов'}
SURNAMES = [
    'Иванов', 'Георгиев', 'Димитров', 'Петров', 'Николов', 'Христов',
    'Стоянов', 'Тодоров', 'Илиев', 'Василев', 'Атанасов', 'Петков',
    'Ангелов', 'Колев', 'Йорданов', 'Маринов', 'Стефанов', 'Попов',
    'Михайлов', 'Костов', 'Димов', 'Добрев', 'Радев', 'Пенев']
# The letters of Bulgarian registration plates; ТХ is the Dobrich region
PLATE_LETTERS = 'АВЕКМНОРСТУХ'

# The citizens' addresses: about two in three live in the town, as in the
# municipality (some 11,000 of 19,000 inhabitants). 9600 is the town's
# postal code; a village's is taken from its settlement record, empty until
# the municipality enters it (none is loaded: the villages' codes were not
# confirmed from Bulgarian Posts). The village streets are the names most
# Bulgarian villages have, not checked village by village.
TOWN_SHARE = 0.65
TOWN_POSTAL_CODE = '9600'
TOWN_STREETS = ZONE_I_STREETS + ZONE_II_STREETS
VILLAGE_STREETS = [
    'ул. „Васил Левски“', 'ул. „Христо Ботев“', 'ул. „Георги Раковски“',
    'ул. „Иван Вазов“', 'ул. „Христо Смирненски“', 'ул. „Шипка“',
    'ул. „Добруджа“', 'ул. „Черно море“']
# The province of the municipality (ISO 3166-2)
SUBDIVISION = 'BG-08'


def _female(name):
    return name + 'а'


def _egn(rng, birth, male):
    "Return a valid ЕГН for the birth date and sex"
    month = birth.month + (40 if birth.year >= 2000 else 0)
    sequence = rng.randrange(0, 100) * 10 + rng.randrange(0, 10, 2) + (
        0 if male else 1)
    digits = f'{birth.year % 100:02d}{month:02d}{birth.day:02d}{sequence:03d}'
    return digits + stdnum_egn.calc_check_digit(digits)


def _people(rng, count):
    "Return count (name, ЕГН) of distinct citizens"
    people, seen = [], set()
    while len(people) < count:
        male = rng.random() < 0.5
        first = rng.choice(MALE_NAMES if male else FEMALE_NAMES)
        father = PATRONYMICS[rng.choice(MALE_NAMES)]
        surname = rng.choice(SURNAMES)
        if not male:
            father, surname = _female(father), _female(surname)
        birth = dt.date(1940, 1, 1) + dt.timedelta(
            days=rng.randrange(0, 365 * 64))
        egn = _egn(rng, birth, male)
        if egn in seen:
            continue
        seen.add(egn)
        people.append((f'{first} {father} {surname}', egn))
    return people


def _shares(count):
    return {
        1: [Decimal(1)],
        2: [Decimal('0.5'), Decimal('0.5')],
        3: [Decimal('0.5'), Decimal('0.25'), Decimal('0.25')],
        }[count]


def _address(rng, town, villages):
    """Return the values of a citizen's address in the municipality: a flat
    or a house in the town, or a house in a village"""
    if rng.random() < TOWN_SHARE:
        values = {
            'street_name': rng.choice(TOWN_STREETS),
            'building_number': str(rng.randrange(1, 60)),
            'postal_code': TOWN_POSTAL_CODE,
            'city': f'гр. {town.name}',
            }
        if rng.random() < 0.6:
            values['floor_number'] = str(rng.randrange(1, 9))
            values['room_number'] = str(rng.randrange(1, 31))
    else:
        village = rng.choice(villages)
        values = {
            'street_name': rng.choice(VILLAGE_STREETS),
            'building_number': str(rng.randrange(1, 80)),
            'postal_code': village.postal_code,
            'city': f'с. {village.name}',
            }
    return values


def _plate(rng, used):
    while True:
        plate = 'ТХ {:04d} {}{}'.format(
            rng.randrange(1000, 10000), rng.choice(PLATE_LETTERS),
            rng.choice(PLATE_LETTERS))
        if plate not in used:
            used.add(plate)
            return plate


def _euro_class(rng, year):
    if year < 1997:
        return 'none'
    if year < 2001:
        return rng.choice(['none', '1', '2'])
    if year < 2006:
        return '3'
    if year < 2011:
        return '4'
    if year < 2015:
        return '5'
    return '6'


def create_balchik_demo(config=None, taxpayers=300, seed=2026):
    """Create Balchik's demo data; do nothing if its 2026 rate tables
    exist. Return the company."""
    if config is None:
        config = get_config()
    company = get_balchik(config=config)
    RateTable = Model.get('muni.rate.table', config=config)
    with config.set_context(company=company.id, companies=[company.id]):
        if RateTable.find([
                    ('company', '=', company.id),
                    ('year', '=', YEAR),
                    ]):
            return company
        zones = _create_zones(company, config)
        setup_balchik_finance(company, config)
        _create_interest_rate(config)
        parties = _create_taxpayers(taxpayers, seed, config)
        _create_objects(company, zones, parties, seed, config)
        _create_rate_tables(company, zones, config)
    return company


def _create_interest_rate(config):
    """The statutory interest from 1 July 2026: not reference data, the
    ECB rate of that day is to be confirmed by the municipality"""
    InterestRate = Model.get('muni.interest.rate', config=config)
    start = dt.date(YEAR, 7, 1)
    if InterestRate.find([
                ('localisation', '=', 'bg'), ('start_date', '=', start)]):
        return
    InterestRate(
        localisation='bg', start_date=start, base_rate=Decimal('2.15'),
        margin=Decimal(8), rate=Decimal('10.15'), basis=360,
        legal_basis="ПМС № 426/2014: ОЛП на ЕЦБ към 1.7.2026 + 8 пункта "
        "(демо: ставката на ЕЦБ да се потвърди)").save()


def _create_zones(company, config):
    Zone = Model.get('muni.zone', config=config)
    Settlement = Model.get('muni.settlement', config=config)
    zones = {z.code: z for z in Zone.find([('company', '=', company.id)])}
    town, = Settlement.find([
            ('localisation', '=', 'bg'), ('code', '=', TOWN)])
    missing = []
    for code, name, settlement, description, legal_basis in ZONES:
        if code in zones:
            continue
        zone = Zone(company=company, code=code, name=name)
        zone.settlement = town if settlement == TOWN else None
        zone.description = description
        zone.legal_basis = legal_basis
        missing.append(zone)
    Zone.save(missing)
    zones.update({z.code: z for z in missing})
    return zones


def _create_taxpayers(count, seed, config):
    "Create the citizens that are missing; return all of them"
    Settlement = Model.get('muni.settlement', config=config)
    people = _people(random.Random(seed), count)
    # their own generator: the people stay those of the seed
    address_rng = random.Random(seed + 2)
    settlements = {s.code: s for s in Settlement.find([
                ('localisation', '=', 'bg'),
                ('municipality', '=', "Балчик"),
                ])}
    town = settlements[TOWN]
    villages = [s for c, s in sorted(settlements.items()) if c != TOWN]
    return create_people(people, 'bg_egn', 'BG', SUBDIVISION,
        lambda: _address(address_rng, town, villages), config)


def _create_objects(company, zones, parties, seed, config):
    """Create the flats, houses and vehicles that are missing: every
    citizen owns a home, alone or with one or two others; some own a
    second one in a village, about half a vehicle"""
    TaxObject = Model.get('muni.tax.object', config=config)
    Settlement = Model.get('muni.settlement', config=config)
    rng = random.Random(seed + 1)
    settlements = {s.code: s for s in Settlement.find([
                ('localisation', '=', 'bg'),
                ('municipality', '=', "Балчик"),
                ])}
    town = settlements[TOWN]
    villages = [s for c, s in sorted(settlements.items()) if c != TOWN]

    owners = list(parties)
    rng.shuffle(owners)
    homes = []
    while owners:
        size = min(rng.choices([1, 2, 3], [45, 45, 10])[0], len(owners))
        homes.append([owners.pop() for _ in range(size)])
    second = rng.sample(parties, len(parties) // 10)

    objects, plates = [], set()
    number = 0

    def property_(group, main, quarter):
        nonlocal number
        number += 1
        place = rng.random()
        if place < 0.65:
            settlement = town
            if rng.random() < 0.3:
                zone, street = zones['I'], rng.choice(ZONE_I_STREETS)
            else:
                zone, street = zones['II'], rng.choice(ZONE_II_STREETS)
            building = rng.randrange(1, 60)
            unit = rng.randrange(1, 25)
            reference = (f'{settlement.code}.{quarter}.{number}.'
                f'{rng.randrange(1, 4)}.{unit}')
            description = f"Апартамент, {street} № {building}, ап. {unit}"
            address = f"гр. Балчик, {street} № {building}"
            value = Decimal(rng.randrange(15000, 90000))
        else:
            settlement = rng.choice(villages)
            zone = zones['III']
            reference = f'{settlement.code}.{quarter}.{number}'
            description = "Къща с двор"
            address = f"с. {settlement.name}"
            value = Decimal(rng.randrange(3000, 30000))
        object_ = TaxObject(
            company=company, kind='property', reference=reference)
        object_.description = description
        object_.settlement = settlement
        object_.zone = zone
        object_.address = address
        object_.bg_assessment_value = value + Decimal(
            rng.randrange(0, 100)) / 100
        sold = rng.random() < 0.03
        for party, share in zip(group, _shares(len(group))):
            owner = object_.owners.new(party=party, share=share)
            owner.main_dwelling = main and rng.random() < 0.7
            if sold:
                owner.end_date = dt.date(YEAR, 9, 15)
        if sold:
            buyer = rng.choice(parties)
            owner = object_.owners.new(party=buyer, share=Decimal(1))
            owner.start_date = dt.date(YEAR, 9, 15)
        objects.append(object_)

    def vehicle(party):
        category = rng.choices(
            ['car', 'truck', 'motorcycle', 'moped', 'tractor'],
            [80, 5, 7, 4, 4])[0]
        object_ = TaxObject(
            company=company, kind='vehicle', reference=_plate(rng, plates))
        object_.bg_vehicle_category = category
        if category == 'car':
            year = rng.randrange(1994, YEAR)
            kw = rng.choice([44, 51, 55, 63, 66, 74, 81, 85, 96, 110, 125,
                    140, 155, 190, 250])
            object_.description = "Лек автомобил"
            object_.bg_power_kw = Decimal(kw)
            object_.bg_manufacture_year = year
            object_.bg_euro_class = _euro_class(rng, year)
            object_.bg_catalyst = (kw <= 74
                and object_.bg_euro_class in {'none', '1', '2'}
                and rng.random() < 0.5)
        elif category == 'truck':
            object_.description = "Товарен автомобил"
            object_.bg_payload_kg = rng.randrange(2000, 8500, 50)
        elif category == 'motorcycle':
            object_.description = "Мотоциклет"
            object_.bg_engine_cc = rng.choice([125, 250, 400, 650, 1000])
        elif category == 'moped':
            object_.description = "Мотопед"
            object_.bg_engine_cc = 50
        else:
            object_.description = "Трактор"
            object_.bg_power_kw = Decimal(rng.randrange(15, 90))
        owner = object_.owners.new(party=party)
        chance = rng.random()
        if chance < 0.05:
            owner.start_date = dt.date(YEAR, rng.randrange(2, 12), 10)
        elif chance < 0.08:
            owner.end_date = dt.date(YEAR, rng.randrange(2, 12), 20)
        objects.append(object_)

    for i, group in enumerate(homes):
        property_(group, True, 501 + i % 40)
    for i, party in enumerate(second):
        property_([party], False, 501 + i % 40)
    for party in parties:
        if rng.random() < 0.5:
            vehicle(party)

    existing = {o.reference for o in TaxObject.find([
                ('company', '=', company.id),
                ('reference', 'in', [o.reference for o in objects]),
                ])}
    objects = [o for o in objects if o.reference not in existing]
    for i in range(0, len(objects), 500):
        TaxObject.save(objects[i:i + 500])
    return objects


def _create_rate_tables(company, zones, config):
    "The 2026 ordinance: each rate is checked against the law's range"
    RateTable = Model.get('muni.rate.table', config=config)
    RevenueType = Model.get('muni.revenue.type', config=config)
    revenue_types = {r.code: r for r in RevenueType.find([
                ('localisation', '=', 'bg'),
                ('code', 'in', [c for c, _, _ in TABLES]),
                ])}
    tables = []
    for code, legal_basis, note in TABLES:
        table = RateTable(
            company=company, revenue_type=revenue_types[code], year=YEAR)
        table.legal_basis = legal_basis
        table.note = note
        if code == 'DNI':
            for key, value in DNI_RATES.items():
                table.lines.new(key=key, value=Decimal(value))
        elif code == 'TBO':
            for zone, rates in TBO_RATES.items():
                for key, value in rates.items():
                    table.lines.new(
                        key=key, zone=zones[zone], value=Decimal(value))
        else:
            for key, value in DPS_RATES.items():
                table.lines.new(key=key, value=Decimal(value))
        for due_date, fraction in INSTALMENTS:
            table.instalments.new(due_date=due_date, fraction=fraction)
        table.discount_rate, table.discount_date = DISCOUNT
        tables.append(table)
    RateTable.save(tables)
    return tables


def levy(config=None, year=YEAR):
    """Run Balchik's levy of the year for its property tax, waste fee and
    vehicle tax, unless one was already run"""
    if config is None:
        config = get_config()
    company = get_balchik(config=config)
    Levy = Model.get('muni.levy.run', config=config)
    RevenueType = Model.get('muni.revenue.type', config=config)
    if Levy.find([('company', '=', company.id), ('year', '=', year)]):
        return
    run = Levy(year=year, date=dt.date(year, 1, 15))
    run.revenue_types.extend(RevenueType.find([
                ('localisation', '=', 'bg'),
                ('code', 'in', ['DNI', 'TBO', 'DPS']),
                ]))
    run.save()
    run.click('start')
    return run
