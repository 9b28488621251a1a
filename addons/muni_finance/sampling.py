# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Validation by sample.

A bulk path (the levy, the receipts of a bank file, the move of a payment,
the reconciliations of what payments settle) builds thousands of records
from values it checked itself. trytond's generic checks of each record
(domains, required, digits, selection…) cost a PYSON evaluation per record
and field and the reading of every record, though the records of a bulk
differ in a few values only. The path creates such records with
create_checked or save_checked: the generic checks run on one sample per
key (_checked_keys: the values the checks read, but those the model checks
itself on each record), validate on every record.

The flag is for that one call only. What the call creates or writes on the
way (account's checks, another module's hook, Tryton's own code) is
validated in full, and so is everything else the path calls. Each model
declares the fields its key holds (_sample_key) and why the other fields
its checks read are left out of it (_sample_exempt); the tests check the
declaration against the model's fields.
"""
from contextlib import contextmanager
from decimal import Decimal

from sql import Column

from trytond import backend
from trytond.model import fields
from trytond.tools import grouped_slice
from trytond.tools.immutabledict import ImmutableDict
from trytond.transaction import Transaction

# Private context keys (RPC strips the keys starting with "_"). CHECKED:
# the model whose records the next create or write call validates by
# sample, set by create_checked, save_checked and write_checked. SAMPLING:
# inside that call, the model it validates by sample; any create or write of
# a sampled model nested in it starts without either.
CHECKED = '_muni_checked'
SAMPLING = '_muni_sampling'
# The reason a free text of a record is left out of its key
FREE_TEXT = ("a free text, which no check reads but for forbidden "
    "characters: a record whose text holds one is a sample of its own")


def stored(cls, ids, names):
    """Return the rows (dictionaries) of the stored values of the records:
    with SQL, as ModelSQL.read would also compute the Function fields that
    the contexts of these fields depend on, for every record"""
    table = cls.__table__()
    cursor = Transaction().connection.cursor()
    columns = [table.id] + [Column(table, n) for n in names]
    rows = []
    for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
        cursor.execute(*table.select(*columns,
                where=fields.SQL_OPERATORS['in'](table.id, list(sub_ids))))
        rows.extend(dict(zip(['id'] + names, r)) for r in cursor)
    return rows


def digits_regular(value, digits):
    "Whether the Decimal value fits the digits of a currency"
    return (isinstance(value, Decimal)
        and value.as_tuple().exponent >= -digits
        and abs(value) < 10 ** 12)


def _check_model(Model):
    if not issubclass(Model, ValidatedBySample):
        raise TypeError(f"{Model.__name__} is not validated by sample")


def create_checked(Model, vlist):
    """Create the records of Model that the caller built from checked values
    and return them: their generic checks run by sample"""
    _check_model(Model)
    with Transaction().set_context({CHECKED: Model.__name__}):
        return Model.create(vlist)


def write_checked(Model, *args):
    """Write on records of Model the values the caller computed and checked
    (Model._validate_checked_write says what is checked again)"""
    _check_model(Model)
    with Transaction().set_context({CHECKED: Model.__name__}):
        Model.write(*args)


def save_checked(records):
    """Save the new records, of one model, that the caller built from
    checked values: their generic checks run by sample. The flag is on the
    records' context for this save only (save takes the context of each
    record)"""
    if not records:
        return
    Model = records[0].__class__
    _check_model(Model)
    contexts = [r._context for r in records]
    flagged = {}
    try:
        for record in records:
            key = id(record._context)
            if key not in flagged:
                flagged[key] = ImmutableDict(
                    record._context, **{CHECKED: Model.__name__})
            record._context = flagged[key]
        Model.save(records)
    finally:
        for record, context in zip(records, contexts):
            record._context = context


@contextmanager
def _call_of(cls):
    """The create or write call of cls: validated by sample when the caller
    flagged it; nothing it calls sees the flag"""
    transaction = Transaction()
    context = transaction.context
    if context.get(CHECKED) is None and context.get(SAMPLING) is None:
        yield
        return
    sampled = context.get(CHECKED) == cls.__name__
    with transaction.set_context({
                CHECKED: None,
                SAMPLING: cls.__name__ if sampled else None,
                }):
        yield


def sampling(cls):
    "Whether the current create or write call of cls validates by sample"
    return Transaction().context.get(SAMPLING) == cls.__name__


def _free_texts(cls):
    """The texts the key leaves out that trytond checks for forbidden
    characters (line breaks, tabs…)"""
    return [n for n in cls._sample_exempt
        if getattr(cls._fields.get(n), 'forbidden_chars', None)
        and not isinstance(cls._fields[n], fields.Function)]


def _with_forbidden_chars(cls, ids):
    "The ids of the records whose free texts hold a forbidden character"
    names = _free_texts(cls)
    if not names:
        return set()
    return {row['id'] for row in stored(cls, ids, names)
        if any(row[n] and any(c in row[n]
                    for c in cls._fields[n].forbidden_chars)
            for n in names)}


def samples(cls, records):
    """Return the records that stand for the records of a bulk: one per key
    of cls._checked_keys, and each record whose own values it could not
    vouch for (key None, or a free text with a forbidden character); a
    fresh browse, which reads only them"""
    ids = [r.id for r in records]
    keys = cls._checked_keys(ids)
    suspects = _with_forbidden_chars(cls, ids)
    seen, sample = set(), []
    for id_ in ids:
        key = keys[id_]
        if key is None or id_ in suspects or key not in seen:
            seen.add(key)
            sample.append(id_)
    return cls.browse(sample)


def validate_by_sample(cls, records, generic):
    """Validate records that their creator built from checked values:
    `generic` (ModelStorage._validate: the generic checks, then
    pre_validate, validate and validate_fields) runs on the samples: one
    record per key, the key holding every value the checks depend on, but
    those that differ between the records of a bulk and that _checked_keys
    checks itself for each record. validate runs on every record; a model
    whose validate_fields depends on other values checks them on every
    record itself (_validate_sampled)."""
    sample = samples(cls, records)
    generic(sample)
    ids = set(map(int, sample))
    rest = [r for r in records if r.id not in ids]
    if rest:
        cls.validate(rest)
    cls._validate_sampled(records)


class ValidatedBySample:
    """Validate by sample the records a bulk path creates with
    create_checked or save_checked (and the writes of write_checked). The
    model defines _checked_keys from _sample_key, and says in
    _sample_exempt why each other field its checks read is left out.

    create and write are extended, not to change what they do, but to give
    the flag to this call and not to the calls it makes: they must be the
    first in the model's classes (a test checks it)."""
    __slots__ = ()
    # the fields whose values the key holds
    _sample_key = ()
    # the fields the checks read that the key does not hold: why
    _sample_exempt = {}

    @classmethod
    def create(cls, vlist):
        with _call_of(cls):
            return super().create(vlist)

    @classmethod
    def write(cls, *args):
        with _call_of(cls):
            super().write(*args)

    @classmethod
    def _validate(cls, records, field_names=None):
        if not sampling(cls):
            super()._validate(records, field_names=field_names)
        elif field_names is None:
            validate_by_sample(cls, records, super()._validate)
        else:
            cls._validate_checked_write(
                records, field_names, super()._validate)

    @classmethod
    def _checked_keys(cls, ids):
        """Return for each record id the key of the values the generic
        checks read, or None when the record must be a sample of its own:
        the stored values of _sample_key"""
        names = sorted(cls._sample_key)
        return {r['id']: tuple(r[n] for n in names)
            for r in stored(cls, ids, names)}

    @classmethod
    def _validate_sampled(cls, records):
        "Check on every record of a sampled bulk what the key leaves out"

    @classmethod
    def _validate_checked_write(cls, records, field_names, generic):
        """Validate a write of write_checked: in full unless the model knows
        better"""
        generic(records, field_names=field_names)
