from django.contrib import admin

from altavoz.districts.models import Area, BoundarySet, BoundaryVersion, Official, Post


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


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = [
        "name", "post", "email", "phone", "contact_source", "contact_as_of", "start_date",
        "end_date", "source_as_of",
    ]  # fmt: skip
    list_filter = ["post__area__boundary_set", "post__role"]
    search_fields = ["name", "email"]


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
