# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from .exceptions import RegistrationError

# The number of a case file the registration opens until the registration
# gives it the document's, in the same transaction
PENDING = '…'


class DocumentRegistration:
    "The registration of the registry documents: number and case file"
    __slots__ = ()

    @classmethod
    def check_registration(cls, documents):
        for document in documents:
            if not document.subject or not document.subject.strip():
                raise RegistrationError(gettext(
                        'muni_docs.msg_document_no_subject',
                        document=document.rec_name))
            if (document.direction != 'internal'
                    and not document.correspondents):
                raise RegistrationError(gettext(
                        'muni_docs.msg_document_no_correspondent',
                        document=document.rec_name))
            if not document.book.accepts(document.direction):
                raise RegistrationError(gettext(
                        'muni_docs.msg_document_register_direction',
                        document=document.rec_name,
                        register=document.book.rec_name))
            if document.book.company != document.company:
                raise RegistrationError(gettext(
                        'muni_docs.msg_document_register_company',
                        document=document.rec_name,
                        register=document.book.rec_name))

    @classmethod
    def set_number(cls, documents):
        """Register the documents: number them in their register and year

        The registrations in a register wait for each other from the
        numbering to the end of their transaction, so numbers have no gap
        and no duplicate; all the rest is done before, outside the wait."""
        pool = Pool()
        Register = pool.get('muni.document.register')
        Case = pool.get('muni.document.case')
        RegisterNumbers = pool.get('muni.document.register.numbers')
        User = pool.get('res.user')

        now = dt.datetime.now()
        opened = []
        user = Transaction().user
        employee = User(user).employee if user else None
        for document in documents:
            date = cls._today(document.company)
            document.registered_at = now
            document.registration_date = date
            document.year = date.year
            if document.term and not document.deadline:
                document.deadline = document.term.compute_deadline(
                    document.company, date)
            if document.confidentiality == 'confidential' and user:
                readers = list(document.readers or [])
                if user not in {r.id for r in readers}:
                    document.readers = readers + [User(user)]
            if (not document.registered_by and employee
                    and employee.company == document.company):
                document.registered_by = employee
            # Saved before the wait: no second write by the transition
            document.state = 'registered'
            if not document.case_file and document.continuation_of:
                document.case_file = document.continuation_of.root.case_file
            if not document.case_file and document.reply_to:
                document.case_file = document.reply_to.case_file
            if not document.case_file:
                # named by the number of the document under the wait
                # (_write_numbers), in this transaction
                document.case_file = Case(
                    company=document.company, number=PENDING)
                opened.append(document)

        # Everything but the number is written before the wait: the
        # registrations of a register follow each other from the numbering
        # to their commit
        with without_check_access():
            Case.save([d.case_file for d in opened])
            cls.save(documents)

        continued = [d for d in documents if d.continuation_of]
        if continued:
            # The root documents are updated: their registers are locked
            # before the snapshot
            Register.lock(sorted({d.book for d in continued}, key=int))
        firsts = [d for d in documents if not d.continuation_of]
        Register.lock_numbering({d.book for d in firsts})
        # After the numbers given, not the numbers of the documents: a
        # number is never given again, even if its document disappeared
        last = RegisterNumbers.last_numbers(
            (d.book.id, d.year) for d in firsts)
        given = {}

        roots = []
        for document in documents:
            date = document.registration_date
            register = document.book
            if document.continuation_of:
                root = document.continuation_of.root
                if root not in roots:
                    roots.append(root)
                root = roots[roots.index(root)]
                root.last_continuation = (root.last_continuation or 0) + 1
                document.sequence = root.sequence
                document.year = root.year
                document.continuation = root.last_continuation
                document.number = register.format_continuation(
                    root.sequence, date, document.continuation)
            else:
                key = (register.id, document.year)
                last[key] += 1
                document.sequence = last[key]
                given[key] = (given.get(key, (last[key],))[0], last[key])
                document.continuation = 0
                document.number = register.format_number(
                    document.sequence, date)
        RegisterNumbers.add(given)
        cls._write_numbers(documents, roots, opened)

    @classmethod
    def _write_numbers(cls, documents, roots, opened):
        """Write the numbers, the last continuation of the roots and the
        number of the case files the documents opened with SQL: nothing
        else changes, and the records were validated and saved just before
        (the unique key of the numbers is the database's)"""
        pool = Pool()
        Case = pool.get('muni.document.case')
        table = cls.__table__()
        case = Case.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        for document in documents:
            cursor.execute(*table.update(
                    [table.number, table.sequence, table.year,
                        table.continuation],
                    [document.number, document.sequence, document.year,
                        document.continuation],
                    where=table.id == document.id))
        for root in roots:
            cursor.execute(*table.update(
                    [table.last_continuation], [root.last_continuation],
                    where=table.id == root.id))
        for document in opened:
            cursor.execute(*case.update(
                    [case.number], [document.number],
                    where=case.id == document.case_file.id))
        # what trytond read of them is stale
        transaction.counter += 1
        for cache in transaction.cache.values():
            for Model in [cls, Case]:
                if Model.__name__ in cache:
                    cache[Model.__name__].clear()

    @classmethod
    @ModelView.button
    def register(cls, documents):
        pool = Pool()
        Audit = pool.get('muni.document.audit')
        # Workflow.transition('registered') without its write of the state:
        # set_number saves it with the number, and the audit trail records
        # the transition.
        documents = [d for d in documents
            if (d.state, 'registered') in cls._transitions]
        if not documents:
            return
        cls.check_registration(documents)
        Audit.record(documents, 'registered')
        cls.set_number(documents)
