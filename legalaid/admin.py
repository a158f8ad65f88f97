"""Admin for accounts (role, court, agency), API tokens and the personal-data access log."""
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from legalaid import clock
from legalaid.models import ApiToken, PendingDispatch, PersonalDataAccess, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "court", "agency", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "agency", "court"]
    search_fields = ["username", "full_name", "email", "phone"]
    list_select_related = ["court", "agency"]
    autocomplete_fields = ["court", "agency"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["full_name", "email", "phone"]}),
        (_("Role and organisation"), {"fields": ["role", "court", "agency"],
                                      "description": _("A court account needs its court; agency staff, "
                                                       "supervisors and auditors need their agency.")}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Role and organisation"), {"fields": ["full_name", "role", "court", "agency"]}),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are generated here; only the key's hash is stored, so the key is shown once, in the
    message after saving a new token."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "user__username", "user__court__code"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name"]
        return ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            raw = ApiToken.new_key()
            obj.set_key(raw)
            super().save_model(request, obj, form, change)
            messages.warning(request, _("The key of this token is shown only now; copy it: %(key)s") % {"key": raw})
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=clock.now())
        self.message_user(request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
                          % {"count": count})


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ["accessed_at", "user", "defendant", "field", "channel"]
    list_filter = ["field", "channel"]
    search_fields = ["user__username", "defendant__name"]
    list_select_related = ["user", "defendant"]
    date_hierarchy = "accessed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PendingDispatch)
class PendingDispatchAdmin(admin.ModelAdmin):
    """Follow-up work waiting for the broker (legalaid.dispatch); the catch-up sends and deletes it."""

    list_display = ["created_at", "task", "args", "attempts", "last_error"]
    list_filter = ["task"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
