from django.contrib import admin

from altavoz.campaigns.models import Campaign, Organisation, Person, Signature


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sender_email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "is_demo", "deadline", "goal"]
    list_filter = ["status", "organisation"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["organisation", "slug", "status", "is_demo"]}),
        (
            "Page",
            {
                "fields": [
                    "title",
                    "call_to_action",
                    "summary",
                    "body",
                    "action_prompt",
                    "lookup_prompt",
                    "deadline",
                    "deadline_label",
                    "goal",
                ]
            },
        ),
        (
            "Letter",
            {
                "fields": [
                    "letter_intro",
                    "letter_subject",
                    "letter_greeting",
                    "letter_body",
                    "petition_statement",
                    "letter_closing",
                ]
            },
        ),
        ("Targets", {"fields": ["target_set", "target_role"]}),
    ]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "zip_code", "consent_updates", "created_at"]
    list_filter = ["organisation", "consent_updates"]
    search_fields = ["email", "first_name", "last_name"]


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = ["person", "campaign", "area", "source", "language", "created_at"]
    list_filter = ["campaign", "area", "language"]
    search_fields = ["person__email", "person__last_name", "source"]
    raw_id_fields = ["person"]
    readonly_fields = ["ip_hash"]
