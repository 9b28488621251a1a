# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Exports that a spreadsheet opens as text, never as a formula.

The texts of payers and banks (remittance reasons that become statement
and move descriptions, names given at a portal) reach the CSV exports of
sao and of trytond's /data route. A cell that starts with =, +, -, @ or a
tab or carriage return is a formula to a spreadsheet (CSV injection,
OWASP): it is exported with a leading apostrophe, which the spreadsheet
shows as text."""

FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')


def formula_safe(value):
    "The value, with a leading apostrophe if a spreadsheet would compute it"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FormulaSafeExport:
    "Mixin of a model whose exported texts may come from outside"
    __slots__ = ()

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        rows = super().export_data(records, fields_names, header=header)
        start = 1 if header else 0
        return rows[:start] + [
            [formula_safe(v) for v in row] for row in rows[start:]]
