"""The organisers' admin: every registered admin scoped to the organisation, one way.

The site wraps each ModelAdmin it registers (ours, Django's, third parties') in
``ScopedAdmin``: its rows, the choices of its foreign keys, its list filters and inlines all
go through ``access.scope``; changing platform data needs platform staff. Searches, actions,
autocompletes, history and change views read the admin's queryset, so they are scoped too.
An admin added later is scoped by registering it; ``tests/test_tenancy.py`` walks them all.

With ORGANISER_2FA=1 every sign-in also needs a TOTP code.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django_otp.admin import OTPAdminSite

from altavoz.campaigns import access


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A list filter on a relation offering only the related rows the user may see."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        visible = access.scope(field.related_model._default_manager.all(), request.user)
        return field.get_choices(
            include_blank=False, ordering=ordering, limit_choices_to={"pk__in": visible}
        )


def _scoped_filter(model, item):
    """A plain list filter on a relation becomes a scoped one; others stay as they are."""
    if not isinstance(item, str):
        return item
    field = get_fields_from_path(model, item)[-1]
    return (item, ScopedRelatedFilter) if field.is_relation else item


class _Scoping:
    """What every admin and inline of the site does, whatever else it does."""

    def get_queryset(self, request):
        return access.scope(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _scoped_choices(
            super().formfield_for_foreignkey(db_field, request, **kwargs), request
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scoped_choices(field, request)

    def _platform_write(self, request) -> bool:
        return not access.is_platform_model(self.model) or access.is_platform_staff(request.user)

    def has_add_permission(self, request, *args) -> bool:
        return self._platform_write(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._platform_write(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._platform_write(request) and super().has_delete_permission(request, obj)


def _scoped_choices(field, request):
    if field is not None and hasattr(field, "queryset"):
        field.queryset = access.scope(field.queryset, request.user)
    return field


class ScopedAdmin(_Scoping):
    def get_list_filter(self, request):
        return [_scoped_filter(self.model, item) for item in super().get_list_filter(request)]


def scoped(admin_class: type) -> type:
    """``admin_class`` with the scoping in front of it (and of each of its inlines)."""
    if issubclass(admin_class, _Scoping):
        return admin_class
    attributes = {"__module__": admin_class.__module__}
    if getattr(admin_class, "inlines", None):
        attributes["inlines"] = [scoped_inline(inline) for inline in admin_class.inlines]
    return type(admin_class.__name__, (ScopedAdmin, admin_class), attributes)


def scoped_inline(inline_class: type) -> type:
    if issubclass(inline_class, _Scoping):
        return inline_class
    attributes = {"__module__": inline_class.__module__}
    return type(inline_class.__name__, (_Scoping, inline_class), attributes)


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin that shows rows written elsewhere (a service, the worker): no add, change or
    delete here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AttemptLog(admin.TabularInline):
    """A queued row's attempts (altavoz.models.Attempt), read only: every try and its
    outcome, as the worker recorded it. Set ``model`` to the attempt model."""

    extra = 0
    can_delete = False

    def get_fields(self, request, obj=None) -> list[str]:
        own = [f.name for f in self.model._meta.concrete_fields if not f.is_relation]
        return [name for name in own if name != "id"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return self.get_fields(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AltavozAdminSite(admin.AdminSite):
    site_header = "Altavoz"
    site_title = "Altavoz"

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, scoped(admin_class or admin.ModelAdmin), **options)


class AltavozOTPAdminSite(AltavozAdminSite, OTPAdminSite):
    """The same site asking for a verified second factor (django-otp)."""


def configure() -> None:
    if settings.ORGANISER_2FA:
        admin.site.__class__ = AltavozOTPAdminSite
