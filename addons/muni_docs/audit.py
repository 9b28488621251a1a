# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from .exceptions import AuditModificationError


class Audit(ModelSQL, ModelView):
    __name__ = 'muni.document.audit'
    __string__ = "Audit Trail Entry"

    # The trail outlives nothing it records: a document with entries is
    # never deleted, not even by the database
    document = fields.Many2One(
        'muni.document', "Document", required=True, ondelete='RESTRICT',
        readonly=True)
    date = fields.DateTime("Date", required=True, readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True)
    employee = fields.Many2One(
        'company.employee', "Employee", readonly=True)
    action = fields.Selection([
            ('registered', "Registered"),
            ('assigned', "Assigned"),
            ('started', "Started"),
            ('extended', "Deadline Extended"),
            ('done', "Done"),
            ('archived', "Archived"),
            ('returned', "Returned"),
            ('reopened', "Reopened"),
            ('cancelled', "Cancelled"),
            ('overdue', "Overdue"),
            ('modified', "Modified"),
            ], "Action", required=True, readonly=True)
    field = fields.Many2One(
        'ir.model.field', "Field", readonly=True,
        domain=[('model', '=', 'muni.document')],
        help="The field of the document that was changed.")
    old_value = fields.Text("Old Value", readonly=True)
    new_value = fields.Text("New Value", readonly=True)
    description = fields.Text("Description", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('document')
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.document, Index.Equality())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def record(cls, documents, action, description=None):
        "Add an entry for each document, by the current user"
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        if not documents:
            return []
        user = User(transaction.user) if transaction.user else None
        employee = user.employee if user else None
        now = dt.datetime.now()
        entries = [cls(
                document=d, date=now, user=user, employee=employee,
                action=action, description=description)
            for d in documents]
        with without_check_access():
            cls.save(entries)
        return entries

    @classmethod
    def record_changes(cls, changes):
        """Add a 'modified' entry for each (document, field name, old value,
        new value) of changes, by the current user"""
        pool = Pool()
        Field = pool.get('ir.model.field')
        User = pool.get('res.user')
        transaction = Transaction()
        if not changes:
            return []
        user = User(transaction.user) if transaction.user else None
        employee = user.employee if user else None
        now = dt.datetime.now()
        with without_check_access():
            field_ids = {
                (f.model, f.name): f.id for f in Field.search([
                        ('model', 'in', list({d.__name__
                                    for d, *_ in changes})),
                        ('name', 'in', list({n for _, n, *_ in changes})),
                        ])}
            entries = [cls(
                    document=document, date=now, user=user,
                    employee=employee, action='modified',
                    field=field_ids.get((document.__name__, name)),
                    old_value=old, new_value=new)
                for document, name, old, new in changes]
            cls.save(entries)
        return entries

    @classmethod
    def check_modification(cls, mode, entries, values=None, external=False):
        super().check_modification(
            mode, entries, values=values, external=external)
        # Append-only, for every user and the code alike: entries are only
        # created by the registry (record, record_changes)
        if mode in {'write', 'delete'} or external:
            raise AuditModificationError(gettext(
                    'muni_docs.msg_audit_immutable'))
