# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.modules.company.tests import CompanyTestMixin, create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from test_translations import LANGUAGES, MODULES, catalogue, source_strings


class CrossBorderTestCase(CompanyTestMixin, ModuleTestCase):
    "Both localisations activated together in one database"
    module = 'muni_bg_localization'
    extras = ['muni_ro_localization', 'muni_eservices']

    @with_transaction()
    def test_both_localisations(self):
        "Both localisations are offered and each company keeps its own"
        pool = Pool()
        Company = pool.get('company.company')
        Country = pool.get('country.country')
        selection = dict(Company.localisation.selection)
        self.assertIn('bg', selection)
        self.assertIn('ro', selection)

        bulgaria, romania = Country.create([
                {'name': "Bulgaria", 'code': 'BG'},
                {'name': "Romania", 'code': 'RO'}])
        balchik = create_company("Община Балчик")
        navodari = create_company("Primăria Năvodari")
        balchik.localisation, balchik.country = 'bg', bulgaria
        navodari.localisation, navodari.country = 'ro', romania
        Company.save([balchik, navodari])

        # 24 January (Unification of the Principalities) is Romanian only,
        # 6 May (Saint George's Day) Bulgarian only
        self.assertTrue(balchik.is_working_day(dt.date(2025, 1, 24)))
        self.assertFalse(navodari.is_working_day(dt.date(2025, 1, 24)))
        self.assertFalse(balchik.is_working_day(dt.date(2026, 5, 6)))
        self.assertTrue(navodari.is_working_day(dt.date(2026, 5, 6)))

    @with_transaction()
    def test_translations_cover_sources(self):
        "Each module's bg and ro catalogues hold all its source strings"
        for module in MODULES:
            sources = source_strings(module)
            for language in LANGUAGES:
                with self.subTest(module=module, language=language):
                    translated = {(e.msgctxt, e.msgid)
                        for e in catalogue(module, language)}
                    missing = sorted(sources - translated)
                    self.assertFalse(missing, "run 'make translations'")


del ModuleTestCase
