# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"What the localisations' demo data share (through proteus)"
from proteus import Model

__all__ = ['create_people']


def create_people(people, identifier_type, country_code, subdivision_code,
        address, config):
    """Create the parties of people, a list of (name, identifier code), that
    are missing, each with its identifier of identifier_type and an address
    in the country and subdivision of the codes, whose other fields are
    those address() returns; return every person's party, in order.

    address() is called for each person, created or not: a seeded
    generator gives each the same address whatever is already there"""
    Party = Model.get('party.party', config=config)
    Identifier = Model.get('party.identifier', config=config)
    Country = Model.get('country.country', config=config)
    Subdivision = Model.get('country.subdivision', config=config)
    existing = {i.code: i.party for i in Identifier.find([
                ('type', '=', identifier_type),
                ('code', 'in', [c for _, c in people]),
                ])}
    countries = Country.find([('code', '=', country_code)], limit=1)
    country = countries[0] if countries else None
    subdivisions = Subdivision.find(
        [('code', '=', subdivision_code)], limit=1)
    subdivision = subdivisions[0] if subdivisions else None
    new = []
    for name, code in people:
        values = address()
        if code in existing:
            continue
        party = Party(name=name)
        party.identifiers.new(type=identifier_type, code=code)
        if party.addresses:
            party_address = party.addresses[0]
        else:
            party_address = party.addresses.new()
        for field, value in values.items():
            setattr(party_address, field, value)
        party_address.country = country
        party_address.subdivision = subdivision
        new.append(party)
        existing[code] = party
    Party.save(new)
    return [existing[c] for _, c in people]
