# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import Index, ModelSQL, fields


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


class DocumentParty(DocumentLinkMixin, ModelSQL):
    __name__ = 'muni.document-party.party'
    __string__ = "Document - Correspondent"
    _link = 'party'

    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='RESTRICT')


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
