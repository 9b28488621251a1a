# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Revenue records that nobody rewrites once they leave their draft state.

What a clerk writes through the RPC (sao, proteus: ``external``) is checked
in check_modification, the place Tryton's own modules use (account.move).
The workflow's buttons and the wizards run without the access check, so
the code behind them changes what it must."""
from trytond.i18n import gettext
from trytond.model.fields.selection import TranslatedSelection

from .exceptions import LockedError


class LockedAfterDraft:
    """Mixin of a Workflow model: once a record has left the states of
    _editable_states, an external write may change only the fields of
    _unlocked_fields (field name: the reason, written for the reader of
    the code); the state field changes only through the buttons; an
    external create makes only records in an editable state.

    A model whose records belong to a parent (the lines of a document)
    names it in _locked_parent: the records are locked with their parent,
    and their creation and deletion too."""
    __slots__ = ()
    _editable_states = {'draft'}
    _unlocked_fields = {}
    _locked_parent = None

    @classmethod
    def check_modification(
            cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if not external:
            return
        if cls._locked_parent:
            cls._check_locked_parent(mode, records, values)
            return
        state = cls._transition_state
        if mode == 'create':
            for record in records:
                if getattr(record, state) not in cls._editable_states:
                    raise LockedError(gettext(
                            'muni_finance.msg_locked_state',
                            record=record.rec_name,
                            field=cls.__names__(state)['field']))
        elif mode == 'write':
            if state in values:
                for record in records:
                    raise LockedError(gettext(
                            'muni_finance.msg_locked_state',
                            record=record.rec_name,
                            field=cls.__names__(state)['field']))
            for record in records:
                locked = sorted(cls._locked_fields(record, values.keys()))
                if locked:
                    raise LockedError(gettext(
                            'muni_finance.msg_locked_write',
                            record=record.rec_name,
                            state=_state_string(record),
                            fields=', '.join(
                                cls.__names__(n)['field'] for n in locked)))

    @classmethod
    def _locked_fields(cls, record, names):
        "The names that an external write may not change on the record"
        if getattr(record, cls._transition_state) in cls._editable_states:
            return set()
        return set(names) - cls._unlocked_fields.keys()

    @classmethod
    def _check_locked_parent(cls, mode, records, values):
        for record in records:
            parent = getattr(record, cls._locked_parent)
            if parent is None:
                continue
            if (getattr(parent, parent._transition_state)
                    not in parent._editable_states):
                raise LockedError(gettext(
                        'muni_finance.msg_locked_parent',
                        record=parent.rec_name,
                        state=_state_string(parent)))


def _state_string(record):
    "The record's state as the user reads it, in the user's language"
    return TranslatedSelection(record._transition_state).__get__(
        record, type(record))
