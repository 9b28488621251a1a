# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from muni_base.export import FormulaSafeExport
from muni_base.party import LinksParty


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
