# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from itertools import groupby

from sql import Null
from sql.aggregate import Max, Min, Sum
from sql.functions import Abs, Round

from trytond import backend
from trytond.model import Index, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from muni_base.export import FormulaSafeExport

from .sampling import FREE_TEXT, ValidatedBySample, digits_regular, stored


def _sign(amount):
    return (amount > 0) - (amount < 0)


class Move(FormulaSafeExport, metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'muni.assessment', 'muni.payment', 'muni.interest.charge']

    @classmethod
    def validate_move(cls, moves):
        """Set the state of the lines of the moves by their balance, as
        account's Move.validate_move (8.0) does, for the moves whose lines
        do not all hold the state their balance gives already: account
        rewrites every line of every move, which reconciling a few lines of
        a levy's move (thousands of lines) would cost at each payment"""
        super().validate_move(cls._moves_to_validate(moves))

    @classmethod
    def _moves_to_validate(cls, moves):
        "The moves whose lines' state is not the one their balance gives"
        pool = Pool()
        Line = pool.get('account.move.line')
        Currency = pool.get('currency.currency')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        cast = Currency.rounding.sql_cast
        result = []
        for company, company_moves in groupby(
                sorted(moves, key=lambda m: m.company.id),
                key=lambda m: m.company):
            currency = company.currency
            by_id = {m.id: m for m in company_moves}
            for sub_ids in grouped_slice(
                    list(by_id), backend.MAX_QUERY_PARAMS):
                cursor.execute(*line.select(
                        line.move,
                        Abs(Round(Sum(line.debit - line.credit),
                                currency.digits))
                        < cast(abs(currency.rounding)),
                        Min(line.state), Max(line.state),
                        where=fields.SQL_OPERATORS['in'](
                            line.move, list(sub_ids)),
                        group_by=line.move))
                for move_id, balanced, first, last in cursor:
                    state = 'valid' if balanced else 'draft'
                    if (first, last) != (state, state):
                        result.append(by_id[move_id])
        return result


class MoveLine(FormulaSafeExport, ValidatedBySample, metaclass=PoolMeta):
    """Move lines; those the levy (Assessment.create_with_moves), a payment
    (Payment.post) and a bank file's receipts (Statement.create_move)
    build are validated by sample"""
    __name__ = 'account.move.line'

    budget_code = fields.Many2One(
        'muni.budget.code', "Budget Code", ondelete='RESTRICT',
        states={
            'readonly': Eval('move_state') == 'posted',
            },
        help="The budget classification the amount is reported under.")

    # validate_by_sample: the values the generic checks read, and account's
    # check_account (the account, whether there is a party)
    _sample_key = (
        'move', 'account', 'second_currency', 'amount_second_currency',
        'state')
    _sample_exempt = {
        'debit': "its sign is in the key, which is what the domains of the "
        "credit and of the second currency's amount compare; its digits "
        "are checked on each line",
        'credit': "its sign is in the key, which is what the domains of "
        "the debit and of the second currency's amount compare; its digits "
        "are checked on each line",
        'party': "only whether it is set is in the key: check_account and "
        "its required state read no more of it (the account, in the key, "
        "says whether a party is required)",
        'maturity_date': "only whether it is set is in the key; it has "
        "only a state of visibility",
        'origin': "only the model of the origin is in the key (the "
        "selection of the field); the record is the bulk path's own",
        'description': FREE_TEXT,
        'budget_code': "no domain and not required: only a read-only "
        "state, from the state of the move (in the key)",
        'tax_lines': "a line of a bulk has none: the domains of the debit "
        "and credit depend on them only for the client",
        'company': "the move's, which is in the key",
        'date': "the move's, which is in the key",
        'journal': "the move's, which is in the key",
        'period': "the move's, which is in the key",
        'currency': "the company's of the move, which is in the key",
        'has_maturity_date': "the account's type's, which is in the key",
        'party_required': "the account's, which is in the key",
        'second_currency_required': "the account's, which is in the key",
        'payment_amount_cache': "account_payment's cache of what is left "
        "to pay, empty when a line is created",
        'payment_currency': "account_payment's, of the line's currencies",
        'payment_direct_debit': "a flag of account_payment with only a "
        "state of visibility",
        'payments': "account_payment's payments of the line: a new line "
        "has none",
        }

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # the open items of a taxpayer, whatever the account (Payment)
        cls._sql_indexes.add(Index(t, (t.party, Index.Range()),
                where=(t.reconciliation == Null) & (t.party != Null)))
        for name in ['journal', 'period', 'company']:
            getattr(cls, name).getter = 'get_move_fields'

    @classmethod
    def get_move_fields(cls, lines, names):
        """Return by line the journal, period or company of its move, as
        account's get_move_field (8.0) does, for all the lines at once:
        account reads them line by line, and its checks of the lines created
        or written read them for each line"""
        pool = Pool()
        Move = pool.get('account.move')
        move_of = {r['id']: r['move']
            for r in stored(cls, [l.id for l in lines], ['move'])}
        moves = {r['id']: r for r in stored(
                Move, list(set(move_of.values()) - {None}), names)}
        return {name: {
                l.id: (moves[move_of[l.id]][name] if move_of.get(l.id)
                    else None)
                for l in lines}
            for name in names}

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'muni.assessment', 'muni.payment', 'muni.interest.charge']

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each line the values the generic checks depend on,
        but its party, maturity date, amounts and origin record, or None
        when its amounts do not fit the currency"""
        pool = Pool()
        Move = pool.get('account.move')
        names = list(cls._sample_key)
        rows = stored(cls, ids, names + [
                'party', 'maturity_date', 'debit', 'credit', 'origin'])
        digits = {m.id: m.company.currency.digits
            for m in Move.browse(list({r['move'] for r in rows}))}
        keys = {}
        for row in rows:
            move_digits = digits[row['move']]
            origin = row['origin'].split(',') if row['origin'] else None
            if (digits_regular(row['debit'], move_digits)
                    and digits_regular(row['credit'], move_digits)
                    and (not origin or int(origin[1]) >= 0)):
                keys[row['id']] = tuple(row[n] for n in names) + (
                    row['party'] is None, row['maturity_date'] is None,
                    _sign(row['debit']), _sign(row['credit']),
                    origin[0] if origin else None)
            else:
                keys[row['id']] = None
        return keys

    @classmethod
    def on_modification(cls, mode, lines, field_names=None):
        if mode in {'create', 'write'}:
            cls._cache_moves(lines)
        super().on_modification(mode, lines, field_names=field_names)

    @classmethod
    def _cache_moves(cls, lines):
        """Put in the records' cache what account's checks of every line
        created or written read of it: its move, with its journal and
        period, read at once. Through trytond, each line reads them again,
        with every other field of the line (a levy's thousands of lines a
        batch)"""
        pool = Pool()
        Move = pool.get('account.move')
        if not lines:
            return
        move_of = {r['id']: r['move']
            for r in stored(cls, [l.id for l in lines], ['move'])}
        moves = {m.id: m for m in Move.browse(
                list(set(move_of.values()) - {None}))}
        for line in lines:
            move = moves.get(move_of.get(line.id))
            if move is None:
                continue
            # emptied, as trytond does before reading it, if something was
            # written since it was filled
            line._local_cache.refresh()
            cache = line._local_cache[line.id]
            cache['move'] = move
            cache['journal'] = move.journal
            cache['period'] = move.period

    @classmethod
    def _validate(cls, lines, field_names=None):
        if field_names == {'reconciliation'}:
            # Only the reconciliation is written (a line reconciled, or no
            # longer): trytond would check again every field that depends
            # on a Function field, though no check of a line reads its
            # reconciliation (a test says so) and nothing else changed; what
            # a reconciliation must hold (valid lines, one account and
            # party, balanced) is account's Reconciliation.check_lines
            cls.validate(lines)
            cls.validate_fields(lines, field_names)
        else:
            super()._validate(lines, field_names=field_names)


class Reconciliation(ValidatedBySample, metaclass=PoolMeta):
    """The reconciliations of what payments settled, validated by sample:
    payment_posting.reconcile_balanced gives each the company of the moves of
    its lines, a date and a number of the company's sequence; the generic
    checks (its lines' domain on the company of their move, the required
    fields) are those of one sample per key, account's check of the lines
    (valid, one account and party, balanced) runs on each (validate)"""
    __name__ = 'account.move.reconciliation'

    _sample_key = ('company',)
    _sample_exempt = {
        'number': "only whether it is set is in the key (required): each "
        "is the next of the company's sequence; " + FREE_TEXT,
        'date': "only whether it is set is in the key (required)",
        'delegate_to': "only whether it is set is in the key: a bulk "
        "delegates nothing",
        'lines': "account checks the lines of each reconciliation "
        "(check_lines): one account, whose company is the company of its "
        "lines' moves, which reconcile_balanced gives the reconciliation",
        }

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each reconciliation the values the generic checks
        depend on, but its lines (their company is the reconciliation's by
        construction), date and number (of the same sequence)"""
        rows = stored(cls, ids, ['company', 'delegate_to', 'number', 'date'])
        return {r['id']: (r['company'], r['delegate_to'] is None,
                r['number'] is None, r['date'] is None)
            for r in rows}
