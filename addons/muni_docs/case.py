# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from sql import Null

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import (
    Transaction, check_access, record_cache_size)

from muni_base.settlement import fields_clause


class Case(ModelSQL, ModelView):
    __name__ = 'muni.document.case'
    __string__ = "Case File"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT')
    number = fields.Char(
        "Number", required=True,
        help="The number of the document that opened the case.")
    subject = fields.Function(fields.Char(
            "Subject",
            help="The subject of the first document of the case that "
            "the user may read."),
        'get_readable', searcher='search_subject')
    archive_index = fields.Char(
        "Archive Index",
        help="The index of the file in the nomenclature of files "
        "under which the case is archived.")
    documents = fields.Function(fields.Many2Many(
            'muni.document', None, None, "Documents",
            help="The documents of the case that the user may read."),
        'get_readable', searcher='search_documents')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.number, Index.Equality(cardinality='high'))))
        cls._order.insert(0, ('id', 'DESC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def _readable_documents(cls):
        """The domain of the documents the user may read, None for none

        Getters and searchers run without the access checks, and the rules
        of a relation are not applied to a search through it: the user's
        rules of the documents are applied here, so that a case file tells
        no more than its documents do."""
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        Rule = pool.get('ir.rule')
        with check_access():
            if not ModelAccess.check(
                    'muni.document', 'read', raise_exception=False):
                return None
            return Rule.domain_get('muni.document', mode='read')

    @classmethod
    def get_readable(cls, cases, names):
        "The documents of each case the user may read and the first subject"
        pool = Pool()
        Document = pool.get('muni.document')
        documents = {c.id: [] for c in cases}
        readable = cls._readable_documents()
        if readable is not None:
            size = record_cache_size(Transaction())
            for sub_cases in grouped_slice(cases, size):
                for document in Document.search([
                            ('case_file', 'in', [c.id for c in sub_cases]),
                            readable,
                            ], order=[('registered_at', 'ASC NULLS LAST'),
                            ('id', 'ASC')]):
                    documents[document.case_file.id].append(document)
        result = {}
        if 'documents' in names:
            result['documents'] = {
                c: [d.id for d in docs] for c, docs in documents.items()}
        if 'subject' in names:
            result['subject'] = {
                c: docs[0].subject if docs else None
                for c, docs in documents.items()}
        return result

    @classmethod
    def search_documents(cls, name, clause):
        "Search among the documents the user may read"
        pool = Pool()
        Document = pool.get('muni.document')
        readable = cls._readable_documents()
        if readable is None:
            return [('id', '=', None)]
        field, operator, value, *extra = clause
        if '.' in field:
            domain = [(field.split('.', 1)[1], operator, value, *extra)]
            operator = 'in'
        elif operator in {'where', 'not where'}:
            domain = value
            operator = 'in' if operator == 'where' else 'not in'
        elif value is None and operator in {'=', '!='}:
            # with or without documents
            domain = []
            operator = 'not in' if operator == '=' else 'in'
        else:
            domain = [('id', operator, value, *extra)]
            operator = 'in'
        document = Document.__table__()
        query = document.select(
            document.case_file,
            where=document.id.in_(Document.search(
                    [domain, readable], order=[], query=True))
            & (document.case_file != Null))
        return [('id', operator, query)]

    @classmethod
    def search_subject(cls, name, clause):
        return [('documents.subject', *clause[1:])]

    def get_rec_name(self, name):
        if self.subject:
            return f'{self.number} {self.subject}'
        return self.number

    @classmethod
    def search_rec_name(cls, name, clause):
        return fields_clause(clause, 'number', 'subject')
