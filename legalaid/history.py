"""Saving a change with its author: django-simple-history writes a history row per save, and takes
its user from `_history_user`, set here, so that a change made outside a request (a worker, a court's
API call) records who made it too."""


def save(obj, *, actor, fields=None):
    """Save `obj` (only `fields` when given) as a change by `actor`."""
    obj._history_user = actor
    obj.save(update_fields=fields)
