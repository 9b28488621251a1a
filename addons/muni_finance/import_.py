# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import csv
import datetime as dt
import io
from decimal import Decimal

from stdnum import get_cc_module
from stdnum.exceptions import ValidationError as StdnumValidationError

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .assessment import SAVE_SIZE
from .exceptions import ImportAccessError, ImportError_
from .import_debt import DebtImportMixin
from .import_row import IN_SIZE, Report, Row
from .locked import LockedAfterDraft

OBJECT_COLUMNS = [
    'identifier_type', 'identifier', 'name', 'address',
    'kind', 'reference', 'description', 'settlement', 'zone',
    'object_address', 'share', 'acquired', 'disposed', 'main_dwelling',
    ]
OBJECT_REQUIRED = ['identifier_type', 'identifier', 'name', 'kind',
    'reference']
# The columns whose values describe the object, not its owner: they must be
# the same on every row of the object
OBJECT_FIELDS = {
    'kind': 'kind', 'description': 'description',
    'settlement': 'settlement', 'zone': 'zone', 'object_address': 'address',
    }
DELIMITERS = {'comma': ',', 'semicolon': ';', 'tab': '\t'}
COUNTERS = ['rows', 'valid_rows', 'errors', 'warnings', 'existing_parties',
    'parties', 'objects', 'owners', 'debts', 'amount']


class Import(
        LockedAfterDraft, DebtImportMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'muni.import'
    __string__ = "Import"

    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE',
        states=_states)
    localisation = fields.Function(
        fields.Selection('get_localisations', "Localisation"),
        'on_change_with_localisation')
    kind = fields.Selection([
            ('objects', "Taxpayers, Objects and Owners"),
            ('debts', "Legacy Debts"),
            ], "Kind", required=True, states=_states,
        help="Objects: one row per object and owner, "
        "the taxpayer and the object repeated on each row.\n"
        "Debts: one row per open instalment of the legacy system.")
    file = fields.Binary(
        "File", filename='filename', required=True, states=_states,
        help="The CSV file exported by the legacy system, "
        "with the names of the columns on its first row.")
    filename = fields.Char("File Name", states=_states)
    encoding = fields.Selection([
            ('utf-8-sig', "UTF-8"),
            ('cp1251', "Windows-1251 (Cyrillic)"),
            ('cp1250', "Windows-1250 (Central European)"),
            ('iso-8859-2', "ISO-8859-2 (Latin-2)"),
            ], "Encoding", required=True, states=_states)
    delimiter = fields.Selection([
            ('comma', "Comma"),
            ('semicolon', "Semicolon"),
            ('tab', "Tab"),
            ], "Delimiter", required=True, states=_states)
    date = fields.Date(
        "Date", states={
            'readonly': _states['readonly'],
            'invisible': Eval('kind') != 'debts',
            'required': Eval('kind') == 'debts',
            },
        help="The date the legacy debts are posted on.")
    opening_account = fields.Many2One(
        'account.account', "Opening Account", ondelete='RESTRICT',
        states={
            'readonly': _states['readonly'],
            'invisible': Eval('kind') != 'debts',
            },
        domain=[
            ('company', '=', Eval('company', -1)),
            ('closed', '!=', True),
            ('type', '!=', None),
            ('type.receivable', '=', False),
            ('party_required', '=', False),
            ],
        help="The account credited with the legacy debts, such as an "
        "opening balance account; leave it empty to credit the revenue "
        "account of each revenue type.")
    rows = fields.Integer("Rows", readonly=True)
    valid_rows = fields.Integer("Valid Rows", readonly=True)
    errors = fields.Integer("Errors", readonly=True)
    warnings = fields.Integer("Warnings", readonly=True)
    existing_parties = fields.Integer(
        "Known Taxpayers", readonly=True,
        help="The taxpayers of the file found by their identifier.")
    parties = fields.Integer(
        "New Taxpayers", readonly=True,
        help="The taxpayers the import creates; once done, created.")
    objects = fields.Integer(
        "New Objects", readonly=True,
        help="The tax objects the import creates; once done, created.")
    owners = fields.Integer(
        "New Owners", readonly=True,
        help="The owners the import creates; once done, created.")
    debts = fields.Integer(
        "New Debts", readonly=True,
        help="The posted assessments the import creates; once done, "
        "created.")
    amount = Monetary(
        "Amount", currency='currency', digits='currency', readonly=True,
        help="The total of the debts.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    progress = fields.Function(
        fields.Float("Progress", digits=(1, 4)), 'get_progress')
    messages = fields.One2Many(
        'muni.import.message', 'import_', "Report", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('validated', "Validated"),
            ('failed', "Failed"),
            ('done', "Done"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'validated'),
            ('draft', 'failed'),
            ('validated', 'draft'),
            ('failed', 'draft'),
            ('validated', 'done'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': ~Eval('state').in_(['validated', 'failed']),
                    'depends': ['state'],
                    },
                'verify': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'import_': {
                    'invisible': Eval('state') != 'validated',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_kind():
        return 'objects'

    @staticmethod
    def default_encoding():
        return 'utf-8-sig'

    @staticmethod
    def default_delimiter():
        return 'comma'

    @staticmethod
    def default_state():
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def get_localisations(cls):
        from muni_base.settlement import localisations
        return [(None, '')] + localisations()

    @fields.depends('company')
    def on_change_with_localisation(self, name=None):
        return self.company.localisation if self.company else None

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_rec_name(self, name):
        return self.filename or str(self.id)

    def get_progress(self, name):
        "The share of the rows the import takes in, once validated"
        if self.state == 'done':
            return 1.0
        if self.rows:
            return (self.valid_rows or 0) / self.rows
        return 0.0

    @classmethod
    def check_modification(cls, mode, imports, values=None, external=False):
        super().check_modification(
            mode, imports, values=values, external=external)
        if mode == 'delete':
            for import_ in imports:
                if import_.state == 'done':
                    raise ImportAccessError(gettext(
                            'muni_finance.msg_import_delete_done',
                            import_=import_.rec_name))

    @classmethod
    def copy(cls, imports, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('messages')
        for name in COUNTERS:
            default.setdefault(name)
        return super().copy(imports, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, imports):
        pool = Pool()
        Message = pool.get('muni.import.message')
        Message.delete([m for i in imports for m in i.messages])
        cls.write(imports, {n: None for n in COUNTERS})

    @classmethod
    @ModelView.button
    def verify(cls, imports):
        "Read and check the files, store the report and create nothing"
        pool = Pool()
        Message = pool.get('muni.import.message')
        Message.delete([m for i in imports for m in i.messages])
        validated, failed = [], []
        for import_ in imports:
            with Transaction().set_context(company=import_.company.id):
                report, plan = import_._plan()
            import_._store_report(report, plan)
            (failed if report.errors else validated).append(import_)
        cls.save(imports)
        cls.validated(validated)
        cls.failed(failed)

    @classmethod
    @Workflow.transition('validated')
    def validated(cls, imports):
        pass

    @classmethod
    @Workflow.transition('failed')
    def failed(cls, imports):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def import_(cls, imports):
        """Create what the files hold, all in the transaction of the
        request: an error leaves nothing behind"""
        pool = Pool()
        Message = pool.get('muni.import.message')
        Message.delete([m for i in imports for m in i.messages])
        for import_ in imports:
            with Transaction().set_context(company=import_.company.id):
                # The database may have changed since the validation
                report, plan = import_._plan()
                if report.errors:
                    raise ImportError_(gettext(
                            'muni_finance.msg_import_changed',
                            import_=import_.rec_name))
                getattr(import_, f'_create_{import_.kind}')(plan)
            import_._store_report(report, plan)
        cls.save(imports)

    def _store_report(self, report, plan):
        pool = Pool()
        Message = pool.get('muni.import.message')
        self.messages = [Message(**m) for m in report.messages]
        self.rows = plan['rows']
        self.valid_rows = plan['rows'] - len(
            report.rows_in_error - {None, 1})
        self.errors = report.errors
        self.warnings = report.warnings
        for name in ['existing_parties', 'parties', 'objects', 'owners',
                'debts', 'amount']:
            setattr(self, name, plan.get(name))

    # Reading

    def _read(self, report, columns, required):
        "Return the rows of the file, or None when it cannot be read"
        try:
            text = self.file.decode(self.encoding)
        except UnicodeDecodeError as exception:
            report.error(None, None, gettext(
                    'muni_finance.msg_import_decode',
                    encoding=self.encoding, error=str(exception)))
            return
        reader = csv.reader(
            io.StringIO(text, newline=''),
            delimiter=DELIMITERS[self.delimiter])
        try:
            header = next(reader)
        except StopIteration:
            header = []
        header = [h.strip().lower() for h in header]
        # The localisation names the columns in its clerks' words
        to_column = self._localised('_header')
        if to_column:
            header = [to_column(h) for h in header]
        required = self._localised('_required_columns', lambda r: r)(
            required)
        missing = [c for c in required if c not in header]
        for column in missing:
            report.error(1, column, gettext(
                    'muni_finance.msg_import_column_missing',
                    column=report.label(column)))
        for column in header:
            if column and column not in columns:
                report.warning(1, column, gettext(
                        'muni_finance.msg_import_column_unknown',
                        column=column))
        if missing:
            return
        # The localisation reads the values in its clerks' words
        row_values = self._localised('_row_values', lambda v: v)
        rows = []
        try:
            for number, values in enumerate(reader, 2):
                if not any(v.strip() for v in values):
                    continue
                if len(values) > len(header):
                    report.error(number, None, gettext(
                            'muni_finance.msg_import_row_length',
                            length=len(values), columns=len(header)))
                rows.append(Row(
                        number, row_values(dict(zip(header, values))),
                        report))
        except csv.Error as exception:
            report.error(reader.line_num, None, gettext(
                    'muni_finance.msg_import_csv', error=str(exception)))
            return
        if not rows:
            report.error(None, None, gettext('muni_finance.msg_import_empty'))
        return rows

    def _plan(self):
        "Return the report and what the import would create"
        return getattr(self, f'_plan_{self.kind}')()

    def _localised(self, name, default=None):
        "Return the hook of the company's localisation"
        return getattr(
            self, f'{name}_{self.company.localisation}', default)

    def _report(self):
        "Return an empty report naming the columns in the clerk's language"
        return Report(label=self._localised('_column_label'))

    # Identifiers and parties

    def _identifier(self, row):
        """Return the party identifier type and the compact code of the row,
        or None when it is not valid"""
        type_ = row.text('identifier_type')
        code = row.text('identifier', required=True)
        if code is None:
            return
        return self._localised('_identifier', self._identifier_default)(
            row, type_, code)

    def _identifier_default(self, row, type_, code):
        pool = Pool()
        Identifier = pool.get('party.identifier')
        if type_:
            type_ = row.selection(
                'identifier_type', Identifier.get_types())
            if type_ is None:
                return
        module = (get_cc_module(*type_.split('_', 1))
            if type_ and '_' in type_ else None)
        if module:
            try:
                code = module.validate(code)
            except StdnumValidationError:
                row.error('identifier', gettext(
                        'muni_finance.msg_import_identifier_invalid',
                        code=code, type=type_))
                return
        else:
            code = ''.join(code.split())
        return type_, code

    def _find_parties(self, codes):
        "Return the parties with the compact codes, by code"
        pool = Pool()
        Identifier = pool.get('party.identifier')
        parties = {}
        for sub_codes in grouped_slice(sorted(codes), IN_SIZE):
            for identifier in Identifier.search([
                        ('code_compact', 'in', list(sub_codes)),
                        ('party.active', '=', True),
                        ], order=[('id', 'ASC')]):
                parties.setdefault(identifier.code_compact, identifier.party)
        return parties

    # Objects

    def _object_columns(self):
        return OBJECT_COLUMNS + self._localised(
            '_object_columns', lambda: [])()

    def _plan_objects(self):
        pool = Pool()
        TaxObject = pool.get('muni.tax.object')
        Settlement = pool.get('muni.settlement')
        Zone = pool.get('muni.zone')
        company = self.company
        report = self._report()
        plan = {'rows': 0}
        rows = self._read(report, self._object_columns(), OBJECT_REQUIRED)
        if rows is None:
            return report, plan
        plan['rows'] = len(rows)
        settlements = {s.code: s for s in Settlement.search([
                    ('localisation', '=', company.localisation),
                    ])}
        zones = {z.code: z for z in Zone.search([
                    ('company', '=', company.id),
                    ])}
        kinds = TaxObject.fields_get(['kind'])['kind']['selection']
        object_values = self._localised('_object_values', lambda r, v: {})
        # The localisation's columns that describe the object too
        object_fields = OBJECT_FIELDS | self._localised(
            '_object_fields', lambda: {})()
        owner_values = self._localised('_owner_values', lambda r, v: {})

        parties, objects = {}, {}
        for row in rows:
            identifier = self._identifier(row)
            name = row.text('name', required=True)
            if identifier:
                type_, code = identifier
                party = parties.setdefault(code, {
                        'type': type_, 'code': code, 'name': name,
                        'address': row.text('address'), 'row': row.number})
                if name and party['name'] and name != party['name']:
                    row.warning('name', gettext(
                            'muni_finance.msg_import_party_name_row',
                            name=name, other=party['name'],
                            first=party['row']))

            reference = row.text('reference', required=True)
            values = {
                'kind': row.selection('kind', kinds, required=True),
                'description': row.text('description'),
                'address': row.text('object_address'),
                }
            settlement_code = row.text('settlement')
            if settlement_code:
                values['settlement'] = settlements.get(settlement_code)
                if not values['settlement']:
                    row.error('settlement', gettext(
                            'muni_finance.msg_import_settlement_unknown',
                            code=settlement_code))
            zone_code = row.text('zone')
            if zone_code:
                values['zone'] = zones.get(zone_code)
                if not values['zone']:
                    row.error('zone', gettext(
                            'muni_finance.msg_import_zone_unknown',
                            code=zone_code))
            values.update(object_values(row, values))

            share = row.decimal('share')
            if share is None and not row.text('share'):
                share = Decimal(1)
            if share is not None and not (0 < share <= 1):
                row.error('share', gettext(
                        'muni_finance.msg_import_share', value=share))
                share = None
            start = row.date('acquired')
            end = row.date('disposed')
            if start and end and end <= start:
                row.error('disposed', gettext(
                        'muni_finance.msg_import_owner_dates',
                        acquired=start, disposed=end))
            owner = {
                'party': identifier[1] if identifier else None,
                'share': share,
                'start_date': start,
                'end_date': end,
                'main_dwelling': row.boolean('main_dwelling'),
                'row': row,
                }
            owner.update(owner_values(row, values))

            if reference is None:
                continue
            object_ = objects.get(reference)
            if object_ is None:
                object_ = objects[reference] = {
                    'reference': reference, 'values': values, 'owners': [],
                    'row': row.number}
            else:
                for column, field in object_fields.items():
                    if values.get(field) != object_['values'].get(field):
                        row.error(column, gettext(
                                'muni_finance.msg_import_object_conflict',
                                reference=reference,
                                column=report.label(column),
                                first=object_['row']))
            object_['owners'].append(owner)

        for sub_references in grouped_slice(sorted(objects), IN_SIZE):
            for object_ in TaxObject.search([
                        ('company', '=', company.id),
                        ('reference', 'in', list(sub_references)),
                        ]):
                report.error(objects[object_.reference]['row'], 'reference',
                    gettext('muni_finance.msg_import_object_exists',
                        reference=object_.reference))
        for object_ in objects.values():
            self._check_shares(report, object_)

        existing = self._find_parties(parties)
        plan.update({
                'found': existing,
                'object_values': objects,
                'existing_parties': len(existing),
                'parties': len(set(parties) - set(existing)),
                'objects': len(objects),
                'owners': sum(len(o['owners']) for o in objects.values()),
                'party_values': parties,
                })
        for code, party in existing.items():
            name = parties[code]['name']
            if name and name != party.name:
                report.warning(parties[code]['row'], 'name', gettext(
                        'muni_finance.msg_import_party_name',
                        name=name, existing=party.rec_name))
        return report, plan

    @staticmethod
    def _check_shares(report, object_):
        "The shares of the owners at any date add up to one"
        owners = object_['owners']
        if any(o['share'] is None for o in owners):
            return
        dates = {o['start_date'] or dt.date.min for o in owners}
        dates |= {o['end_date'] for o in owners if o['end_date']}
        for date in sorted(dates):
            current = [o for o in owners
                if (not o['start_date'] or o['start_date'] <= date)
                and (not o['end_date'] or date < o['end_date'])]
            if not current:
                continue
            total = sum(o['share'] for o in current)
            if total != 1:
                if date == dt.date.min:
                    message, date = 'muni_finance.msg_import_shares', None
                else:
                    message = 'muni_finance.msg_import_shares_date'
                report.error(object_['row'], 'share', gettext(
                        message, reference=object_['reference'],
                        rows=', '.join(
                            str(o['row'].number) for o in current),
                        total=total.normalize(), date=date))
                return

    def _create_objects(self, plan):
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        Address = pool.get('party.address')
        TaxObject = pool.get('muni.tax.object')
        Owner = pool.get('muni.tax.object.owner')
        Taxpayer = pool.get('muni.taxpayer')
        parties = dict(plan['found'])
        new = []
        for code, values in plan['party_values'].items():
            if code in parties:
                continue
            party = Party(
                name=values['name'],
                identifiers=[Identifier(type=values['type'], code=code)])
            if values['address']:
                party.addresses = [Address(street=values['address'])]
            parties[code] = party
            new.append(party)
        for i in range(0, len(new), SAVE_SIZE):
            Party.save(new[i:i + SAVE_SIZE])

        objects = []
        for values in plan['object_values'].values():
            owners = []
            for owner in values['owners']:
                owner = owner.copy()
                del owner['row']
                owner['party'] = parties[owner['party']]
                owners.append(Owner(**owner))
            objects.append(TaxObject(
                    company=self.company, reference=values['reference'],
                    owners=owners, **values['values']))
        for i in range(0, len(objects), SAVE_SIZE):
            TaxObject.save(objects[i:i + SAVE_SIZE])
        Taxpayer.get_or_create(self.company, list({
                    p.id: p for p in parties.values()}.values()))

    # Debts


class ImportMessage(LockedAfterDraft, ModelSQL, ModelView):
    __name__ = 'muni.import.message'
    _locked_parent = 'import_'
    __string__ = "Import Message"

    import_ = fields.Many2One(
        'muni.import', "Import", required=True, ondelete='CASCADE')
    row = fields.Integer(
        "Row", readonly=True,
        help="The row of the file, the names of the columns being row 1.")
    column = fields.Char("Column", readonly=True)
    severity = fields.Selection([
            ('error', "Error"),
            ('warning', "Warning"),
            ], "Severity", required=True, readonly=True)
    message = fields.Text("Message", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('import_')
        cls._order = [
            ('import_', 'ASC'), ('row', 'ASC NULLS FIRST'), ('id', 'ASC')]
