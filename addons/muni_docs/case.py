# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.transaction import Transaction

from muni_base.settlement import fields_clause


class Case(ModelSQL, ModelView):
    __name__ = 'muni.document.case'
    __string__ = "Case File"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT')
    number = fields.Char(
        "Number", required=True,
        help="The number of the document that opened the case.")
    subject = fields.Char("Subject")
    archive_index = fields.Char(
        "Archive Index",
        help="The index of the file in the nomenclature of files "
        "under which the case is archived.")
    documents = fields.One2Many(
        'muni.document', 'case_file', "Documents", readonly=True,
        order=[('registered_at', 'ASC'), ('id', 'ASC')])

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

    def get_rec_name(self, name):
        if self.subject:
            return f'{self.number} {self.subject}'
        return self.number

    @classmethod
    def search_rec_name(cls, name, clause):
        return fields_clause(clause, 'number', 'subject')
