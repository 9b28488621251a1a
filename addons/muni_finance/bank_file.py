# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Bank files as banks send them: the text of an MT940 checked field by
field before the mt940 library reads it, the dates of a camt file as ISO
20022 writes them, and the bank's text on one line.

The problems found are raised as Unreadable, with the id of the message
that says where the file breaks off; StatementImport translates it."""
import codecs
import datetime as dt
import io
import re
from decimal import InvalidOperation

from lxml import etree
from mt940 import MT940

# ISO 20022 ISODate: a date, with an optional offset that says nothing of
# the day
ISO_DATE = re.compile(r'(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?')
# The date choices of camt that the import reads: an entry's booking and
# value dates, a balance's date
CAMT_DATES = ['{*}BookgDt', '{*}ValDt', '{*}Bal']
# The field tags of MT940: :20:, :28C:, :60F: and :940:, a begin marker
MT940_TAG = re.compile(r':(\d{2,3}[A-Z]?):')
MT940_BALANCE = re.compile(r'[CD]\d{6}[A-Z]{3}\d[\d,]*')
MT940_OPENING = {'60F', '60M'}
MT940_CLOSING = {'62F', '62M'}
# The pages of a statement (:60M: to :62M:) are read as statements of
# their own: the mt940 library knows only :60F: and :62F:
MT940_PAGE = re.compile(r'^:6([02])M:', re.MULTILINE)
# What the mt940 library raises on a field it cannot read
MT940_ERRORS = (
    ValueError, TypeError, IndexError, AttributeError, InvalidOperation)
# A line of field 86 holds at most 65 characters (6*65x): a full line may
# have been cut inside a word, a shorter one ended where the bank wanted
MT940_LINE = 65
# The key of the message naming each field of MT940
MT940_FIELDS = {
    '20': 'reference',
    '25': 'account',
    '28': 'number',
    '28C': 'number',
    '60F': 'opening',
    '60M': 'opening',
    '61': 'transaction',
    '86': 'information',
    '62F': 'closing',
    '62M': 'closing',
    }
MT940_HEADER = ['20', '25', '28C']


class Unreadable(Exception):
    "A bank file that cannot be read, with the message that says why"

    def __init__(self, message, **values):
        super().__init__(message, values)
        self.message = message
        self.values = values


def one_line(text):
    "Return the text with its line breaks and runs of blanks as one space"
    if text is None:
        return None
    return ' '.join(text.split())


def excerpt(text, size=40):
    text = one_line(text) or ''
    return text if len(text) <= size else text[:size - 1] + '…'


def iso_date(text, tzinfo=None):
    """Return the day of an ISODate or an ISODateTime: the offset of a date
    is dropped; a date-time with an offset is taken in tzinfo if given, as
    written otherwise

    >>> iso_date('2017-04-01+02:00'), iso_date('2017-03-31T22:30:00Z')
    (datetime.date(2017, 4, 1), datetime.date(2017, 3, 31))"""
    text = (text or '').strip()
    match = ISO_DATE.fullmatch(text)
    if match:
        return dt.date.fromisoformat(match.group(1))
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is not None and tzinfo is not None:
        value = value.astimezone(tzinfo)
    return value.date()


def camt_dates(root, tzinfo=None):
    """Write the booking, value and balance dates of a camt document as
    plain dates: account_statement_sepa reads them with date.fromisoformat,
    which refuses an offset and a date-time"""
    elements = []
    for element in root.iter(*CAMT_DATES):
        if etree.QName(element).localname == 'Bal':
            elements.extend(element.iterfind('./{*}Dt'))
        else:
            elements.append(element)
    for element in elements:
        choices = [c for c in element if isinstance(c.tag, str)
            and etree.QName(c).localname in {'Dt', 'DtTm'}]
        if not choices:
            continue
        choice = choices[0]
        try:
            date = iso_date(choice.text, tzinfo)
        except ValueError as exception:
            raise Unreadable('msg_statement_reason_camt_date',
                value=excerpt(choice.text), line=choice.sourceline
                ) from exception
        if (len(choices) == 1 and choice.text == date.isoformat()
                and etree.QName(choice).localname == 'Dt'):
            continue
        for child in choices:
            element.remove(child)
        namespace = etree.QName(element).namespace
        date_element = etree.SubElement(
            element, '{%s}Dt' % namespace if namespace else 'Dt')
        date_element.text = date.isoformat()


def parse_xml(data):
    """The root of the XML document, read without a document type: no
    entity expanded, no DTD loaded, nothing fetched from the network, as a
    bank file never needs them (a file declaring entities could otherwise
    grow in memory or read the server's files)"""
    xml_encoding(data)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False,
        dtd_validation=False, huge_tree=False, remove_pis=True)
    tree = etree.parse(io.BytesIO(data), parser)
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise Unreadable('msg_statement_reason_xml_doctype')
    return tree.getroot()


def xml_encoding(data):
    """Check that the XML document is written in the encoding it declares
    (UTF-8 without declaration)"""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # UTF-16 or UTF-32, which the parser reads by their mark
        return
    match = re.match(
        rb'^(?:\xef\xbb\xbf)?<\?xml[^>]*encoding=["\']([A-Za-z0-9._-]+)',
        data)
    encoding = match.group(1).decode('ascii') if match else 'UTF-8'
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exception:
        raise Unreadable('msg_statement_reason_xml_encoding',
            encoding=encoding) from exception


def mt940_decode(data, encoding=None):
    """Return the text of an MT940 file: Bulgarian banks send UTF-8 or
    Windows-1251, with CRLF or LF line ends"""
    if encoding:
        encodings = [encoding]
    elif b'\x00' in data:
        # UTF-16 or no text at all: Windows-1251 would read anything
        encodings = []
    else:
        encodings = ['utf-8-sig', 'cp1251']
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    else:
        raise Unreadable('msg_statement_reason_encoding')
    return text.replace('\r\n', '\n').replace('\r', '\n')


def mt940_fields(text):
    """Return the fields of an MT940 text as (line, tag, value), cut where
    the mt940 library cuts them, and where messages end ('-')"""
    fields, number = [], 1
    for chunk in MT940._readline(io.StringIO(text)):
        match = MT940_TAG.match(chunk)
        if match:
            fields.append((number, match.group(1), chunk[match.end():]))
        elif chunk.startswith('-'):
            fields.append((number, '-', chunk))
        elif chunk.startswith(':'):
            raise Unreadable('msg_statement_reason_mt940_line',
                line=number, text=excerpt(chunk.split('\n')[0]))
        # what comes before the first field (a SWIFT header) is skipped,
        # as the mt940 library does
        number += chunk.count('\n') + 1
    return fields


def mt940_check(text):
    """Check that the mt940 library can read each statement of the text:
    its fields in their place and readable; return the number of
    statements"""
    statements, ended = [], True
    for number, tag, value in mt940_fields(text):
        if tag == '-':
            ended = True
            continue
        elif tag == '940':
            continue
        if (tag == '20' or ended or (
                    statements[-1]['closed']
                    and tag not in {'64', '65', '86'})):
            statements.append({'line': number, 'fields': [], 'closed': False})
            ended = False
        statements[-1]['fields'].append((number, tag, value))
        if tag in MT940_CLOSING:
            statements[-1]['closed'] = True
    for statement in statements:
        _mt940_check_statement(statement['line'], statement['fields'])
    return len(statements)


def _mt940_check_statement(start, fields):
    tags = {t for _, t, _ in fields}
    name = next((v for _, t, v in fields if t in {'28C', '28'}),
        next((v for _, t, v in fields if t == '20'), None))
    name = excerpt(name) or '?'

    def missing(tag):
        return Unreadable('msg_statement_reason_mt940_missing',
            statement=name, line=start, field=MT940_FIELDS[tag])

    def invalid(number, tag, value):
        return Unreadable('msg_statement_reason_mt940_invalid',
            statement=name, line=number, field=MT940_FIELDS[tag],
            text=excerpt(value))

    def misplaced(number, tag):
        return Unreadable('msg_statement_reason_mt940_misplaced',
            statement=name, line=number, field=MT940_FIELDS[tag])

    if fields[0][1] != '20':
        raise missing('20')
    opened = closed = False
    seen, last = set(), None
    for number, tag, value in fields:
        if tag in {'20', '25', '28', '28C'}:
            if tag in seen or opened:
                raise misplaced(number, tag)
            if not value.strip():
                raise invalid(number, tag, value)
        elif tag in MT940_OPENING:
            if opened:
                raise misplaced(number, tag)
            for header in MT940_HEADER:
                if header not in tags and not (
                        header == '28C' and '28' in tags):
                    raise missing(header)
            _mt940_balance(number, tag, value, invalid)
            opened = True
        elif tag == '61':
            if not opened:
                raise missing('60F')
            try:
                MT940._get_transaction(value)
            except MT940_ERRORS as exception:
                raise invalid(number, tag, value) from exception
        elif tag == '86':
            if not closed and last not in {'61', '86'}:
                raise misplaced(number, tag)
        elif tag in MT940_CLOSING:
            if not opened:
                raise missing('60F')
            _mt940_balance(number, tag, value, invalid)
            closed = True
        seen.add(tag)
        last = tag
    if not opened:
        raise missing('60F')
    if not closed:
        raise missing('62F')


def _mt940_balance(number, tag, value, invalid):
    if not MT940_BALANCE.fullmatch(value.rstrip()):
        raise invalid(number, tag, value)
    try:
        MT940._get_balance(value)
    except MT940_ERRORS as exception:
        raise invalid(number, tag, value) from exception


def mt940_pages(text):
    "Return the text with the pages' balances as the mt940 library reads"
    return MT940_PAGE.sub(r':6\1F:', text)


def mt940_text(text):
    """Return the lines of a field as one text: a full line joined to the
    next, a shorter one with a space

    >>> mt940_text('ЕГН\\n7523169263')
    'ЕГН 7523169263'"""
    result = ''
    previous = None
    for line in (text or '').split('\n'):
        if previous is not None and len(previous) < MT940_LINE:
            result += ' '
        result += line
        previous = line
    return result
