# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The rows of an imported file and the report of their errors"
import datetime as dt
from decimal import Decimal, InvalidOperation

from trytond.i18n import gettext

# Values per search with "in"
IN_SIZE = 500

TRUE = {'1', 'y', 'yes', 'true', 'x', 'да', 'д', 'da', 'd'}
FALSE = {'', '0', 'n', 'no', 'false', 'не', 'н', 'nu'}


class Report:
    """The messages of a validation, by row and column; label gives the name
    of a column as the clerk reads it (the column itself by default)"""

    def __init__(self, label=None):
        self.messages = []
        self.rows_in_error = set()
        self.label = label or (lambda column: column)

    def _column(self, column):
        return self.label(column) if column else column

    def error(self, row, column, message):
        self.messages.append({
                'row': row, 'column': self._column(column),
                'severity': 'error', 'message': message})
        self.rows_in_error.add(row)

    def warning(self, row, column, message):
        self.messages.append({
                'row': row, 'column': self._column(column),
                'severity': 'warning', 'message': message})

    @property
    def errors(self):
        return sum(1 for m in self.messages if m['severity'] == 'error')

    @property
    def warnings(self):
        return sum(1 for m in self.messages if m['severity'] == 'warning')


class Row:
    """A row of the file: its values read by column, each error recorded in
    the report against the row and the column"""

    def __init__(self, number, values, report):
        self.number = number
        self.values = values
        self.report = report

    @property
    def valid(self):
        return self.number not in self.report.rows_in_error

    def error(self, column, message):
        self.report.error(self.number, column, message)

    def warning(self, column, message):
        self.report.warning(self.number, column, message)

    def text(self, column, required=False):
        value = (self.values.get(column) or '').strip()
        if not value and required:
            self.error(column, gettext(
                    'muni_finance.msg_import_required',
                    column=self.report.label(column)))
        return value or None

    def date(self, column, required=False):
        value = self.text(column, required=required)
        if value is None:
            return
        for format_ in ['%Y-%m-%d', '%d.%m.%Y', '%d/%m/%Y']:
            try:
                return dt.datetime.strptime(value, format_).date()
            except ValueError:
                continue
        self.error(column, gettext(
                'muni_finance.msg_import_date', value=value))

    def decimal(self, column, required=False):
        value = self.text(column, required=required)
        if value is None:
            return
        # Legacy exports write 0,5 as often as 0.5; no thousands separator
        try:
            number = Decimal(value.replace(' ', '').replace(',', '.'))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error(column, gettext(
                    'muni_finance.msg_import_number', value=value))
            return
        return number

    def integer(self, column, required=False):
        value = self.text(column, required=required)
        if value is None:
            return
        try:
            return int(value)
        except ValueError:
            self.error(column, gettext(
                    'muni_finance.msg_import_integer', value=value))

    def boolean(self, column):
        value = (self.text(column) or '').lower()
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        self.error(column, gettext(
                'muni_finance.msg_import_boolean', value=value))

    def selection(self, column, selection, required=False):
        """Return the key of the selection whose key or label is the value,
        whatever the case"""
        value = self.text(column, required=required)
        if value is None:
            return
        choices = {}
        for key, label in selection:
            if key:
                choices[str(key).lower()] = key
                choices[str(label).lower()] = key
        try:
            return choices[value.lower()]
        except KeyError:
            self.error(column, gettext(
                    'muni_finance.msg_import_selection', value=value,
                    values=', '.join(str(k) for k, _ in selection if k)))
