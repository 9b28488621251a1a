# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The cash desk: sessions per cashier (open, count, close, hand over to
the bank) and the cash payments taken in them."""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Workflow, fields)
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import CashSessionError
from .locked import LockedAfterDraft


class CashDesk(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'muni.cash.desk'
    __string__ = "Cash Desk"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT')
    name = fields.Char("Name", required=True, translate=True)
    account = fields.Many2One(
        'account.account', "Cash Account", required=True,
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ('closed', '!=', True),
            ],
        help="The account of the cash in the desk.")
    journal = fields.Many2One(
        'account.journal', "Journal", required=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    bank_account = fields.Many2One(
        'account.account', "Bank Account", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ('closed', '!=', True),
            ],
        help="The account the cash is handed over to by default.")

    @staticmethod
    def default_company():
        return Transaction().context.get('company')


class CashSession(LockedAfterDraft, Workflow, ModelSQL, ModelView):
    __name__ = 'muni.cash.session'
    __string__ = "Cash Session"

    _editable_states = {'open'}
    _states = {'readonly': Eval('state') != 'open'}

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        states=_states)
    desk = fields.Many2One(
        'muni.cash.desk', "Desk", required=True, ondelete='RESTRICT',
        states=_states,
        domain=[('company', '=', Eval('company', -1))])
    cashier = fields.Many2One(
        'res.user', "Cashier", required=True, ondelete='RESTRICT',
        states=_states)
    date = fields.Date("Date", required=True, states=_states)
    opened_at = fields.DateTime("Opened At", readonly=True)
    closed_at = fields.DateTime("Closed At", readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    opening_float = Monetary(
        "Opening Float", currency='currency', digits='currency',
        required=True, states=_states,
        help="The cash in the drawer when the session opens.")
    payments = fields.One2Many(
        'muni.payment', 'session', "Payments", readonly=True)
    expected = fields.Function(Monetary(
            "Expected", currency='currency', digits='currency',
            help="The opening float and the cash payments posted in the "
            "session; cancelled payments are given back."),
        'get_amounts')
    counted = Monetary(
        "Counted", currency='currency', digits='currency',
        states={
            'readonly': Eval('state') != 'open',
            'required': Eval('state') != 'open',
            },
        help="The cash counted in the drawer at the close.")
    difference = fields.Function(Monetary(
            "Difference", currency='currency', digits='currency',
            help="Counted less expected."),
        'get_amounts')
    difference_reason = fields.Text(
        "Reason of the Difference", states=_states)
    bank_account = fields.Many2One(
        'account.account', "Bank Account", ondelete='RESTRICT',
        states={
            'readonly': Eval('state') == 'deposited',
            'required': Eval('state') == 'deposited',
            },
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ('closed', '!=', True),
            ],
        help="The account the counted cash is handed over to.")
    deposit_move = fields.Many2One(
        'account.move', "Hand-over Move", readonly=True,
        ondelete='RESTRICT')
    state = fields.Selection([
            ('open', "Open"),
            ('closed', "Closed"),
            ('deposited', "Handed Over"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.cashier, Index.Equality()), (t.desk, Index.Equality()),
                where=t.state == 'open'))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'closed'),
            ('closed', 'deposited'),
            }
        cls._buttons.update({
                'close': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'deposit': {
                    'invisible': Eval('state') != 'closed',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_cashier():
        return Transaction().user

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @staticmethod
    def default_opening_float():
        return Decimal(0)

    @staticmethod
    def default_state():
        return 'open'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('desk', 'bank_account')
    def on_change_desk(self):
        if self.desk and not self.bank_account:
            self.bank_account = self.desk.bank_account

    def get_rec_name(self, name):
        lang = Pool().get('ir.lang').get()
        return '%s / %s / %s' % (
            self.desk.rec_name, self.cashier.rec_name,
            lang.strftime(self.date))

    @classmethod
    def search_rec_name(cls, name, clause):
        from muni_base.settlement import fields_clause
        return fields_clause(clause, 'desk.rec_name', 'cashier.rec_name')

    @classmethod
    def get_amounts(cls, sessions, names):
        result = {n: {} for n in names}
        for session in sessions:
            expected = session.opening_float + sum(
                (p.amount for p in session.payments if p.state == 'posted'),
                Decimal(0))
            if 'expected' in names:
                result['expected'][session.id] = expected
            if 'difference' in names:
                result['difference'][session.id] = (
                    session.counted - expected
                    if session.counted is not None else None)
        return result

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Desk = pool.get('muni.cash.desk')
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values.setdefault('opened_at', dt.datetime.now())
            if values.get('desk') and not values.get('bank_account'):
                bank_account = Desk(values['desk']).bank_account
                if bank_account:
                    values['bank_account'] = bank_account.id
        return values

    @classmethod
    def validate_fields(cls, sessions, field_names):
        super().validate_fields(sessions, field_names)
        if field_names & {'state', 'desk', 'cashier'}:
            cls.check_open_unique(sessions)
        if field_names & {'opening_float', 'counted'}:
            cls.check_amounts(sessions)

    @classmethod
    def check_open_unique(cls, sessions):
        "One open session per cashier and desk"
        for session in sessions:
            if session.state != 'open':
                continue
            others = cls.search([
                    ('id', '!=', session.id),
                    ('desk', '=', session.desk.id),
                    ('cashier', '=', session.cashier.id),
                    ('state', '=', 'open'),
                    ], limit=1)
            if others:
                other, = others
                raise CashSessionError(gettext(
                        'muni_finance.msg_cash_session_open_unique',
                        cashier=session.cashier.rec_name,
                        desk=session.desk.rec_name,
                        session=other.rec_name))

    @classmethod
    def check_amounts(cls, sessions):
        for session in sessions:
            for name in ['opening_float', 'counted']:
                value = getattr(session, name)
                if value is not None and value < 0:
                    raise CashSessionError(gettext(
                            'muni_finance.msg_cash_session_negative',
                            session=session.rec_name,
                            field=cls.__names__(name)['field']))

    @classmethod
    def _locked_fields(cls, session, names):
        locked = super()._locked_fields(session, names)
        if session.state == 'closed':
            # the account the counted cash goes to is chosen after the
            # count, by whoever hands it over
            locked.discard('bank_account')
        return locked

    @classmethod
    def check_modification(
            cls, mode, sessions, values=None, external=False):
        super().check_modification(
            mode, sessions, values=values, external=external)
        if mode == 'delete':
            for session in sessions:
                if session.state != 'open' or session.payments:
                    raise CashSessionError(gettext(
                            'muni_finance.msg_cash_session_delete',
                            session=session.rec_name))

    @classmethod
    def copy(cls, sessions, default=None):
        default = default.copy() if default is not None else {}
        for name in ['payments', 'counted', 'difference_reason',
                'deposit_move', 'opened_at', 'closed_at']:
            default.setdefault(name)
        return super().copy(sessions, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, sessions):
        """Close the sessions with the cash counted; a difference needs
        its reason"""
        lang = Pool().get('ir.lang').get()
        for session in sessions:
            if session.counted is None:
                raise CashSessionError(gettext(
                        'muni_finance.msg_cash_session_counted_required',
                        session=session.rec_name))
            drafts = [p for p in session.payments if p.state == 'draft']
            if drafts:
                raise CashSessionError(gettext(
                        'muni_finance.msg_cash_session_draft_payments',
                        session=session.rec_name,
                        payments=', '.join(
                            p.taxpayer.rec_name for p in drafts[:5])))
            if session.difference and not (
                    session.difference_reason or '').strip():
                raise CashSessionError(gettext(
                        'muni_finance.msg_cash_session_difference_reason',
                        session=session.rec_name,
                        difference=lang.currency(
                            session.difference, session.currency),
                        expected=lang.currency(
                            session.expected, session.currency)))
        cls.write(sessions, {'closed_at': dt.datetime.now()})

    @classmethod
    @ModelView.button
    @Workflow.transition('deposited')
    def deposit(cls, sessions):
        "Hand the counted cash over to the bank by a posted move"
        pool = Pool()
        Move = pool.get('account.move')
        moves = []
        for session in sessions:
            if not session.bank_account:
                raise CashSessionError(gettext(
                        'muni_finance.msg_cash_session_no_bank_account',
                        session=session.rec_name))
            if session.counted:
                session.deposit_move = session.get_deposit_move()
                moves.append(session.deposit_move)
        Move.save(moves)
        cls.save(sessions)
        Move.post(moves)

    def get_deposit_move(self):
        pool = Pool()
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Period = pool.get('account.period')
        Date = pool.get('ir.date')
        with Transaction().set_context(company=self.company.id):
            today = Date.today()
        description = gettext(
            'muni_finance.msg_cash_session_deposit_description',
            session=self.rec_name)
        return Move(
            company=self.company, journal=self.desk.journal,
            period=Period.find(self.company, date=today), date=today,
            origin=self, description=description,
            lines=[
                Line(account=self.bank_account, debit=self.counted,
                    credit=Decimal(0), description=description),
                Line(account=self.desk.account, debit=Decimal(0),
                    credit=self.counted, description=description),
                ])


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['muni.cash.session']
