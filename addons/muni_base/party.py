# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The parties a municipality deals with.

Parties, their identifiers, addresses and contact mechanisms are shared by
the companies of a database. A party is a municipality's when a link says so
(muni.party.company): it became its taxpayer, its registry correspondent, its
employee, its own party, was created by one of its users or found by one of
them by an exact identifier. The record rules of party.xml show a user only
the parties of his current companies (doc/design.rst, "Personal data")."""
from sql import Conflict, Literal, Null
from sql.aggregate import Count
from sql.functions import CurrentTimestamp
from sql.operators import Exists
from stdnum import get_cc_module
from stdnum.exceptions import ValidationError as StdnumValidationError

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, fields)
from trytond.modules.party.exceptions import InvalidIdentifierCode
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, Id
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .exceptions import (
    PartyLookupError, PartySharedAccessError, PartySharedError)

# The identifiers only a natural person has: such a party is never shared
PERSONAL_IDENTIFIER_TYPES = {'bg_egn', 'bg_pnf', 'ro_cnp'}
ORIGINS = [
    ('company', "Municipality's Own Party"),
    ('employee', "Employee"),
    ('taxpayer', "Taxpayer"),
    ('correspondent', "Registry Correspondent"),
    ('created', "Created by a User"),
    ('lookup', "Found by Identifier"),
    ('manual', "Added by an Administrator"),
    ]


class PartyCompany(ModelSQL, ModelView):
    __name__ = 'muni.party.company'
    __string__ = "Party of a Municipality"

    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='CASCADE',
        context={'company': Eval('company', -1)}, depends={'company'})
    company = fields.Many2One(
        'company.company', "Municipality", required=True,
        ondelete='CASCADE')
    origin = fields.Selection(
        ORIGINS, "Origin", required=True,
        help="How the party became the municipality's.")
    origin_string = origin.translated('origin')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('party_company_unique', Unique(t, t.party, t.company),
                'muni_base.msg_party_company_unique'),
            ]
        cls._sql_indexes.update({
                # the record rules read the pair for every party shown
                Index(t, (t.company, Index.Equality()),
                    (t.party, Index.Equality())),
                })
        cls._order.insert(0, ('create_date', 'DESC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_origin():
        return 'manual'

    @classmethod
    def link(cls, company, parties, origin):
        """Make the parties the company's, remembering the first reason;
        return the ids of the parties linked now.
        In SQL: the levy links thousands of taxpayers at once."""
        company_id = int(company) if company is not None else None
        party_ids = {int(p) for p in parties if p is not None and int(p) >= 0}
        if company_id is None or company_id < 0 or not party_ids:
            return []
        table = cls.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        existing = set()
        for sub_ids in _slices(sorted(party_ids)):
            cursor.execute(*table.select(table.party,
                    where=(table.company == company_id)
                    & table.party.in_(sub_ids)))
            existing.update(p for p, in cursor)
        missing = sorted(party_ids - existing)
        for sub_ids in _slices(missing, 500):
            query = table.insert(
                [table.company, table.party, table.origin,
                    table.create_uid, table.create_date],
                [[company_id, p, origin, transaction.user, CurrentTimestamp()]
                    for p in sub_ids])
            if backend.name == 'postgresql':
                # another transaction may link the same party meanwhile
                query.on_conflict = Conflict(
                    table, indexed_columns=[table.party, table.company])
            cursor.execute(*query)
        return missing

    @classmethod
    def link_pairs(cls, pairs, origin):
        "Link each (company, party) pair"
        by_company = {}
        for company, party in pairs:
            by_company.setdefault(company, set()).add(party)
        links = []
        for company, parties in by_company.items():
            links.extend(cls.link(company, parties, origin))
        return links

    @classmethod
    def link_query(cls, query, origin):
        """Insert the missing links of the (company, party) pairs of a table
        or query with columns company and party: for migrations, in SQL"""
        table = cls.__table__()
        existing = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.insert(
                [table.company, table.party, table.origin,
                    table.create_uid, table.create_date],
                query.select(
                    query.company, query.party, Literal(origin),
                    Literal(0), CurrentTimestamp(),
                    where=(query.company != Null) & (query.party != Null)
                    & ~Exists(existing.select(Literal(1),
                            where=(existing.company == query.company)
                            & (existing.party == query.party))),
                    group_by=[query.company, query.party])))

    @classmethod
    def __register__(cls, module):
        pool = Pool()
        Company = pool.get('company.company')
        Employee = pool.get('company.employee')
        super().__register__(module)
        # Databases from before the links: the municipalities' own parties
        # and their employees are theirs (other modules link theirs).
        company = Company.__table__()
        cls.link_query(company.select(
                company.id.as_('company'), company.party.as_('party')),
            'company')
        cls.link_query(Employee.__table__(), 'employee')


def _slices(ids, size=1000):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


class LinksParty:
    """Mixin of a model whose records make a party their municipality's
    (muni.party.company): when one is created, or its party or company is
    written. _party_link_origin names the origin of the link,
    _party_link_fields the fields that change it, party_link the pair"""
    __slots__ = ()
    _party_link_origin = None
    _party_link_fields = {'party', 'company'}

    def party_link(self):
        "The (company, party) that the record links"
        return self.company, self.party

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        pool = Pool()
        PartyCompany = pool.get('muni.party.company')
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'create' or (
                mode == 'write' and cls._party_link_fields & field_names):
            PartyCompany.link_pairs(
                [r.party_link() for r in records], cls._party_link_origin)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    muni_companies = fields.Many2Many(
        'muni.party.company', 'party', 'company', "Municipalities",
        readonly=True,
        help="The municipalities that deal with the party: only their "
        "users see it.")
    muni_shared = fields.Boolean(
        "Shared by All Municipalities",
        states={
            'readonly': ~Eval('context', {}).get('groups', []).contains(
                Id('muni_base', 'group_party_all')),
            },
        help="Reference data every municipality sees, such as a ministry or "
        "a public agency. Never for a natural person.")
    muni_public = fields.Function(
        fields.Boolean("Public Body"),
        'get_muni_public', searcher='search_muni_public')

    @classmethod
    def default_muni_shared(cls):
        return False

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        cls.check_muni_shared(parties, field_names)

    @classmethod
    def check_modification(cls, mode, parties, values=None, external=False):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        super().check_modification(
            mode, parties, values=values, external=external)
        # Only the administrators of all municipalities share a party with
        # all of them: a client sends the field's default with every new
        # party, so the value is checked, not the field's access
        if not external:
            return
        if mode == 'create':
            shared = [p for p in parties if p.muni_shared]
        elif mode == 'write' and 'muni_shared' in values:
            shared = [p for p in parties
                if bool(p.muni_shared) != bool(values['muni_shared'])]
        else:
            return
        if shared and ModelData.get_id('muni_base', 'group_party_all') not in (
                User.get_groups()):
            raise PartySharedAccessError(gettext(
                    'muni_base.msg_party_shared_group',
                    party=shared[0].rec_name))

    @classmethod
    def check_muni_shared(cls, parties, field_names=None):
        if field_names and not {'muni_shared', 'identifiers'} & field_names:
            return
        for party in parties:
            if not party.muni_shared:
                continue
            for identifier in party.identifiers:
                if identifier.type in PERSONAL_IDENTIFIER_TYPES:
                    raise PartySharedError(gettext(
                            'muni_base.msg_party_shared_person',
                            party=party.rec_name,
                            type=identifier.type_string))

    @classmethod
    def _muni_public_queries(cls):
        """Queries of the ids of the parties every municipality sees: the
        parties of the companies (the municipalities themselves)"""
        Company = Pool().get('company.company')
        company = Company.__table__()
        return [company.select(company.party)]

    @classmethod
    def get_muni_public(cls, parties, name):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        ids = [p.id for p in parties]
        result = dict.fromkeys(ids, False)
        where = table.muni_shared == Literal(True)
        for query in cls._muni_public_queries():
            where |= table.id.in_(query)
        for sub_ids in _slices(ids):
            cursor.execute(*table.select(table.id,
                    where=table.id.in_(sub_ids) & where))
            result.update((i, True) for i, in cursor)
        return result

    @classmethod
    def search_muni_public(cls, name, clause):
        _, operator, value = clause[:3]
        positive = (operator == '=') == bool(value)
        table = cls.__table__()
        where = table.muni_shared == Literal(True)
        for query in cls._muni_public_queries():
            where |= table.id.in_(query)
        query = table.select(table.id, where=where)
        return [('id', 'in' if positive else 'not in', query)]

    @classmethod
    def autocomplete(cls, text, domain=None, limit=None, order=None):
        """The parties a clerk picks, each named with its identifier, and
        with its address where another party has the same name"""
        result = super().autocomplete(
            text, domain=domain, limit=limit, order=order)
        parties = cls.browse([r['id'] for r in result if r['id'] is not None])
        details = cls._muni_completion_details(parties)
        for row in result:
            if row['id'] is not None and details.get(row['id']):
                row['name'] = ' · '.join([row['name'], *details[row['id']]])
        return result

    @classmethod
    def _muni_completion_details(cls, parties):
        """Return for each party id what tells it from others in a
        pick-list: its identifiers, and its address where the name repeats
        among the parties the user sees"""
        names = list({p.name for p in parties if p.name})
        repeated = set()
        if names:
            table = cls.__table__()
            query = cls.search([('name', 'in', names)], query=True)
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.select(table.name,
                    where=table.id.in_(query),
                    group_by=[table.name],
                    having=Count(table.id) > 1))
            repeated = {n for n, in cursor}
        details = {}
        for party in parties:
            items = [i.code for i in party.identifiers if i.code]
            if party.name in repeated and party.addresses:
                address = party.addresses[0]
                items.append(', '.join(filter(None, [
                                address.street_single_line,
                                address.postal_code, address.city])))
            details[party.id] = items
        return details

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        # a copy is the municipality's who makes it, not the original's
        default.setdefault('muni_companies', None)
        default.setdefault('muni_shared', False)
        return super().copy(parties, default=default)

    @classmethod
    def on_modification(cls, mode, parties, field_names=None):
        pool = Pool()
        PartyCompany = pool.get('muni.party.company')
        super().on_modification(mode, parties, field_names=field_names)
        if mode == 'create':
            # created by a user working in a municipality (or by a script
            # with one in its context): the party is that municipality's
            PartyCompany.link(
                Transaction().context.get('company'), parties, 'created')


class Party_Bank(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _muni_public_queries(cls):
        "The banks are public institutions too"
        Bank = Pool().get('bank')
        bank = Bank.__table__()
        return super()._muni_public_queries() + [bank.select(bank.party)]


class Identifier(metaclass=PoolMeta):
    __name__ = 'party.identifier'

    birth_date = fields.Function(fields.Date(
            "Birth Date",
            states={'invisible': ~Eval('birth_date')},
            help="The date of birth the personal number encodes."),
        'on_change_with_birth_date')

    @fields.depends('type', 'code')
    def on_change_with_birth_date(self, name=None):
        """The date of birth a personal number (ЕГН, CNP...) encodes, read
        by python-stdnum's module of its type; None when the type encodes
        none or the code is not valid"""
        if not self.type or not self.code or '_' not in self.type:
            return None
        module = get_cc_module(*self.type.split('_', 1))
        if not module or not hasattr(module, 'get_birth_date'):
            return None
        try:
            number = module.validate(self.code)
            return module.get_birth_date(number)
        except (StdnumValidationError, ValueError):
            return None

    def _invalid_code(self, msg_id='party.msg_invalid_code'):
        """The error that says the code is not valid for its type, naming
        the party when it is saved; msg_id may say what is wrong"""
        if self.party and self.party.id > 0:
            party = self.party.rec_name
        else:
            party = ''
        return InvalidIdentifierCode(gettext(
                msg_id, type=self.type_string, code=self.code, party=party))

    @fields.depends('party', 'code', methods=['on_change_with_code'])
    def _notify_duplicate(self):
        found = False
        for notification in super()._notify_duplicate():
            found = True
            yield notification
        if found or not self.code:
            return
        # The same code on a party the user may not see: say so without
        # saying whose it is, so that the clerk looks the party up instead
        # of creating a duplicate.
        code = self.on_change_with_code()
        with without_check_access():
            others = self.__class__.search([
                    ('id', '!=', self.id),
                    ('party', '!=', self.party),
                    ('type', '!=', None),
                    ('code', '=', code),
                    ], limit=1)
        if others:
            yield ('warning', gettext(
                    'muni_base.msg_party_identifier_elsewhere', code=code))


class Employee(LinksParty, metaclass=PoolMeta):
    __name__ = 'company.employee'
    _party_link_origin = 'employee'


class FindStart(ModelView):
    __name__ = 'muni.party.find.start'
    __string__ = "Find a Party by Identifier"

    company = fields.Many2One('company.company', "Municipality", readonly=True)
    type = fields.Selection(
        'get_types', "Type",
        help="Leave empty to try every type the code is valid for.")
    code = fields.Char(
        "Code", required=True,
        help="The whole identifier: ЕГН, ЛНЧ, ЕИК, CNP, CUI…")

    @classmethod
    def get_types(cls):
        Identifier = Pool().get('party.identifier')
        return Identifier.get_types()

    @staticmethod
    def default_company():
        return Transaction().context.get('company')


class FindCreate(ModelView):
    __name__ = 'muni.party.find.create'
    __string__ = "Create a Party"

    name = fields.Char("Name", required=True)
    type = fields.Selection('get_types', "Type", readonly=True)
    code = fields.Char("Code", readonly=True)

    @classmethod
    def get_types(cls):
        Identifier = Pool().get('party.identifier')
        return Identifier.get_types()


class Find(Wizard):
    "Find a party by an exact identifier and make it the municipality's"
    __name__ = 'muni.party.find'

    start = StateView(
        'muni.party.find.start', 'muni_base.party_find_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Find", 'find', 'tryton-search', default=True),
            ])
    find = StateTransition()
    create_ = StateView(
        'muni.party.find.create', 'muni_base.party_find_create_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Create", 'create_party', 'tryton-ok', default=True),
            ])
    create_party = StateTransition()
    open_ = StateAction('party.act_party_form')

    def _company(self):
        company = Transaction().context.get('company')
        if company is None or company < 0:
            raise PartyLookupError(gettext('muni_base.msg_party_find_company'))
        return company

    @classmethod
    def candidates(cls, code, type=None):
        """Return the (type, compact code) pairs of the identifier types the
        code is valid for"""
        pool = Pool()
        Identifier = pool.get('party.identifier')
        types = [t for t, _ in Identifier.get_types() if t]
        if type:
            types = [type] if type in types else []
        else:
            # the codes of the network's countries: a mistyped ЕГН is often
            # a valid code of some other country
            prefixes = cls._country_prefixes()
            if prefixes:
                types = [t for t in types if t.split('_', 1)[0] in prefixes]
        result = []
        for type_ in types:
            module = (get_cc_module(*type_.split('_', 1))
                if '_' in type_ else None)
            if module is None:
                if not type:
                    # nothing says the code is valid for this type
                    continue
                identifier = Identifier(type=type_, code=code)
                try:
                    identifier.check_code()
                except InvalidIdentifierCode:
                    continue
                # no stdnum module: the type is validated by its own check
                # (e.g. a localisation's), its codes are stored as typed
                result.append((type_, code))
                continue
            if not module.is_valid(code):
                continue
            compact = code
            if hasattr(module, 'compact'):
                try:
                    compact = module.compact(code)
                except StdnumValidationError:
                    continue
            result.append((type_, compact))
        return result

    @classmethod
    def _country_prefixes(cls):
        Company = Pool().get('company.company')
        with without_check_access():
            companies = Company.search([])
        return {c.country.code.lower() for c in companies
            if c.country and c.country.code}

    def transition_find(self):
        pool = Pool()
        Identifier = pool.get('party.identifier')
        PartyCompany = pool.get('muni.party.company')
        company = self._company()
        code = (self.start.code or '').strip()
        candidates = self.candidates(code, self.start.type)
        if not candidates:
            raise PartyLookupError(gettext(
                    'muni_base.msg_party_find_invalid', code=code))
        domain = ['OR']
        for type_, compact in candidates:
            domain.append([
                    ('type', '=', type_),
                    ['OR',
                        ('code_compact', '=', compact),
                        ('code', '=', compact),
                        ],
                    ])
        # The only search over every municipality's parties a clerk makes:
        # an exact, valid code, at most one party in return.
        with without_check_access():
            identifiers = Identifier.search(
                [domain, ('party.active', '=', True)])
            parties = {i.party for i in identifiers}
        if len(parties) > 1:
            raise PartyLookupError(gettext(
                    'muni_base.msg_party_find_ambiguous', code=code))
        if not parties:
            self.create_.type, self.create_.code = candidates[0][0], code
            return 'create_'
        party, = parties
        PartyCompany.link(company, [party], 'lookup')
        self._party_found = party.id
        return 'open_'

    def default_create_(self, fields):
        return {
            'type': self.create_.type,
            'code': self.create_.code,
            }

    def transition_create_party(self):
        pool = Pool()
        Party = pool.get('party.party')
        PartyCompany = pool.get('muni.party.company')
        company = self._company()
        with Transaction().set_context(company=company):
            party, = Party.create([{
                        'name': self.create_.name,
                        'identifiers': [('create', [{
                                        'type': self.create_.type,
                                        'code': self.create_.code,
                                        }])],
                        }])
        PartyCompany.link(company, [party], 'created')
        self._party_found = party.id
        return 'open_'

    def do_open_(self, action):
        action['res_id'] = [self._party_found]
        action['views'].reverse()
        return action, {}
