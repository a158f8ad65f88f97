from notifications.selectors import unread_count as count_unread


def unread_count(request):
    """`unread_count` for the header of every page: the user's unread inbox messages."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"unread_count": count_unread(user=user)}
