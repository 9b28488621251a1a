# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Năvodari's bank receipts: the Treasury account credited tells the
revenue, its budget code being inside the IBAN (ro.md §4.2), and the CNP or
CUI in the reason tells the payer."""
import re

from stdnum.ro import cnp, cui

from trytond.pool import Pool, PoolMeta

from muni_finance.statement import reason_text

from .treasury import budget_code_of

# A CNP (13 digits) or a CUI (2 to 10 digits), a CUI perhaps with the "RO"
# of its VAT code; not inside a longer run of letters or digits
IDENTIFIER = re.compile(r'(?<![0-9A-Za-z])(?:RO)?([0-9]{2,13})(?![0-9])',
    re.IGNORECASE)


def reason_identifiers(text):
    """Return the valid CNPs and CUIs a payment reason names, each CUI also
    with its "RO" prefix (as a VAT code is stored)

    >>> sorted(reason_identifiers('?20CNP 1800101221144 CUI RO18547290'))
    ['1800101221144', '18547290', 'RO18547290']"""
    found = set()
    for digits in IDENTIFIER.findall(reason_text(text)):
        if len(digits) == 13:
            if cnp.is_valid(digits):
                found.add(digits)
        elif len(digits) <= 10 and cui.is_valid(digits):
            found.update({digits, 'RO' + digits})
    return found


class StatementLine(metaclass=PoolMeta):
    __name__ = 'account.statement.line'

    @classmethod
    def _match_ro(cls, lines):
        """Return for each line the taxpayers whose CNP or CUI its reason
        names and the revenue type whose budget code is in the Treasury
        IBAN the statement credits"""
        pool = Pool()
        RevenueType = pool.get('muni.revenue.type')
        parsed = {l: reason_identifiers(l.description) for l in lines}
        named = cls.taxpayers_named(
            {l.statement.company.id for l in lines},
            set().union(*parsed.values()), numbers=False)
        codes = {}
        for journal in {l.statement.journal for l in lines}:
            codes[journal] = cls._treasury_budget_code(journal)
        revenue_types = {}
        wanted = sorted({c for c in codes.values() if c})
        if wanted:
            for revenue_type in RevenueType.search([
                        ('budget_code.code', 'in', wanted),
                        ('localisation', 'in', ['ro', None]),
                        ], order=[('localisation', 'ASC NULLS LAST'),
                        ('id', 'ASC')]):
                revenue_types.setdefault(
                    revenue_type.budget_code.code, revenue_type)
        found = {}
        for line in lines:
            company = line.statement.company
            taxpayers = set()
            for code in parsed[line]:
                taxpayers |= named.get((company.id, code), set())
            found[line] = (taxpayers,
                revenue_types.get(codes[line.statement.journal]))
        return found

    @staticmethod
    def _treasury_budget_code(journal):
        """The budget code of the local revenue whose Treasury account the
        statement journal's bank account is, or None"""
        account = journal.bank_account
        if not account:
            return None
        for number in account.numbers:
            code = budget_code_of(number.number)
            if code:
                return code
        return None
