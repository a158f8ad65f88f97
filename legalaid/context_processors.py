"""What every page's layout needs: the navigation for the user's role."""
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from legalaid.models import Role
from legalaid.permissions import is_supervisor
from legalaid.views import may_see_statistics, may_use_staff_pages

# The header's navigation: (url name, label, who sees it). A page whose URL is not installed (yet)
# is left out, so apps add their entries here and they appear once their URLs exist.
NAVIGATION = [
    ("notice-inbox", _("Notices"), "staff"),
    ("notice-new", _("Enter a paper notice"), "writer"),
    ("deadline-board", _("Deadlines"), "staff"),
    ("statistics", _("Statistics"), "statistics"),
    ("lawyer-home", _("My cases"), "lawyer"),
    ("work-complaints", _("Obstruction complaints"), "staff"),
    ("subsidies:list", _("Subsidies"), "staff"),
    ("admin:index", _("Administration"), "admin"),
]


def _allowed(user, audience) -> bool:
    if audience == "staff":
        return may_use_staff_pages(user)
    if audience == "writer":
        return may_use_staff_pages(user) and user.can_write_cases
    if audience == "statistics":
        return may_see_statistics(user)
    if audience == "lawyer":
        return user.role == Role.LAWYER
    if audience == "admin":
        return user.is_staff
    return False


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"legal_time_zone": settings.LEGAL_TIME_ZONE}
    items = []
    for name, label, audience in NAVIGATION:
        if not _allowed(user, audience):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"name": name, "url": url, "label": label, "active": False})
    # The current section: the entry whose URL is the longest prefix of the path.
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {
        "nav_items": items,
        "legal_time_zone": settings.LEGAL_TIME_ZONE,
        "is_agency_member": user.is_agency_member or user.is_administrator,
        "is_lawyer": user.role == Role.LAWYER,
        "is_supervisor": is_supervisor(user),
    }
