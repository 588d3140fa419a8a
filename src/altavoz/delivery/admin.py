"""The organiser's outbox: every letter's status, its attempts, retry and cancel, and a
per-official summary."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from altavoz.delivery import selectors, services
from altavoz.delivery.models import Delivery, DeliveryAttempt, OfficialOutbox, OutboxMessage


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["started_at", "finished_at", "outcome", "error", "message_id"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "official",
        "campaign",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "official", "signature__campaign"]
    list_select_related = ["official__post", "signature__campaign"]
    search_fields = ["signature__person__email", "provider_id", "last_error"]
    raw_id_fields = ["signature"]
    readonly_fields = [
        "attempts",
        "last_error",
        "provider_id",
        "sent_at",
        "claimed_at",
        "claimed_by",
    ]
    inlines = [DeliveryAttemptInline]
    actions = ["retry", "cancel"]

    @admin.display(description=_("campaign"), ordering="signature__campaign")
    def campaign(self, obj: Delivery):
        return obj.signature.campaign

    @admin.action(description=_("Retry the selected letters now"))
    def retry(self, request, queryset):
        count = services.deliveries_retry(queryset=queryset)
        text = ngettext("%d letter queued again.", "%d letters queued again.", count) % count
        self.message_user(request, text, messages.SUCCESS)

    @admin.action(description=_("Cancel the selected letters that have not left"))
    def cancel(self, request, queryset):
        count = services.deliveries_cancel(queryset=queryset)
        text = ngettext("%d letter cancelled.", "%d letters cancelled.", count) % count
        self.message_user(request, text, messages.SUCCESS)


@admin.register(OfficialOutbox)
class OfficialOutboxAdmin(admin.ModelAdmin):
    list_display = ["name", "post", "email", "sent", "queued", "failed", "bounced"]
    list_select_related = ["post"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return selectors.with_delivery_counts(super().get_queryset(request))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("sent"), ordering="sent_count")
    def sent(self, obj) -> int:
        return obj.sent_count

    @admin.display(description=_("queued"), ordering="queued_count")
    def queued(self, obj) -> int:
        return obj.queued_count

    @admin.display(description=_("failed"), ordering="failed_count")
    def failed(self, obj) -> int:
        return obj.failed_count

    @admin.display(description=_("bounced"), ordering="bounced_count")
    def bounced(self, obj) -> int:
        return obj.bounced_count


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "from_email", "created_at"]
    search_fields = ["subject", "to"]
    readonly_fields = ["created_at", "from_email", "to", "subject", "headers", "text", "html"]

    def has_add_permission(self, request) -> bool:
        return False
