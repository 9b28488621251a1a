# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"A party becomes the municipality's when it becomes its correspondent"
import unittest

from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

from muni_base.tests.test_module import as_clerk, create_clerk

from .test_module import (
    create_municipality, create_party, create_register, new_document)


class CorrespondentPartyTestCase(unittest.TestCase):
    "Correspondents' parties are seen by their municipality's clerks only"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        # the module set of MuniDocsTestCase: the database cache serves both
        activate_module(['muni_docs', 'document_incoming'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_correspondent_links_party(self):
        "A document's correspondents become its municipality's parties"
        pool = Pool()
        Party = pool.get('party.party')
        Document = pool.get('muni.document')
        balchik = create_municipality("Balchik", 'BG')
        navodari = create_municipality("Năvodari", 'RO')
        # loaded without a municipality: nobody's yet
        sender = create_party("Иван Петров")
        other = create_party("Ion Popescu")
        self.assertEqual(sender.muni_companies, ())
        with set_company(balchik):
            register = create_register(balchik)
            document = new_document(balchik, register, sender)
            Document.register([document])
        self.assertEqual(Party(sender.id).muni_companies, (balchik,))
        self.assertEqual(Party(other.id).muni_companies, ())
        with set_company(balchik):
            document = new_document(balchik, register)
            document.correspondents = [other]
            document.save()
        self.assertEqual(Party(other.id).muni_companies, (balchik,))

        clerks = {
            c: create_clerk(c.rec_name, c, 'muni_docs', 'group_registrar')
            for c in [balchik, navodari]}
        with as_clerk(clerks[balchik], balchik):
            self.assertLessEqual({sender, other}, set(Party.search([])))
            self.assertEqual(
                Document.read([document.id], ['correspondents.rec_name'])[0]
                ['correspondents.'][0]['rec_name'], "Ion Popescu")
        with as_clerk(clerks[navodari], navodari):
            self.assertFalse({sender, other} & set(Party.search([])))
