# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Proteus setup functions of the registry scenarios and the demo"
from proteus import Model, Wizard
from proteus.config import get_config

from muni_base.tests.tools import create_municipality

from .terms import TERMS

__all__ = ['create_balchik', 'create_navodari', 'create_registry',
    'create_employee']

BALCHIK = "Община Балчик"
NAVODARI = "Primăria Orașului Năvodari"


def create_employee(name, company, config=None):
    Party = Model.get('party.party', config=config)
    Employee = Model.get('company.employee', config=config)
    party = Party(name=name)
    party.save()
    employee = Employee(party=party, company=company)
    employee.save()
    return employee


def create_registry(company, registers, config=None, terms=()):
    """Create the registers of the municipality and its legal terms: those
    of its localisation (Create Legal Terms), else the terms given, as the
    registry's own tests run without a localisation (registers and terms:
    lists of dicts of values)"""
    Register = Model.get('muni.document.register', config=config)
    Term = Model.get('muni.document.term', config=config)
    created = []
    for values in registers:
        register = Register(company=company, **values)
        register.save()
        created.append(register)
    Wizard('muni.document.term.create_defaults', config=config)
    if not Term.find([('company', '=', company.id)]):
        for values in terms:
            Term(company=company, **values).save()
    return created


BALCHIK_REGISTERS = [
    {'index': '94-00', 'name': "Входящ регистър", 'direction': 'incoming'},
    {'index': '94-01', 'name': "Изходящ регистър", 'direction': 'outgoing'},
    {'index': '94-02', 'name': "Вътрешен регистър", 'direction': 'internal'},
    ]
NAVODARI_REGISTERS = [
    {'index': None, 'name': "Registrul general de intrare-ieșire",
        'direction': 'incoming',
        'directions': ['incoming', 'outgoing', 'internal'],
        'number_format': '{sequence}/{date:%d.%m.%Y}',
        'continuation_format': '{sequence}-{continuation}/{date:%d.%m.%Y}'},
    ]


def create_balchik(config=None):
    "Balchik with its incoming, outgoing and internal registers"
    if config is None:
        config = get_config()
    company = create_municipality(BALCHIK, 'EUR', None, 'BG', config=config)
    create_registry(company, BALCHIK_REGISTERS, config=config,
        terms=TERMS['BG'])
    for name in ["Николай Ангелов", "Мария Иванова", "Петър Колев"]:
        create_employee(name, company, config=config)
    return company


def create_navodari(config=None):
    "Năvodari with its one general register (intrare-ieșire)"
    if config is None:
        config = get_config()
    company = create_municipality(NAVODARI, 'RON', None, 'RO', config=config)
    create_registry(company, NAVODARI_REGISTERS, config=config,
        terms=TERMS['RO'])
    for name in ["Florin Tuțuianu", "Elena Ionescu", "Andrei Popa"]:
        create_employee(name, company, config=config)
    return company
