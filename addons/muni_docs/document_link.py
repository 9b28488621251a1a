# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from sql import Null

from trytond.model import Index, ModelSQL, fields
from trytond.pool import Pool

from muni_base.party import LinksParty


class DocumentLinkMixin:
    "A document's link to a party, a user or an employee"
    __slots__ = ()
    _link = None

    document = fields.Many2One(
        'muni.document', "Document", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('document')
        t = cls.__table__()
        cls._sql_indexes.update({
                # covering: the worklists and the rules only read the pair
                Index(t, (getattr(t, cls._link), Index.Equality()),
                    (t.document, Index.Equality())),
                Index(t, (t.document, Index.Equality())),
                })


class DocumentParty(LinksParty, DocumentLinkMixin, ModelSQL):
    __name__ = 'muni.document-party.party'
    # a correspondent is the municipality's (muni_base, party.py)
    _party_link_origin = 'correspondent'
    _party_link_fields = {'party', 'document'}
    __string__ = "Document - Correspondent"
    _link = 'party'

    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='RESTRICT')

    @classmethod
    def __register__(cls, module):
        pool = Pool()
        PartyCompany = pool.get('muni.party.company')
        Document = pool.get('muni.document')
        super().__register__(module)
        # Correspondents recorded before the parties had municipalities
        link = cls.__table__()
        document = Document.__table__()
        PartyCompany.link_query(
            link.join(document, condition=link.document == document.id
                ).select(
                document.company.as_('company'), link.party.as_('party'),
                where=link.party != Null),
            'correspondent')

    def party_link(self):
        return self.document.company, self.party


class DocumentUser(DocumentLinkMixin, ModelSQL):
    __name__ = 'muni.document-res.user'
    __string__ = "Document - Reader"
    _link = 'user'

    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')


class DocumentEmployee(DocumentLinkMixin, ModelSQL):
    __name__ = 'muni.document-company.employee'
    __string__ = "Document - Assignee"
    _link = 'employee'

    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='RESTRICT')
