"""Pages: the inbox, preferences, and the delivery log staff read and replay from."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from legalaid.errors import DomainError
from notifications import selectors, services
from notifications.forms import DeliveryFilterForm, PreferencesForm
from notifications.services.webhooks import court_told_of

PAGE_SIZE = 50


def _render(request, template, context, status=200):
    # Pages extend the project's base layout; the app's own minimal one stands in where none exists.
    context["layout"] = select_template(["base.html", "notifications/layout.html"])
    return render(request, template, context, status=status)


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox_for_user(user=request.user, unread_only=unread_only), PAGE_SIZE)
    return _render(request, "notifications/inbox.html", {
        "page": page.get_page(request.GET.get("page")), "unread_only": unread_only})


@login_required
@require_POST
def message_read(request, pk):
    message = get_object_or_404(selectors.inbox_for_user(user=request.user), pk=pk)
    services.message_mark_read(message=message)
    target = message.link if request.POST.get("open") else request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("notification-inbox")


@login_required
@require_POST
def messages_read_all(request):
    services.messages_mark_all_read(user=request.user)
    return redirect("notification-inbox")


@login_required
def preferences(request):
    current = selectors.preferences_for_user(user=request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, rows=current["kinds"],
                           initial={"daily_digest": current["daily_digest"]})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_update(user=request.user, choices=form.choices(),
                                        daily_digest=form.cleaned_data["daily_digest"])
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            status = 400
        else:
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notification-preferences")
    return _render(request, "notifications/preferences.html", {"form": form}, status=status)


def _require_reader(user):
    if not selectors.can_read_deliveries(user):
        raise PermissionDenied


@login_required
def delivery_list(request):
    _require_reader(request.user)
    deliveries = selectors.delivery_list_for_user(user=request.user)
    filters = DeliveryFilterForm(request.GET)
    chosen = {}
    if filters.is_valid():
        chosen = {field: value for field, value in filters.cleaned_data.items() if value}
        deliveries = deliveries.filter(**chosen)
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "notifications/deliveries.html", {
        "page": page, "filters": filters, "query": urlencode(chosen) + "&" if chosen else "",
        "can_replay": selectors.can_replay_deliveries(request.user),
        "court_told_of": [(status.label, basis) for status, basis in court_told_of().items()]})


@login_required
def delivery_detail(request, pk):
    _require_reader(request.user)
    delivery = get_object_or_404(selectors.delivery_list_for_user(user=request.user), pk=pk)
    return _render(request, "notifications/delivery.html", {
        "delivery": delivery, "attempts": delivery.attempt_log.all(),
        "can_replay": selectors.can_replay_deliveries(request.user)})


@login_required
@require_POST
def delivery_replay(request, pk):
    _require_reader(request.user)
    delivery = get_object_or_404(selectors.delivery_list_for_user(user=request.user), pk=pk)
    if not selectors.can_replay_deliveries(request.user):
        raise PermissionDenied
    try:
        services.delivery_replay(delivery=delivery, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("delivery-detail", pk=pk)
    messages.success(request, _("The delivery is queued to be sent again."))
    return redirect("delivery-detail", pk=pk)
