# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from collections import defaultdict
from decimal import Decimal
from itertools import groupby

from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from muni_base.export import FormulaSafeExport
from muni_base.party import LinksParty

from .open_items import open_instalments, paid_of


def open_amounts(company, party_ids, today, by='party'):
    """Return for each party (or assessment, by='assessment') what is open
    of its instalments in the company: balance (all), due (by today) and
    overdue (before today), without interest"""
    zero = Decimal(0)
    result = defaultdict(lambda: dict.fromkeys(
            ['balance', 'due', 'overdue'], zero))
    instalments = [i for p in open_instalments(company, party_ids).values()
        for i in p.values()]
    paid = paid_of([i.id for i in instalments])
    for instalment in instalments:
        amount = instalment.debit - sum(
            (p.principal + p.discount for p in paid[instalment.id]), zero)
        date = instalment.maturity_date or instalment.date
        amounts = result[getattr(instalment, by)]
        amounts['balance'] += amount
        if date <= today:
            amounts['due'] += amount
        if date < today:
            amounts['overdue'] += amount
    return result


class Taxpayer(LinksParty, ModelSQL, ModelView):
    __name__ = 'muni.taxpayer'
    # a taxpayer's party is the municipality's (muni_base, party.py)
    _party_link_origin = 'taxpayer'
    __string__ = "Taxpayer"
    _rec_name = 'number'

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    number = fields.Char(
        "Number", readonly=True,
        help="The taxpayer's number in the municipality "
        "(partida, КИН), given when the taxpayer is registered.")
    identifier = fields.Function(
        fields.Char("Identifier",
            help="The party's identifiers: ЕГН, ЛНЧ, ЕИК, CNP, CUI…"),
        'get_party_details')
    address = fields.Function(
        fields.Char("Address"), 'get_party_details')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    balance = fields.Function(Monetary(
            "Balance Due", currency='currency', digits='currency',
            help="What the taxpayer owes today in the municipality: the "
            "unpaid instalments, due or not yet, without interest."),
        'get_amounts')
    due = fields.Function(Monetary(
            "Due Today", currency='currency', digits='currency',
            help="The unpaid instalments due today or before, "
            "without interest."),
        'get_amounts')
    overdue = fields.Function(Monetary(
            "Overdue", currency='currency', digits='currency',
            help="The unpaid instalments whose due date has passed, "
            "without interest."),
        'get_amounts')
    objects = fields.Function(fields.Many2Many(
            'muni.tax.object', None, None, "Objects",
            help="The tax objects the taxpayer owns or owned in the "
            "municipality."),
        'get_records')
    assessments = fields.Function(fields.Many2Many(
            'muni.assessment', None, None, "Assessments"),
        'get_records')
    payments = fields.One2Many(
        'muni.payment', 'taxpayer', "Payments", readonly=True)
    enforcement_date = fields.Date(
        "Enforcement Case Opened",
        help="The day an enforcement case was opened against the taxpayer: "
        "from then on payments go first to its costs.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_party_unique', Unique(t, t.company, t.party),
                'muni_finance.msg_taxpayer_party_unique'),
            ('company_number_unique', Unique(t, t.company, t.number),
                'muni_finance.msg_taxpayer_number_unique'),
            ]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @classmethod
    def get_party_details(cls, taxpayers, names):
        result = {n: {} for n in names}
        for taxpayer in taxpayers:
            party = taxpayer.party
            if 'identifier' in names:
                result['identifier'][taxpayer.id] = ', '.join(
                    i.code for i in party.identifiers if i.code) or None
            if 'address' in names:
                address = party.addresses[0] if party.addresses else None
                result['address'][taxpayer.id] = ', '.join(filter(None, [
                                address.street_single_line,
                                address.postal_code, address.city,
                                ])) or None if address else None
        return result

    @classmethod
    def get_amounts(cls, taxpayers, names):
        """What is open of the instalments of each taxpayer in his
        municipality: read in SQL for all the taxpayers of a company at
        once, as the cash desk reads it (open_items)"""
        pool = Pool()
        Date = pool.get('ir.date')
        result = {n: {t.id: Decimal(0) for t in taxpayers} for n in names}

        def key(t):
            return t.company.id
        for _, group in groupby(sorted(taxpayers, key=key), key=key):
            group = list(group)
            company = group[0].company
            with Transaction().set_context(company=company.id):
                today = Date.today()
            by_party = {t.party.id: t.id for t in group}
            amounts = open_amounts(company, list(by_party), today)
            for party_id, taxpayer_id in by_party.items():
                for name in names:
                    result[name][taxpayer_id] = company.currency.round(
                        amounts[party_id][name])
        return result

    @classmethod
    def get_records(cls, taxpayers, names):
        """The tax objects and the assessments of each taxpayer, in one
        search per company"""
        pool = Pool()
        TaxObject = pool.get('muni.tax.object')
        Assessment = pool.get('muni.assessment')
        result = {n: {t.id: [] for t in taxpayers} for n in names}

        def key(t):
            return t.company.id
        for company_id, group in groupby(
                sorted(taxpayers, key=key), key=key):
            by_party = {t.party.id: t.id for t in group}
            for sub_ids in grouped_slice(list(by_party), 1000):
                sub_ids = list(sub_ids)
                if 'objects' in names:
                    owners = TaxObject.owners.get_target().search([
                            ('object.company', '=', company_id),
                            ('party', 'in', sub_ids),
                            ], order=[('object.reference', 'ASC')])
                    for owner in owners:
                        ids = result['objects'][by_party[owner.party.id]]
                        if owner.object.id not in ids:
                            ids.append(owner.object.id)
                if 'assessments' in names:
                    for assessment in Assessment.search([
                                ('company', '=', company_id),
                                ('party', 'in', sub_ids),
                                ]):
                        result['assessments'][
                            by_party[assessment.party.id]].append(
                            assessment.id)
        return result

    def get_rec_name(self, name):
        return self.label

    @property
    def label(self):
        """The taxpayer number and the party's name as rec_name gives them,
        from stored fields only: rec_name is a Function field that trytond
        computes for every record read with it, once per access"""
        party = self.party
        return f'{self.number} {party.name or "[" + (party.code or "") + "]"}'

    @classmethod
    def search_rec_name(cls, name, clause):
        from muni_base.settlement import fields_clause
        return fields_clause(clause, 'number', 'party.rec_name')

    @classmethod
    def autocomplete(cls, text, domain=None, limit=None, order=None):
        """The taxpayers a clerk picks, each named with his number, his
        identifiers, and his address where another has the same name"""
        pool = Pool()
        Party = pool.get('party.party')
        result = super().autocomplete(
            text, domain=domain, limit=limit, order=order)
        taxpayers = cls.browse(
            [r['id'] for r in result if r['id'] is not None])
        details = Party._muni_completion_details(
            list({t.party for t in taxpayers}))
        numbers = {t.id: t.number for t in taxpayers}
        parties = {t.id: t.party.id for t in taxpayers}
        for row in result:
            if row['id'] is None:
                continue
            items = [i for i in details.get(parties[row['id']], [])
                if i != numbers[row['id']]]
            if items:
                row['name'] = ' · '.join([row['name'], *items])
        return result

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Configuration = pool.get('muni.finance.configuration')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('number'):
            company_id = values.get('company', cls.default_company())
            if company_id is not None:
                sequence = Configuration(1).get_multivalue(
                    'taxpayer_sequence', company=company_id)
                if sequence:
                    values['number'] = sequence.get()
        return values

    @classmethod
    def get_or_create(cls, company, parties):
        "Return the taxpayers of the parties, registering the missing ones"
        taxpayers = {t.party.id: t for t in cls.search([
                    ('company', '=', company.id),
                    ('party', 'in', [p.id for p in parties]),
                    ])}
        missing = [cls(company=company, party=p) for p in parties
            if p.id not in taxpayers]
        cls.save(missing)
        taxpayers.update({t.party.id: t for t in missing})
        return taxpayers

    @classmethod
    def __register__(cls, module):
        pool = Pool()
        PartyCompany = pool.get('muni.party.company')
        super().__register__(module)
        # Taxpayers registered before the parties had their municipalities
        PartyCompany.link_query(cls.__table__(), 'taxpayer')

    @classmethod
    def copy(cls, taxpayers, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        return super().copy(taxpayers, default=default)


class Party(FormulaSafeExport, metaclass=PoolMeta):
    __name__ = 'party.party'

    taxpayers = fields.One2Many('muni.taxpayer', 'party', "Taxpayer Numbers")
    assessments = fields.One2Many(
        'muni.assessment', 'party', "Assessments", readonly=True)
    tax_object_owners = fields.One2Many(
        'muni.tax.object.owner', 'party', "Tax Objects", readonly=True)

    @classmethod
    def search_rec_name(cls, name, clause):
        # a clerk finds a party by its taxpayer number too (of the
        # municipalities he sees: the taxpayers' rules apply)
        domain = super().search_rec_name(name, clause)
        _, operator, operand, *extra = clause
        return domain + [('taxpayers.number', operator, operand, *extra)]

    @classmethod
    def _muni_completion_details(cls, parties):
        pool = Pool()
        Taxpayer = pool.get('muni.taxpayer')
        details = super()._muni_completion_details(parties)
        company = Transaction().context.get('company')
        if parties and company is not None and company >= 0:
            for taxpayer in Taxpayer.search([
                        ('company', '=', company),
                        ('party', 'in', [p.id for p in parties]),
                        ]):
                if taxpayer.number:
                    details.setdefault(taxpayer.party.id, []).insert(
                        0, taxpayer.number)
        return details
