# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import re

from sql.conditionals import Coalesce
from sql.operators import ILike

from trytond.model import fields

_RUN = re.compile(r'[^\W_]+')


def longest_run(value):
    """Return the longest run of letters and digits inside a '%…%' pattern
    with no other wildcard, when it is a part of the pattern long enough
    for a trigram index, else None"""
    if (not isinstance(value, str) or len(value) < 5
            or value[0] != '%' or value[-1] != '%'):
        return None
    inner = value[1:-1]
    if any(c in inner for c in '%_\\'):
        return None
    run = max(_RUN.findall(inner), key=len, default='')
    if len(run) < 3 or run == inner:
        return None
    return run


def contains_clause(Model, domain, tables):
    """Return the SQL of a domain on a Char field of Model that is not
    required and has a trigram index on COALESCE(column, '')

    A registration number has few letters and digits of its own among
    many common to all numbers (the register index, the date): the
    trigram index finds a number containing '%94-00-123/15.03.2026%' by
    all these trigrams, reading the long lists of the common ones. Looked
    up by its longest run of letters and digits ('123'), which any match
    contains, and checked against the whole pattern without the index, it
    is found by its rare trigrams only."""
    name, operator, value = domain
    field = Model._fields[name]
    run = longest_run(value) if operator == 'ilike' else None
    if not run:
        # The conversion of the field without this method
        return fields.Field.convert_domain.__wrapped__(
            field, domain, tables, Model)
    column = field.sql_column(tables, Model)
    return (ILike(column, value, escape='\\')
        & ILike(Coalesce(column, ''), f'%{run}%'))
