from django import forms
from django.contrib import admin, messages
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from altavoz.admin_site import ReadOnlyAdmin
from altavoz.districts import services
from altavoz.districts.models import (
    Area,
    BoundarySet,
    BoundaryVersion,
    Official,
    OfficialAddressChange,
    Post,
)
from altavoz.languages import other_languages


def translation_field_names(model) -> list[str]:
    """The admin's fields for a model's words in the other languages: ``name_es``..."""
    return [f"{name}_{code}" for name in model.TRANSLATED_FIELDS for code, _n in other_languages()]


class TranslatedForm(forms.ModelForm):
    """A translated row's words in each other language, one field each (``name_es``),
    stored in its ``translations``; an empty field shows the row's own word."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.translations or {}
        for name in self._meta.model.TRANSLATED_FIELDS:
            for code, _language in other_languages():
                self.initial.setdefault(f"{name}_{code}", stored.get(code, {}).get(name, ""))

    def save(self, commit=True):
        for name in self._meta.model.TRANSLATED_FIELDS:
            for code, _language in other_languages():
                value = self.cleaned_data.get(f"{name}_{code}", "")
                self.instance.translation_set(code, name, value)
        return super().save(commit)


def translated_form(model) -> type[forms.ModelForm]:
    fields = {}
    for name in model.TRANSLATED_FIELDS:
        field = model._meta.get_field(name)
        for code, language in other_languages():
            fields[f"{name}_{code}"] = forms.CharField(
                label=format_lazy("{} ({})", field.verbose_name, language),
                required=False,
                max_length=field.max_length,
            )
    meta = type("Meta", (), {"model": model, "exclude": ["translations"]})
    return type(f"{model.__name__}TranslatedForm", (TranslatedForm,), {**fields, "Meta": meta})


def _shown(name: str, code: str, label):
    """What a reader of the admin (an organiser) sees of one translated word."""

    def show(self, obj) -> str:
        return (obj.translations or {}).get(code, {}).get(name, "")

    show.short_description = label
    return show


def translated(model):
    """Class decorator: the admin (or inline) edits ``model``'s words in each language, and
    shows them to those who may only read."""

    def decorate(admin_class):
        admin_class.form = translated_form(model)
        for name in model.TRANSLATED_FIELDS:
            verbose = model._meta.get_field(name).verbose_name
            for code, language in other_languages():
                label = format_lazy("{} ({})", verbose, language)
                setattr(admin_class, f"{name}_{code}", _shown(name, code, label))
        return admin_class

    return decorate


@translated(Area)
class AreaInline(admin.TabularInline):
    model = Area
    fields = ["number", "name", *translation_field_names(Area), "ocd_id"]
    extra = 0


@admin.register(BoundarySet)
@translated(BoundarySet)
class BoundarySetAdmin(admin.ModelAdmin):
    list_display = ["name", "authority", "vintage", "valid_from", "valid_to"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AreaInline]


@admin.register(Area)
@translated(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", *translation_field_names(Area), "number", "boundary_set", "ocd_id"]
    list_filter = ["boundary_set"]
    search_fields = ["name", "ocd_id"]


@admin.register(Post)
@translated(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["label", *translation_field_names(Post), "role", "area"]
    list_filter = ["area__boundary_set", "role"]


class AddressChangeInline(admin.TabularInline):
    model = OfficialAddressChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "field", "old_value", "new_value", "confirmed"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("confirmed"))
    def confirmed(self, change: OfficialAddressChange) -> str:
        if change.confirmed_at is None:
            return _("not yet: letters held")
        when = date_format(localtime(change.confirmed_at), "DATETIME_FORMAT")
        return f"{change.confirmed_by}, {when}"


def _who(request) -> str:
    return f"{request.user.get_username()} (admin)"


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    """Officials are platform data: organisers read them; platform staff change them. A new
    delivery address is recorded and holds the official's letters until confirmed."""

    list_display = [
        "name", "post", "email", "letters_held_since", "phone", "contact_source",
        "contact_as_of", "start_date", "end_date", "source_as_of",
    ]  # fmt: skip
    list_filter = ["post__area__boundary_set", "post__role", "letters_held_since"]
    search_fields = ["name", "email"]
    readonly_fields = ["letters_held_since"]
    inlines = [AddressChangeInline]
    actions = ["confirm_addresses"]

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        new = {name: getattr(obj, name) for name in Official.ADDRESS_FIELDS}
        for name in Official.ADDRESS_FIELDS:  # saved by the service, which records them
            setattr(obj, name, form.initial.get(name, ""))
        super().save_model(request, obj, form, change)
        if services.official_addresses_change(official=obj, new=new, by=_who(request)):
            self.message_user(request, HELD_MESSAGE % {"name": obj.name}, messages.WARNING)

    @admin.action(
        description=_("Confirm the new delivery addresses and send the held letters"),
        permissions=["change"],
    )
    def confirm_addresses(self, request, queryset):
        held = queryset.filter(letters_held_since__isnull=False)
        for official in held:
            services.official_addresses_confirm(official=official, by=_who(request))
        count = len(held)
        text = (
            ngettext("%d official's letters released.", "%d officials' letters released.", count)
            % count
        )
        self.message_user(request, text, messages.SUCCESS)


HELD_MESSAGE = _(
    "The delivery address of %(name)s changed. Their letters are held until platform staff "
    'confirm the new address (action "Confirm the new delivery addresses").'
)


@admin.register(OfficialAddressChange)
class OfficialAddressChangeAdmin(ReadOnlyAdmin):
    """The audit trail of officials' delivery addresses: written by the service only."""

    list_display = [
        "official", "field", "old_value", "new_value", "changed_by", "changed_at",
        "confirmed_by", "confirmed_at",
    ]  # fmt: skip
    list_filter = ["field", "confirmed_at"]
    search_fields = ["official__name", "old_value", "new_value", "changed_by"]
    readonly_fields = [f.name for f in OfficialAddressChange._meta.fields]


@admin.register(BoundaryVersion)
class BoundaryVersionAdmin(admin.ModelAdmin):
    """Versions are written only by `altavoz boundaries import` (validated); read-only here."""

    list_display = ["boundary_set", "vintage", "valid_from", "valid_to", "is_active"]
    list_filter = ["boundary_set", "is_active"]
    readonly_fields = [
        "boundary_set", "vintage", "source", "valid_from", "valid_to", "is_active",
        "validation_report", "definition",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False
