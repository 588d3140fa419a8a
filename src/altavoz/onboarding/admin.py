"""Platform staff decide requests for new organisations here (organisers never see them)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from altavoz.onboarding import services
from altavoz.onboarding.models import OrganisationRequest


def _who(request) -> str:
    return f"{request.user.get_username()} (admin)"


@admin.register(OrganisationRequest)
class OrganisationRequestAdmin(admin.ModelAdmin):
    list_display = [
        "organisation", "status", "requester_name", "requester_email", "website", "created_at",
        "decided_by", "invited_at", "accepted_at",
    ]  # fmt: skip
    list_filter = ["organisation__status"]
    search_fields = ["organisation__name", "requester_name", "requester_email"]
    readonly_fields = [f.name for f in OrganisationRequest._meta.fields]
    actions = ["approve", "decline", "invite_again"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("status"), ordering="organisation__status")
    def status(self, obj: OrganisationRequest) -> str:
        return obj.organisation.get_status_display()

    def _report(self, request, done_text: str, skipped: int) -> None:
        self.message_user(request, done_text, messages.SUCCESS)
        if skipped:
            text = ngettext(
                "%d request was not waiting for this: unchanged.",
                "%d requests were not waiting for this: unchanged.",
                skipped,
            )
            self.message_user(request, text % skipped, messages.WARNING)

    @admin.action(
        description=_("Approve, and email each requester the link to join"),
        permissions=["change"],
    )
    def approve(self, request, queryset):
        n = sum(
            services.organisation_request_approve(request=r, by=_who(request)) for r in queryset
        )
        text = ngettext(
            "%d organisation approved; its requester is invited.",
            "%d organisations approved; their requesters are invited.",
            n,
        )
        self._report(request, text % n, len(queryset) - n)

    @admin.action(description=_("Decline"), permissions=["change"])
    def decline(self, request, queryset):
        n = sum(
            services.organisation_request_decline(request=r, by=_who(request)) for r in queryset
        )
        text = ngettext("%d request declined.", "%d requests declined.", n)
        self._report(request, text % n, len(queryset) - n)

    @admin.action(description=_("Send the invitation again"), permissions=["change"])
    def invite_again(self, request, queryset):
        n = sum(services.organisation_invitation_resend(request=r) for r in queryset)
        text = ngettext("%d invitation sent again.", "%d invitations sent again.", n)
        self._report(request, text % n, len(queryset) - n)
