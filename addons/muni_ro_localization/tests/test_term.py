# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import unittest

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction


class LegalTermTestCase(unittest.TestCase):
    "The registry's legal terms are data of the localisation (term.xml)"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module(['muni_ro_localization', 'muni_docs'])

    @with_transaction()
    def test_default_terms(self):
        "A municipality of the localisation gets its legal terms once"
        pool = Pool()
        Term = pool.get('muni.document.term')
        LegalTerm = pool.get('muni.document.term.legal')
        company = create_company(currency=None)
        company.localisation = 'ro'
        company.save()
        terms = Term.create_defaults(company)
        self.assertEqual(
            sorted((t.code, t.days, t.extension_days) for t in terms),
            [('L544', 10, 20), ('OG27', 30, 15)])
        self.assertEqual(Term.create_defaults(company), [])
        # the law's record is the module's: a municipality corrects its own
        legal, = LegalTerm.search([('code', '=', 'OG27')])
        with self.assertRaises(AccessError):
            LegalTerm.write([legal], {'days': 1})
        term, = Term.search([('code', '=', 'OG27')])
        Term.write([term], {'days': legal.days + 1})

    @with_transaction()
    def test_no_localisation(self):
        "A company without a localisation gets no terms"
        Term = Pool().get('muni.document.term')
        company = create_company(currency=None)
        self.assertEqual(Term.create_defaults(company), [])
