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
    def test_payments_each_by_its_law(self):
        """The same facts in Balchik and in Năvodari, each company by its
        own law: an instalment of 100 due on 31 March 2026, and a payment of
        150 of two years' debts"""
        from decimal import Decimal
        from types import SimpleNamespace

        from muni_finance.open_items import AllocationContext, Item
        pool = Pool()
        Company = pool.get('company.company')
        Payment = pool.get('muni.payment')
        balchik = create_company("Община Балчик")
        navodari = create_company("Primăria Năvodari")
        balchik.localisation = 'bg'
        navodari.localisation = 'ro'
        Company.save([balchik, navodari])
        due = dt.date(2026, 3, 31)
        instalment = SimpleNamespace(
            debit=Decimal(100), maturity_date=due, date=due, kind='tax',
            second_currency=None, amount_second_currency=None)

        def interest(company, date, payments=()):
            amount, _ = Payment._interest(
                company, instalment, date, list(payments))
            return amount

        # paid whole on 15 May, 45 days (1 April to 15 May) late. Balchik:
        # 100 × 10.15 % × 45 / 360 = 1.26875 → 1.27 (ЗЛДТДПДВ, the rate of
        # the first half of 2026 in the table); Năvodari: April and part of
        # May, 2 months × 1 % × 100 = 2 lei (art. 183)
        self.assertEqual(
            interest(balchik, dt.date(2026, 5, 15)), Decimal('1.27'))
        self.assertEqual(
            interest(navodari, dt.date(2026, 5, 15)), Decimal('2'))
        # 60 paid on 15 April, 40 on 15 May. Balchik: 100 × 10.15 % × 15 /
        # 360 = 0.42292 + 40 × 10.15 % × 30 / 360 = 0.33833, 0.76125 →
        # 0.76; Năvodari: 60 × 1 % × 1 month = 0.60 → 1 leu, 40 × 1 % × 2
        # months = 0.80 → 1 leu, each part rounded: 2 lei
        paid = [(dt.date(2026, 4, 15), Decimal(60))]
        self.assertEqual(
            interest(balchik, dt.date(2026, 5, 15), paid), Decimal('0.76'))
        self.assertEqual(
            interest(navodari, dt.date(2026, 5, 15), paid), Decimal('2'))

        def items():
            "2025: 100 with 10 of interest; 2026: 100 with 2 of interest"
            result = []
            for line, year, amount, charge in [
                    (1, 2025, 100, 10), (2, 2026, 100, 2)]:
                due_date = dt.date(year, 3, 31)
                for kind, value in [('tax', amount), ('interest', charge)]:
                    result.append(Item(
                            line=line, kind=kind, age=due_date,
                            amount=Decimal(value), assessment=line,
                            revenue_type=1, year=year, due_date=due_date,
                            untouched=False))
            return result

        def allocate(company):
            rule = Payment._allocation_rule(company)
            paid, credit = rule(company, None, items(), Decimal(150),
                dt.date(2026, 5, 15), AllocationContext())
            return [(i.line, i.kind, a) for i, a, _ in paid], credit

        # ДОПК чл. 169: each debt, oldest first, its principal then its
        # interest: 100 + 10 of 2025, 40 of 2026's principal
        self.assertEqual(allocate(balchik), ([
                    (1, 'tax', Decimal(100)),
                    (1, 'interest', Decimal(10)),
                    (2, 'tax', Decimal(40)),
                    ], Decimal(0)))
        # art. 165: all principal by age, then the accessories: 100 of
        # 2025, 50 of 2026, the majorări wait
        self.assertEqual(allocate(navodari), ([
                    (1, 'tax', Decimal(100)),
                    (2, 'tax', Decimal(50)),
                    ], Decimal(0)))

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
