from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from altavoz.campaigns import access, framing, services, shareimage, snippets, targets, translations
from altavoz.campaigns.actions import DEFAULT_KIND, KINDS, kind_choices
from altavoz.campaigns.models import (
    CallReport,
    Campaign,
    CampaignTranslation,
    OfficeHours,
    Organisation,
    Person,
    Question,
    Signature,
    default_languages,
)
from altavoz.districts.admin import translated_form, translation_field_names
from altavoz.districts.models import BoundarySet


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sender_email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]


class CampaignTranslationForm(forms.ModelForm):
    """Who reviewed the texts, and when, is recorded with the texts they read."""

    def save(self, commit=True):
        data = self.cleaned_data
        self.instance.review_record(by=data.get("reviewed_by", ""), on=data.get("reviewed_on"))
        return super().save(commit)


class CampaignTranslationInline(admin.StackedInline):
    """The campaign's texts in its other languages, right on its page: a blank form for each
    offered language not started, each field showing the English text it translates."""

    model = CampaignTranslation
    form = CampaignTranslationForm
    formset = translations.TranslationFormSet
    fields = ["language", "review", "reviewed_by", "reviewed_on", *Campaign.TRANSLATABLE_FIELDS]
    readonly_fields = ["review"]

    def get_extra(self, request, obj=None, **kwargs) -> int:
        return len(translations.languages_to_start(obj))

    @admin.display(description=_("Review"))
    def review(self, translation: CampaignTranslation) -> str:
        return translation.review_text() if translation.pk else "—"


class OriginsField(forms.CharField):
    """Site addresses, one per line (``Campaign.embed_origins``), each checked by name."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:  # type: ignore[override]  # a list of origins
        lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
        problems = [framing.origin_problem(line) for line in lines]
        if any(problems):
            raise forms.ValidationError([problem for problem in problems if problem])
        return list(dict.fromkeys(framing.origin(line) for line in lines))


def _question_form() -> type[forms.ModelForm]:
    """A question with its words in each other language beside it (choices one per line)."""
    form = translated_form(Question)
    for name, field in form.base_fields.items():
        if name.startswith("choices"):
            field.widget = forms.Textarea(attrs={"rows": 3})
    return form


class QuestionInline(admin.StackedInline):
    """The organiser's own questions on the form, in order, with their words per language."""

    model = Question
    form = _question_form()
    extra = 0
    fields = ["position", "kind", "label", "help_text", "choices", "required", "merge_field",
              *translation_field_names(Question)]  # fmt: skip


class OfficeHoursInline(admin.TabularInline):
    """When each target office answers the phone (call campaigns): the organiser's default
    until confirmed with the office (then write where from under Source)."""

    model = OfficeHours
    extra = 0
    fields = ["post", "weekdays", "opens", "closes", "time_zone", "source"]
    verbose_name_plural = _("Office hours (call campaigns)")


class CampaignAdminForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("Action"),
        choices=kind_choices,
        initial=DEFAULT_KIND,
        required=False,  # not sent: the campaign keeps its kind (a new one is a letter)
        help_text=Campaign._meta.get_field("kind").help_text,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=translations.LANGUAGES_HELP,
        initial=default_languages,  # a new campaign starts in the site's own language
    )
    at_large_sets = forms.ModelMultipleChoiceField(
        label=Campaign._meta.get_field("at_large_sets").verbose_name.capitalize(),
        queryset=BoundarySet.objects.annotate(n_areas=Count("areas")).filter(n_areas=1),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=Campaign._meta.get_field("at_large_sets").help_text,
    )
    share_image_upload = forms.FileField(
        label=_("Share image"),
        required=False,
        help_text=_(
            "The picture shown where the page is shared (WhatsApp, Facebook, X): a JPEG or "
            "PNG, cropped to 1200 x 630 around its centre. Without one, a picture is drawn "
            "from the headline and the count."
        ),
    )
    share_image_remove = forms.BooleanField(
        label=_("Use the drawn picture instead of the uploaded one"), required=False
    )
    publish_unreviewed = forms.BooleanField(
        label=_("Publish with languages no native speaker has reviewed"),
        required=False,
        help_text=_("Asked when a campaign goes live with a language not reviewed."),
    )

    embed_origins = OriginsField(
        label=_("Sites that may embed it"),
        required=False,
        help_text=Campaign._meta.get_field("embed_origins").help_text,
    )

    class Meta:
        model = Campaign
        fields = ["languages", "at_large_sets", "embed_origins"]

    def clean(self):
        """Going live with an unreviewed language needs the box ticked (services too)."""
        cleaned = super().clean()
        going_live = cleaned.get("status") == Campaign.Status.LIVE and (
            self.instance._state.adding or "status" in self.changed_data
        )
        warning = going_live and self.instance.unreviewed_warning(cleaned.get("languages"))
        if warning and not cleaned.get("publish_unreviewed"):
            self.add_error("publish_unreviewed", warning)
        self._at_large_check(cleaned)
        self._share_image_check(cleaned)
        return cleaned

    def _share_image_check(self, cleaned: dict) -> None:
        """The upload is read now, so a file that cannot be used is named on the form."""
        upload = cleaned.get("share_image_upload")
        if upload:
            try:
                cleaned["share_image_jpeg"] = shareimage.normalised_upload(upload)
            except shareimage.UnusableImage as error:
                self.add_error("share_image_upload", str(error))

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or self.instance.kind or DEFAULT_KIND

    def _at_large_check(self, cleaned: dict) -> None:
        """Seats every supporter writes to must cover the campaign's whole territory."""
        problems = targets.at_large_problems(
            cleaned.get("target_set"), cleaned.get("at_large_sets") or []
        )
        if problems:
            self.add_error("at_large_sets", problems)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignAdminForm
    inlines = [CampaignTranslationInline, QuestionInline]
    # A kind's own rows, edited on the campaign's page once it has that kind.
    KIND_INLINES = {"call": [OfficeHoursInline]}
    readonly_fields = [
        "translations_missing", "translations_review", "targets_guide", "embed_snippets",
    ]  # fmt: skip
    list_display = [  # the tools early: in view at 1280 px
        "title", "organisation", "status", "tools", "deadline", "translations_missing",
        "translations_review",
    ]  # fmt: skip
    list_filter = ["status", "organisation"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("share_image_jpeg"):
            services.campaign_share_image_set(
                campaign=obj, jpeg=form.cleaned_data["share_image_jpeg"]
            )
        elif form.cleaned_data.get("share_image_remove"):
            services.campaign_share_image_remove(campaign=obj)

    fieldsets = [
        (
            None,
            {"fields": ["organisation", "slug", "kind", "status", "publish_unreviewed", "is_demo"]},
        ),
        (_("Languages"), {"fields": ["languages", "translations_missing", "translations_review"]}),
        (
            _("Page"),
            {
                "fields": [
                    "title", "call_to_action", "summary", "body", "action_prompt",
                    "lookup_prompt", "goal", "deadline", "deadline_label",
                    "story_prompt", "share_image_upload", "share_image_remove",
                ]
            },
        ),
        # Each action kind's texts (campaigns/actions): the letter's, the call's...
        *[(kind.label, {"fields": [*kind.text_fields]}) for kind in KINDS.values()],  # type: ignore[list-item]
        (
            _("Targets and delivery"),
            {
                "fields": [
                    "targets_guide", "target_set", "target_role", "at_large_sets",
                    "delivery_mode", "double_opt_in",
                    "require_verified_address", "nonresidents",
                ]
            },
        ),
        (_("On other sites"), {"fields": ["embed_origins", "embed_snippets"]}),
        (
            _("Meeting and packet"),
            {
                "fields": [
                    "meeting_date", "meeting_title", "meeting_location",
                    "packet_includes_addresses", "reply_question_days",
                ]
            },
        ),
    ]  # fmt: skip

    def get_inlines(self, request, obj=None):
        return [*self.inlines, *self.KIND_INLINES.get(obj.kind if obj else "", [])]

    def get_list_display(self, request):
        """The organisation column only for those who see several."""
        shown = super().get_list_display(request)
        if access.organisations_for_user(request.user).count() > 1:
            return shown
        return [name for name in shown if name != "organisation"]

    @admin.display(description=_("Missing translations"))
    def translations_missing(self, campaign: Campaign):
        """Each language with texts missing, linked to its first empty field."""
        if campaign.pk is None:
            return "—"
        links = translations.missing_translation_links(campaign)
        if not links:
            return _("None")
        return format_html_join("; ", '<a href="{}">{}</a>', ((url, t) for t, url, _w in links))

    @admin.display(description=_("What you can target"))
    def targets_guide(self, campaign: Campaign):
        return targets.targets_guide()

    @admin.display(description=_("Code for your site"))
    def embed_snippets(self, campaign: Campaign):
        return snippets.snippets_html(campaign) if campaign.pk else "—"

    @admin.display(description=_("Native speaker review"))
    def translations_review(self, campaign: Campaign):
        """Plainly: each language no native speaker has reviewed, in bold."""
        lines = campaign.review_summary() if campaign.pk else []
        shown = [line if ok else format_html("<strong>{}</strong>", line) for line, ok in lines]
        return format_html("<br>".join(["{}"] * len(shown)), *shown) if shown else "—"

    @admin.display(description=_("Tools"))
    def tools(self, campaign: Campaign):
        links = [
            (reverse("organise:dashboard", args=[campaign.pk]), _("Dashboard")),
            (reverse("organise:preview", args=[campaign.pk]), _("Preview")),
            (reverse("organise:publish", args=[campaign.pk]), _("Publish"))
            if campaign.status == Campaign.Status.DRAFT
            else (reverse("organise:packet", args=[campaign.pk]), _("Packet PDF")),
        ]
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    @admin.action(description=_("Publish the selected campaigns"), permissions=["change"])
    def publish(self, request, queryset):
        confirmed = request.POST.get("publish_unreviewed") == "yes"
        unreviewed = [(c, c.unreviewed_warning()) for c in queryset]
        unreviewed = [(c, warning) for c, warning in unreviewed if warning]
        if unreviewed and not confirmed:
            return TemplateResponse(
                request,
                "admin/campaigns/campaign/publish_unreviewed.html",
                {**self.admin_site.each_context(request), "campaigns": unreviewed,
                 "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
                 "opts": self.model._meta, "title": _("Publish languages not reviewed?")},
            )  # fmt: skip
        for campaign in queryset:
            problems = services.campaign_publish(campaign=campaign, unreviewed_confirmed=confirmed)
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
        count = len(queryset)
        text = ngettext("%(n)d person erased.", "%(n)d people erased.", count)
        self.message_user(request, text % {"n": count})


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


@admin.register(CallReport)
class CallReportAdmin(admin.ModelAdmin):
    """Calls as callers reported them: read only (nobody edits what a caller said)."""

    list_display = ["official", "area", "outcome", "campaign", "language", "created_at"]
    list_filter = ["campaign", "outcome", "official"]
    search_fields = ["note"]
    readonly_fields = [
        "created_at", "campaign", "official", "area", "outcome", "note", "language",
        "caller_hash",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False
