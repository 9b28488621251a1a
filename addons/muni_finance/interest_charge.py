# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Interest charged when the clerk asks: the statutory interest accrued on
a taxpayer's open instalments to a date, posted as a receivable of the
taxpayer and as revenue by revenue type (before a statement to the
taxpayer, an enforcement or the year's closing). A payment pays what was
charged first and charges only the interest accrued since
(Payment.get_interest_lines)."""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import InterestError
from .locked import LockedAfterDraft


class InterestCharge(LockedAfterDraft, Workflow, ModelSQL, ModelView):
    __name__ = 'muni.interest.charge'
    __string__ = "Interest Charge"

    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        states=_states)
    taxpayer = fields.Many2One(
        'muni.taxpayer', "Taxpayer", required=True, ondelete='RESTRICT',
        states=_states,
        domain=[('company', '=', Eval('company', -1))])
    party = fields.Many2One(
        'party.party', "Party", readonly=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    date = fields.Date(
        "Date", required=True, states=_states,
        help="The interest is charged to this day, included.")
    journal = fields.Many2One(
        'account.journal', "Journal", required=True, ondelete='RESTRICT',
        states=_states,
        context={'company': Eval('company', -1)}, depends={'company'})
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    lines = fields.One2Many(
        'muni.interest.charge.line', 'charge', "Lines", readonly=True)
    amount = fields.Function(Monetary(
            "Amount", currency='currency', digits='currency'),
        'get_amount')
    move = fields.Many2One(
        'account.move', "Move", readonly=True, ondelete='RESTRICT')
    state = fields.Selection([
            ('draft', "Draft"),
            ('posted', "Posted"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.party, Index.Range()), (t.date, Index.Range())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'posted')}
        cls._buttons.update({
                'compute': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'post': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_journal(cls):
        pool = Pool()
        Payment = pool.get('muni.payment')
        return Payment.default_journal()

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('taxpayer')
    def on_change_taxpayer(self):
        self.party = self.taxpayer.party if self.taxpayer else None

    def get_rec_name(self, name):
        pool = Pool()
        lang = pool.get('ir.lang').get()
        return gettext('muni_finance.msg_interest_charge_rec_name',
            taxpayer=self.taxpayer.label, date=lang.strftime(self.date))

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('taxpayer.rec_name',) + tuple(clause[1:])]

    @classmethod
    def get_amount(cls, charges, name):
        return {c.id: sum((l.amount for l in c.lines), Decimal(0))
            for c in charges}

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Taxpayer = pool.get('muni.taxpayer')
        values = super().preprocess_values(mode, values)
        if values.get('taxpayer'):
            values['party'] = Taxpayer(values['taxpayer']).party.id
        return values

    @classmethod
    def validate_fields(cls, charges, field_names):
        super().validate_fields(charges, field_names)
        if field_names & {'date', 'company'}:
            cls.check_date(charges)

    @classmethod
    def check_date(cls, charges):
        "Interest is charged only for days that have passed"
        pool = Pool()
        Date = pool.get('ir.date')
        lang = pool.get('ir.lang').get()
        for charge in charges:
            with Transaction().set_context(company=charge.company.id):
                today = Date.today()
            if charge.date > today:
                raise InterestError(gettext(
                        'muni_finance.msg_interest_charge_future',
                        date=lang.strftime(charge.date)))

    @classmethod
    def check_modification(
            cls, mode, charges, values=None, external=False):
        super().check_modification(
            mode, charges, values=values, external=external)
        if mode == 'delete':
            for charge in charges:
                if charge.state != 'draft':
                    raise InterestError(gettext(
                            'muni_finance.msg_interest_charge_delete_posted',
                            charge=charge.rec_name))

    @classmethod
    def copy(cls, charges, default=None):
        default = default.copy() if default is not None else {}
        for name in ['lines', 'move']:
            default.setdefault(name)
        return super().copy(charges, default=default)

    @classmethod
    @ModelView.button
    def compute(cls, charges):
        """Compute, posting nothing, the interest accrued to the date on each
        open instalment that no payment paid and no charge posted"""
        pool = Pool()
        Line = pool.get('muni.interest.charge.line')
        Line.delete([l for c in charges for l in c.lines])
        lines = []
        reads = cls._read_open(charges)
        # a taxpayer's second charge of the bulk charges what the first did
        # not
        pending = defaultdict(Decimal)
        for charge in charges:
            lines.extend(charge._compute_lines(
                    reads[charge.company], pending))
        Line.save(lines)

    @classmethod
    def _read_open(cls, charges):
        """Return by company what Payment.read_open reads for the taxpayers
        of the charges, at once"""
        pool = Pool()
        Payment = pool.get('muni.payment')
        parties = defaultdict(set)
        for charge in charges:
            parties[charge.company].add(charge.party)
        return {company: Payment.read_open(company, list(company_parties))
            for company, company_parties in parties.items()}

    def _compute_lines(self, read, pending):
        pool = Pool()
        Payment = pool.get('muni.payment')
        Line = pool.get('muni.interest.charge.line')
        lines = []
        for item in Payment.open_items(
                self.company, self.party, self.date, read=read):
            amount = item.interest - item.charged - pending[item.line]
            if amount > 0:
                pending[item.line] += amount
                lines.append(Line(
                        charge=self, line=item.line,
                        assessment=item.assessment,
                        revenue_type=item.revenue_type, year=item.year,
                        instalment=item.instalment, due_date=item.due_date,
                        amount=amount,
                        trace=Payment.explain_interest(
                            self.company, item.interest_trace)))
        return lines

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, charges):
        """Post the interest accrued to the date: a receivable of the
        taxpayer for each instalment, the revenue by revenue type"""
        pool = Pool()
        Payment = pool.get('muni.payment')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Line = pool.get('muni.interest.charge.line')
        Configuration = pool.get('muni.finance.configuration')
        config = Configuration(1)
        # read what was paid and charged after the other payments and
        # charges of the taxpayer: the payments' lock
        Payment.lock_for(config,
            [(c.company, c.date, c.taxpayer) for c in charges],
            [(c.company, c.date, c.journal) for c in charges])
        # computed again: a payment may have paid interest since
        Line.delete([l for c in charges for l in c.lines])
        lines, move_lines = [], []
        reads = cls._read_open(charges)
        pending = defaultdict(Decimal)
        for charge in charges:
            charge_lines = charge._compute_lines(
                reads[charge.company], pending)
            if not charge_lines:
                raise InterestError(gettext(
                        'muni_finance.msg_interest_charge_nothing',
                        charge=charge.rec_name))
            charge.move, charge_move_lines = charge._get_move(
                config, charge_lines)
            lines.extend(charge_lines)
            move_lines.extend(charge_move_lines)
        Move.save([c.move for c in charges])
        # the lines are saved on their own so that each charge line keeps
        # the very record of its receivable
        for line in move_lines:
            line.move = line.origin.move
        MoveLine.save(move_lines)
        Line.save(lines)
        cls.save(charges)
        Move.post([c.move for c in charges])

    def _get_move(self, config, lines):
        """Return the move, unsaved, of the charge and its lines: a
        receivable line for each of its lines, a revenue line by revenue
        type"""
        pool = Pool()
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Period = pool.get('account.period')
        lang = pool.get('ir.lang').get()
        company = self.company
        receivable = config.get_multivalue(
            'interest_receivable_account', company=company.id)
        description = gettext('muni_finance.msg_payment_interest_charge',
            date=lang.strftime(self.date))
        move_lines = []
        by_type = defaultdict(Decimal)
        for line in lines:
            line.move_line = MoveLine(
                account=receivable, party=self.party, debit=line.amount,
                credit=Decimal(0), maturity_date=self.date, origin=self,
                description=line.get_description(None))
            move_lines.append(line.move_line)
            by_type[line.revenue_type] += line.amount
        for revenue_type, amount in by_type.items():
            revenue = revenue_type.get_multivalue(
                'interest_account', company=company.id)
            if not receivable or not revenue:
                raise InterestError(gettext(
                        'muni_finance.msg_payment_no_interest_account',
                        revenue_type=revenue_type.rec_name,
                        company=company.rec_name))
            move_lines.append(MoveLine(
                    account=revenue, debit=Decimal(0), credit=amount,
                    budget_code=revenue_type.budget_code, origin=self,
                    description=description))
        move = Move(
            company=company, journal=self.journal,
            period=Period.find(company, date=self.date), date=self.date,
            origin=self,
            description=gettext('muni_finance.msg_interest_charge_move',
                taxpayer=self.taxpayer.label,
                date=lang.strftime(self.date)))
        return move, move_lines


class InterestChargeLine(LockedAfterDraft, ModelSQL, ModelView):
    __name__ = 'muni.interest.charge.line'
    _locked_parent = 'charge'
    __string__ = "Interest Charge Line"

    charge = fields.Many2One(
        'muni.interest.charge', "Charge", required=True, ondelete='CASCADE')
    line = fields.Many2One(
        'account.move.line', "Instalment", required=True,
        ondelete='RESTRICT')
    assessment = fields.Many2One(
        'muni.assessment', "Assessment", required=True, ondelete='RESTRICT')
    revenue_type = fields.Many2One(
        'muni.revenue.type', "Revenue Type", required=True,
        ondelete='RESTRICT')
    year = fields.Integer("Year", required=True)
    instalment = fields.Integer("Instalment")
    due_date = fields.Date("Due Date")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True)
    trace = fields.Text("Interest Computation", readonly=True)
    move_line = fields.Many2One(
        'account.move.line', "Move Line", readonly=True,
        ondelete='RESTRICT')
    description = fields.Function(
        fields.Char("Description"), 'get_description')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('charge')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.line, Index.Range())))
        cls._order = [('charge', 'DESC'), ('due_date', 'ASC'), ('id', 'ASC')]

    def get_currency(self, name):
        return self.charge.company.currency.id

    def get_description(self, name):
        pool = Pool()
        lang = pool.get('ir.lang').get()
        return gettext('muni_finance.msg_interest_charge_line',
            year=self.year, revenue_type=self.revenue_type.name,
            instalment=self.instalment or 1,
            amount=lang.format('%.2f', self.amount))
