from django.contrib import admin, messages
from django.utils.formats import date_format
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


class AreaInline(admin.TabularInline):
    model = Area
    fields = ["number", "name", "ocd_id"]
    extra = 0


@admin.register(BoundarySet)
class BoundarySetAdmin(admin.ModelAdmin):
    list_display = ["name", "authority", "vintage", "valid_from", "valid_to"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AreaInline]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "boundary_set", "ocd_id"]
    list_filter = ["boundary_set"]
    search_fields = ["name", "ocd_id"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["label", "role", "area"]
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
