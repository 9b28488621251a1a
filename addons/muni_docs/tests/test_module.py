# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import importlib.util
import io
import random
import re
import threading
import time
import unittest
from contextlib import contextmanager
from unittest.mock import patch

from trytond import backend
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, ModuleTestCase, with_transaction)
from trytond.transaction import (
    Transaction, TransactionError, check_access, without_check_access)

from muni_base.tests.views import SaoViewsMixin
from muni_docs.exceptions import (
    AuditModificationError, DocumentModificationError)
from muni_docs.search import longest_run
from muni_docs.tests.terms import create_terms

D = dt.date
HAS_WEASYPRINT = importlib.util.find_spec('weasyprint') is not None


def create_municipality(name, country_code):
    pool = Pool()
    Country = pool.get('country.country')
    countries = Country.search([('code', '=', country_code)])
    if countries:
        country, = countries
    else:
        country, = Country.create([{'name': name, 'code': country_code}])
    company = create_company(name)
    company.country = country
    company.save()
    return company


def create_register(company, index='94-00', direction='incoming', **values):
    Register = Pool().get('muni.document.register')
    register = Register(
        company=company, index=index, name="Входящ регистър",
        direction=direction, **values)
    register.save()
    return register


def create_party(name="Иван Петров"):
    Party = Pool().get('party.party')
    party = Party(name=name)
    party.save()
    return party


def new_document(company, register, party=None, subject="Писмо", **values):
    Document = Pool().get('muni.document')
    document = Document(
        company=company, book=register, direction=register.direction,
        subject=subject, channel='counter', **values)
    if party:
        document.correspondents = [party]
    document.save()
    return document


def create_user(company, login, groups, employee=None):
    "A user of the municipality in the registry groups (XML ids)"
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    values = {
        'name': login, 'login': login,
        'companies': [('add', [company.id])],
        'company': company.id,
        'groups': [('add', [
                    ModelData.get_id('muni_docs', g) for g in groups])],
        }
    if employee:
        values['employees'] = [('add', [employee.id])]
        values['employee'] = employee.id
    user, = User.create([values])
    return user


@contextmanager
def acting_as(user):
    "Run as user with the access checks on, as the RPC of sao does"
    User = Pool().get('res.user')
    transaction = Transaction()
    with transaction.set_user(user.id), \
            transaction.set_context(_check_access=True):
        with transaction.set_context(
                User.get_preferences(context_only=True)):
            yield


def message_pattern(msg_id):
    "A regular expression of the text of the message, any values"
    pool = Pool()
    Message = pool.get('ir.message')
    ModelData = pool.get('ir.model.data')
    with without_check_access():
        text = Message(ModelData.get_id('muni_docs', msg_id)).text
    return re.compile(
        '^' + re.sub(r'%\\\(\w+\\\)s', '.*', re.escape(text)) + '$',
        re.DOTALL)


def frozen(date):
    "Freeze the registry's today"
    Document = Pool().get('muni.document')
    return patch.object(Document, '_today', return_value=date)


class MuniDocsTestCase(SaoViewsMixin, CompanyTestMixin, ModuleTestCase):
    "Test the muni_docs module"
    module = 'muni_docs'
    extras = ['document_incoming']

    @with_transaction()
    def test_numbering(self):
        "Numbers follow the register's format, per register and year"
        pool = Pool()
        Document = pool.get('muni.document')
        Counter = pool.get('muni.document.register.counter')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            incoming = create_register(company)
            outgoing = create_register(
                company, index='94-01', direction='outgoing')
            documents = [new_document(company, incoming, party)
                for _ in range(3)]
            reply = new_document(company, outgoing, party)
            with frozen(D(2026, 3, 15)):
                Document.register(documents[:2])
                Document.register([reply])
            with frozen(D(2026, 3, 16)):
                Document.register(documents[2:])
            self.assertEqual([d.number for d in documents], [
                    '94-00-1/15.03.2026', '94-00-2/15.03.2026',
                    '94-00-3/16.03.2026'])
            self.assertEqual(reply.number, '94-01-1/15.03.2026')
            self.assertTrue(all(d.state == 'registered' for d in documents))
            self.assertEqual(documents[0].registration_date, D(2026, 3, 15))
            self.assertTrue(documents[0].case_file)
            self.assertEqual(
                documents[0].case_file.number, documents[0].number)

            # The sequence restarts every 1 January
            next_year = new_document(company, incoming, party)
            with frozen(D(2027, 1, 4)):
                Document.register([next_year])
            self.assertEqual(next_year.number, '94-00-1/04.01.2027')
            self.assertEqual(
                sorted((c.year, c.last_number) for c in Counter.search(
                        [('register', '=', incoming.id)])),
                [(2026, 3), (2027, 1)])

    @with_transaction()
    def test_list_names_and_default_register(self):
        """The list names the correspondents and assignees; a new document
        starts in the company's only incoming register"""
        pool = Pool()
        Document = pool.get('muni.document')
        Employee = pool.get('company.employee')
        company = create_municipality("Balchik", 'BG')
        ivan = create_party("Иван Петров")
        maria = create_party("Мария Колева")
        with set_company(company):
            users, employees = self._registry(company)
            self.assertIsNone(Document.default_book())
            incoming = create_register(company)
            self.assertEqual(Document.default_book(), incoming.id)
            # an outgoing register changes nothing, a second incoming one
            # leaves the choice to the registrar
            create_register(company, index='94-01', direction='outgoing')
            self.assertEqual(Document.default_book(), incoming.id)
            general = create_register(
                company, index='94-02', direction='outgoing',
                directions=['incoming', 'outgoing'])
            self.assertIsNone(Document.default_book())
            general.active = False
            general.save()
            self.assertEqual(Document.default_book(), incoming.id)

            letter = new_document(company, incoming, ivan)
            letter.correspondents = [ivan, maria]
            letter.assignees = [
                employees['maria'], Employee(employees['petar'].id)]
            letter.save()
            other = new_document(company, incoming, maria)
            with acting_as(users['registrar']):
                read, = Document.read(
                    [letter.id], ['correspondent_names', 'assignee_names'])
                self.assertEqual(
                    read['correspondent_names'], "Иван Петров, Мария Колева")
                self.assertEqual(
                    read['assignee_names'], ", ".join(
                        e.rec_name for e in [
                            employees['maria'], employees['petar']]))
                self.assertEqual(Document.search(
                        [('correspondent_names', 'ilike', '%Колева%')],
                        order=[('id', 'ASC')]), [letter, other])
                self.assertEqual(Document.search(
                        [('assignee_names', 'ilike', '%%%s%%'
                                % employees['petar'].rec_name)]),
                    [letter])

    @with_transaction()
    def test_registry_groups_see_municipality_menu(self):
        "Every registry group reaches the registry through Municipality"
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        company = create_municipality("Balchik", 'BG')
        menu_muni = ModelData.get_id('muni_base', 'menu_muni')
        menu_document = ModelData.get_id('muni_docs', 'menu_document_form')
        with set_company(company):
            users, _ = self._registry(company)
            for login, user in users.items():
                with self.subTest(login=login), acting_as(user):
                    menus = {m.id for m in Menu.search([])}
                    self.assertIn(menu_muni, menus)
                    self.assertIn(menu_document, menus)

    @with_transaction()
    def test_number_format(self):
        "The format is configurable and checked"
        pool = Pool()
        Document = pool.get('muni.document')
        company = create_municipality("Năvodari", 'RO')
        party = create_party("Ion Popescu")
        with set_company(company):
            register = create_register(
                company, index=None,
                number_format='{sequence}/{date:%d.%m.%Y}')
            document = new_document(company, register, party)
            with frozen(D(2026, 2, 2)):
                Document.register([document])
            self.assertEqual(document.number, '1/02.02.2026')

            register.number_format = '{index}-{unknown}'
            with self.assertRaisesRegex(UserError, 'is not valid'):
                register.save()

    def test_longest_run(self):
        "The part of a number pattern looked up in the trigram index"
        self.assertEqual(
            longest_run('%94-00-12345/15.03.2026%'), '12345')
        # The first of the longest runs
        self.assertEqual(longest_run('%4321/02.05.2022%'), '4321')
        self.assertEqual(longest_run('%Вх-123%'), '123')
        # A pattern of one run, without wildcards around or with more,
        # or without a run of 3 is looked up as it is
        for pattern in ['%12345%', '94-00-123%', '%94%00-123%',
                '%94_00-123%', '%1-2/3%', '%%', 'Вх-1234', None]:
            with self.subTest(pattern=pattern):
                self.assertIsNone(longest_run(pattern))

    @with_transaction()
    def test_search_number(self):
        "A number is found by any part of it, whole or not"
        pool = Pool()
        Document = pool.get('muni.document')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            register = create_register(company)
            documents = [new_document(company, register, party,
                    subject=f"Писмо {i}") for i in range(12)]
            with frozen(D(2026, 3, 15)):
                Document.register(documents)
            first, second, *_, eleventh, twelfth = documents
            self.assertEqual(eleventh.number, '94-00-11/15.03.2026')

            def search(operator, value, name='number'):
                return Document.search([
                        ('book', '=', register.id),
                        (name, operator, value),
                        ], order=[('id', 'ASC')])
            self.assertEqual(search('ilike', '%94-00-11/15.03.2026%'),
                [eleventh])
            # 94-00-1/, 94-00-10/, 94-00-11/ and 94-00-12/ contain 00-1
            self.assertEqual(
                search('ilike', '%00-1%'), [first] + documents[9:])
            self.assertEqual(search('ilike', '%-12/15.03.%'), [twelfth])
            self.assertEqual(search('ilike', '%-13/15.03.2026%'), [])
            self.assertEqual(search('ilike', '%b-00-1/15%'), [])
            self.assertEqual(len(search('not ilike', '%-12/15.03.%')), 11)
            self.assertEqual(search('=', '94-00-2/15.03.2026'), [second])
            self.assertEqual(
                search('ilike', '%94-00-12/15.03.2026%', name='rec_name'),
                [twelfth])

    @with_transaction()
    def test_registration_requires_subject_and_correspondent(self):
        "Registering without correspondent or subject is refused clearly"
        pool = Pool()
        Document = pool.get('muni.document')
        company = create_municipality("Balchik", 'BG')
        with set_company(company):
            register = create_register(company)
            anonymous = new_document(company, register)
            with self.assertRaisesRegex(UserError, 'enter its correspondent'):
                Document.register([anonymous])
            untitled = new_document(
                company, register, create_party(), subject=None)
            with self.assertRaisesRegex(UserError, 'enter its subject'):
                Document.register([untitled])
            self.assertEqual(anonymous.state, 'draft')
            self.assertIsNone(anonymous.number)

            # Internal notes need no correspondent
            internal = create_register(
                company, index='94-02', direction='internal')
            note = new_document(company, internal)
            Document.register([note])
            self.assertEqual(note.state, 'registered')

    @with_transaction()
    def test_cancelled_keeps_number(self):
        "A cancelled document keeps its number, which is never reused"
        pool = Pool()
        Document = pool.get('muni.document')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            register = create_register(company)
            first = new_document(company, register, party)
            Document.register([first])
            number = first.number

            with self.assertRaisesRegex(UserError, 'enter the reason'):
                Document.cancel([first])
            first.reason = "Registered twice"
            first.save()
            Document.cancel([first])
            self.assertEqual(first.state, 'cancelled')
            self.assertEqual(first.number, number)

            second = new_document(company, register, party)
            Document.register([second])
            self.assertEqual(second.sequence, 2)

            with self.assertRaisesRegex(AccessError, 'not deleted'):
                Document.delete([first])
            draft = new_document(company, register, party)
            Document.delete([draft])

    @with_transaction()
    def test_registered_history_readonly(self):
        "The registration data and the audit trail cannot be edited"
        pool = Pool()
        Document = pool.get('muni.document')
        Audit = pool.get('muni.document.audit')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            register = create_register(company)
            document = new_document(company, register, party)
            Document.register([document])
            with check_access():
                with self.assertRaisesRegex(AccessError, 'cannot be changed'):
                    Document.write([document], {'subject': "Changed"})
                with self.assertRaisesRegex(AccessError, 'cannot be changed'):
                    Document.write([document], {'number': "1"})
                # The description stays free and its change is audited
                Document.write([document], {'description': "Scanned"})
            entry, = Audit.search([
                    ('document', '=', document.id),
                    ('action', '=', 'modified')])
            self.assertEqual(entry.field.name, 'description')
            self.assertEqual(
                (entry.old_value, entry.new_value), ('', "Scanned"))
            with self.assertRaisesRegex(AccessError, 'cannot be changed'):
                Audit.write([entry], {'description': "Nothing"})
            with self.assertRaisesRegex(AccessError, 'cannot be changed'):
                Audit.delete([entry])
            with check_access():
                with self.assertRaisesRegex(AccessError, 'cannot be changed'):
                    Audit.delete([entry])

    @with_transaction()
    def test_continuation_and_reply(self):
        "Follow-ups get a continuation number in the same case file"
        pool = Pool()
        Document = pool.get('muni.document')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            incoming = create_register(company)
            outgoing = create_register(
                company, index='94-01', direction='outgoing')
            letter = new_document(company, incoming, party)
            other = new_document(company, incoming, party)
            with frozen(D(2026, 3, 15)):
                Document.register([letter, other])
            follow_up = new_document(
                company, incoming, party, continuation_of=letter)
            with frozen(D(2026, 3, 20)):
                Document.register([follow_up])
            second = new_document(
                company, incoming, party, continuation_of=follow_up)
            with frozen(D(2026, 3, 23)):
                Document.register([second])
            self.assertEqual(follow_up.number, '94-00-1-1/20.03.2026')
            self.assertEqual(second.number, '94-00-1-2/23.03.2026')
            self.assertEqual(follow_up.case_file, letter.case_file)
            self.assertEqual(second.case_file, letter.case_file)

            reply = new_document(company, outgoing, party, reply_to=letter)
            with frozen(D(2026, 3, 24)):
                Document.register([reply])
            self.assertEqual(reply.number, '94-01-1/24.03.2026')
            self.assertEqual(reply.case_file, letter.case_file)
            self.assertEqual(
                len(letter.case_file.documents), 4)

            # The continuations did not consume the sequence
            third = new_document(company, incoming, party)
            Document.register([third])
            self.assertEqual(third.sequence, 3)

    @with_transaction()
    def test_deadlines(self):
        "Deadlines follow the term and the municipality's calendar"
        pool = Pool()
        Document = pool.get('muni.document')
        Term = pool.get('muni.document.term')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            employee = create_employee(company, "Мария Иванова")
            register = create_register(company)
            create_terms(company)
            certificate, apk = Term.search(
                [('company', '=', company.id)], order=[('days', 'ASC')])
            self.assertEqual(
                (certificate.code, certificate.days), ('DOPK87', 7))
            self.assertEqual((apk.code, apk.days), ('APK57', 14))
            working = Term(company=company, name="Working", code='W5',
                days=5, day_type='working')
            working.save()

            # Registered on Tuesday 7 April 2026: 7 calendar days end on
            # Tuesday 14 April; 5 working days skip Good Friday and Easter
            # Monday (10 and 13 April)
            docs = [new_document(company, register, party)
                for _ in range(3)]
            with frozen(D(2026, 4, 7)):
                Document.register(docs)
                for document, term in zip(docs, [certificate, working, apk]):
                    document.term = term
                    document.assignees = [employee]
                Document.save(docs)
                Document.assign(docs)
            self.assertEqual(docs[0].deadline, D(2026, 4, 14))
            self.assertEqual(docs[1].deadline, D(2026, 4, 16))
            # 14 days end on Tuesday 21 April
            self.assertEqual(docs[2].deadline, D(2026, 4, 21))
            self.assertEqual(docs[0].state, 'assigned')

            # A deadline set by hand on a Saturday moves to Monday
            manual = new_document(company, register, party)
            with frozen(D(2026, 10, 27)):
                Document.register([manual])
                manual.assignees = [employee]
                manual.deadline = D(2026, 10, 31)
                manual.save()
                Document.assign([manual])
            self.assertEqual(manual.deadline, D(2026, 11, 2))

            # A deadline before registration is refused
            manual.deadline = D(2026, 10, 20)
            with self.assertRaisesRegex(UserError, 'cannot be before'):
                manual.save()

    @with_transaction()
    def test_romanian_petition_extension(self):
        "A petition has 30 days, which may be extended once by 15"
        pool = Pool()
        Document = pool.get('muni.document')
        Term = pool.get('muni.document.term')
        company = create_municipality("Năvodari", 'RO')
        party = create_party("Ion Popescu")
        with set_company(company):
            employee = create_employee(company, "Elena Ionescu")
            register = create_register(company, index=None)
            create_terms(company)
            petition, = Term.search([('code', '=', 'OG27')])
            document = new_document(company, register, party)
            with frozen(D(2026, 3, 2)):
                Document.register([document])
                document.term = petition
                document.on_change_term()
                document.assignees = [employee]
                document.save()
                self.assertEqual(document.deadline, D(2026, 4, 1))
                Document.assign([document])
                Document.start([document])
                Document.extend([document])
            self.assertEqual(document.deadline, D(2026, 4, 16))
            self.assertTrue(document.extended)
            Document.extend([document])
            self.assertEqual(document.deadline, D(2026, 4, 16))

    @with_transaction()
    def test_assign_inactive_employee(self):
        "A document cannot be assigned to an employee who left"
        pool = Pool()
        Document = pool.get('muni.document')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            register = create_register(company)
            gone = create_employee(company, "Петър Колев")
            gone.end_date = D(2020, 12, 31)
            gone.save()
            document = new_document(company, register, party)
            Document.register([document])
            document.assignees = [gone]
            with self.assertRaisesRegex(UserError, 'not an active employee'):
                document.save()
            unassigned = new_document(company, register, party)
            Document.register([unassigned])
            with self.assertRaisesRegex(UserError, 'at least one employee'):
                Document.assign([unassigned])

    @with_transaction()
    def test_workflow_and_audit(self):
        "Every step is in the audit trail with who and when"
        pool = Pool()
        Document = pool.get('muni.document')
        User = pool.get('res.user')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            employee = create_employee(company, "Мария Иванова")
            User.write([User(Transaction().user)], {
                    'employees': [('add', [employee.id])],
                    'employee': employee.id,
                    })
            register = create_register(company)
            document = new_document(company, register, party)
            Document.register([document])
            document.assignees = [employee]
            document.resolution = "За изпълнение"
            document.deadline = document.registration_date
            document.save()
            Document.assign([document])
            Document.start([document])
            Document.close([document])
            Document.archive([document])
            self.assertEqual(document.state, 'archived')
            self.assertEqual(document.registered_by, employee)
            self.assertEqual(document.resolved_by, employee)
            self.assertEqual(document.done_by, employee)
            actions = [e.action for e in reversed(document.audit)]
            self.assertEqual(
                [a for a in actions if a != 'modified'],
                ['registered', 'assigned', 'started', 'done', 'archived'])
            assigned, = [e for e in document.audit if e.action == 'assigned']
            self.assertIn("Мария Иванова", assigned.description)
            self.assertIn("За изпълнение", assigned.description)
            self.assertEqual(assigned.user.id, Transaction().user)
            self.assertEqual(assigned.employee, employee)

    @with_transaction()
    def test_overdue_and_reminders(self):
        "The daily job flags overdue documents and e-mails the assignees"
        pool = Pool()
        Document = pool.get('muni.document')
        User = pool.get('res.user')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            employee = create_employee(company, "Мария Иванова")
            user, = User.create([{
                        'name': "Мария", 'login': 'maria',
                        'email': 'maria@balchik.example',
                        'companies': [('add', [company.id])],
                        'company': company.id,
                        'employees': [('add', [employee.id])],
                        }])
            register = create_register(company)
            late, soon, later = docs = [
                new_document(company, register, party, subject=s)
                for s in ["Late", "Soon", "Later"]]
            with frozen(D(2026, 3, 2)):
                Document.register(docs)
            for document, deadline in zip(docs, [
                    D(2026, 3, 10), D(2026, 3, 13), D(2026, 3, 31)]):
                document.assignees = [employee]
                document.deadline = deadline
            Document.save(docs)
            with frozen(D(2026, 3, 2)):
                Document.assign(docs)
            self.assertFalse(any(d.overdue for d in docs))

            with frozen(D(2026, 3, 12)), patch(
                    'muni_docs.document.send_message_transactional'
                    ) as send:
                self.assertEqual(Document.mark_overdue(), [late])
                self.assertEqual(Document.remind(), [employee])
            self.assertTrue(late.overdue)
            self.assertFalse(soon.overdue)
            msg, = [c.args[0] for c in send.call_args_list]
            self.assertEqual(msg['To'], 'maria@balchik.example')
            body = msg.get_content()
            self.assertIn(late.number, body)
            self.assertIn(soon.number, body)
            self.assertNotIn(later.number, body)
            self.assertIn(
                'overdue', [e.action for e in late.audit])

            # Closing clears the flag
            Document.close([late])
            self.assertFalse(late.overdue)
            self.assertEqual(user.employees, (employee,))

    @with_transaction()
    def test_access_rules(self):
        """Employees see their documents and their groups'; confidential
        documents only their readers"""
        pool = Pool()
        Document = pool.get('muni.document')
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        group_employee = Group(ModelData.get_id('muni_docs', 'group_employee'))
        group_registrar = Group(
            ModelData.get_id('muni_docs', 'group_registrar'))
        tax_office, = Group.create([{'name': "Tax office"}])
        with set_company(company):
            maria = create_employee(company, "Мария Иванова")
            petar = create_employee(company, "Петър Колев")
            users = {}
            for login, employee, groups in [
                    ('maria', maria, [group_employee]),
                    ('petar', petar, [group_employee, tax_office]),
                    ('registrar', None, [group_registrar]),
                    ]:
                values = {
                    'name': login, 'login': login,
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'groups': [('add', [g.id for g in groups])],
                    }
                if employee:
                    values['employees'] = [('add', [employee.id])]
                    values['employee'] = employee.id
                users[login], = User.create([values])
            register = create_register(company, groups=[tax_office])
            other = create_register(company, index='94-03')
            assigned = new_document(company, register, party, subject="A")
            grouped = new_document(company, register, party, subject="B")
            restricted = new_document(
                company, register, party, subject="C",
                confidentiality='restricted')
            unrelated = new_document(company, other, party, subject="D")
            secret = new_document(
                company, other, party, subject="E",
                confidentiality='confidential')
            docs = [assigned, grouped, restricted, unrelated, secret]
            Document.register(docs)
            assigned.assignees = [maria]
            assigned.save()
            Document.assign([assigned])

            def visible(login):
                with Transaction().set_user(users[login].id), \
                        Transaction().set_context(
                            company=company.id, companies=[company.id],
                            _check_access=True):
                    return {d.subject for d in Document.search([])}

            self.assertEqual(visible('maria'), {"A"})
            self.assertEqual(visible('petar'), {"A", "B"})
            self.assertEqual(visible('registrar'), {"A", "B", "C", "D"})

            # Named readers only, even in the registry
            secret.readers += (users['registrar'],)
            secret.save()
            self.assertEqual(
                visible('registrar'), {"A", "B", "C", "D", "E"})
            # Assigning a confidential document names the assignee
            secret.assignees = [petar]
            secret.save()
            Document.assign([secret])
            self.assertIn("E", visible('petar'))
            self.assertNotIn("E", visible('maria'))

    @unittest.skipUnless(HAS_WEASYPRINT, "WeasyPrint is not installed")
    @with_transaction()
    def test_reports(self):
        "The slip and the journal render as PDF with the number"
        from pypdf import PdfReader
        pool = Pool()
        Document = pool.get('muni.document')
        Slip = pool.get('muni.document.slip', type='report')
        Journal = pool.get('muni.document.journal', type='report')
        company = create_municipality("Балчик", 'BG')
        party = create_party()
        with set_company(company):
            register = create_register(company)
            documents = [
                new_document(company, register, party, subject=s)
                for s in ["Заявление за скица", "Жалба"]]
            with frozen(D(2026, 3, 15)):
                Document.register(documents)

            def text(content):
                reader = PdfReader(io.BytesIO(content))
                return ''.join(p.extract_text() for p in reader.pages)

            ext, content, _, name = Slip.execute([documents[0].id], {})
            self.assertEqual(ext, 'pdf')
            self.assertIn('94-00-1/15.03.2026', text(content))
            self.assertIn('Заявление за скица', text(content))

            ext, content, _, _ = Journal.execute([], {
                    'register': register.id,
                    'from_date': D(2026, 3, 1),
                    'to_date': D(2026, 3, 31),
                    })
            self.assertEqual(ext, 'pdf')
            self.assertIn('94-00-1/15.03.2026', text(content))
            self.assertIn('94-00-2/15.03.2026', text(content))

    @with_transaction()
    def test_document_incoming(self):
        "An incoming file becomes a registered document with its file"
        pool = Pool()
        Incoming = pool.get('document.incoming')
        Attachment = pool.get('ir.attachment')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            register = create_register(company)
            known, unknown = Incoming.create([{
                        'name': "Заявление.pdf", 'company': company.id,
                        'data': b'%PDF-1.4', 'type': 'muni_document',
                        'muni_correspondent': party.id,
                        'source': 'inbound_email',
                        }, {
                        'name': "Скан.pdf", 'company': company.id,
                        'data': b'%PDF-1.4', 'type': 'muni_document',
                        }])
            # process() queues proceed(), which a worker would run
            Incoming.write([known, unknown], {'state': 'processing'})
            Incoming.proceed([known, unknown])
            self.assertEqual(known.result.state, 'registered')
            self.assertEqual(known.result.book, register)
            self.assertEqual(known.result.channel, 'email')
            self.assertTrue(known.result.number)
            self.assertEqual(unknown.result.state, 'draft')
            self.assertEqual(Attachment.search_count([
                        ('resource', '=', str(known.result)),
                        ]), 1)

    @contextmanager
    def assertRefused(self, msg_id, exception=DocumentModificationError):
        "The block raises exception with the message msg_id of muni_docs"
        pattern = message_pattern(msg_id)
        with self.assertRaises(exception) as cm:
            yield cm
        self.assertRegex(cm.exception.message, pattern)

    @with_transaction()
    def test_registered_document_kept(self):
        """A registered document never goes back to draft nor is deleted,
        for any user, and its number is never given again"""
        pool = Pool()
        Document = pool.get('muni.document')
        Counter = pool.get('muni.document.register.counter')
        User = pool.get('res.user')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            clerk = create_employee(company, "Николай Ангелов")
            registrar = create_user(
                company, 'registrar', ['group_registrar'], clerk)
            admin = User(Transaction().user)
            register = create_register(company)
            letter = new_document(company, register, party)
            with acting_as(registrar):
                Document.register([Document(letter.id)])
            self.assertEqual(letter.state, 'registered')
            self.assertEqual(letter.registered_by, clerk)
            number, sequence = letter.number, letter.sequence

            for user in [registrar, admin]:
                with self.subTest(user=user.login), acting_as(user):
                    document = Document(letter.id)
                    with self.assertRefused('msg_document_back_to_draft'):
                        Document.write([document], {'state': 'draft'})
                    with self.assertRefused('msg_document_workflow_field'):
                        Document.write([document], {'state': 'cancelled'})
                    with self.assertRefused(
                            'msg_document_delete_registered'):
                        Document.delete([document])
                    for values in [
                            {'number': '94-00-1'},
                            {'registration_date': D(2020, 1, 1)},
                            {'registered_by': None},
                            {'done_date': D(2026, 3, 1)},
                            ]:
                        with self.assertRefused(
                                'msg_document_workflow_field'):
                            Document.write([document], values)
                    with self.assertRefused(
                            'msg_document_modify_registered'):
                        Document.write([document], {'subject': "Друго"})
                    # Created already registered, by-passing the button
                    with self.assertRefused('msg_document_create_not_draft'):
                        Document.create([{
                                    'company': company.id,
                                    'book': register.id,
                                    'direction': 'incoming',
                                    'subject': "Вмъкнат",
                                    'state': 'registered',
                                    'number': number,
                                    }])
            # Not even the code of the server takes it back to draft
            with self.assertRefused('msg_document_back_to_draft'):
                Document.write([letter], {'state': 'draft'})
            with self.assertRefused('msg_document_delete_registered'):
                Document.delete([letter])
            self.assertEqual(
                (letter.state, letter.number), ('registered', number))

            # Were it removed from the database by other means, its number
            # would still not be given again
            self._remove_with_sql(letter)
            second = new_document(company, register, party)
            with acting_as(registrar):
                Document.register([Document(second.id)])
            self.assertEqual(second.sequence, sequence + 1)
            self.assertNotEqual(second.number, number)
            self.assertNotEqual(second.case_file.number, number)
            counter, = Counter.search([('register', '=', register.id)])
            self.assertEqual(counter.last_number, sequence + 1)

    def _remove_with_sql(self, document):
        "Remove a document and its trail behind the back of Tryton"
        pool = Pool()
        Audit = pool.get('muni.document.audit')
        Document = pool.get('muni.document')
        DocumentParty = pool.get('muni.document-party.party')
        DocumentUser = pool.get('muni.document-res.user')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        for Model, column in [
                (Audit, 'document'), (DocumentParty, 'document'),
                (DocumentUser, 'document'), (Document, 'id')]:
            table = Model.__table__()
            cursor.execute(*table.delete(
                    where=getattr(table, column) == document.id))
        transaction.counter += 1
        for cache in transaction.cache.values():
            cache.clear()

    @with_transaction()
    def test_counter_never_goes_down(self):
        """The numbers given start from the highest number of the registers
        (migration), are never changed nor deleted, and the counter never
        goes down"""
        pool = Pool()
        Document = pool.get('muni.document')
        Numbers = pool.get('muni.document.register.numbers')
        Counter = pool.get('muni.document.register.counter')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            admin_user = create_user(
                company, 'registry_admin', ['group_registry_admin'])
            register = create_register(company)
            documents = [new_document(company, register, party)
                for _ in range(2)]
            with frozen(D(2026, 3, 2)):
                Document.register(documents)
            numbers = Numbers.__table__()
            cursor = Transaction().connection.cursor()

            def given():
                cursor.execute(*numbers.select(
                        numbers.year, numbers.first_number,
                        numbers.last_number,
                        where=numbers.register == register.id,
                        order_by=[numbers.last_number]))
                return cursor.fetchall()

            def counter():
                return [(c.year, c.last_number) for c in Counter.search(
                        [('register', '=', register.id)])]
            self.assertEqual(given(), [(2026, 1, 2)])
            self.assertEqual(counter(), [(2026, 2)])

            # As after the update of a database where the last numbers were
            # computed from the documents
            cursor.execute(*numbers.delete())
            Numbers.catch_up_documents()
            self.assertEqual(given(), [(2026, 1, 2)])
            Numbers.catch_up_documents()
            self.assertEqual(given(), [(2026, 1, 2)])
            # Numbers given whose documents are gone stay given
            cursor.execute(*numbers.insert(
                    [numbers.register, numbers.year, numbers.first_number,
                        numbers.last_number],
                    [[register.id, 2026, 3, 10]]))
            Numbers.catch_up_documents()
            self.assertEqual(counter(), [(2026, 10)])
            third = new_document(company, register, party)
            with frozen(D(2026, 3, 3)):
                Document.register([third])
            self.assertEqual(third.number, '94-00-11/03.03.2026')
            self.assertEqual(given(), [
                    (2026, 1, 2), (2026, 3, 10), (2026, 11, 11)])
            self.assertEqual(counter(), [(2026, 11)])

            entry = Numbers.search([('register', '=', register.id)])[0]
            with self.assertRefused(
                    'msg_register_counter_readonly', AccessError):
                Numbers.delete([entry])
            with self.assertRefused(
                    'msg_register_counter_readonly', AccessError):
                Numbers.write([entry], {'last_number': 0})
            with acting_as(admin_user):
                with self.assertRefused(
                        'msg_register_counter_readonly', AccessError):
                    Numbers.create([{
                                'register': register.id, 'year': 2026,
                                'last_number': 1}])

    def _registry(self, company):
        "The users of the registry, one per group, with their employees"
        users = {}
        employees = {}
        for login, name, groups in [
                ('registrar', "Николай Ангелов", ['group_registrar']),
                ('mayor', "Милен Стоянов", ['group_mayor']),
                ('maria', "Мария Иванова", ['group_employee']),
                ('petar', "Петър Колев", ['group_employee']),
                ('archivist', "Стефка Петрова", ['group_archivist']),
                ]:
            employees[login] = create_employee(company, name)
            users[login] = create_user(
                company, login, groups, employees[login])
        return users, employees

    @with_transaction()
    def test_registry_groups(self):
        """Each group does its part through the buttons; what it may not
        do is refused with a message"""
        pool = Pool()
        Document = pool.get('muni.document')
        Term = pool.get('muni.document.term')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            users, employees = self._registry(company)
            register = create_register(company)
            create_terms(company)
            apk, = Term.search([('code', '=', 'APK57')])
            letter = new_document(company, register, party)

            with acting_as(users['registrar']), frozen(D(2026, 3, 16)):
                Document.register([Document(letter.id)])
                # The registrar decides who may see it and notes on it
                Document.write([Document(letter.id)], {
                        'confidentiality': 'restricted',
                        'description': "2 страници, сканирано",
                        })
                # but the resolution is the mayor's
                with self.assertRefused('msg_document_modify_group'):
                    Document.write([Document(letter.id)], {
                            'assignees': [
                                ('add', [employees['maria'].id])],
                            })

            with acting_as(users['mayor']), frozen(D(2026, 3, 16)):
                # what sao writes: the fields changed, then the button
                document = Document(letter.id)
                document.term = apk
                document.on_change_term()
                Document.write([Document(letter.id)], {
                        'resolution': "За проверка и отговор",
                        'assignees': [('add', [employees['maria'].id])],
                        'term': apk.id,
                        'deadline': document.deadline,
                        })
                Document.assign([Document(letter.id)])
            self.assertEqual(letter.state, 'assigned')
            self.assertEqual(letter.deadline, D(2026, 3, 30))
            self.assertEqual(letter.resolved_by, employees['mayor'])

            with acting_as(users['maria']), frozen(D(2026, 3, 18)):
                document = Document(letter.id)
                for values, msg_id in [
                        ({'state': 'done'}, 'msg_document_workflow_field'),
                        ({'done_date': D(2026, 3, 18)},
                            'msg_document_workflow_field'),
                        ({'done_by': employees['maria'].id},
                            'msg_document_workflow_field'),
                        ({'deadline': D(2026, 6, 30)},
                            'msg_document_modify_group'),
                        ({'assignees': [('add', [employees['petar'].id])]},
                            'msg_document_modify_group'),
                        ({'resolution': "Не е нужно"},
                            'msg_document_modify_group'),
                        ({'readers': [('add', [users['petar'].id])]},
                            'msg_document_modify_group'),
                        ({'confidentiality': 'normal'},
                            'msg_document_modify_group'),
                        ({'subject': "Друго"},
                            'msg_document_modify_registered'),
                        ]:
                    with self.subTest(values=values):
                        with self.assertRefused(msg_id):
                            Document.write([document], values)
                # She reads it, notes on it and works through the buttons
                self.assertEqual(
                    Document.read([letter.id], ['subject'])[0]['subject'],
                    "Писмо")
                Document.write([document], {'description': "Отговорено"})
                Document.start([document])
                Document.close([Document(letter.id)])
                self.assertEqual(Document(letter.id).state, 'done')
                # Done, it is not to be edited any more
                with self.assertRefused('msg_document_modify_state'):
                    Document.write(
                        [Document(letter.id)], {'reason': "Грешка"})
            self.assertEqual(letter.done_by, employees['maria'])
            self.assertEqual(letter.done_date, D(2026, 3, 18))
            self.assertEqual(letter.deadline, D(2026, 3, 30))

            # Restricted: not seen by the other employees
            with acting_as(users['petar']):
                self.assertEqual(Document.search([]), [])

            with acting_as(users['archivist']):
                Document.archive([Document(letter.id)])
                with self.assertRefused('msg_document_modify_state'):
                    Document.write(
                        [Document(letter.id)], {'description': "Нищо"})
            self.assertEqual(letter.state, 'archived')

    @with_transaction()
    def test_audit_old_and_new_values(self):
        """Each change after registration is in the trail with its old and
        new value, who and when; the trail is append-only"""
        pool = Pool()
        Document = pool.get('muni.document')
        Audit = pool.get('muni.document.audit')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            users, employees = self._registry(company)
            register = create_register(company)
            with acting_as(users['registrar']), frozen(D(2026, 3, 16)):
                letter = new_document(
                    company, register, party,
                    confidentiality='confidential')
                Document.register([letter])
                Document.write([Document(letter.id)], {
                        'readers': [('add', [users['mayor'].id])],
                        })
            with acting_as(users['mayor']), frozen(D(2026, 3, 16)):
                Document.write([Document(letter.id)], {
                        'assignees': [('add', [employees['maria'].id])],
                        'deadline': D(2026, 3, 27),
                        })
                Document.assign([Document(letter.id)])
                Document.write([Document(letter.id)], {
                        'deadline': D(2026, 4, 3),
                        })
            with acting_as(users['maria']), frozen(D(2026, 3, 20)):
                Document.start([Document(letter.id)])
                Document.close([Document(letter.id)])
            letter = Document(letter.id)
            # a correction by the server itself is audited too
            Document.write([letter], {
                    'registered_by': employees['archivist'].id})

            entries = Audit.search([
                    ('document', '=', letter.id),
                    ('action', '=', 'modified'),
                    ], order=[('id', 'ASC')])

            def changes(field):
                return [(e.user.login, e.old_value, e.new_value)
                    for e in entries if e.field.name == field]
            self.assertEqual(changes('state'), [
                    ('mayor', "Registered", "Assigned"),
                    ('maria', "Assigned", "In Progress"),
                    ('maria', "In Progress", "Done"),
                    ])
            self.assertEqual(changes('readers'), [
                    ('registrar', "registrar", "registrar, mayor"),
                    # the assignee becomes a reader on assignment
                    ('mayor', "registrar, mayor", "registrar, mayor, maria"),
                    ])
            self.assertEqual(changes('deadline'), [
                    ('mayor', '', '2026-03-27'),
                    ('mayor', '2026-03-27', '2026-04-03'),
                    ])
            self.assertEqual(changes('assignees'), [
                    ('mayor', '', "Мария Иванова"),
                    ])
            self.assertEqual(changes('done_by'), [
                    ('maria', '', "Мария Иванова"),
                    ])
            self.assertEqual(changes('done_date'), [
                    ('maria', '', '2026-03-20'),
                    ])
            self.assertEqual(changes('registered_by'), [
                    ('admin', "Николай Ангелов", "Стефка Петрова"),
                    ])
            self.assertTrue(all(e.date and e.field for e in entries))
            self.assertEqual(
                [e.action for e in reversed(letter.audit)
                    if e.action != 'modified'],
                ['registered', 'assigned', 'started', 'done'])

            # Append-only, for every user and the server itself
            entry = entries[0]
            with self.assertRefused(
                    'msg_audit_immutable', AuditModificationError):
                Audit.write([entry], {'new_value': "Draft"})
            with self.assertRefused(
                    'msg_audit_immutable', AuditModificationError):
                Audit.delete([entry])
            with acting_as(users['registrar']):
                with self.assertRaises(AccessError):
                    Audit.delete([Audit(entry.id)])
                with self.assertRaises(AccessError):
                    Audit.create([{
                                'document': letter.id, 'action': 'done',
                                'date': dt.datetime.now()}])
            if backend.name == 'postgresql':
                # nor by the database
                cursor = Transaction().connection.cursor()
                document = Document.__table__()
                cursor.execute('SAVEPOINT delete_document')
                with self.assertRaises(backend.DatabaseIntegrityError):
                    cursor.execute(*document.delete(
                            where=document.id == letter.id))
                cursor.execute('ROLLBACK TO SAVEPOINT delete_document')

    @with_transaction()
    def test_case_file_confidential(self):
        """A case file tells its subject only to the users who may read a
        document of it"""
        pool = Pool()
        Document = pool.get('muni.document')
        Case = pool.get('muni.document.case')
        company = create_municipality("Balchik", 'BG')
        party = create_party()
        with set_company(company):
            users, employees = self._registry(company)
            register = create_register(company)
            outgoing = create_register(
                company, index='94-01', direction='outgoing')
            with acting_as(users['registrar']):
                secret, = Document.create([{
                            'company': company.id, 'book': register.id,
                            'direction': 'incoming', 'channel': 'counter',
                            'subject': "Сигнал за кмета",
                            'confidentiality': 'confidential',
                            'correspondents': [('add', [party.id])],
                            }])
                Document.register([secret])
            case_id = Document(secret.id).case_file.id

            def read_case(login):
                "What sao reads and finds of the case as the user"
                with acting_as(users[login]):
                    case, = Case.read(
                        [case_id], ['subject', 'rec_name', 'documents'])
                    found = [Case.search(d) for d in [
                            [('subject', 'ilike', '%кмета%')],
                            [('rec_name', 'ilike', '%кмета%')],
                            [('documents.subject', 'ilike', '%кмета%')],
                            [('documents', 'where', [
                                        ('subject', 'ilike', '%кмета%')])],
                            ]]
                    self.assertTrue(all(f == found[0] for f in found))
                    return (
                        case['subject'], case['rec_name'],
                        list(case['documents']), found[0],
                        Case.search([('documents', '!=', None)]))
            # The registrar registered it: he is one of its readers
            self.assertEqual(read_case('registrar'), (
                    "Сигнал за кмета",
                    f"{secret.number} Сигнал за кмета",
                    [secret.id], [Case(case_id)], [Case(case_id)]))
            # The mayor is not: the case shows its number only
            self.assertEqual(read_case('mayor'), (
                    None, secret.number, [], [], []))

            # A reply that he may read gives the case its subject
            with acting_as(users['registrar']):
                reply, = Document.create([{
                            'company': company.id, 'book': outgoing.id,
                            'direction': 'outgoing', 'channel': 'post',
                            'subject': "Отговор на сигнал",
                            'reply_to': secret.id, 'case_file': case_id,
                            'correspondents': [('add', [party.id])],
                            }])
                Document.register([reply])
            subject, _, documents, found, with_documents = read_case('mayor')
            self.assertEqual(subject, "Отговор на сигнал")
            self.assertEqual(documents, [reply.id])
            self.assertEqual(found, [])
            self.assertEqual(with_documents, [Case(case_id)])

            # Nor is the letter found through the reply to it
            def through_reply(login):
                with acting_as(users[login]):
                    return [Document.search(d) for d in [
                            [('reply_to.subject', 'ilike', '%кмета%')],
                            [('reply_to', 'ilike', '%кмета%')],
                            [('reply_to', 'where', [
                                        ('subject', 'ilike', '%кмета%')])],
                            ]]
            self.assertEqual(through_reply('mayor'), [[], [], []])
            self.assertEqual(
                through_reply('registrar'), [[Document(reply.id)]] * 3)
            self.assertEqual(read_case('registrar')[0], "Сигнал за кмета")

    def test_concurrent_registration(self):
        "Parallel registrations in one register leave no gap, no duplicate"
        if backend.name != 'postgresql':
            self.skipTest(
                "needs PostgreSQL: SQLite has one writer, so registrations "
                "cannot run in parallel")
        workers, per_worker = 4, 15

        def run(func, *args):
            "Run func in its own transaction, retried as trytond does"
            extras = {}
            for _ in range(500):
                try:
                    with Transaction().start(
                            DB_NAME, 0, **extras) as transaction:
                        try:
                            with Transaction().set_context(
                                    _check_access=False):
                                result = func(*args)
                            transaction.commit()
                            return result
                        except TransactionError as e:
                            transaction.rollback()
                            e.fix(extras)
                except backend.DatabaseOperationalError:
                    # the register is locked by another registration
                    time.sleep(random.random() / 50)
            raise RuntimeError("too many retries")

        def setup():
            company = create_municipality("Concurrency", 'BG')
            register = create_register(company, index='C')
            party = create_party()
            ids = []
            for _ in range(workers):
                docs = [new_document(company, register, party)
                    for _ in range(per_worker)]
                ids.append([d.id for d in docs])
            return register.id, ids

        def register_one(document_id):
            Document = Pool().get('muni.document')
            Document.register([Document(document_id)])

        register_id, batches = run(setup)
        errors = []
        barrier = threading.Barrier(workers)

        def worker(ids):
            try:
                barrier.wait()
                for id_ in ids:
                    run(register_one, id_)
            except Exception as exception:
                errors.append(exception)

        threads = [threading.Thread(target=worker, args=(ids,))
            for ids in batches]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertFalse(errors)

        def check():
            Document = Pool().get('muni.document')
            documents = Document.search([('book', '=', register_id)])
            return sorted(d.sequence for d in documents), {
                d.number for d in documents}
        sequences, numbers = run(check)
        total = workers * per_worker
        self.assertEqual(sequences, list(range(1, total + 1)))
        self.assertEqual(len(numbers), total)

        # A registration that fails after its numbering gives its number
        # back with its transaction: the counter leaves no gap
        def create_one():
            Register = Pool().get('muni.document.register')
            register = Register(register_id)
            party = create_party()
            return new_document(register.company, register, party).id

        def register_and_fail(document_id):
            register_one(document_id)
            raise ZeroDivisionError
        late = run(create_one)
        with self.assertRaises(ZeroDivisionError):
            run(register_and_fail, late)
        run(register_one, late)
        sequences, numbers = run(check)
        self.assertEqual(sequences, list(range(1, total + 2)))


del ModuleTestCase
