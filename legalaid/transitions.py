"""The one way a status changes (STYLE: one table of allowed transitions per model, one guard, an
event row written in the same transaction, an illegal transition a domain error the API answers
with 409).

A model with a status declares `TRANSITIONS = {status: {statuses it may become}}` and, where it keeps
a log, `log_transition(*, code, before, actor, data, at)`, which writes the event row; it may say
in its own words why a move is refused with `transition_refused(to)`."""
from django.db import transaction
from django.utils.translation import gettext as _

from legalaid import clock, history
from legalaid.errors import IllegalTransition


def can_become(obj, to) -> bool:
    return to in type(obj).TRANSITIONS[obj.status]


def transition(obj, to, *, actor, code, data=None, now=None, changes=None, refused=None):
    """Move `obj` (read under a lock by the caller) to `to` if its model's table allows it, set the
    `changes` ({field: value}) that go with the move, save both with the history's author, and write
    the event row `code` with `data`. `code` None writes no row of this object's: the operation's one
    row is another's (the notice's, when a designation ends with it). `refused`: the error to raise
    when the table does not allow the move, if the caller words it; else the model's, else a generic
    IllegalTransition."""
    if not can_become(obj, to):
        if refused is not None:
            raise refused
        if hasattr(obj, "transition_refused"):
            raise obj.transition_refused(to)
        raise IllegalTransition(_("This cannot change from %(status)s to %(to)s.")
                                % {"status": obj.get_status_display(), "to": type(obj).Status(to).label})
    now = now or clock.now()
    changes = changes or {}
    before = obj.status
    with transaction.atomic(savepoint=False):
        obj.status = to
        for name, value in changes.items():
            setattr(obj, name, value)
        history.save(obj, actor=actor, fields=["status", *changes])
        if code is not None and hasattr(obj, "log_transition"):
            obj.log_transition(code=code, before=before, actor=actor, data=data or {}, at=now)
    return obj
