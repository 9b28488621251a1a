# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What posting a bulk of payments needs besides the plan: the locks it
takes at once, the accounts it reads once, and the reconciliation of the
instalments and the interest it settled."""
from collections import defaultdict
from decimal import Decimal

from sql import Literal, Null
from sql.operators import Like

from trytond import backend
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, TransactionError

from .open_items import _decimal
from .sampling import create_checked


class _LocksError(TransactionError):
    "Ask for every lock at once: the transaction restarts only once"

    def __init__(self, errors):
        super().__init__()
        self.errors = errors

    def fix(self, extras):
        super().fix(extras)
        for error in self.errors:
            error.fix(extras)


# The reconciliations a bulk creates are validated by sample from this
# many: the sample reads their lines again, which costs the few of a payment
# at the cash desk more than it saves
SAMPLED_RECONCILIATIONS = 20


def lock_for(config, keys, journals=()):
    """Lock the taxpayers and the strict sequences of the payments of
    the (company, date, taxpayer) keys, and the journal periods that
    the moves of the (company, date, journal) will create, raising once
    for all: a bulk (a bank statement) that locks first restarts its
    transaction once"""
    pool = Pool()
    Taxpayer = pool.get('muni.taxpayer')
    Sequence = pool.get('ir.sequence.strict')
    FiscalYear = pool.get('account.fiscalyear')
    Period = pool.get('account.period')
    JournalPeriod = pool.get('account.journal.period')
    sequences = set()
    for company, date in {(c, d) for c, d, _ in keys}:
        sequence = config.get_multivalue(
            'payment_sequence', company=company.id)
        if sequence:
            sequences.add(sequence)
        fiscalyear = FiscalYear.find(
            company, date=date, test_state=False)
        if fiscalyear and fiscalyear.move_sequence:
            sequences.add(fiscalyear.move_sequence)
    taxpayers = list({t for _, _, t in keys})
    errors = []
    for Model, records in [
            (Taxpayer, taxpayers),
            (Sequence, list(sequences))]:
        try:
            Model.lock(records)
        except TransactionError as error:
            errors.append(error)
    # account creates a missing journal period under a lock of its table
    # (MoveLine.check_journal_period_modify)
    for company, date, journal in set(journals):
        period = Period.find(company, date=date, test_state=False)
        if period and not JournalPeriod.search([
                    ('journal', '=', journal.id),
                    ('period', '=', period.id),
                    ], limit=1):
            try:
                JournalPeriod.lock()
            except TransactionError as error:
                errors.append(error)
            break
    if errors:
        raise _LocksError(errors)


class Accounts:
    """The configured accounts a bulk of payments posts to, each read once:
    get_multivalue reads the configuration again at each call"""

    def __init__(self):
        self._values = {}
        # the account of each instalment line a bulk allocates, by id: what
        # the plan read with SQL (Instalment), without reading the lines
        self.instalments = {}

    def of_instalment(self, line):
        "The account of the instalment line"
        pool = Pool()
        Account = pool.get('account.account')
        if line.id not in self.instalments:
            return line.account
        key = (Account.__name__, self.instalments[line.id])
        if key not in self._values:
            self._values[key] = Account(self.instalments[line.id])
        return self._values[key]

    def get(self, record, name, company):
        "The value of the multivalue field name of record for company"
        key = (str(record), name, company.id)
        if key not in self._values:
            self._values[key] = record.get_multivalue(
                name, company=company.id)
        return self._values[key]

    def of_revenue_type(self, revenue_type, company):
        "The receivable and revenue accounts of the revenue type"
        key = (str(revenue_type), None, company.id)
        if key not in self._values:
            self._values[key] = revenue_type.get_accounts(company)
        return self._values[key]


def reconcile_settled(payments, allocations):
    """Reconcile the instalments the payments settled (principal and
    interest) with every line that paid them, and the interest receivable of
    each taxpayer whose interest is paid (the allocations of the
    payments)"""
    pool = Pool()
    Line = pool.get('account.move.line')
    Allocation = pool.get('muni.payment.allocation')
    Payment = pool.get('muni.payment')
    interest = defaultdict(set)
    finished = set()
    for allocation in allocations:
        if allocation.interest_line:
            interest[allocation.interest_line.account.id].add(
                allocation.interest_line.party.id)
        # an instalment is settled once its principal and the interest
        # accrued on it are paid
        if not allocation.remaining:
            finished.add(allocation.line.id)
    groups = []
    allocation = Allocation.__table__()
    payment = Payment.__table__()
    line = Line.__table__()
    cursor = Transaction().connection.cursor()
    payers, paid, debits = defaultdict(list), defaultdict(Decimal), {}
    in_ = fields.SQL_OPERATORS['in']
    for sub_ids in grouped_slice(list(finished), backend.MAX_QUERY_PARAMS):
        cursor.execute(*allocation
            .join(payment, condition=allocation.payment == payment.id)
            .join(line, condition=allocation.line == line.id)
            .select(allocation.line, allocation.principal_line,
                allocation.discount_line,
                allocation.principal + allocation.discount,
                line.debit - line.credit,
                where=in_(allocation.line, list(sub_ids))
                & (line.reconciliation == Null)
                # the payments being posted are still in draft
                & ((payment.state == 'posted')
                    | payment.id.in_([p.id for p in payments]))))
        for line_id, principal_line, discount_line, amount, debit \
                in cursor:
            payers[line_id].extend(
                l for l in [principal_line, discount_line] if l)
            paid[line_id] += _decimal(amount)
            debits[line_id] = _decimal(debit)
    for line_id, debit in debits.items():
        if paid[line_id] == debit:
            groups.append([line_id] + payers[line_id])
    # the interest receivable may be the instalments' account
    groups += interest_settled(
        interest, exclude={i for ids in groups for i in ids})
    reconcile_balanced(groups)
    notify_settled(allocations)


def notify_settled(allocations):
    """Tell the assessments the allocations paid whose instalments are now
    all paid (Assessment.on_settled), with the date of the payment that paid
    the last"""
    pool = Pool()
    Assessment = pool.get('muni.assessment')
    Line = pool.get('account.move.line')
    Account = pool.get('account.account')
    AccountType = pool.get('account.account.type')
    dates, parties = {}, set()
    for allocation in allocations:
        if not allocation.remaining:
            assessment = allocation.assessment.id
            date = allocation.payment.date
            dates[assessment] = max(dates.get(assessment, date), date)
            parties.add(allocation.payment.party.id)
    if not dates:
        return
    line = Line.__table__()
    account = Account.__table__()
    type_ = AccountType.__table__()
    cursor = Transaction().connection.cursor()
    in_ = fields.SQL_OPERATORS['in']
    origins = {f'{Assessment.__name__},{i}' for i in dates}
    due = set()
    # the open instalments of the taxpayers (the index of their open
    # lines), of these assessments
    for sub_parties in grouped_slice(
            list(parties), backend.MAX_QUERY_PARAMS // 2):
        cursor.execute(*line
            .join(account, condition=line.account == account.id)
            .join(type_, condition=account.type == type_.id)
            .select(line.origin, distinct=True,
                where=in_(line.party, list(sub_parties))
                & (line.reconciliation == Null)
                & Like(line.origin, f'{Assessment.__name__},%')
                & (line.debit > 0)
                & (type_.receivable == Literal(True))))
        due.update(o for o, in cursor if o in origins)
    settled = [i for i in dates
        if f'{Assessment.__name__},{i}' not in due]
    if settled:
        Assessment.on_settled(Assessment.browse(settled), dates)


def interest_settled(parties, exclude=()):
    """Return the groups of open lines, one per taxpayer, of the interest
    receivable accounts (account id: party ids) whose balance is nil: the
    charges (by the clerk or with a payment) and what paid them; but the
    lines excluded (reconciled otherwise)"""
    pool = Pool()
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    line = Line.__table__()
    move = Move.__table__()
    cursor = Transaction().connection.cursor()
    in_ = fields.SQL_OPERATORS['in']
    lines, balances = defaultdict(list), defaultdict(Decimal)
    for account, party_ids in parties.items():
        for sub_ids in grouped_slice(
                list(party_ids), backend.MAX_QUERY_PARAMS):
            cursor.execute(*line
                .join(move, condition=line.move == move.id)
                .select(line.id, line.party, line.debit - line.credit,
                    where=(line.account == account)
                    & in_(line.party, list(sub_ids))
                    & (line.reconciliation == Null)
                    & (move.state == 'posted')))
            for line_id, party, amount in cursor:
                if line_id in exclude:
                    continue
                lines[account, party].append(line_id)
                balances[account, party] += _decimal(amount)
    return [ids for key, ids in lines.items() if not balances[key]]


def reconcile_balanced(groups):
    """Reconcile each group of move line ids, balanced in the company's
    currency by construction: what account's MoveLine.reconcile (8.0) does
    when no write-off is needed, with the lines' dates read and the
    reconciliations numbered at once; Reconciliation.check_lines checks
    each group (valid lines, one account and party, balanced)"""
    pool = Pool()
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    Reconciliation = pool.get('account.move.reconciliation')
    Configuration = pool.get('account.configuration')
    if not groups:
        return
    line = Line.__table__()
    move = Move.__table__()
    cursor = Transaction().connection.cursor()
    in_ = fields.SQL_OPERATORS['in']
    rows = {}
    for sub_ids in grouped_slice(
            list({i for ids in groups for i in ids}),
            backend.MAX_QUERY_PARAMS):
        cursor.execute(*line
            .join(move, condition=line.move == move.id)
            .select(line.id, move.company, move.date, line.reconciliation,
                where=in_(line.id, list(sub_ids))))
        for line_id, company, date, reconciliation in cursor:
            if reconciliation is not None:
                raise AccessError(gettext(
                        'account.msg_line_already_reconciled',
                        line=Line(line_id).rec_name))
            rows[line_id] = (company, date)
    by_company = defaultdict(list)
    for ids in groups:
        by_company[rows[ids[0]][0]].append(ids)
    config = Configuration(1)
    vlist = []
    for company, company_groups in by_company.items():
        sequence = config.get_multivalue(
            'reconciliation_sequence', company=company)
        numbers = [None] * len(company_groups)
        if sequence:
            with Transaction().set_context(company=company):
                numbers = list(sequence.get_many(len(company_groups)))
        for ids, number in zip(company_groups, numbers):
            vlist.append({
                    'company': company,
                    'number': number,
                    'lines': [('add', ids)],
                    'date': max(rows[i][1] for i in ids),
                    })
    # read in one list: the reconciliation's lines are browsed a group at a
    # time, each read but for the transaction's cache
    for record in Line.browse(list(rows)):
        record.reconciliation
    # Created with their lines, as account creates them, so that every
    # module's hook of a reconciliation sees its lines (account_invoice's
    # processes the invoices it pays): the lines are written in one call
    # (account.MoveLine._validate: a reconciliation changes nothing a check
    # of a line reads). The reconciliations of a bulk of
    # SAMPLED_RECONCILIATIONS or more are validated by sample
    # (account.Reconciliation), account's check_lines checking each.
    if len(vlist) >= SAMPLED_RECONCILIATIONS:
        create_checked(Reconciliation, vlist)
    else:
        Reconciliation.create(vlist)
