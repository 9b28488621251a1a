# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"A party becomes the municipality's when it becomes its taxpayer"
import unittest

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

from muni_base.tests.test_module import as_clerk, create_clerk


class TaxpayerPartyTestCase(unittest.TestCase):
    "Taxpayers' parties are seen by their municipality's clerks only"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        # the module set of MuniFinanceTestCase: the database cache serves
        # both
        activate_module(['muni_finance'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_taxpayer_links_party(self):
        "Registering a taxpayer links its party; other clerks do not see it"
        pool = Pool()
        Party = pool.get('party.party')
        Taxpayer = pool.get('muni.taxpayer')
        balchik = create_company("Balchik")
        navodari = create_company("Năvodari")
        # loaded by a script without a municipality: nobody's yet
        ivan, ion = Party.create([
                {'name': "Иван Петров", 'identifiers': [('create', [{
                                    'type': 'bg_egn',
                                    'code': '7523169263'}])]},
                {'name': "Ion Popescu"},
                ])
        self.assertEqual(ivan.muni_companies, ())
        clerks = {
            c: create_clerk(c.rec_name, c, 'muni_finance', 'group_finance')
            for c in [balchik, navodari]}
        with as_clerk(clerks[balchik], balchik):
            self.assertNotIn(ivan, Party.search([]))
        with set_company(balchik):
            taxpayer, = Taxpayer.create([{'party': ivan.id}])
        with set_company(navodari):
            Taxpayer.create([{'party': ion.id}])
        self.assertEqual(ivan.muni_companies, (balchik,))
        self.assertEqual(ion.muni_companies, (navodari,))

        with as_clerk(clerks[balchik], balchik):
            self.assertIn(ivan, Party.search([]))
            self.assertNotIn(ion, Party.search([]))
            # the cash desk finds the taxpayer by the ЕГН of his party
            self.assertEqual(
                Taxpayer.search([('rec_name', 'ilike', '%7523169263%')]),
                [taxpayer])
            self.assertEqual(
                Taxpayer.read([taxpayer.id], ['party.rec_name'])[0]
                ['party.']['rec_name'], "Иван Петров")
        with as_clerk(clerks[navodari], navodari):
            self.assertNotIn(ivan, Party.search([]))
            with self.assertRaises(AccessError):
                Party.read([ivan.id], ['name'])

        # banks are public institutions: every clerk sees them
        Bank = pool.get('bank')
        bank_party, = Party.create([{'name': "Банка ДСК"}])
        with as_clerk(clerks[navodari], navodari):
            self.assertNotIn(bank_party, Party.search([]))
        Bank.create([{'party': bank_party.id}])
        for company in [balchik, navodari]:
            with as_clerk(clerks[company], company):
                self.assertIn(bank_party, Party.search([]))

        # a taxpayer moved to another party links the new one
        with set_company(balchik):
            Taxpayer.write([taxpayer], {'party': ion.id})
        self.assertEqual(
            set(Party(ion.id).muni_companies), {balchik, navodari})
        with Transaction().set_context(company=None):
            self.assertEqual(
                Taxpayer.search([('party', '=', ion.id)], count=True), 2)
