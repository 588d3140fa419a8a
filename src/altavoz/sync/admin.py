"""Connections to another system in the admin: the API key is typed once and never shown
again (leave it empty to keep it); each push with its attempts, replayable."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from altavoz.admin_site import AttemptLog, ReadOnlyAdmin
from altavoz.sync import services
from altavoz.sync.models import Connection, Push, PushAttempt


class ConnectionForm(forms.ModelForm):
    key = forms.CharField(
        label=_("API key"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored, never shown again. Leave empty to keep the one stored."),
    )
    tag_names = forms.CharField(
        label=_("tags"), required=False, help_text=_("Separated by commas.")
    )

    class Meta:
        model = Connection
        fields = ("organisation", "name", "helper_url", "campaign", "source", "paused_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["tag_names"] = ", ".join(self.instance.tags or [])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("key") and not self.instance.api_key:
            self.add_error("key", _("Enter the API key the other system gave you."))
        return cleaned

    def save(self, commit=True):
        connection = super().save(commit=False)
        if self.cleaned_data.get("key"):
            connection.api_key = self.cleaned_data["key"].strip()
        names = self.cleaned_data.get("tag_names", "")
        connection.tags = [name.strip() for name in names.split(",") if name.strip()]
        if commit:
            connection.save()
        return connection


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    form = ConnectionForm
    list_display = ("name", "organisation", "helper_url", "campaign", "paused_at")


class PushAttemptInline(AttemptLog):
    model = PushAttempt


@admin.register(Push)
class PushAdmin(ReadOnlyAdmin):
    list_display = ("signature", "connection", "status", "attempts", "provider_id", "sent_at")
    list_filter = ("status",)
    inlines = [PushAttemptInline]
    actions = ["replay"]

    @admin.action(description=_("Push again"))
    def replay(self, request, queryset):
        services.pushes_replay(queryset=queryset)


@admin.register(PushAttempt)
class PushAttemptAdmin(ReadOnlyAdmin):
    list_display = ("push", "outcome", "status_code", "started_at")
