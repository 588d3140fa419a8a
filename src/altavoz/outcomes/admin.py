"""Organisers record each official's position or vote, and tell the writers once."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from altavoz.admin_site import AttemptLog, ReadOnlyAdmin
from altavoz.outcomes import services
from altavoz.outcomes.models import FollowUp, FollowUpAttempt, LetterReply, Position


class PositionForm(forms.ModelForm):
    tell_writers = forms.BooleanField(
        label=_("Email everyone who wrote to this official"),
        required=False,
        help_text=_(
            "One email, in each writer's language, saying what the official did. Sent once: "
            "a later correction is not emailed again."
        ),
    )

    class Meta:
        model = Position
        fields = ["campaign", "official", "stance", "stated_on", "source_url", "note"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    form = PositionForm
    list_display = ["official", "campaign", "stance", "stated_on", "writers_told_at"]
    list_filter = ["campaign", "stance"]
    readonly_fields = ["recorded_by", "writers_told_at"]
    actions = ["tell_writers"]

    def save_model(self, request, obj, form, change) -> None:
        services.position_record(position=obj, by=request.user)
        if form.cleaned_data.get("tell_writers"):
            self._told(request, services.position_announce(position=obj))

    @admin.action(description=_("Email the writers of the selected officials"))
    def tell_writers(self, request, queryset) -> None:
        self._told(request, sum(services.position_announce(position=p) for p in queryset))

    def _told(self, request, queued: int) -> None:
        text = ngettext(
            "%(count)d email to a writer is queued.",
            "%(count)d emails to writers are queued.",
            queued,
        )
        messages.success(request, text % {"count": queued})


class FollowUpAttemptInline(AttemptLog):
    model = FollowUpAttempt


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    """The follow-ups to writers, as the worker sends them (retry and cancel like letters)."""

    list_display = ["purpose", "delivery", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["purpose", "status", "delivery__signature__campaign"]
    list_select_related = ["delivery__official", "delivery__signature__campaign"]
    inlines = [FollowUpAttemptInline]


@admin.register(LetterReply)
class LetterReplyAdmin(ReadOnlyAdmin):
    """What writers answered, and which replies passed through letters' reply addresses."""

    list_display = ["delivery", "answer", "answered_at", "captured_at"]
    list_filter = ["answer", "delivery__signature__campaign"]
    list_select_related = ["delivery__official"]
