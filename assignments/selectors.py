"""Reads of the roster and designations."""
from django.db.models import Q


def lawyer_notice_scope(user) -> Q:
    """Notices designated to the lawyer whose account this is."""
    return Q(pk__in=[])


def lawyer_users_for_notices(notice_ids) -> dict:
    return {}
