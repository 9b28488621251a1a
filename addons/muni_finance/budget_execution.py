# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The year's revenue plan per budget code and its cash-basis execution.

Cash received is what the payments credited to the receivables with a
budget code (principal and interest; the discount is not cash and carries
no budget code), less the reversals of cancelled payments, on the date of
their moves."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql import Literal, Null
from sql.aggregate import Sum
from sql.conditionals import Case
from sql.operators import Like

from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.report import Report
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from muni_base.report import ModuleFilesReport


class BudgetPlan(ModelSQL, ModelView):
    __name__ = 'muni.budget.plan'
    __string__ = "Budget Plan"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT')
    year = fields.Integer("Year", required=True)
    lines = fields.One2Many('muni.budget.plan.line', 'plan', "Lines")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    total = fields.Function(Monetary(
            "Total", currency='currency', digits='currency'), 'get_total')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_year_unique', Unique(t, t.company, t.year),
                'muni_finance.msg_budget_plan_unique'),
            ]
        cls._order = [('year', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_year():
        return Pool().get('ir.date').today().year

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_rec_name(self, name):
        return f'{self.year} {self.company.rec_name}'

    def get_total(self, name):
        return sum((l.amount or 0 for l in self.lines), Decimal(0))


class BudgetPlanLine(ModelSQL, ModelView):
    __name__ = 'muni.budget.plan.line'
    __string__ = "Budget Plan Line"

    plan = fields.Many2One(
        'muni.budget.plan', "Plan", required=True, ondelete='CASCADE')
    budget_code = fields.Many2One(
        'muni.budget.code', "Budget Code", required=True,
        ondelete='RESTRICT')
    amount = Monetary(
        "Planned Amount", currency='currency', digits='currency',
        required=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('plan')
        t = cls.__table__()
        cls._sql_constraints += [
            ('plan_code_unique', Unique(t, t.plan, t.budget_code),
                'muni_finance.msg_budget_plan_line_unique'),
            ]

    @fields.depends('plan', '_parent_plan.company')
    def on_change_with_currency(self, name=None):
        if self.plan and self.plan.company:
            return self.plan.company.currency


class BudgetExecutionContext(ModelView):
    __name__ = 'muni.budget.execution.context'
    __string__ = "Budget Execution Context"

    company = fields.Many2One('company.company', "Company", required=True)
    from_date = fields.Date(
        "From Date", required=True,
        domain=[('from_date', '<=', Eval('to_date'))])
    to_date = fields.Date(
        "To Date", required=True,
        domain=[('to_date', '>=', Eval('from_date'))],
        help="The plan is the one of this date's year; the year to date "
        "runs from its 1 January.")

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_from_date():
        context = Transaction().context
        if context.get('from_date'):
            return context['from_date']
        return Pool().get('ir.date').today().replace(day=1)

    @staticmethod
    def default_to_date():
        context = Transaction().context
        if context.get('to_date'):
            return context['to_date']
        return Pool().get('ir.date').today()

    @classmethod
    def get_dates(cls):
        "Return the company id, from and to dates of the context"
        context = Transaction().context
        return (context.get('company'),
            context.get('from_date') or cls.default_from_date(),
            context.get('to_date') or cls.default_to_date())


class BudgetExecution(ModelSQL, ModelView):
    __name__ = 'muni.budget.execution'
    __string__ = "Budget Execution"

    company = fields.Many2One('company.company', "Company")
    budget_code = fields.Many2One('muni.budget.code', "Budget Code")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    planned = fields.Function(Monetary(
            "Planned for the Year", currency='currency', digits='currency'),
        'get_amounts')
    received = fields.Function(Monetary(
            "Received in the Period", currency='currency',
            digits='currency'),
        'get_amounts')
    received_ytd = fields.Function(Monetary(
            "Received in the Year to Date", currency='currency',
            digits='currency'),
        'get_amounts')
    percent = fields.Function(fields.Numeric(
            "% of Plan", digits=(16, 2),
            help="Received in the year to date as a percentage of the plan."),
        'get_amounts')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('budget_code.code', 'ASC'), ('id', 'ASC')]

    @classmethod
    def _cash_query(cls, company_id, start, end, columns, group_by=None):
        """The credits less debits of the payments' moves on the
        receivables with a budget code between start and end"""
        pool = Pool()
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Account = pool.get('account.account')
        AccountType = pool.get('account.account.type')
        Payment = pool.get('muni.payment')
        line = Line.__table__()
        move = Move.__table__()
        account = Account.__table__()
        type_ = AccountType.__table__()
        payment = Payment.__table__()
        query = (line
            .join(move, condition=line.move == move.id)
            .join(account, condition=line.account == account.id)
            .join(type_, condition=account.type == type_.id))
        return query.select(*columns(line, move),
            where=(move.company == company_id)
            & (move.state == 'posted')
            & (move.date >= start) & (move.date <= end)
            & (type_.receivable == Literal(True))
            & (line.budget_code != Null)
            # a reversal's lines have the lines they reverse as origin
            & (Like(line.origin, f'{Payment.__name__},%')
                | line.move.in_(payment.select(payment.cancel_move,
                        where=(payment.cancel_move != Null)
                        & (payment.company == company_id)))),
            group_by=group_by(line, move) if group_by else None)

    @classmethod
    def table_query(cls):
        pool = Pool()
        Context = pool.get('muni.budget.execution.context')
        Code = pool.get('muni.budget.code')
        Plan = pool.get('muni.budget.plan')
        PlanLine = pool.get('muni.budget.plan.line')
        company_id, from_date, to_date = Context.get_dates()
        code = Code.__table__()
        plan = Plan.__table__()
        plan_line = PlanLine.__table__()
        start = min(from_date, dt.date(to_date.year, 1, 1))
        planned = plan_line.join(
            plan, condition=plan_line.plan == plan.id).select(
            plan_line.budget_code,
            where=(plan.company == company_id)
            & (plan.year == to_date.year))
        cash = cls._cash_query(company_id, start, to_date,
            lambda line, move: [line.budget_code])
        columns = []
        for fname, field in cls._fields.items():
            if hasattr(field, 'set'):
                continue
            if fname in {'id', 'budget_code'}:
                column = code.id
            elif fname == 'company':
                column = Literal(company_id)
            else:
                column = getattr(code, fname)
            columns.append(column.as_(fname))
        return code.select(*columns,
            where=code.id.in_(planned | cash))

    def get_currency(self, name):
        return self.company.currency.id if self.company else None

    @classmethod
    def get_amounts(cls, records, names):
        pool = Pool()
        Context = pool.get('muni.budget.execution.context')
        PlanLine = pool.get('muni.budget.plan.line')
        Company = pool.get('company.company')
        cursor = Transaction().connection.cursor()
        company_id, from_date, to_date = Context.get_dates()
        year_start = dt.date(to_date.year, 1, 1)
        currency = Company(company_id).currency
        planned = defaultdict(Decimal)
        for line in PlanLine.search([
                    ('plan.company', '=', company_id),
                    ('plan.year', '=', to_date.year),
                    ('budget_code', 'in', [r.id for r in records]),
                    ]):
            planned[line.budget_code.id] += line.amount

        def columns(line, move):
            amount = line.credit - line.debit
            return [line.budget_code,
                Sum(Case((move.date >= from_date, amount), else_=0)),
                Sum(Case((move.date >= year_start, amount), else_=0))]
        received, ytd = defaultdict(Decimal), defaultdict(Decimal)
        cursor.execute(*cls._cash_query(company_id,
                min(from_date, year_start), to_date, columns,
                lambda line, move: [line.budget_code]))
        for code_id, period, year in cursor:
            # SQLite sums numerics as floats
            received[code_id] = currency.round(Decimal(str(period or 0)))
            ytd[code_id] = currency.round(Decimal(str(year or 0)))
        result = {n: {} for n in names}
        for record in records:
            values = {
                'planned': planned[record.id],
                'received': received[record.id],
                'received_ytd': ytd[record.id],
                'percent': (ytd[record.id] * 100 / planned[record.id]
                    ).quantize(Decimal('0.01'))
                if planned[record.id] else None,
                }
            for name in names:
                result[name][record.id] = values[name]
        return result


class BudgetExecutionPrint(Wizard):
    __name__ = 'muni.budget.execution.print'

    start = StateView(
        'muni.budget.execution.context',
        'muni_finance.budget_execution_context_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('muni.budget.execution')

    def do_print_(self, action):
        return action, {
            'company': self.start.company.id,
            'from_date': self.start.from_date,
            'to_date': self.start.to_date,
            }

    def transition_print_(self):
        return 'end'


class BudgetExecutionReport(ModuleFilesReport, Report):
    __name__ = 'muni.budget.execution'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Company = pool.get('company.company')
        Execution = pool.get('muni.budget.execution')
        context = super().get_context(records, header, data)
        company_id = data.get('company') or Transaction().context.get(
            'company')
        from_date, to_date = data.get('from_date'), data.get('to_date')
        with Transaction().set_context(company=company_id,
                from_date=from_date, to_date=to_date):
            Context = pool.get('muni.budget.execution.context')
            _, from_date, to_date = Context.get_dates()
            # the rule of the companies applies here
            names = ['planned', 'received', 'received_ytd', 'percent']
            lines = [{
                    'budget_code': l.budget_code,
                    **{n: getattr(l, n) for n in names},
                    } for l in Execution.search([])]
        context['lines'] = lines
        for name in ['planned', 'received', 'received_ytd']:
            context[f'total_{name}'] = sum(
                (l[name] for l in lines), Decimal(0))
        context['company'] = Company(company_id)
        context['from_date'] = from_date
        context['to_date'] = to_date
        return context
