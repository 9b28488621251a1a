# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The import of bank files in the tests of the localisations"
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.transaction import Transaction

from muni_finance.exceptions import StatementImportError


class StatementImportTestMixin:
    """Import a bank file through the wizard, or see it refused

    data_dir: the folder of the test files; python_texts: what the text of
    a Python exception looks like, never in a refusal"""
    data_dir = None
    python_texts = ()

    def import_(self, company, name, file_format=None):
        "Import the file (a name in data_dir or bytes); return statements"
        pool = Pool()
        Import = pool.get('account.statement.import', type='wizard')
        Statement = pool.get('account.statement')
        data = (name if isinstance(name, bytes)
            else (self.data_dir / name).read_bytes())
        if file_format is None:
            file_format = 'mt940' if name.endswith('.sta') else 'camt_053_001'
        before = Statement.search([])
        language = Transaction().language
        session_id, _, _ = Import.create()
        try:
            with set_company(company), \
                    Transaction().set_context(language=language):
                Import.execute(session_id, {'start': {
                            'company': company.id, 'file_': data,
                            'file_format': file_format, 'mt940_bank': None,
                            }}, 'import_')
        finally:
            Import.delete(session_id)
        return Statement.search(
            [('id', 'not in', [s.id for s in before])],
            order=[('id', 'ASC')])

    def refused(self, company, name, file_format=None):
        "Return the message of the refusal, nothing imported"
        pool = Pool()
        Statement = pool.get('account.statement')
        count = Statement.search_count([])
        with self.assertRaises(StatementImportError) as context:
            self.import_(company, name, file_format)
        self.assertEqual(Statement.search_count([]), count)
        message = context.exception.message
        for text in self.python_texts:
            self.assertNotIn(text, message)
        cause = context.exception.__cause__
        if cause is not None and str(cause):
            self.assertNotIn(str(cause), message)
        return message
