# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The registers of a Romanian town hall's legacy tax system (registrul
agricol and the rol fiscal exports): their columns and values as the clerks
write them, with or without diacritics, and the checks of Romanian law"""
import re
import unicodedata
from decimal import Decimal

from stdnum.ro import cnp, cui

from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta

from .party import identifier_error
from .tax_object import CC_VEHICLES, MASS_VEHICLES

# Pontica holds the Romanian rate tables and rules of these years only
# (rates_ro.py): a legacy debt of another year cannot be explained
FIRST_YEAR, LAST_YEAR = 2024, 2026
# The oldest construction year a register may hold
FIRST_CONSTRUCTION_YEAR = 1800
BANI = Decimal('0.01')

# The identifier types of the registers and of party.identifier
IDENTIFIER_TYPES = {
    'cnp': 'ro_cnp', 'ro cnp': 'ro_cnp', 'cod numeric personal': 'ro_cnp',
    'cui': 'ro_cui', 'cif': 'ro_cui', 'cf': 'ro_cui', 'ro cui': 'ro_cui',
    'ro vat': 'ro_cui', 'cod fiscal': 'ro_cui',
    'cod unic de inregistrare': 'ro_cui',
    }
IDENTIFIER_NAMES = {'ro_cnp': "CNP", 'ro_cui': "CUI"}

# The columns the Romanian registers add to the generic ones, with the
# field of muni.tax.object each fills
OBJECT_COLUMNS = {
    'owner_kind': 'ro_owner_kind',
    'property_kind': 'ro_property_kind',
    'rank': 'ro_rank',
    'fiscal_zone': 'ro_zone',
    'building_use': 'ro_building_use',
    'building_type': 'ro_building_type',
    'area': 'ro_area',
    'non_residential_area': 'ro_non_residential_area',
    'utilities': 'ro_utilities',
    'construction_year': 'ro_construction_year',
    'value': 'ro_value',
    'value_year': 'ro_value_year',
    'land_location': 'ro_land_location',
    'land_category': 'ro_land_category',
    'land_area': 'ro_land_area',
    'vehicle_kind': 'ro_vehicle_kind',
    'engine_cc': 'ro_engine_cc',
    'euro_norm': 'ro_euro_norm',
    'propulsion': 'ro_propulsion',
    'co2': 'ro_co2',
    'max_mass': 'ro_max_mass',
    'axles': 'ro_axles',
    'air_suspension': 'ro_air_suspension',
    }
SELECTIONS = [
    'owner_kind', 'property_kind', 'rank', 'fiscal_zone', 'building_use',
    'building_type', 'land_location', 'land_category', 'vehicle_kind',
    'euro_norm', 'propulsion']
DECIMALS = ['area', 'non_residential_area', 'value', 'land_area']
INTEGERS = ['construction_year', 'value_year', 'engine_cc', 'co2',
    'max_mass', 'axles']
BOOLEANS = ['utilities', 'air_suspension']
# Every column has a label in the clerk's language (msg_import_column_*)
LABELLED = [
    'identifier_type', 'identifier', 'name', 'address', 'kind',
    'reference', 'description', 'settlement', 'zone', 'object_address',
    'share', 'acquired', 'disposed', 'main_dwelling',
    'revenue_type', 'year', 'due_date', 'amount', 'object',
    ] + list(OBJECT_COLUMNS)

# The headers of the registers, without diacritics, in lower case, any
# punctuation a single space (see key()); the English names are kept
HEADERS = {
    'tip identificator': 'identifier_type', 'tip cod': 'identifier_type',
    'tip cod fiscal': 'identifier_type',
    'cnp cui': 'identifier', 'cnp cif': 'identifier',
    'cnp cui cif': 'identifier', 'cui cnp': 'identifier',
    'cif cnp': 'identifier', 'cnp': 'identifier', 'cui': 'identifier',
    'cif': 'identifier', 'cod fiscal': 'identifier',
    'cod identificare fiscala': 'identifier',
    'nume': 'name', 'nume prenume': 'name', 'nume si prenume': 'name',
    'denumire': 'name', 'nume denumire': 'name',
    'nume si prenume denumire': 'name', 'nume prenume denumire': 'name',
    'contribuabil': 'name',
    'domiciliu': 'address', 'domiciliu fiscal': 'address',
    'adresa': 'address', 'adresa contribuabil': 'address',
    'siruta': 'settlement', 'cod siruta': 'settlement',
    'localitate siruta': 'settlement', 'cod localitate': 'settlement',
    }
OBJECT_HEADERS = {
    'tip bun': 'kind', 'categorie bun': 'kind', 'natura bun': 'kind',
    'identificator bun': 'reference', 'nr cadastral': 'reference',
    'numar cadastral': 'reference', 'nr inmatriculare': 'reference',
    'numar inmatriculare': 'reference', 'cod bun': 'reference',
    'referinta': 'reference', 'nr cadastral nr inmatriculare': 'reference',
    'descriere': 'description', 'denumire bun': 'description',
    'adresa bun': 'object_address', 'amplasament': 'object_address',
    'adresa imobil': 'object_address',
    'cota': 'share', 'cota parte': 'share', 'cota proprietate': 'share',
    'data dobandirii': 'acquired', 'data dobandire': 'acquired',
    'data achizitiei': 'acquired', 'data achizitie': 'acquired',
    'data instrainarii': 'disposed', 'data instrainare': 'disposed',
    'tip persoana': 'owner_kind', 'persoana': 'owner_kind',
    'pf pj': 'owner_kind',
    'cladire teren': 'property_kind', 'tip proprietate': 'property_kind',
    'rang': 'rank', 'rang localitate': 'rank', 'rangul localitatii': 'rank',
    'zona': 'fiscal_zone', 'zona fiscala': 'fiscal_zone',
    'destinatie': 'building_use', 'destinatia': 'building_use',
    'tip cladire': 'building_type', 'tip constructie': 'building_type',
    'suprafata construita': 'area', 'suprafata construita mp': 'area',
    'suprafata construita desfasurata': 'area',
    'suprafata construita desfasurata mp': 'area', 'scd': 'area',
    'scd mp': 'area',
    'suprafata nerezidentiala': 'non_residential_area',
    'suprafata nerezidentiala mp': 'non_residential_area',
    'utilitati': 'utilities', 'instalatii': 'utilities',
    'an constructie': 'construction_year',
    'anul constructiei': 'construction_year',
    'an finalizare': 'construction_year',
    'valoare impozabila': 'value', 'valoare impozabila lei': 'value',
    'valoare': 'value', 'valoare lei': 'value',
    'an evaluare': 'value_year', 'anul evaluarii': 'value_year',
    'amplasare': 'land_location', 'intravilan extravilan': 'land_location',
    'categorie folosinta': 'land_category',
    'categoria de folosinta': 'land_category',
    'folosinta': 'land_category',
    'suprafata teren': 'land_area', 'suprafata teren mp': 'land_area',
    'suprafata terenului': 'land_area',
    'suprafata terenului mp': 'land_area',
    'tip vehicul': 'vehicle_kind', 'categorie vehicul': 'vehicle_kind',
    'tip mijloc de transport': 'vehicle_kind',
    'capacitate cilindrica': 'engine_cc',
    'capacitate cilindrica cmc': 'engine_cc', 'cmc': 'engine_cc',
    'cilindree': 'engine_cc',
    'norma euro': 'euro_norm', 'norma de poluare': 'euro_norm',
    'propulsie': 'propulsion', 'combustibil': 'propulsion',
    'emisii co2': 'co2', 'emisii co2 g km': 'co2',
    'masa maxima': 'max_mass', 'masa maxima autorizata': 'max_mass',
    'masa totala maxima autorizata': 'max_mass',
    'masa totala maxima autorizata kg': 'max_mass', 'mtma': 'max_mass',
    'axe': 'axles', 'numar axe': 'axles', 'nr axe': 'axles',
    'suspensie pneumatica': 'air_suspension',
    }
DEBT_HEADERS = {
    'cod venit': 'revenue_type', 'tip venit': 'revenue_type',
    'venit': 'revenue_type', 'cod impozit': 'revenue_type',
    'cod bugetar': 'revenue_type', 'clasificatie bugetara': 'revenue_type',
    'an': 'year', 'anul': 'year', 'an fiscal': 'year',
    'an impunere': 'year',
    'scadenta': 'due_date', 'data scadenta': 'due_date',
    'data scadentei': 'due_date', 'termen de plata': 'due_date',
    'termen plata': 'due_date',
    'suma': 'amount', 'suma lei': 'amount', 'rest de plata': 'amount',
    'rest de plata lei': 'amount', 'suma datorata': 'amount',
    'suma datorata lei': 'amount', 'debit': 'amount', 'debit lei': 'amount',
    'bun': 'object', 'identificator bun': 'object',
    'nr cadastral': 'object', 'nr inmatriculare': 'object',
    'nr cadastral nr inmatriculare': 'object',
    }

# The values of the registers, keyed as the headers, by column
VALUES = {
    'kind': {
        'cladire': 'property', 'cladiri': 'property', 'teren': 'property',
        'terenuri': 'property', 'proprietate': 'property',
        'mijloc de transport': 'vehicle', 'mijloace de transport': 'vehicle',
        'vehicul': 'vehicle', 'autovehicul': 'vehicle', 'auto': 'vehicle',
        },
    'property_kind': {
        'cladire': 'building', 'cladiri': 'building', 'c': 'building',
        'teren': 'land', 'terenuri': 'land', 't': 'land',
        },
    'owner_kind': {
        'pf': 'natural', 'persoana fizica': 'natural', 'fizica': 'natural',
        'pj': 'legal', 'persoana juridica': 'legal', 'juridica': 'legal',
        },
    'rank': {
        '0': '0', '1': 'I', '2': 'II', '3': 'III', '4': 'IV', '5': 'V',
        },
    'building_use': {
        'rezidentiala': 'residential', 'rezidential': 'residential',
        'locuinta': 'residential',
        'nerezidentiala': 'non_residential',
        'nerezidential': 'non_residential',
        'mixta': 'mixed', 'mixt': 'mixed',
        'non residential': 'non_residential',
        },
    'land_category': {
        'curti constructii': 'buildings', 'curti si constructii': 'buildings',
        'cc': 'buildings', 'arabil': 'arable', 'pasune': 'pasture',
        'pasuni': 'pasture', 'faneata': 'hayfield', 'fanete': 'hayfield',
        'vie': 'vineyard', 'vii': 'vineyard', 'livada': 'orchard',
        'livezi': 'orchard', 'padure': 'forest', 'paduri': 'forest',
        'ape': 'water', 'luciu de apa': 'water',
        'neproductiv': 'unproductive', 'teren neproductiv': 'unproductive',
        },
    'vehicle_kind': {
        'autoturism': 'car', 'autoturisme': 'car',
        'motocicleta': 'motorcycle', 'motocicleta tricicluri': 'motorcycle',
        'triciclu': 'motorcycle', 'cvadriciclu': 'motorcycle',
        'autobuz': 'bus', 'autocar': 'bus', 'microbuz': 'bus',
        'autoutilitara': 'motor_vehicle', 'alte vehicule': 'motor_vehicle',
        'tractor': 'tractor', 'tractor inmatriculat': 'tractor',
        'autocamion': 'truck', 'camion': 'truck',
        'remorca': 'trailer', 'semiremorca': 'trailer', 'rulota': 'trailer',
        },
    'euro_norm': {
        'non euro': 'none', 'euro 0': 'none', 'euro 1': 'none',
        'euro 2': 'none', 'euro 3': 'none', 'e1': 'none', 'e2': 'none',
        'e3': 'none', '1': 'none', '2': 'none', '3': 'none',
        'euro 4': '4', 'e4': '4', 'euro 5': '5', 'e5': '5',
        'euro 6': '6', 'e6': '6',
        },
    'propulsion': {
        'benzina': 'thermal', 'motorina': 'thermal', 'diesel': 'thermal',
        'gpl': 'thermal', 'termic': 'thermal', 'termica': 'thermal',
        'hibrid': 'hybrid', 'electric': 'electric', 'electrica': 'electric',
        },
    }
PROPERTY_KINDS = {'cladire': 'building', 'cladiri': 'building',
    'teren': 'land', 'terenuri': 'land'}
# The amounts written with the dots of thousands and a decimal comma, as
# Romanian writes them: 1.000.000,50
THOUSANDS = re.compile(r'^\s*-?\d{1,3}(\.\d{3})+,\d*\s*$')
NUMBERS = ['amount', 'share', 'area', 'non_residential_area', 'value',
    'land_area']
# The key of the values of a row as the file writes them
FILE = 'file'
CEDILLA = str.maketrans('şţŞŢ', 'șțȘȚ')


def key(text):
    """The text without diacritics (ș and ş alike), in lower case, any run
    of punctuation or spaces a single space"""
    text = unicodedata.normalize('NFKD', text or '')
    text = ''.join(c for c in text if not unicodedata.combining(c))
    text = ''.join(c if c.isalnum() else ' ' for c in text.lower())
    return ' '.join(text.split())


def identifier_type(code):
    "The identifier type a code without a type is: 13 digits are a CNP"
    compact = ''.join(c for c in code if c.isalnum())
    return 'ro_cnp' if len(compact) == 13 and compact.isdigit() else 'ro_cui'


class Import(metaclass=PoolMeta):
    __name__ = 'muni.import'

    def _header_ro(self, header):
        name = key(header)
        headers = OBJECT_HEADERS if self.kind == 'objects' else DEBT_HEADERS
        return headers.get(name) or HEADERS.get(name) or header

    def _required_columns_ro(self, required):
        # The registers tell no type: the number tells a CNP from a CUI
        return [c for c in required if c != 'identifier_type']

    def _row_values_ro(self, values):
        # The old code pages have only the cedilla letters ş and ţ
        values = {c: v.translate(CEDILLA) for c, v in values.items()}
        for column in NUMBERS:
            if THOUSANDS.match(values.get(column) or ''):
                values[column] = values[column].replace('.', '')
        if self.kind == 'objects':
            kind = key(values.get('kind'))
            if kind in PROPERTY_KINDS and not values.get('property_kind'):
                values['property_kind'] = PROPERTY_KINDS[kind]
                values[FILE, 'property_kind'] = values['kind'].strip()
            for column, words in VALUES.items():
                value = key(values.get(column))
                if value in words:
                    # The report quotes the value as the file writes it
                    values.setdefault((FILE, column), values[column].strip())
                    values[column] = words[value]
        return values

    def _column_label_ro(self, column):
        if column in LABELLED:
            return gettext(
                f'muni_ro_localization.msg_import_column_{column}')
        return column

    def _identifier_ro(self, row, type_, code):
        if type_:
            kind = IDENTIFIER_TYPES.get(key(type_))
            if kind is None:
                row.error('identifier_type', gettext(
                        'muni_ro_localization.msg_import_identifier_type',
                        value=type_,
                        values=', '.join(IDENTIFIER_NAMES.values())))
                return
        else:
            kind = identifier_type(code)
        compact = ''.join(code.split()).upper()
        if kind == 'ro_cui' and compact.startswith('RO'):
            # The CIF of a VAT payer is its CUI after "RO": the town hall
            # knows the taxpayer by the CUI
            compact = compact[2:]
        error = identifier_error(kind, compact)
        if error:
            row.error('identifier', gettext(
                    f'muni_ro_localization.msg_import_identifier_{error}',
                    type=IDENTIFIER_NAMES[kind], code=code))
            return
        module = cnp if kind == 'ro_cnp' else cui
        return kind, module.compact(compact)

    def _object_columns_ro(self):
        return list(OBJECT_COLUMNS)

    def _object_fields_ro(self):
        # Every owner's row repeats the object's fields
        return OBJECT_COLUMNS

    def _revenue_type_aliases_ro(self, revenue_types):
        """The budget code (clasificația bugetară) of a revenue type names it
        too, with or without its dots, when no other type has it"""
        aliases, seen = {}, set()
        for revenue_type in revenue_types:
            if (revenue_type.localisation != 'ro'
                    or not revenue_type.budget_code):
                continue
            code = revenue_type.budget_code.code
            for alias in {code, code.replace('.', '')}:
                if alias in seen:
                    aliases.pop(alias, None)
                else:
                    aliases[alias] = revenue_type
                    seen.add(alias)
        return aliases

    def _object_values_ro(self, row, values):
        pool = Pool()
        TaxObject = pool.get('muni.tax.object')
        Date = pool.get('ir.date')
        this_year = Date.today().year
        result = {}
        for column in SELECTIONS:
            if row.text(column):
                result[column] = row.selection(column,
                    TaxObject._fields[OBJECT_COLUMNS[column]].selection)
        for column in DECIMALS:
            result[column] = row.decimal(column)
        for column in INTEGERS:
            result[column] = row.integer(column)
        for column in BOOLEANS:
            if row.text(column):
                result[column] = row.boolean(column)

        for column in DECIMALS + ['engine_cc', 'max_mass', 'axles']:
            if result[column] is not None and result[column] <= 0:
                row.error(column, gettext(
                        'muni_ro_localization.msg_import_positive',
                        value=result[column]))
        for column, first in [
                ('construction_year', FIRST_CONSTRUCTION_YEAR),
                ('value_year', FIRST_CONSTRUCTION_YEAR)]:
            year = result[column]
            if year is not None and not (first <= year <= this_year):
                row.error(column, gettext(
                        'muni_ro_localization.msg_import_year_invalid',
                        year=year, first=first, last=this_year))

        def label(column):
            return row.values.get((FILE, column)) or row.text(column)

        def require(columns, kind):
            for column in columns:
                if result.get(column) is None and not row.text(column):
                    row.error(column, gettext(
                            'muni_ro_localization.msg_import_required_for',
                            column=row.report.label(column), kind=kind))

        kind = values.get('kind')
        if kind in {'property', 'vehicle'} and not row.text('owner_kind'):
            code = row.text('identifier')
            if code:
                result['owner_kind'] = ('natural'
                    if identifier_type(code) == 'ro_cnp' else 'legal')
        if kind == 'property':
            settlement = values.get('settlement')
            if (not row.text('rank') and settlement
                    and getattr(settlement, 'ro_rank', None)):
                # The rank of the SIRUTA locality, as the form gives it
                result['rank'] = settlement.ro_rank
            require(['property_kind'], label('kind'))
            property_kind = result.get('property_kind')
            if property_kind == 'building':
                require(['rank', 'fiscal_zone', 'building_use',
                        'building_type', 'area', 'construction_year'],
                    label('property_kind'))
            elif property_kind == 'land':
                require(['land_location', 'land_category', 'land_area'],
                    label('property_kind'))
                if result.get('land_location') == 'intravilan':
                    require(['rank', 'fiscal_zone'], label('land_location'))
        elif kind == 'vehicle':
            require(['vehicle_kind'], label('kind'))
            vehicle_kind = result.get('vehicle_kind')
            if (vehicle_kind in CC_VEHICLES
                    and result.get('propulsion') != 'electric'):
                require(['engine_cc'], label('vehicle_kind'))
            if vehicle_kind in MASS_VEHICLES:
                require(['max_mass'], label('vehicle_kind'))
            if vehicle_kind == 'truck':
                require(['axles'], label('vehicle_kind'))
            if result.get('propulsion') == 'hybrid':
                require(['co2'], label('propulsion'))
        return {OBJECT_COLUMNS[c]: v for c, v in result.items()
            if v is not None}

    def _debt_amount_ro(self, row, year, amount):
        "The amounts are in lei and bani, for a year of the law Pontica holds"
        if not (FIRST_YEAR <= year <= LAST_YEAR):
            row.error('year', gettext(
                    'muni_ro_localization.msg_import_year_range',
                    year=year, first=FIRST_YEAR, last=LAST_YEAR))
            return
        if amount != amount.quantize(BANI):
            row.error('amount', gettext(
                    'muni_ro_localization.msg_import_bani', value=amount))
            return
        return {'amount': amount.quantize(BANI), 'trace': []}

