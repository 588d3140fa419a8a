"""The organiser's view of the delivery queue: every letter's status, its attempts, retry and
cancel, a per-official summary; and the demo's local outbox (emails kept, not sent)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from altavoz.admin_site import AttemptLog, ReadOnlyAdmin
from altavoz.campaigns import access
from altavoz.delivery import selectors, services
from altavoz.delivery.models import Delivery, DeliveryAttempt, OfficialDeliveries, OutboxMessage


class DeliveryAttemptInline(AttemptLog):
    model = DeliveryAttempt


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "official",
        "campaign",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "channel", "official", "signature__campaign"]
    list_select_related = ["official__post", "signature__campaign"]
    search_fields = ["signature__person__email", "provider_id", "last_error"]
    # Who a letter goes to, and what became of it, change only through the actions (and
    # the worker): an edited recipient or status would misreport a supporter's letter.
    readonly_fields = [
        "signature",
        "official",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "provider_id",
        "sent_at",
        "claimed_at",
        "claimed_by",
    ]
    inlines = [DeliveryAttemptInline]
    actions = ["retry", "cancel"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("campaign"), ordering="signature__campaign")
    def campaign(self, obj: Delivery):
        return obj.signature.campaign

    @admin.action(description=_("Retry the selected letters now"), permissions=["change"])
    def retry(self, request, queryset):
        count = services.deliveries_retry(queryset=queryset)
        text = ngettext("%d letter queued again.", "%d letters queued again.", count) % count
        self.message_user(request, text, messages.SUCCESS)

    @admin.action(
        description=_("Cancel the selected letters that have not left"), permissions=["change"]
    )
    def cancel(self, request, queryset):
        count = services.deliveries_cancel(queryset=queryset)
        text = ngettext("%d letter cancelled.", "%d letters cancelled.", count) % count
        self.message_user(request, text, messages.SUCCESS)


def _count(label, field: str):
    """A summary column showing one of the counts annotated by the selector."""

    @admin.display(description=label, ordering=field)
    def column(self, obj) -> int:
        return getattr(obj, field)

    return column


@admin.register(OfficialDeliveries)
class OfficialDeliveriesAdmin(ReadOnlyAdmin):
    list_display = ["name", "post", "email", "held", "sent", "queued", "failed", "bounced"]
    list_select_related = ["post"]
    search_fields = ["name"]

    def get_queryset(self, request):
        mine = access.organisations_for_user(request.user)
        return selectors.with_delivery_counts(super().get_queryset(request), organisations=mine)

    @admin.display(description=_("letters held"), boolean=True)
    def held(self, obj) -> bool:
        """True while a changed address waits for staff to confirm it."""
        return obj.letters_held_since is not None

    sent = _count(_("sent"), "sent_count")
    queued = _count(_("queued"), "queued_count")
    failed = _count(_("failed"), "failed_count")
    bounced = _count(_("bounced"), "bounced_count")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "from_email", "organisation", "created_at"]
    search_fields = ["subject", "to"]
    readonly_fields = [
        "created_at", "organisation", "from_email", "to", "subject", "headers", "text", "html",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False
