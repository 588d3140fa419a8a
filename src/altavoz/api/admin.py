"""API keys in the admin: made here (the key is shown once, on the page after saving),
revoked by an action, never edited or read back."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from altavoz.api import keys
from altavoz.api.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = (
        "name", "organisation", "scope", "prefix", "created_at", "last_used_at", "revoked_at"
    )  # fmt: skip
    list_filter = ("scope", "organisation")
    readonly_fields = ("prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    search_fields = ("name", "prefix")
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("organisation", "name", "scope")
        return ("organisation", "name", "scope", *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "organisation", "scope") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key, token = keys.apikey_create(
            organisation=obj.organisation, name=obj.name, scope=obj.scope, created_by=request.user
        )
        obj.pk = key.pk
        self.message_user(
            request,
            _("The new API key is %(key)s. Copy it now: it is not shown again.") % {"key": token},
            messages.WARNING,
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked keys stay listed, with their last use

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        count = keys.apikeys_revoke(queryset=queryset)
        self.message_user(request, _("%(count)d keys revoked.") % {"count": count})
