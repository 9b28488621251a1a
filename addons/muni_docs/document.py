# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict
from email.message import EmailMessage
from functools import reduce
from operator import or_

from sql.conditionals import Coalesce

import trytond.config as config
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.company.model import set_employee
from trytond.pool import Pool
from trytond.pyson import Eval, Id, If
from trytond.report import Report
from trytond.tools.domain_inversion import is_leaf
from trytond.sendmail import send_message_transactional
from trytond.transaction import Transaction, without_check_access

from muni_base.report import ModuleFilesReport
from muni_base.settlement import fields_clause

from .exceptions import (
    AssignmentError, DeadlineError, DocumentModificationError,
    DocumentReasonError)
from .document_register import DIRECTIONS
from .registration import DocumentRegistration
from .search import contains_clause
from .term import add_days

OPEN_STATES = ['assigned', 'in_progress']
# Once registered these make the entry of the register: history that stays.
REGISTERED_FIELDS = {
    'company', 'book', 'direction', 'case_file', 'correspondents',
    'subject', 'channel', 'pages', 'sender_reference', 'sender_date',
    'reply_to', 'continuation_of',
    }
# Written only by the registry itself (the registration, the buttons of the
# workflow and the daily job), never by a user's write or create.
WORKFLOW_FIELDS = {
    'state', 'number', 'sequence', 'year', 'continuation',
    'last_continuation', 'registration_date', 'registered_at',
    'registered_by', 'resolved_by', 'assigned_date', 'done_by', 'done_date',
    'overdue', 'extended', 'audit', 'replies', 'continuations',
    }
# What users may still write once a document is registered, in which states
# and by which groups (None: any group allowed to write documents); every
# change is audited with its old and new value. Anything else is refused.
AFTER_REGISTRATION = {
    # notes on the paper (scanned, filed, remarks) until it is archived
    'description': (
        ['registered', 'returned', 'done', 'cancelled'] + OPEN_STATES, None),
    # the mayor's resolution, prepared before the Assign button (and for a
    # new assignment): text, employees, legal term and deadline; the
    # extension of a term goes through the Extend button
    'resolution': (['registered'] + OPEN_STATES, ['group_mayor']),
    'assignees': (['registered'] + OPEN_STATES, ['group_mayor']),
    'term': (['registered'] + OPEN_STATES, ['group_mayor']),
    'deadline': (['registered'] + OPEN_STATES, ['group_mayor']),
    # why it is returned or cancelled, written before those buttons by the
    # groups that have them
    'reason': (['registered', 'returned'] + OPEN_STATES,
        ['group_registrar', 'group_mayor', 'group_employee']),
    # who may see it: decided by the registry and the mayor
    'confidentiality': (
        ['registered', 'returned', 'done', 'cancelled'] + OPEN_STATES,
        ['group_registrar', 'group_mayor']),
    'readers': (
        ['registered', 'returned', 'done', 'cancelled'] + OPEN_STATES,
        ['group_registrar', 'group_mayor']),
    }
# Not in the audit trail: the trail itself and the links it shows anyway
UNAUDITED_FIELDS = {'audit', 'replies', 'continuations', 'last_continuation'}
# The links of a document to other documents: searched through, they find
# only the documents the user may read (see search_domain)
DOCUMENT_LINKS = {'reply_to', 'continuation_of', 'replies', 'continuations'}
# The lists show the names of these links, not how many there are
NAMES_FIELDS = {
    'correspondent_names': 'correspondents',
    'assignee_names': 'assignees',
    }


def _in_groups(*xml_ids):
    "Whether the user of the client is in one of the groups"
    groups = Eval('context', {}).get('groups', [])
    return reduce(or_, (Id('muni_docs', x).in_(groups) for x in xml_ids))


class Document(DocumentRegistration, Workflow, ModelSQL, ModelView):
    __name__ = 'muni.document'
    __string__ = "Registry Document"

    _draft = {'readonly': Eval('state') != 'draft'}
    # As AFTER_REGISTRATION, which the server enforces
    _open = {'readonly': (Eval('state') != 'draft') & (
            ~Eval('state').in_(['registered'] + OPEN_STATES)
            | ~_in_groups('group_mayor'))}
    _visibility = {'readonly': (Eval('state') != 'draft') & (
            (Eval('state') == 'archived')
            | ~_in_groups('group_registrar', 'group_mayor'))}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft)
    book = fields.Many2One(
        'muni.document.register', "Register", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft', ('active', '=', True), ()),
            ],
        states=_draft)
    direction = fields.Selection(
        DIRECTIONS, "Direction", required=True, states=_draft)
    direction_string = direction.translated('direction')
    number = fields.Char(
        "Number", readonly=True,
        help="The registration number, given when the document is "
        "registered and never reused.")
    sequence = fields.Integer("Sequence", readonly=True)
    year = fields.Integer("Year", readonly=True)
    continuation = fields.Integer(
        "Continuation", readonly=True,
        help="The rank of a follow-up document in its case, 0 for the "
        "first one.")
    last_continuation = fields.Integer("Last Continuation", readonly=True)
    registration_date = fields.Date("Registration Date", readonly=True)
    registered_at = fields.DateTime("Registered At", readonly=True)
    registered_by = fields.Many2One(
        'company.employee', "Registered By", readonly=True)
    correspondents = fields.Many2Many(
        'muni.document-party.party', 'document', 'party', "Correspondents",
        context={'company': Eval('company', -1)}, depends={'company'},
        states=_draft,
        help="The senders of an incoming document, the addressees of an "
        "outgoing one.")
    correspondent_names = fields.Function(
        fields.Char("Correspondents"), 'get_names',
        searcher='search_names')
    subject = fields.Char("Subject", states=_draft)
    description = fields.Text(
        "Description", states={'readonly': Eval('state') == 'archived'})
    channel = fields.Selection([
            (None, ""),
            ('counter', "Counter"),
            ('post', "Post"),
            ('email', "E-mail"),
            ('portal', "Portal"),
            ('edelivery', "E-delivery"),
            ('courier', "Courier"),
            ('internal', "Internal"),
            ], "Channel", states=_draft)
    channel_string = channel.translated('channel')
    pages = fields.Integer(
        "Pages", domain=['OR', ('pages', '=', None), ('pages', '>=', 0)],
        states=_draft)
    sender_reference = fields.Char(
        "Sender Reference", states=_draft,
        help="The number the sender gave the letter.")
    sender_date = fields.Date("Sender Date", states=_draft)
    case_file = fields.Many2One(
        'muni.document.case', "Case File",
        domain=[('company', '=', Eval('company', -1))],
        states=_draft,
        help="Left empty, registration opens a new case file "
        "or takes the one of the document replied to or continued.")
    reply_to = fields.Many2One(
        'muni.document', "Reply To",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', '!=', 'draft'),
            ],
        states=_draft)
    replies = fields.One2Many(
        'muni.document', 'reply_to', "Replies", readonly=True)
    continuation_of = fields.Many2One(
        'muni.document', "Continuation Of",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('book', '=', Eval('book', -1)),
            ('state', '!=', 'draft'),
            ],
        states=_draft,
        help="The earlier document of the same case: the new one gets its "
        "number with a continuation rank.")
    continuations = fields.One2Many(
        'muni.document', 'continuation_of', "Continuations", readonly=True)
    confidentiality = fields.Selection([
            ('normal', "Normal"),
            ('restricted', "Restricted"),
            ('confidential', "Confidential"),
            ], "Confidentiality", required=True, states=_visibility,
        help="Restricted documents are seen only by the registry and their "
        "assignees; confidential ones only by the named readers.")
    confidentiality_string = confidentiality.translated('confidentiality')
    readers = fields.Many2Many(
        'muni.document-res.user', 'document', 'user', "Readers",
        states={
            'invisible': Eval('confidentiality') != 'confidential',
            'readonly': _visibility['readonly'],
            },
        help="The only users who may see a confidential document.")
    resolution = fields.Text("Resolution", states=_open)
    assignees = fields.Many2Many(
        'muni.document-company.employee', 'document', 'employee',
        "Assignees",
        domain=[('company', '=', Eval('company', -1))],
        states=_open)
    assignee_names = fields.Function(
        fields.Char("Assignees"), 'get_names', searcher='search_names')
    term = fields.Many2One(
        'muni.document.term', "Term",
        domain=[('company', '=', Eval('company', -1))],
        states=_open)
    deadline = fields.Date(
        "Deadline", states=_open,
        help="Computed from the term on the municipality's calendar; "
        "a day off moves it to the next working day.")
    extended = fields.Boolean("Extended", readonly=True)
    overdue = fields.Boolean("Overdue", readonly=True)
    resolved_by = fields.Many2One(
        'company.employee', "Resolved By", readonly=True)
    assigned_date = fields.Date("Assigned Date", readonly=True)
    done_by = fields.Many2One('company.employee', "Done By", readonly=True)
    done_date = fields.Date("Done Date", readonly=True)
    reason = fields.Text(
        "Reason",
        states={
            'readonly': Eval('state').in_(
                ['draft', 'done', 'archived', 'cancelled']),
            'invisible': Eval('state') == 'draft',
            },
        help="Why the document is returned or cancelled.")
    audit = fields.One2Many(
        'muni.document.audit', 'document', "Audit Trail", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('registered', "Registered"),
            ('assigned', "Assigned"),
            ('in_progress', "In Progress"),
            ('done', "Done"),
            ('archived', "Archived"),
            ('returned', "Returned"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')

    del _draft, _open, _visibility

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('register_number_unique',
                Unique(t, t.book, t.year, t.sequence, t.continuation),
                'muni_docs.msg_document_number_unique'),
            ]
        cls._sql_indexes.update({
                # Char fields that are not required are searched as
                # COALESCE(column, '')
                Index(t, (Coalesce(t.number, ''),
                        Index.Equality(cardinality='high'))),
                Index(t, (Coalesce(t.number, ''),
                        Index.Similarity(cardinality='high'))),
                Index(t, (Coalesce(t.subject, ''),
                        Index.Similarity(cardinality='high'))),
                Index(t,
                    (t.book, Index.Equality()),
                    (t.registration_date, Index.Range())),
                Index(t,
                    (t.deadline, Index.Range()),
                    where=t.state.in_(OPEN_STATES)),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state.in_(['draft'] + OPEN_STATES)),
                })
        cls._order = [
            ('registered_at', 'DESC NULLS FIRST'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'registered'),
            ('draft', 'cancelled'),
            ('registered', 'assigned'),
            ('assigned', 'assigned'),
            ('in_progress', 'assigned'),
            ('assigned', 'in_progress'),
            ('registered', 'done'),
            ('assigned', 'done'),
            ('in_progress', 'done'),
            ('done', 'archived'),
            ('returned', 'archived'),
            ('cancelled', 'archived'),
            ('registered', 'returned'),
            ('assigned', 'returned'),
            ('in_progress', 'returned'),
            ('returned', 'registered'),
            ('registered', 'cancelled'),
            ('assigned', 'cancelled'),
            ('in_progress', 'cancelled'),
            ('returned', 'cancelled'),
            }
        cls._buttons.update({
                'register': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'assign': {
                    'invisible': ~Eval('state').in_(
                        ['registered'] + OPEN_STATES),
                    'readonly': ~Eval('assignees'),
                    'icon': 'tryton-forward',
                    'depends': ['state', 'assignees'],
                    },
                'start': {
                    'invisible': Eval('state') != 'assigned',
                    'icon': 'tryton-launch',
                    'depends': ['state'],
                    },
                'extend': {
                    'invisible': (~Eval('state').in_(OPEN_STATES)
                        | Eval('extended', False) | ~Eval('term')),
                    'icon': 'tryton-history',
                    'depends': ['state', 'extended', 'term'],
                    },
                'close': {
                    'invisible': ~Eval('state').in_(
                        ['registered'] + OPEN_STATES),
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'archive': {
                    'invisible': ~Eval('state').in_(
                        ['done', 'returned', 'cancelled']),
                    'icon': 'tryton-archive',
                    'depends': ['state'],
                    },
                'return_': {
                    'invisible': ~Eval('state').in_(
                        ['registered'] + OPEN_STATES),
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'returned',
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'registered', 'returned'] + OPEN_STATES),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_direction(cls):
        return 'incoming'

    @classmethod
    def default_book(cls):
        "The register of the company for incoming documents, if only one"
        pool = Pool()
        Register = pool.get('muni.document.register')
        company = cls.default_company()
        if company is None:
            return None
        direction = cls.default_direction()
        registers = [r for r in Register.search([
                    ('company', '=', company),
                    ('active', '=', True),
                    ]) if r.accepts(direction)]
        if len(registers) == 1:
            register, = registers
            return register.id

    @classmethod
    def default_confidentiality(cls):
        return 'normal'

    @classmethod
    def default_continuation(cls):
        return 0

    @classmethod
    def default_last_continuation(cls):
        return 0

    @classmethod
    def default_extended(cls):
        return False

    @classmethod
    def default_overdue(cls):
        return False

    @classmethod
    def default_readers(cls):
        user = Transaction().user
        return [user] if user else []

    @fields.depends('book', 'direction')
    def on_change_book(self):
        if self.book and not self.book.accepts(self.direction):
            self.direction = self.book.direction

    @fields.depends('term', 'company', 'registration_date', 'extended',
        'deadline')
    def on_change_term(self):
        if self.term and self.company and self.registration_date:
            self.deadline = self.term.compute_deadline(
                self.company, self.registration_date, extended=self.extended)

    @fields.depends('reply_to', 'case_file', 'correspondents')
    def on_change_reply_to(self):
        if self.reply_to:
            if not self.case_file:
                self.case_file = self.reply_to.case_file
            if not self.correspondents:
                self.correspondents = self.reply_to.correspondents

    @fields.depends('continuation_of', 'case_file', 'correspondents',
        'subject')
    def on_change_continuation_of(self):
        if self.continuation_of:
            self.case_file = self.continuation_of.case_file
            if not self.correspondents:
                self.correspondents = self.continuation_of.correspondents
            if not self.subject:
                self.subject = self.continuation_of.subject

    @classmethod
    def get_names(cls, documents, names):
        "The names of the correspondents and assignees, for the lists"
        result = {n: {} for n in names}
        # the links of a readable document are shown whatever the rules of
        # their parties and employees say
        with without_check_access():
            for document in cls.browse([d.id for d in documents]):
                for name in names:
                    result[name][document.id] = ', '.join(
                        r.rec_name for r in getattr(
                            document, NAMES_FIELDS[name]))
        return result

    @classmethod
    def search_names(cls, name, clause):
        _, operator, operand, *extra = clause
        field = NAMES_FIELDS[name]
        return [(f'{field}.rec_name', operator, operand, *extra)]

    def get_rec_name(self, name):
        if self.number:
            return f'{self.number} {self.subject or ""}'.strip()
        return self.subject or f'({self.id})'

    @classmethod
    def search_rec_name(cls, name, clause):
        return fields_clause(clause, 'number', 'subject')

    @classmethod
    def search_domain(cls, domain, active_test=None, tables=None):
        pool = Pool()
        Rule = pool.get('ir.rule')
        # trytond 8.0 checks the rules of the records searched, not those
        # of the records a search goes through: a confidential reply must
        # not be found by the subject of the letter it answers
        if Transaction().check_access:
            readable = Rule.domain_get(cls.__name__, mode='read')
            if readable:
                domain = cls._through_readable(domain, readable)
        return super().search_domain(
            domain, active_test=active_test, tables=tables)

    @classmethod
    def _through_readable(cls, domain, readable):
        "The domain with its searches through DOCUMENT_LINKS on readable"
        if not is_leaf(domain):
            if isinstance(domain, (list, tuple)):
                return [cls._through_readable(d, readable) for d in domain]
            return domain
        name, operator, value, *extra = domain
        field, _, nested = name.partition('.')
        if field not in DOCUMENT_LINKS:
            return domain
        if nested:
            target = [(nested, operator, value, *extra)]
            operator = 'where'
        elif operator in {'where', 'not where'}:
            target = value
        elif isinstance(value, str):
            target = [('rec_name', operator, value)]
            operator = 'where'
        else:
            return domain
        return (field, operator,
            [cls._through_readable(target, readable), readable])

    @classmethod
    def domain_number(cls, domain, tables):
        return contains_clause(cls, domain, tables)

    @property
    def root(self):
        "The first document of a chain of continuations"
        document = self
        while document.continuation_of:
            document = document.continuation_of
        return document

    @classmethod
    def index_set_field(cls, name):
        index = super().index_set_field(name)
        if name == 'readers':
            # first: the access rules of the other links read them
            index = -1
        return index

    @classmethod
    def validate_fields(cls, documents, field_names):
        super().validate_fields(documents, field_names)
        cls.check_deadline(documents, field_names)
        cls.check_assignees(documents, field_names)

    @classmethod
    def check_deadline(cls, documents, field_names=None):
        if field_names and not (
                field_names & {'deadline', 'registration_date'}):
            return
        for document in documents:
            if (document.deadline and document.registration_date
                    and document.deadline < document.registration_date):
                raise DeadlineError(gettext(
                        'muni_docs.msg_document_deadline_before_registration',
                        document=document.rec_name,
                        deadline=document.deadline,
                        registration=document.registration_date))

    @classmethod
    def check_assignees(cls, documents, field_names=None):
        if field_names and 'assignees' not in field_names:
            return
        for document in documents:
            if not document.assignees:
                continue
            today = cls._today(document.company)
            for employee in document.assignees:
                if not ((employee.start_date or dt.date.min) <= today
                        <= (employee.end_date or dt.date.max)):
                    raise AssignmentError(gettext(
                            'muni_docs.msg_document_employee_inactive',
                            document=document.rec_name,
                            employee=employee.rec_name))

    @classmethod
    def check_modification(cls, mode, documents, values=None, external=False):
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        super().check_modification(
            mode, documents, values=values, external=external)
        if mode in {'write', 'delete'}:
            # read again: the records written may hold the new values
            documents = cls.browse([d.id for d in documents])
        # For every user, the administrator and the code included: a
        # registered document is the law's record of the register
        if mode == 'delete':
            for document in documents:
                if document.state != 'draft':
                    raise DocumentModificationError(gettext(
                            'muni_docs.msg_document_delete_registered',
                            document=document.rec_name))
        elif mode == 'write' and values.get('state', '') == 'draft':
            for document in documents:
                if document.state != 'draft':
                    raise DocumentModificationError(gettext(
                            'muni_docs.msg_document_back_to_draft',
                            document=document.rec_name))
        if not external:
            return
        if mode == 'create':
            for document in documents:
                if (document.state != 'draft'
                        or any(getattr(document, f) for f in [
                                'number', 'sequence', 'year',
                                'continuation', 'last_continuation',
                                'registration_date', 'registered_at',
                                'registered_by', 'resolved_by',
                                'assigned_date', 'done_by', 'done_date',
                                'overdue', 'extended'])):
                    raise DocumentModificationError(gettext(
                            'muni_docs.msg_document_create_not_draft',
                            document=document.rec_name))
        elif mode == 'write':
            groups = set(User.get_groups())
            for document in documents:
                changed = document._changed_fields(values)
                workflow = changed & WORKFLOW_FIELDS
                if workflow:
                    raise DocumentModificationError(gettext(
                            'muni_docs.msg_document_workflow_field',
                            document=document.rec_name,
                            fields=cls._field_names(workflow)))
                if document.state == 'draft':
                    continue
                locked = changed & REGISTERED_FIELDS
                if locked:
                    raise DocumentModificationError(gettext(
                            'muni_docs.msg_document_modify_registered',
                            document=document.rec_name,
                            fields=cls._field_names(locked)))
                closed = {f for f in changed
                    if document.state not in AFTER_REGISTRATION.get(
                        f, ([], None))[0]}
                if closed:
                    raise DocumentModificationError(gettext(
                            'muni_docs.msg_document_modify_state',
                            document=document.rec_name,
                            state=document.state_string,
                            fields=cls._field_names(closed)))
                for field in sorted(changed):
                    xml_ids = AFTER_REGISTRATION[field][1]
                    if xml_ids is None:
                        continue
                    allowed = {ModelData.get_id('muni_docs', x)
                        for x in xml_ids}
                    if not (allowed & groups):
                        raise DocumentModificationError(gettext(
                                'muni_docs.msg_document_modify_group',
                                document=document.rec_name,
                                fields=cls._field_names([field]),
                                groups=cls._group_names(allowed)))

    def _changed_fields(self, values):
        "The names of the fields values changes on the document"
        changed = set()
        for name, value in values.items():
            field = self._fields.get(name)
            if field is None or field._type in {
                    'one2many', 'many2many', 'reference', 'dict'}:
                changed.add(name)
                continue
            current = getattr(self, name)
            if field._type == 'many2one':
                current = current.id if current else None
            if current != value:
                changed.add(name)
        return changed

    @classmethod
    def _field_names(cls, names):
        return ', '.join(sorted(
                f'"{cls.__names__(n)["field"]}"' for n in names))

    @classmethod
    def _group_names(cls, group_ids):
        Group = Pool().get('res.group')
        with without_check_access():
            return ', '.join(sorted(
                    f'"{g.rec_name}"' for g in Group.browse(group_ids)))

    @classmethod
    def on_write(cls, documents, values):
        callbacks = super().on_write(documents, values)
        names = sorted(n for n in values
            if n in cls._fields and n not in UNAUDITED_FIELDS
            and not isinstance(cls._fields[n], fields.Function))
        if not names:
            return callbacks
        # read again: the records written may hold the new values
        before = {d.id: d._audit_values(names)
            for d in cls.browse([d.id for d in documents])
            if d.state != 'draft'}
        if not before:
            return callbacks

        def audit():
            pool = Pool()
            Audit = pool.get('muni.document.audit')
            changes = []
            for document in cls.browse(list(before)):
                after = document._audit_values(names)
                for name in names:
                    (old, old_text), (new, new_text) = (
                        before[document.id][name], after[name])
                    if old != new:
                        changes.append((document, name, old_text, new_text))
            Audit.record_changes(changes)
        return callbacks + [audit]

    def _audit_values(self, names):
        "The value to compare and its text in the audit trail per field"
        values = {}
        for name in names:
            field = self._fields[name]
            value = getattr(self, name)
            if field._type in {'one2many', 'many2many'}:
                records = sorted(value or [], key=lambda r: r.id)
                values[name] = (
                    tuple(r.id for r in records),
                    ', '.join(r.rec_name for r in records))
            elif field._type == 'many2one':
                values[name] = (
                    value.id if value else None,
                    value.rec_name if value else '')
            elif field._type == 'selection':
                values[name] = (
                    value, getattr(self, f'{name}_string', value) or '')
            elif field._type == 'boolean':
                values[name] = (bool(value), gettext(
                        'muni_docs.msg_audit_yes' if value
                        else 'muni_docs.msg_audit_no'))
            elif isinstance(value, dt.datetime):
                values[name] = (
                    value, value.isoformat(sep=' ', timespec='seconds'))
            elif isinstance(value, dt.date):
                values[name] = (value, value.isoformat())
            else:
                values[name] = (
                    value, '' if value is None else str(value))
        return values

    @classmethod
    def copy(cls, documents, default=None):
        default = default.copy() if default is not None else {}
        for field in ['number', 'sequence', 'year', 'registration_date',
                'registered_at', 'registered_by', 'resolved_by',
                'assigned_date', 'done_by', 'done_date', 'case_file',
                'reply_to', 'continuation_of', 'deadline', 'reason',
                'resolution']:
            default.setdefault(field)
        default.setdefault('continuation', 0)
        default.setdefault('last_continuation', 0)
        default.setdefault('extended', False)
        default.setdefault('overdue', False)
        default.setdefault('replies')
        default.setdefault('continuations')
        default.setdefault('assignees')
        default.setdefault('audit')
        return super().copy(documents, default=default)

    @classmethod
    def _today(cls, company):
        Date = Pool().get('ir.date')
        with Transaction().set_context(company=company.id):
            return Date.today()

    def compute_deadline(self):
        if self.term and self.registration_date:
            return self.term.compute_deadline(
                self.company, self.registration_date, extended=self.extended)

    @classmethod
    @ModelView.button
    @Workflow.transition('assigned')
    @set_employee('resolved_by', when='before')
    def assign(cls, documents):
        pool = Pool()
        Audit = pool.get('muni.document.audit')
        for document in documents:
            if not document.assignees:
                raise AssignmentError(gettext(
                        'muni_docs.msg_document_no_assignee',
                        document=document.rec_name))
            if not document.deadline:
                document.deadline = document.compute_deadline()
            if document.deadline:
                # A time limit ending on a day off ends on the next
                # working day.
                document.deadline = document.company.next_working_day(
                    document.deadline)
            document.assigned_date = cls._today(document.company)
            if document.confidentiality == 'confidential':
                readers = set(document.readers)
                readers.update(cls._employee_users(document.assignees))
                document.readers = list(readers)
            document.overdue = bool(
                document.deadline
                and document.deadline < document.assigned_date)
        cls.check_assignees(documents)
        with without_check_access():
            cls.save(documents)
        cls.check_deadline(documents)
        for document in documents:
            Audit.record([document], 'assigned', gettext(
                    'muni_docs.msg_audit_assigned',
                    employees=', '.join(
                        e.rec_name for e in document.assignees),
                    deadline=document.deadline or '-',
                    resolution=document.resolution or ''))

    @classmethod
    def _employee_users(cls, employees):
        User = Pool().get('res.user')
        with without_check_access():
            return User.search([
                    ('employees', 'in', [e.id for e in employees]),
                    ])

    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def start(cls, documents):
        pool = Pool()
        Audit = pool.get('muni.document.audit')
        Audit.record(documents, 'started')

    @classmethod
    @ModelView.button
    def extend(cls, documents):
        pool = Pool()
        Audit = pool.get('muni.document.audit')
        for document in documents:
            if document.extended or not document.term:
                continue
            document.extended = True
            document.deadline = document.compute_deadline()
            document.overdue = False
            with without_check_access():
                document.save()
            Audit.record([document], 'extended', str(document.deadline))

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    @set_employee('done_by')
    def close(cls, documents):
        pool = Pool()
        Audit = pool.get('muni.document.audit')
        for document in documents:
            document.done_date = cls._today(document.company)
            document.overdue = False
        with without_check_access():
            cls.save(documents)
        Audit.record(documents, 'done')

    @classmethod
    @ModelView.button
    @Workflow.transition('archived')
    def archive(cls, documents):
        pool = Pool()
        Audit = pool.get('muni.document.audit')
        Audit.record(documents, 'archived')

    @classmethod
    def check_reason(cls, documents):
        for document in documents:
            if not document.reason or not document.reason.strip():
                raise DocumentReasonError(gettext(
                        'muni_docs.msg_document_reason_required',
                        document=document.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('returned')
    def return_(cls, documents):
        pool = Pool()
        Audit = pool.get('muni.document.audit')
        cls.check_reason(documents)
        for document in documents:
            Audit.record([document], 'returned', document.reason)

    @classmethod
    @ModelView.button
    @Workflow.transition('registered')
    def reopen(cls, documents):
        pool = Pool()
        Audit = pool.get('muni.document.audit')
        Audit.record(documents, 'reopened')

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, documents):
        pool = Pool()
        Audit = pool.get('muni.document.audit')
        cls.check_reason([d for d in documents if d.state != 'draft'])
        for document in documents:
            Audit.record([document], 'cancelled', document.reason)

    @classmethod
    def _open_domain(cls):
        return [('state', 'in', OPEN_STATES)]

    @classmethod
    def mark_overdue(cls, date=None):
        "Flag the open documents past their deadline"
        pool = Pool()
        Audit = pool.get('muni.document.audit')
        context = Transaction().context
        domain = cls._open_domain() + [('overdue', '=', False),
            ('deadline', '!=', None)]
        if context.get('company'):
            domain.append(('company', '=', context['company']))
        documents = []
        for document in cls.search(domain):
            today = date or cls._today(document.company)
            if document.deadline < today:
                documents.append(document)
        if documents:
            cls.write(documents, {'overdue': True})
            Audit.record(documents, 'overdue')
        return documents

    @classmethod
    def remind(cls, date=None, days=2):
        """Send each assignee one e-mail with their overdue documents and
        those due within `days` working days"""
        pool = Pool()
        Date = pool.get('ir.date')
        context = Transaction().context
        domain = cls._open_domain() + [('deadline', '!=', None)]
        if context.get('company'):
            domain.append(('company', '=', context['company']))
        per_employee = defaultdict(list)
        for document in cls.search(domain, order=[('deadline', 'ASC')]):
            company = document.company
            today = date or cls._today(company)
            if document.deadline <= add_days(company, today, days, 'working'):
                for employee in document.assignees:
                    per_employee[employee].append(document)
        sent = []
        for employee, documents in per_employee.items():
            if cls._send_reminder(employee, documents, date or Date.today()):
                sent.append(employee)
        return sent

    @classmethod
    def _send_reminder(cls, employee, documents, date):
        "Send the list of documents due to the users of the employee"
        pool = Pool()
        Lang = pool.get('ir.lang')
        users = [u for u in cls._employee_users([employee]) if u.email]
        if not users:
            return False
        language = users[0].language.code if users[0].language else None
        with Transaction().set_context(language=language):
            lang = Lang.get(language)
            lines = []
            for document in documents:
                status = gettext('muni_docs.msg_reminder_overdue') if (
                    document.deadline < date) else ''
                lines.append(gettext('muni_docs.msg_reminder_line',
                        number=document.number,
                        subject=document.subject,
                        deadline=lang.strftime(document.deadline),
                        status=status).rstrip())
            subject = gettext('muni_docs.msg_reminder_subject',
                count=len(documents))
            body = gettext('muni_docs.msg_reminder_body',
                employee=employee.rec_name, documents='\n'.join(lines))
        msg = EmailMessage()
        msg['From'] = config.get('email', 'from')
        msg['To'] = ', '.join(u.email for u in users)
        msg['Subject'] = subject
        msg.set_content(body)
        send_message_transactional(msg)
        return True

    @classmethod
    def run_daily(cls):
        "The daily job of the registry: flag overdue documents, remind"
        cls.mark_overdue()
        cls.remind()


class DocumentSlip(ModuleFilesReport, Report):
    __name__ = 'muni.document.slip'
