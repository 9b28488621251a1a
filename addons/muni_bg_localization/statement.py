# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Balchik's bank receipts: the reason of a transfer to the municipality
names the taxpayer by its number or its ЕГН/ЕИК, and the revenue by its
payment code (вид плащане, "44 21 00")."""
import re

from trytond.pool import Pool, PoolMeta

from muni_finance.statement import reason_text
from muni_finance.statement import reason_tokens as _tokens

# The Bulgarian payment code of a revenue: 44 21 00, 442100, 44-21-00
PAYMENT_CODE = re.compile(r'(?<!\d)(\d{2})[ \-.]?(\d{2})[ \-.]?(\d{2})(?!\d)')
# The words of a Bulgarian reason: Latin and Cyrillic letters and digits
TOKEN = re.compile(r'[0-9A-Za-zА-Яа-я]+(?:[-/][0-9A-Za-zА-Яа-я]+)*')


def reason_tokens(text):
    """Return the payment codes and the other tokens of a payment reason

    >>> codes, tokens = reason_tokens('?20ЕГН 7523169263?21код 44 21 00')
    >>> codes, sorted(tokens)
    (['44 21 00'], ['7523169263', 'ЕГН', 'код'])"""
    text = reason_text(text)
    codes = []

    def code(match):
        if match.group(1) == '44':
            codes.append(' '.join(match.groups()))
            return ' '
        return match.group(0)
    text = PAYMENT_CODE.sub(code, text)
    return codes, _tokens(text, TOKEN)


class StatementLine(metaclass=PoolMeta):
    __name__ = 'account.statement.line'

    @classmethod
    def _match_bg(cls, lines):
        """Return for each line the taxpayers its reason names, by taxpayer
        number or by the identifier (ЕГН, ЕИК) of the party, and the
        revenue type of the payment code"""
        pool = Pool()
        RevenueType = pool.get('muni.revenue.type')
        parsed = {}
        all_tokens, all_codes = set(), set()
        for line in lines:
            codes, tokens = reason_tokens(line.description)
            parsed[line] = (codes, tokens)
            all_tokens |= tokens
            all_codes.update(codes)
        named = cls.taxpayers_named(
            {l.statement.company.id for l in lines}, all_tokens)
        revenue_types = {}
        if all_codes:
            for revenue_type in RevenueType.search([
                        ('payment_code', 'in', sorted(all_codes)),
                        ], order=[('id', 'ASC')]):
                revenue_types.setdefault(
                    (revenue_type.localisation, revenue_type.payment_code),
                    revenue_type)
        found = {}
        for line in lines:
            codes, tokens = parsed[line]
            company = line.statement.company
            taxpayers = set()
            for token in tokens:
                taxpayers |= named.get((company.id, token), set())
            revenue_type = next(
                (revenue_types[(company.localisation, c)] for c in codes
                    if (company.localisation, c) in revenue_types), None)
            found[line] = (taxpayers, revenue_type)
        return found
