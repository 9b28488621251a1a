# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.report import Report
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from muni_base.report import ModuleFilesReport


class JournalStart(ModelView):
    __name__ = 'muni.document.journal.start'
    __string__ = "Registry Journal"

    company = fields.Many2One('company.company', "Company", required=True)
    register = fields.Many2One(
        'muni.document.register', "Register", required=True,
        domain=[('company', '=', Eval('company', -1))])
    from_date = fields.Date(
        "From Date", required=True,
        domain=[('from_date', '<=', Eval('to_date'))])
    to_date = fields.Date(
        "To Date", required=True,
        domain=[('to_date', '>=', Eval('from_date'))])

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_from_date():
        return Pool().get('ir.date').today().replace(day=1)

    @staticmethod
    def default_to_date():
        return Pool().get('ir.date').today()


class Journal(Wizard):
    __name__ = 'muni.document.journal'

    start = StateView(
        'muni.document.journal.start',
        'muni_docs.document_journal_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('muni.document.journal')

    def default_start(self, fields):
        if (self.model and self.model.__name__ == 'muni.document.register'
                and self.record):
            return {
                'register': self.record.id,
                'company': self.record.company.id,
                }
        return {}

    def do_print_(self, action):
        return action, {
            'register': self.start.register.id,
            'from_date': self.start.from_date,
            'to_date': self.start.to_date,
            }

    def transition_print_(self):
        return 'end'


class JournalReport(ModuleFilesReport, Report):
    __name__ = 'muni.document.journal'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Register = pool.get('muni.document.register')
        Document = pool.get('muni.document')
        context = super().get_context(records, header, data)
        register = Register(data['register'])
        context['register'] = register
        context['from_date'] = data['from_date']
        context['to_date'] = data['to_date']
        context['documents'] = Document.search([
                ('book', '=', register.id),
                ('registration_date', '>=', data['from_date']),
                ('registration_date', '<=', data['to_date']),
                ('state', '!=', 'draft'),
                ], order=[
                ('year', 'ASC'), ('sequence', 'ASC'),
                ('continuation', 'ASC')])
        return context
