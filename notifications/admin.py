from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from legalaid.errors import DomainError
from notifications import services
from notifications.models import CourtWebhookEndpoint, Delivery, DeliveryAttempt, Message, new_secret


@admin.register(CourtWebhookEndpoint)
class CourtWebhookEndpointAdmin(SimpleHistoryAdmin):
    list_display = ["court", "url", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["court__code", "court__name", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["rotate_secret"]

    @admin.action(description=_("Give the selected endpoints a new signing secret"))
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            endpoint.secret = new_secret()
            endpoint._history_user = request.user
            endpoint.save(update_fields=["secret"])
        self.message_user(request, _("New secrets set: give each court its new secret."), messages.WARNING)


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "duration_ms", "ok", "target", "status_code", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["key", "channel", "status", "event", "attempts", "max_attempts", "next_attempt_at", "created_at",
                    "last_error"]
    list_filter = ["channel", "status", "event"]
    search_fields = ["key"]
    date_hierarchy = "created_at"
    list_select_related = True
    inlines = [DeliveryAttemptInline]
    actions = ["replay"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_replay_permission(self, request):
        return request.user.is_active and request.user.can_write_cases

    @admin.action(description=_("Send the selected deliveries again"), permissions=["replay"])
    def replay(self, request, queryset):
        done, refused = 0, []
        for delivery in queryset:
            try:
                services.delivery_replay(delivery=delivery, actor=request.user)
                done += 1
            except DomainError:
                refused.append(delivery.key)
        if done:
            self.message_user(request, ngettext("%(n)d delivery queued again.", "%(n)d deliveries queued again.",
                                                done) % {"n": done}, messages.SUCCESS)
        if refused:
            self.message_user(request, _("Still waiting or being sent, not replayed: %(keys)s")
                              % {"keys": ", ".join(refused)}, messages.WARNING)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["key", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["key", "recipient__username"]
    raw_id_fields = ["recipient", "notice"]
    readonly_fields = ["key", "recipient", "kind", "params", "link", "notice", "created_at"]
