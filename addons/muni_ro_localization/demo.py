# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo data of Năvodari: citizens with their CNP and address in the
town, the correspondents its registry starts with.

Created through proteus by the demo script after create_navodari, never by
activating the module. The citizens are random but seeded: the same seed
gives the same people, CNP and addresses."""
import datetime as dt
import random

from proteus.config import get_config
from stdnum.ro import cnp as stdnum_cnp

from muni_base.demo import create_people

from .tests.tools import get_navodari

__all__ = ['create_navodari_demo']

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
    """Create Năvodari's demo citizens that are missing; return the
    company"""
    if config is None:
        config = get_config()
    company = get_navodari(config=config)
    with config.set_context(company=company.id, companies=[company.id]):
        _create_citizens(citizens, seed, config)
    return company


def _create_citizens(count, seed, config):
    "Create the citizens that are missing; return all of them"
    people = _people(random.Random(seed), count)
    # their own generator: the people stay those of the seed
    address_rng = random.Random(seed + 2)
    return create_people(people, 'ro_cnp', 'RO', SUBDIVISION,
        lambda: _address(address_rng), config)
