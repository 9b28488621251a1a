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
from collections import Counter
from decimal import InvalidOperation

from lxml import etree
from mt940 import MT940
from stdnum import iban

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
# The characters that mark the subfields of field 86, by bank: ?20 (SWIFT,
# Bulgarian banks), ^20, +20, ~20 (Romanian banks); the field may start
# with a transaction code of three digits (166?00…)
FIELD_86_MARKERS = '?^+~'
FIELD_86_START = re.compile(
    r'^(?:\d{3})?([%s])\d{2}' % re.escape(FIELD_86_MARKERS))
MT940_FIELD_86_START = re.compile(
    r'^:86:(?:\d{3})?([%s])\d{2}' % re.escape(FIELD_86_MARKERS),
    re.MULTILINE)
# The country of the account of :25:, "/" written before or not
MT940_IBAN_COUNTRY = re.compile(rb':25:[^\n]*?/?([A-Z]{2})\d{2}[A-Z0-9]')
# The one-byte encodings of the banks of a country, the most used first:
# a file not in UTF-8 is read in the one that reads best (mt940_encoding)
LEGACY_ENCODINGS = {
    'BG': ['cp1251'],
    'RO': ['cp1250', 'iso8859_2'],
    }
# The letters beyond ASCII that each encoding is expected to hold: the
# Bulgarian alphabet; the Romanian one, ș and ț written with a cedilla as
# both encodings have them so (CEDILLA)
ENCODING_SCORES = {
    'cp1251': set('АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ'
        'абвгдежзийклмнопрстуфхцчшщъьюя' 'ЫЭыэЁё'),
    'cp1250': set('ĂăÂâÎîŞşŢţ'),
    'iso8859_2': set('ĂăÂâÎîŞşŢţ'),
    }
ENCODING_NAMES = {
    'cp1251': 'Windows-1251',
    'cp1250': 'Windows-1250',
    'iso8859_2': 'ISO-8859-2',
    }
# Windows-1250 and ISO-8859-2 have no ș and ț (comma below): Romanian
# writes them with a cedilla there, read as the letters they stand for
# (ISO-8859-16 has ș and ț where ISO-8859-2 has ş and ţ: read so, a file in
# it comes out right too)
CEDILLA_ENCODINGS = {'cp1250', 'iso8859_2'}
CEDILLA = str.maketrans('ŞşŢţ', 'ȘșȚț')
C1_CONTROLS = re.compile('[\x80-\x9f]')
# How many lines with letters beyond ASCII are read to tell the encoding
ENCODING_SAMPLE = 2000
WORD = re.compile(r'[^\W\d_]+')
CYRILLIC, CYRILLIC_END = '\u0400', '\u04ff'


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


def mt940_decode(data, encoding=None, country=None):
    """Return the text of an MT940 file and its encoding: the one given,
    else UTF-8, else the one-byte encoding whose letters read as words
    (mt940_encoding); CRLF or LF line ends. The country of the account
    (:25:), else the given one, breaks a tie between encodings"""
    country = mt940_country(data) or country
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exception:
            raise encoding_reason(country) from exception
    elif b'\x00' in data:
        # UTF-16 or no text at all: a one-byte encoding would read anything
        raise encoding_reason(country)
    else:
        try:
            text, encoding = data.decode('utf-8-sig'), 'utf-8'
        except UnicodeDecodeError:
            encoding, text = mt940_encoding(data, country)
    return text.replace('\r\n', '\n').replace('\r', '\n'), encoding


def encoding_reason(country):
    """Return the refusal of a file in none of the encodings of UTF-8 and
    those of the banks of the country"""
    encodings = LEGACY_ENCODINGS.get(country)
    if not encodings or encodings == ['cp1251']:
        return Unreadable('msg_statement_reason_encoding')
    return Unreadable('msg_statement_reason_encoding_country',
        encodings=', '.join(ENCODING_NAMES[e] for e in encodings))


def mt940_country(data):
    "The country of the first account (:25:) of the file, as its IBAN says"
    match = MT940_IBAN_COUNTRY.search(data)
    if match:
        return match.group(1).decode('ascii')


def mt940_encoding(data, country=None):
    """Return the one-byte encoding of a text not in UTF-8 and the text:
    the encoding, of those the banks use (LEGACY_ENCODINGS), in which the
    most letters beyond ASCII are letters of its alphabet and of a word
    of one script; on a tie, the first of the country's banks

    >>> mt940_encoding('Plată ÎNCASARE'.encode('cp1250'))[0]
    'cp1250'
    >>> mt940_encoding('ПЛАЩАНЕ НА ДНИ'.encode('cp1251'))[0]
    'cp1251'"""
    order = list(LEGACY_ENCODINGS.get(country, []))
    order += [e for e in ENCODING_SCORES if e not in order]
    # the lines with letters beyond ASCII tell the encoding: a sample of
    # them is read in each, the whole file in the best that reads it all
    sample = b'\n'.join([l for l in data.splitlines() if not l.isascii()][
            :ENCODING_SAMPLE])
    scores = []
    for rank, encoding in enumerate(order):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        scores.append((-encoding_score(text, ENCODING_SCORES[encoding]),
                rank, encoding))
    for _, _, encoding in sorted(scores):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # C1 control characters: what ISO-8859-2 makes of the bytes
        # 0x80-0x9f, which no bank file holds
        if C1_CONTROLS.search(text):
            continue
        if encoding in CEDILLA_ENCODINGS:
            text = text.translate(CEDILLA)
        return encoding, text
    raise encoding_reason(country)


def encoding_score(text, alphabet):
    """The letters beyond ASCII of the text read in the alphabet: one more
    for each letter of it in a word of one script, one less for each other
    letter"""
    score = 0
    # a bank file repeats its words: each is scored once
    for word, count in Counter(WORD.findall(text)).items():
        if word.isascii():
            continue
        cyrillic = [CYRILLIC <= c <= CYRILLIC_END for c in word]
        one_script = all(cyrillic) or not any(cyrillic)
        for letter in word:
            if ord(letter) > 127:
                if one_script and letter in alphabet:
                    score += count
                else:
                    score -= count
    return score


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


def mt940_text(text, width=MT940_LINE, marker=None):
    """Return the lines of a field as one text, as it reads: a line joined
    to the next with a space, unless the line is full (width characters)
    and was cut inside a word (mt940_cut); the subfield markers of the
    bank as spaces: those of the field (field_86_marker), else those of
    its file (marker, mt940_marker), else SWIFT's "?"

    >>> mt940_text('ЕГН\\n7523169263')
    'ЕГН 7523169263'
    >>> mt940_text('^20PLATA IMPOZIT^21CNP 1850101123456')
    'PLATA IMPOZIT CNP 1850101123456'"""
    lines = (text or '').split('\n')
    marker = field_86_marker(text) or marker or '?'
    result = lines[0]
    for previous, line in zip(lines, lines[1:]):
        if re.match(re.escape(marker) + r'\d{2}', line):
            result += ' '
        elif not (len(previous) >= width and mt940_cut(previous, line)):
            result += ' '
        result += line
    result = re.sub(re.escape(marker) + r'\d{2}', ' ', result)
    return one_line(result)


def mt940_cut(previous, line):
    """Whether a full line was cut inside a word: it ends with a letter or
    digit, the next starts with one, and the case does not say that a
    word starts ("SCHIMB" then "Schimb", "valoare" then "Curs"); a word
    cut where both sides are in the same case cannot be told from two
    words and is joined, as SWIFT's lines of 65 characters cut words"""
    if not previous or not line:
        return False
    end, start = previous[-1], line[0]
    if not (end.isalnum() and start.isalnum()):
        return False
    if end.islower() and start.isupper():
        return False
    if (end.isupper() and start.isupper()
            and len(line) > 1 and line[1].islower()):
        return False
    return True


def field_86_marker(text):
    """The character that marks the subfields of field 86 in the bank's
    layout (?20, ^20, +20, ~20): the one, followed by two digits, that
    starts the field (after a 3-digit transaction code) or one of its
    lines; None for a field of free text

    >>> field_86_marker('166?00GUTSCHRIFT?20ABC'), field_86_marker('A+20')
    ('?', None)"""
    for line in (text or '').split('\n'):
        match = FIELD_86_START.match(line)
        if match:
            return match.group(1)


def mt940_marker(text):
    """The marker of the subfields of field 86 that most fields of the file
    start with, if any

    >>> mt940_marker(':86:~00PLATA\\n:86:TAXA ~21X\\n:86:?20Y\\n:86:~20Z')
    '~'"""
    markers = Counter(MT940_FIELD_86_START.findall(text or ''))
    if markers:
        return markers.most_common(1)[0][0]


def statement_account(text):
    """Return the account of field :25: as its IBAN, compact, and the
    currency written after it: banks write "/RO49…", "BIC/IBAN",
    "IBAN RON" or "IBANRON"; an account that is no IBAN is returned as
    written, without the leading "/" (as bank.account.number holds it)

    >>> statement_account('/RO49 AAAA 1B31 0075 9384 0000')
    ('RO49AAAA1B31007593840000', None)
    >>> statement_account('BTRLRO22/RO49AAAA1B31007593840000EUR')
    ('RO49AAAA1B31007593840000', 'EUR')"""
    value = (text or '').strip()
    tokens = [t for t in re.split(r'[/\s]+', value) if t]
    compacted = ''.join(tokens)
    candidates = tokens + [compacted]
    # an IBAN written in groups of four
    for part in re.split(r'/', value):
        candidates.append(''.join(part.split()))
    currency = None
    for token in tokens:
        if re.fullmatch(r'[A-Z]{3}', token):
            currency = token
    for candidate in candidates:
        candidate = candidate.upper()
        if iban.is_valid(candidate):
            return iban.compact(candidate), currency
        if (len(candidate) > 3 and candidate[-3:].isalpha()
                and iban.is_valid(candidate[:-3])):
            return iban.compact(candidate[:-3]), candidate[-3:]
    return value[1:].strip() if value.startswith('/') else value, currency
