# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the generic checks of a model validated by sample read, to check its
declaration (sampling.ValidatedBySample._sample_key, _sample_exempt)"""
from collections import defaultdict

from trytond.model import fields
from trytond.model.fields.field import get_eval_fields
from trytond.pool import Pool

from ..sampling import ValidatedBySample

# Columns every model has, which no check reads
_TECHNICAL = {'id', 'create_uid', 'create_date', 'write_uid', 'write_date'}


class _Touched(Exception):
    pass


class _Tripwire:
    "A record whose every attribute is out of bounds"

    def __getattribute__(self, name):
        raise _Touched(name)


def _reads_records(function):
    "Whether calling function makes it read a _Tripwire"
    try:
        function()
    except _Touched:
        return True
    return False


def _reads(value):
    "The fields a PYSON value reads"
    return get_eval_fields(value) if value is not None else set()


def checked_fields(Model, extra_fields=None):
    """Return {field name: [what reads it]} for the fields the generic
    checks of a creation (ModelStorage._validate: domain, required, digits,
    selection, size, forbidden characters, format; and states, as the
    issue of validation by sample lists them), validate_fields or
    pre_validate read; extra_fields: fields to take as the model's too (the
    test of the test)"""
    all_fields = dict(Model._fields, **(extra_fields or {}))
    result = defaultdict(list)

    def read(names, by):
        for other in names:
            if other in all_fields and other not in _TECHNICAL:
                result[other].append(f'read by the checks of {by}')
    for name, field in all_fields.items():
        # trytond checks no Function field outside the tests
        if name in _TECHNICAL or isinstance(field, fields.Function):
            continue
        checks = []
        if field.domain:
            checks.append('domain')
            read(_reads(field.domain) | _reads(field.context), name)
        if field.required or field.states.get('required'):
            checks.append('required')
            read(_reads(field.states.get('required')), name)
        if field.states:
            checks.append('states')
        digits = getattr(field, 'digits', None)
        if digits:
            checks.append('digits')
            read({digits} if isinstance(digits, str) else _reads(digits),
                name)
        if getattr(field, 'selection', None):
            checks.append('selection')
        if getattr(field, 'size', None):
            checks.append('size')
            read(_reads(field.size), name)
        if getattr(field, 'forbidden_chars', None):
            checks.append('forbidden characters')
        if getattr(field, 'format', None):
            checks.append('format')
        if checks:
            result[name][:0] = checks
    for name in all_fields:
        if name in _TECHNICAL:
            continue
        if _reads_records(
                lambda: Model.validate_fields([_Tripwire()], {name})):
            result[name].append('validate_fields')
    if _reads_records(lambda: Model.pre_validate(_Tripwire())):
        result['pre_validate'].append('pre_validate')
    return dict(result)


def uncovered(Model, extra_fields=None):
    """Return the fields the checks read that the model's declaration
    neither keys nor exempts, with what reads them"""
    declared = set(Model._sample_key) | set(Model._sample_exempt)
    return {name: checks
        for name, checks in checked_fields(Model, extra_fields).items()
        if name not in declared}


def declaration_errors(Model):
    "Return what is wrong in the declaration itself"
    errors = []
    both = set(Model._sample_key) & set(Model._sample_exempt)
    if both:
        errors.append(f"keyed and exempt: {sorted(both)}")
    for name, reason in Model._sample_exempt.items():
        if not (reason or '').strip():
            errors.append(f"{name}: exempt without a reason")
    unknown = ((set(Model._sample_key) | set(Model._sample_exempt))
        - set(Model._fields) - {'pre_validate'})
    if unknown:
        errors.append(f"not fields of the model: {sorted(unknown)}")
    # the mixin gives the flag to the call it is made for: no class above
    # it may create or write first
    for name in ['create', 'write']:
        owner = next(c for c in Model.__mro__ if name in c.__dict__)
        if owner is not ValidatedBySample:
            errors.append(f"{name} of {owner.__module__}.{owner.__name__} "
                "runs before ValidatedBySample's")
    return errors


def sampled_models():
    "The names of the models of the pool validated by sample"
    return {name for name, Model in Pool().iterobject()
        if issubclass(Model, ValidatedBySample)}
