"""Webhooks in the admin: endpoints (the secret shown once, when made or rotated), the
events sent and each message with its attempts; any message or event can be sent again."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from altavoz.admin_site import AttemptLog, ReadOnlyAdmin
from altavoz.hooks import services
from altavoz.hooks.models import Attempt, Endpoint, Event, EventKind, Message


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("events"), choices=EventKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Endpoint
        fields = ("organisation", "url", "events")


def _show_secret(model_admin, request, secret: str) -> None:
    model_admin.message_user(
        request,
        _("The signing secret is %(secret)s. Copy it now into the receiver: it is not shown again.")
        % {"secret": secret},
        messages.WARNING,
    )


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ("url", "organisation", "failing_since", "disabled_at")
    list_filter = ("organisation",)
    readonly_fields = ("failing_since", "disabled_at", "disabled_reason")
    actions = ["rotate_secret", "enable"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = services.endpoint_create(
            organisation=obj.organisation, url=obj.url, events=obj.events
        )
        obj.pk = created.pk
        _show_secret(self, request, created.secret)

    @admin.action(description=_("Rotate the signing secret (the old one signs for a day more)"))
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            _show_secret(self, request, services.endpoint_secret_rotate(endpoint=endpoint))

    @admin.action(description=_("Enable again (waiting messages are sent)"))
    def enable(self, request, queryset):
        services.endpoints_enable(queryset=queryset)


class AttemptInline(AttemptLog):
    model = Attempt


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("event", "endpoint", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status",)
    inlines = [AttemptInline]
    actions = ["replay"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and request.user.has_perm("hooks.change_message")

    @admin.action(description=_("Send again (same webhook-id)"), permissions=["change"])
    def replay(self, request, queryset):
        count = services.messages_replay(queryset=queryset)
        self.message_user(request, _("%(count)d messages queued again.") % {"count": count})


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("kind", "organisation", "created_at")
    list_filter = ("kind",)
    readonly_fields = ("kind", "organisation", "data", "created_at")


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ("message", "outcome", "status_code", "started_at")
