from django import forms
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from altavoz.campaigns import services
from altavoz.campaigns.models import (
    Campaign,
    CampaignTranslation,
    Organisation,
    Person,
    Signature,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sender_email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]


class CampaignTranslationInline(admin.StackedInline):
    model = CampaignTranslation
    extra = 0
    fields = ["language", *Campaign.TRANSLATABLE_FIELDS]


class CampaignAdminForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=Campaign._meta.get_field("languages").help_text,
    )

    class Meta:
        model = Campaign
        fields = ["languages"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignAdminForm
    inlines = [CampaignTranslationInline]
    readonly_fields = ["translations_missing"]
    list_display = [
        "title", "organisation", "status", "is_demo", "deadline", "goal",
        "translations_missing", "tools",
    ]  # fmt: skip
    list_filter = ["status", "organisation"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish"]
    fieldsets = [
        (None, {"fields": ["organisation", "slug", "status", "is_demo"]}),
        (_("Languages"), {"fields": ["languages", "translations_missing"]}),
        (
            _("Page"),
            {
                "fields": [
                    "title", "call_to_action", "summary", "body", "action_prompt",
                    "lookup_prompt", "goal", "deadline", "deadline_label",
                ]
            },
        ),
        (
            _("Letter"),
            {
                "fields": [
                    "letter_intro", "letter_subject", "letter_greeting", "letter_body",
                    "petition_statement", "letter_closing",
                ]
            },
        ),
        (
            _("Targets and delivery"),
            {
                "fields": [
                    "target_set", "target_role", "delivery_mode", "double_opt_in",
                    "require_verified_address", "nonresidents",
                ]
            },
        ),
        (
            _("Meeting and packet"),
            {
                "fields": [
                    "meeting_date", "meeting_title", "meeting_location",
                    "packet_includes_addresses",
                ]
            },
        ),
    ]  # fmt: skip

    @admin.display(description=_("Missing translations"))
    def translations_missing(self, campaign: Campaign):
        if campaign.pk is None:
            return "—"
        return "; ".join(map(str, campaign.missing_translations())) or _("None")

    @admin.display(description=_("Tools"))
    def tools(self, campaign: Campaign):
        links = [
            (reverse("organise:dashboard", args=[campaign.pk]), _("Dashboard")),
            (reverse("organise:preview", args=[campaign.pk]), _("Preview")),
            (reverse("organise:export", args=[campaign.pk]), _("Export CSV")),
            (reverse("organise:packet", args=[campaign.pk]), _("Packet PDF")),
        ]
        return format_html(
            " · ".join(['<a href="{}">{}</a>'] * len(links)),
            *[part for link in links for part in link],
        )

    @admin.action(description=_("Publish the selected campaigns"), permissions=["change"])
    def publish(self, request, queryset):
        for campaign in queryset:
            problems = services.campaign_publish(campaign=campaign)
            if problems:
                self.message_user(
                    request, f"{campaign}: " + " ".join(map(str, problems)), level="error"
                )
            else:
                self.message_user(request, _("%(c)s is live.") % {"c": campaign})


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "zip_code", "consent_updates", "created_at"]
    list_filter = ["consent_updates"]
    search_fields = ["email", "first_name", "last_name"]
    actions = ["erase"]
    readonly_fields = ["data_export"]

    @admin.display(description=_("Everything we hold"))
    def data_export(self, person: Person):
        url = reverse("organise:person-export", args=[person.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download as JSON"))

    @admin.action(
        description=_("Erase the selected people (signatures stay counted)"), permissions=["change"]
    )
    def erase(self, request, queryset):
        for person in queryset:
            services.person_erase(person=person)
        self.message_user(request, _("%(n)d people erased.") % {"n": len(queryset)})


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "campaign",
        "area",
        "source",
        "language",
        "created_at",
        "confirmed_at",
    ]
    list_filter = ["campaign", "area", "language"]
    search_fields = ["person__email", "person__last_name", "source"]
    raw_id_fields = ["person"]
    readonly_fields = ["ip_hash"]
