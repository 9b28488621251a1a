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


class LegalTermTestMixin:
    """The legal terms a localisation gives (its term.xml), tested in the
    localisation: module, and the (code, days, extension days) expected"""
    module = None
    expected = []

    @classmethod
    def setUpClass(cls):
        from trytond.tests.test_tryton import activate_module
        super().setUpClass()
        activate_module([cls.module, 'muni_docs'])

    def company(self, localisation=None):
        from trytond.modules.company.tests import create_company
        company = create_company(currency=None)
        company.localisation = localisation
        company.save()
        return company

    def test_default_terms(self):
        "A municipality of the localisation gets its legal terms once"
        from trytond.model.exceptions import AccessError
        from trytond.pool import Pool
        from trytond.tests.test_tryton import with_transaction

        @with_transaction()
        def check():
            pool = Pool()
            Term = pool.get('muni.document.term')
            LegalTerm = pool.get('muni.document.term.legal')
            company = self.company(self.localisation)
            terms = Term.create_defaults(company)
            self.assertEqual(
                sorted((t.code, t.days, t.extension_days) for t in terms),
                self.expected)
            self.assertEqual(Term.create_defaults(company), [])
            # the law's record is the module's; a municipality corrects
            # its own copy
            code = self.expected[0][0]
            legal, = LegalTerm.search([('code', '=', code)])
            with self.assertRaises(AccessError):
                LegalTerm.write([legal], {'days': 1})
            term, = Term.search([('code', '=', code)])
            Term.write([term], {'days': legal.days + 1})
        check()

    def test_no_localisation(self):
        "A company without a localisation gets no terms"
        from trytond.pool import Pool
        from trytond.tests.test_tryton import with_transaction

        @with_transaction()
        def check():
            Term = Pool().get('muni.document.term')
            self.assertEqual(Term.create_defaults(self.company()), [])
        check()
