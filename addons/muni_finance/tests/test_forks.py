# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The methods of Tryton's modules that muni_finance does again its own way,
for speed or because Tryton's works on whole moves: a small case through
Tryton's method and through ours gives the same moves and reconciliations"""
import datetime as dt
import unittest
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

from .test_module import setup_bank, setup_municipality, setup_suspense

DATE = dt.date(2026, 3, 16)


def line_values(line, origins=None):
    "What a move line holds, its origin by the position given in origins"
    origin = line.origin
    if origins is not None and origin is not None:
        origin = origins.get(origin, origin)
    return (line.account.id, line.party.id if line.party else None,
        line.debit, line.credit, line.second_currency,
        line.amount_second_currency, line.maturity_date, origin,
        line.state)


class UpstreamForkTestCase(unittest.TestCase):
    "muni_finance's forks of Tryton's methods give what Tryton's give"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        # the module set of MuniFinanceTestCase: the database cache serves
        # both
        activate_module(['muni_finance'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_receive_as_account_statement(self):
        """The receipts of a file posted by Statement.receive: the moves of
        account_statement's validate_statement and post"""
        pool = Pool()
        Statement = pool.get('account.statement')
        Origin = pool.get('account.statement.origin')
        Line = pool.get('account.statement.line')
        company, fee, _ = setup_municipality()
        with set_company(company):
            bank, journal, statement_journal = setup_bank(company)
            suspense = setup_suspense(bank)
            amounts = [Decimal('12.50'), Decimal('7.01'), Decimal('-3.20'),
                Decimal('100')]

            def statement(name):
                statement, = Statement.create([{
                            'name': name, 'journal': statement_journal.id,
                            'date': DATE, 'start_balance': Decimal(0),
                            'end_balance': sum(amounts),
                            }])
                Origin.create([{
                            'statement': statement.id,
                            'date': DATE + dt.timedelta(days=i // 2),
                            'amount': amount, 'number': str(i),
                            'description': "no taxpayer named",
                            } for i, amount in enumerate(amounts)])
                return statement
            ours, theirs = statement("Ours"), statement("Theirs")
            Statement.receive([ours])
            # the same receipts, validated and posted by account_statement
            Line.create([{
                        'statement': theirs.id, 'origin': o.id,
                        'number': o.number, 'date': o.date,
                        'amount': o.amount, 'description': o.description,
                        'account': suspense.id, 'receipt_state': 'unknown',
                        } for o in theirs.origins])
            Statement.validate_statement([theirs])
            Statement.post([theirs])

            def moves(statement):
                statement = Statement(statement.id)
                self.assertEqual(statement.state, 'posted')
                positions = {l: int(l.origin.number)
                    for l in statement.lines}
                result = []
                for move in sorted({l.move for l in statement.lines},
                        key=lambda m: m.date):
                    result.append((move.date, move.journal.id, move.state,
                            move.origin == statement,
                            sorted((line_values(l, positions)
                                    for l in move.lines), key=str)))
                return result
            self.assertEqual(len(moves(ours)), 2)
            self.assertEqual(moves(ours), moves(theirs))

    @with_transaction()
    def test_reconcile_balanced_as_line_reconcile(self):
        """Lines reconciled by reconcile_balanced: the reconciliations of
        account's MoveLine.reconcile"""
        pool = Pool()
        Journal = pool.get('account.journal')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Period = pool.get('account.period')
        Party = pool.get('party.party')
        from muni_finance.payment_posting import reconcile_balanced
        company, fee, _ = setup_municipality()
        party, = Party.create([{'name': "Payer"}])
        with set_company(company):
            journal, = Journal.search([('code', '=', 'REV')])

            def post(amounts):
                move, = Move.create([{
                            'journal': journal.id, 'date': DATE + dt.timedelta(
                                days=len(amounts)),
                            'period': Period.find(company, date=DATE).id,
                            'lines': [('create', [{
                                            'account': (
                                                fee.receivable_account.id),
                                            'party': party.id,
                                            'debit': debit, 'credit': credit,
                                            } for debit, credit in amounts])],
                            }])
                Move.post([move])
                return sorted(move.lines, key=lambda l: l.id)
            amounts = [(Decimal(5), 0), (0, Decimal(5)), (Decimal(3), 0),
                (0, Decimal(2)), (0, Decimal(1))]
            ours = post(amounts)
            theirs = post(amounts)

            def groups(lines):
                a, b, c, d, e = lines
                return [[a, b], [c, d, e]]
            reconcile_balanced([[l.id for l in g] for g in groups(ours)])
            Line.reconcile(*groups(theirs))

            def reconciliations(lines):
                result = []
                for group in groups(Line.browse(lines)):
                    reconciliation, = {l.reconciliation for l in group}
                    self.assertTrue(reconciliation.number)
                    positions = {l: i for i, l in enumerate(lines)}
                    result.append((reconciliation.company,
                            reconciliation.date,
                            reconciliation.delegate_to,
                            sorted(positions[l]
                                for l in reconciliation.lines),
                            [l.state for l in group]))
                return result
            self.assertEqual(
                reconciliations(ours), reconciliations(theirs))

    @with_transaction()
    def test_cancel_shared_as_move_cancel(self):
        """The lines of a payment in a shared move reversed by
        Payment.cancel_shared: the reversal of account's Move.cancel"""
        pool = Pool()
        Journal = pool.get('account.journal')
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        Party = pool.get('party.party')
        Payment = pool.get('muni.payment')
        Taxpayer = pool.get('muni.taxpayer')
        company, fee, _ = setup_municipality()
        party, = Party.create([{'name': "Payer"}])
        with set_company(company):
            cash, _, _ = setup_bank(company)
            journal, = Journal.search([('code', '=', 'CASH')])
            taxpayer = Taxpayer.get_or_create(company, [party])[party.id]
            period = Period.find(company, date=DATE)

            def post():
                move, = Move.create([{
                            'journal': journal.id, 'date': DATE,
                            'period': period.id,
                            'lines': [('create', [{
                                            'account': cash.id,
                                            'debit': Decimal('20.00'),
                                            }, {
                                            'account': (
                                                fee.receivable_account.id),
                                            'party': party.id,
                                            'maturity_date': DATE,
                                            'credit': Decimal('12.01'),
                                            }, {
                                            'account': fee.revenue_account.id,
                                            'credit': Decimal('7.99'),
                                            }])],
                            }])
                Move.post([move])
                return move
            shared, own = post(), post()
            payment, = Payment.create([{
                        'company': company.id, 'taxpayer': taxpayer.id,
                        'date': DATE, 'amount': Decimal('20.00'),
                        'account': cash.id, 'journal': journal.id,
                        'move': shared.id,
                        }])
            default = {'date': DATE, 'period': period.id,
                'description': "Cancelled"}
            ours, reversed_ = payment.cancel_shared(
                list(shared.lines), default)
            theirs = own.cancel(default=default, reversal=True)
            Move.post([ours, theirs])

            def lines(move, reversed_move):
                positions = {l: i for i, l in enumerate(
                        sorted(reversed_move.lines, key=lambda l: l.id))}
                return sorted(
                    (line_values(l, positions) for l in move.lines), key=str)
            self.assertEqual(len(reversed_), 3)
            self.assertEqual(lines(ours, shared), lines(theirs, own))
            for move in [ours, theirs]:
                self.assertEqual(
                    (move.date, move.period, move.journal, move.state,
                        move.description),
                    (DATE, period, journal, 'posted', "Cancelled"))

    @with_transaction()
    def test_move_fields_as_account(self):
        """The journal, period and company of lines read at once: account's
        get_move_field, line by line"""
        pool = Pool()
        Journal = pool.get('account.journal')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Period = pool.get('account.period')
        company, fee, _ = setup_municipality()
        with set_company(company):
            moves = []
            for code, date in [('REV', DATE), ('CASH', dt.date(2026, 7, 1))]:
                journal, = Journal.search([('code', '=', code)])
                moves.extend(Move.create([{
                                'journal': journal.id, 'date': date,
                                'period': Period.find(company, date=date).id,
                                'lines': [('create', [{
                                                'account': (
                                                    fee.revenue_account.id),
                                                'debit': Decimal(1),
                                                }, {
                                                'account': (
                                                    fee.revenue_account.id),
                                                'credit': Decimal(1),
                                                }])],
                                }]))
            lines = Line.browse([l.id for m in moves for l in m.lines])
            names = ['journal', 'period', 'company']
            ours = Line.get_move_fields(lines, names)
            theirs = {name: {l.id: int(l.get_move_field(name))
                    for l in lines} for name in names}
            self.assertEqual(ours, theirs)
            self.assertEqual(len(set(ours['period'].values())), 2)

    @with_transaction()
    def test_line_checks_with_moves_cached(self):
        """account's checks of the lines created, their moves put in the
        cache at once (MoveLine._cache_moves): a line of a posted move is
        refused, whatever the call"""
        pool = Pool()
        Journal = pool.get('account.journal')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Period = pool.get('account.period')
        from muni_finance.sampling import create_checked
        company, fee, _ = setup_municipality()
        with set_company(company):
            journal, = Journal.search([('code', '=', 'REV')])
            period = Period.find(company, date=DATE)
            draft, posted = Move.create([{
                        'journal': journal.id, 'date': DATE,
                        'period': period.id,
                        } for _ in range(2)])
            lines = [{'move': m.id, 'account': fee.revenue_account.id,
                    'debit': Decimal(1)} for m in [draft, posted]]
            Line.create([dict(lines[1], debit=0, credit=Decimal(1))]
                + [lines[1]])
            Move.post([posted])
            for create in [Line.create, lambda v: create_checked(Line, v)]:
                with self.assertRaisesRegex(UserError, "posted"):
                    create([lines[0], lines[1]])
            # a line of a draft move is created, whatever the call
            self.assertEqual(len(Line.create([lines[0]])), 1)
            self.assertEqual(len(create_checked(Line, [lines[0]])), 1)

    @with_transaction()
    def test_validate_move_as_account(self):
        """The lines' states after Move.validate_move: account's, the moves
        whose lines are right already left as they are"""
        pool = Pool()
        Journal = pool.get('account.journal')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Period = pool.get('account.period')
        company, fee, _ = setup_municipality()
        with set_company(company):
            journal, = Journal.search([('code', '=', 'REV')])
            period = Period.find(company, date=DATE)

            def move(debit, credit):
                move, = Move.create([{
                            'journal': journal.id, 'date': DATE,
                            'period': period.id,
                            'lines': [('create', [{
                                            'account': fee.revenue_account.id,
                                            'debit': debit,
                                            }, {
                                            'account': fee.revenue_account.id,
                                            'credit': credit,
                                            }])],
                            }])
                return move
            balanced, unbalanced, wrong = (
                move(Decimal(5), Decimal(5)), move(Decimal(5), Decimal(3)),
                move(Decimal(2), Decimal(2)))
            # a balanced move whose lines were left in draft
            line = Line.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*line.update([line.state], ['draft'],
                    where=line.move == wrong.id))
            moves = [balanced, unbalanced, wrong]
            self.assertEqual(Move._moves_to_validate(moves), [wrong])
            Move.validate_move(moves)
            self.assertEqual(
                [sorted(l.state for l in Move(m.id).lines) for m in moves],
                [['valid', 'valid'], ['draft', 'draft'],
                    ['valid', 'valid']])
