# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.model import ModelStorage, fields
from trytond.modules.company.tests import CompanyTestMixin, create_company
from trytond.pool import Pool
from trytond.pyson import Eval, PYSONEncoder
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

    @with_transaction()
    def test_company_rules(self):
        """Every muni.* model that holds a municipality's data has the
        company rule: its own on its company field, or its parent's through
        __access__ (a parent: a required Many2One to such a model)"""
        pool = Pool()
        Rule = pool.get('ir.rule')
        models = {name: Model for name, Model in pool.iterobject()
            if name.startswith('muni.')
            and issubclass(Model, ModelStorage)}

        def many2ones(Model):
            "The stored Many2One fields of the model, by name"
            return {n: f for n, f in Model._fields.items()
                if f._type == 'many2one'
                and not isinstance(f, fields.Function)}

        def company_fields(Model):
            return [n for n, f in many2ones(Model).items()
                if f.model_name == 'company.company']

        def parents(Model):
            return [n for n, f in many2ones(Model).items()
                if f.required and n not in company_fields(Model)
                and held(pool.get(f.model_name))]

        def held(Model, seen=()):
            "Whether the records of the model belong to a municipality"
            if Model.__name__ in seen:
                return False
            seen += (Model.__name__,)
            if company_fields(Model):
                return True
            return any(held(pool.get(f.model_name), seen)
                for f in many2ones(Model).values()
                if f.required and f.model_name != Model.__name__)

        def has_rule(Model, field):
            return bool(Rule.search([
                        ('rule_group', 'where', [
                                ('model', '=', Model.__name__),
                                ('global_p', '=', True),
                                ('perm_read', '=', True),
                                ]),
                        ('domain', '=', PYSONEncoder(sort_keys=True).encode(
                                [(field, 'in', Eval('companies', []))])),
                        ]))

        checked, missing = set(), []
        for name, Model in sorted(models.items()):
            if not held(Model):
                continue
            checked.add(name)
            through_parent = Model.__access__ & set(parents(Model))
            own = [f for f in company_fields(Model) if has_rule(Model, f)]
            if not (own or through_parent):
                missing.append(name)
        self.assertFalse(missing,
            "muni models without the company rule, neither their own "
            "(field in companies) nor their parent's (__access__)")
        # the test reaches the models it is meant for
        self.assertLessEqual({
                'muni.payment', 'muni.payment.allocation',
                'muni.interest.charge.line', 'muni.budget.plan.line',
                'muni.revenue.type.account', 'muni.document'}, checked)


del ModuleTestCase
