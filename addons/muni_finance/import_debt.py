# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The import of the open debts of the legacy system"
from collections import defaultdict
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.tools import grouped_slice

from .assessment import MOVE_SIZE, SAVE_SIZE, format_trace
from .exceptions import ImportError_
from .import_row import IN_SIZE

DEBT_COLUMNS = [
    'identifier_type', 'identifier', 'revenue_type', 'year', 'due_date',
    'amount', 'object',
    ]
DEBT_REQUIRED = ['identifier_type', 'identifier', 'revenue_type', 'year',
    'due_date', 'amount']


class DebtImportMixin:
    __slots__ = ()

    def _debt_columns(self):
        return DEBT_COLUMNS + self._localised(
            '_debt_columns', lambda: [])()

    def _plan_debts(self):
        pool = Pool()
        RevenueType = pool.get('muni.revenue.type')
        TaxObject = pool.get('muni.tax.object')
        Assessment = pool.get('muni.assessment')
        Period = pool.get('account.period')
        Configuration = pool.get('muni.finance.configuration')
        company = self.company
        report = self._report()
        plan = {'rows': 0}
        rows = self._read(report, self._debt_columns(), DEBT_REQUIRED)
        if rows is None:
            return report, plan
        plan['rows'] = len(rows)
        try:
            Period.find(company, date=self.date)
            if not Configuration(1).get_multivalue(
                    'assessment_journal', company=company.id):
                raise ImportError_(gettext(
                        'muni_finance.msg_import_no_journal'))
        except UserError as exception:
            report.error(None, 'date', exception.message)
        revenue_types = {}
        for revenue_type in RevenueType.search([
                    ('localisation', 'in', [company.localisation, None]),
                    ], order=[('localisation', 'ASC NULLS LAST')]):
            revenue_types.setdefault(revenue_type.code, revenue_type)
        # Other names of the revenue types in the legacy files
        for code, revenue_type in self._localised(
                '_revenue_type_aliases', lambda t: {})(
                list(revenue_types.values())).items():
            revenue_types.setdefault(code, revenue_type)
        accounts = {}
        amounts = self._localised('_debt_amount', self._debt_amount_default)

        debts, codes, references = {}, set(), set()
        for row in rows:
            identifier = self._identifier(row)
            code = row.text('revenue_type', required=True)
            revenue_type = revenue_types.get(code) if code else None
            if code and not revenue_type:
                row.error('revenue_type', gettext(
                        'muni_finance.msg_import_revenue_type_unknown',
                        code=code))
            if revenue_type and revenue_type not in accounts:
                try:
                    accounts[revenue_type] = revenue_type.get_accounts(
                        company)
                except UserError as exception:
                    accounts[revenue_type] = None
                    row.error('revenue_type', exception.message)
            year = row.integer('year', required=True)
            if year and self.date and year > self.date.year:
                row.error('year', gettext(
                        'muni_finance.msg_import_year_future',
                        year=year, date=self.date))
            due_date = row.date('due_date', required=True)
            amount = row.decimal('amount', required=True)
            if amount is not None and amount <= 0:
                row.error('amount', gettext(
                        'muni_finance.msg_import_amount', value=amount))
                amount = None
            reference = row.text('object')
            if not (identifier and revenue_type and year and due_date
                    and amount is not None and row.valid):
                continue
            instalment = amounts(row, year, amount)
            if instalment is None:
                continue
            instalment.update(due_date=due_date, row=row)
            codes.add(identifier[1])
            if reference:
                references.add(reference)
            key = (identifier[1], revenue_type, year, reference)
            debts.setdefault(key, []).append(instalment)

        parties = self._find_parties(codes)
        objects = {}
        for sub_references in grouped_slice(sorted(references), IN_SIZE):
            for object_ in TaxObject.search([
                        ('company', '=', company.id),
                        ('reference', 'in', list(sub_references)),
                        ]):
                objects[object_.reference] = object_
        for (code, revenue_type, year, reference), instalments in list(
                debts.items()):
            row = instalments[0]['row']
            if code not in parties:
                row.error('identifier', gettext(
                        'muni_finance.msg_import_party_unknown', code=code))
            if reference and reference not in objects:
                row.error('object', gettext(
                        'muni_finance.msg_import_object_unknown',
                        reference=reference))
            if not row.valid:
                del debts[code, revenue_type, year, reference]

        # Assessments already there, from an earlier import or a levy
        by_key = {
            (parties[c].id, t.id, y, objects[r].id if r else None): i
            for (c, t, y, r), i in debts.items()}
        keys = defaultdict(set)
        for party_id, revenue_type_id, year, _ in by_key:
            keys[revenue_type_id, year].add(party_id)
        for (revenue_type_id, year), party_ids in keys.items():
            for sub_ids in grouped_slice(party_ids, IN_SIZE):
                for assessment in Assessment.search([
                            ('company', '=', company.id),
                            ('revenue_type', '=', revenue_type_id),
                            ('year', '=', year),
                            ('period', '=', ''),
                            ('party', 'in', list(sub_ids)),
                            ('state', '!=', 'cancelled'),
                            ]):
                    key = (assessment.party.id, revenue_type_id, year,
                        assessment.object.id if assessment.object else None)
                    if key in by_key:
                        by_key[key][0]['row'].error(
                            'revenue_type', gettext(
                                'muni_finance.msg_import_debt_exists',
                                assessment=assessment.rec_name))

        plan.update({
                'debt_values': debts,
                'found': parties,
                'object_found': objects,
                'accounts': accounts,
                'existing_parties': len(parties),
                'parties': 0,
                'debts': len(debts),
                'amount': sum(i['amount'] for v in debts.values()
                    for i in v),
                })
        return report, plan

    def _debt_amount_default(self, row, year, amount):
        "Return the instalment's amount in the company's currency"
        return {'amount': amount, 'trace': []}

    def _create_debts(self, plan):
        pool = Pool()
        Assessment = pool.get('muni.assessment')
        Taxpayer = pool.get('muni.taxpayer')
        company = self.company
        assessments, instalments = [], []
        for key, rows in plan['debt_values'].items():
            code, revenue_type, year, reference = key
            trace = [(gettext('muni_finance.msg_import_trace_file'),
                    gettext('muni_finance.msg_import_trace_rows',
                        file=self.rec_name,
                        rows=', '.join(str(i['row'].number) for i in rows)))]
            for instalment in rows:
                trace.extend(instalment['trace'])
            assessment = Assessment(
                company=company, party=plan['found'][code],
                object=plan['object_found'].get(reference),
                revenue_type=revenue_type, year=year, period='',
                date=self.date, amount=sum(i['amount'] for i in rows),
                trace=format_trace(trace), state='draft')
            assessments.append(assessment)
            instalments.append(rows)
        for i in range(0, len(assessments), SAVE_SIZE):
            Assessment.save(assessments[i:i + SAVE_SIZE])
        Taxpayer.get_or_create(company, list({
                    a.party.id: a.party for a in assessments}.values()))
        self.post_with_instalments(
            assessments, {a.id: i for a, i in zip(assessments, instalments)},
            plan['accounts'],
            revenue_account=self.opening_account)

    @classmethod
    def post_with_instalments(
            cls, assessments, instalments, accounts, revenue_account=None):
        """Post the draft assessments with the instalments given, not those
        of the rate tables: a list of dict with due_date, amount and
        optional second_currency and amount_second_currency per assessment
        id, and the receivable and revenue accounts per revenue type;
        the lines follow the conventions of Assessment.create_moves"""
        pool = Pool()
        Assessment = pool.get('muni.assessment')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Period = pool.get('account.period')
        Configuration = pool.get('muni.finance.configuration')
        config = Configuration(1)

        def key(a):
            return (a.company.id, a.date)
        moves, links = [], []
        groups = defaultdict(list)
        for assessment in assessments:
            groups[key(assessment)].append(assessment)
        for (company_id, date), group in groups.items():
            company = group[0].company
            journal = config.get_multivalue(
                'assessment_journal', company=company_id)
            period = Period.find(company, date=date)
            for i in range(0, len(group), MOVE_SIZE):
                chunk = group[i:i + MOVE_SIZE]
                lines, revenues = [], defaultdict(Decimal)
                for assessment in chunk:
                    receivable, revenue = accounts[assessment.revenue_type]
                    for instalment in instalments[assessment.id]:
                        line = Line(
                            account=receivable, party=assessment.party,
                            maturity_date=instalment['due_date'],
                            origin=assessment,
                            description=assessment.rec_name,
                            debit=instalment['amount'], credit=Decimal(0))
                        if instalment.get('second_currency'):
                            line.second_currency = (
                                instalment['second_currency'])
                            line.amount_second_currency = (
                                instalment['amount_second_currency'])
                        lines.append(line)
                    budget_code = assessment.revenue_type.budget_code
                    revenues[revenue_account or revenue, budget_code] += (
                        assessment.amount)
                lines.extend(Assessment._get_revenue_lines(revenues))
                moves.append(Move(
                        company=company, journal=journal, period=period,
                        date=date,
                        origin=chunk[0] if len(chunk) == 1 else None,
                        description=gettext(
                            'muni_finance.msg_import_move_description'),
                        lines=lines))
                links.append(chunk)
        Move.save(moves)
        Move.post(moves)
        for move, chunk in zip(moves, links):
            for i in range(0, len(chunk), SAVE_SIZE):
                Assessment.write(chunk[i:i + SAVE_SIZE], {'move': move.id})
        Assessment.mark_posted(assessments)
        return moves
