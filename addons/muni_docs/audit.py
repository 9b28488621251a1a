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

    document = fields.Many2One(
        'muni.document', "Document", required=True, ondelete='CASCADE',
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
    def check_modification(cls, mode, entries, values=None, external=False):
        super().check_modification(
            mode, entries, values=values, external=external)
        if external or mode == 'write':
            raise AuditModificationError(gettext(
                    'muni_docs.msg_audit_immutable'))
