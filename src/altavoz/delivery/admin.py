from django.contrib import admin

from altavoz.delivery.models import Delivery, OutboxMessage


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["official", "status", "attempts", "next_attempt_at", "sent_at", "created_at"]
    list_filter = ["status", "official", "signature__campaign"]
    raw_id_fields = ["signature"]
    readonly_fields = ["attempts", "last_error", "provider_id", "sent_at"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "from_email", "created_at"]
    search_fields = ["subject", "to"]
    readonly_fields = ["created_at", "from_email", "to", "subject", "headers", "text", "html"]

    def has_add_permission(self, request) -> bool:
        return False
