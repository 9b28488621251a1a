# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The registry's tests run without a localisation module: the terms its
municipalities use are those the localisations give as data
(muni_bg_localization/term.xml, muni_ro_localization/term.xml, tested
there), created here by the country of the municipality"""
TERMS = {
    'BG': [
        {'code': 'DOPK87', 'name': "Удостоверение по ДОПК", 'days': 7,
            'day_type': 'calendar', 'extension_days': 0,
            'legal_basis': "ДОПК чл. 87, ал. 6"},
        {'code': 'APK57', 'name': "Административен акт по АПК", 'days': 14,
            'day_type': 'calendar', 'extension_days': 0,
            'legal_basis': "АПК чл. 57, ал. 1"},
        ],
    'RO': [
        {'code': 'OG27', 'name': "Petiție (OG 27/2002)", 'days': 30,
            'day_type': 'calendar', 'extension_days': 15,
            'legal_basis': "OG 27/2002 art. 8 și 9"},
        {'code': 'L544',
            'name': "Informații de interes public (Legea 544/2001)",
            'days': 10, 'day_type': 'calendar', 'extension_days': 20,
            'legal_basis': "Legea 544/2001 art. 7"},
        ],
    }


def create_terms(company):
    "Create the terms of the municipality's country (test_module)"
    from trytond.pool import Pool
    Term = Pool().get('muni.document.term')
    terms = Term.create([dict(values, company=company.id)
            for values in TERMS[company.country.code]])
    return terms
