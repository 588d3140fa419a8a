"""Who represents a place: districting plans, their districts, the seats and who holds them.

Names follow Popolo (Post, membership dates) and Open Civic Data division ids.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from altavoz import validation
from altavoz.models import Translated, UUIDModel


class BoundarySet(UUIDModel, Translated):
    """One districting plan, e.g. the City of Miami Commission Districts of the 2024 map.
    Its territory ("the City of Miami") is written in each language (``translations``)."""

    TRANSLATED_FIELDS = ("territory", "area_label")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    authority = models.CharField(
        _("authority"), max_length=200, help_text=_("Who drew or publishes the plan.")
    )
    area_label = models.CharField(
        _("district label"),
        max_length=60,
        default="District",
        help_text=_('What one area is called on the page, e.g. "District".'),
    )
    territory = models.CharField(
        _("territory"),
        max_length=200,
        blank=True,
        help_text=_('The place the districts cover, as in "not in the City of Miami".'),
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    vintage = models.CharField(
        _("vintage"), max_length=100, blank=True, help_text=_("Which edition of the plan.")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    places = models.SlugField(
        _("places around it"),
        max_length=100,
        blank=True,
        help_text=_(
            "The boundary set (slug) of the municipalities around this territory: an address "
            'outside it is told where it is ("in Hialeah, not in the City of Miami").'
        ),
    )

    class Meta:
        verbose_name = _("boundary set")
        verbose_name_plural = _("boundary sets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_territory(self) -> str:
        """The territory in the active language: "la Ciudad de Miami" on a Spanish page."""
        return self.translated("territory")


class Area(UUIDModel, Translated):
    """One district of a boundary set, identified by its OCD-ID across vintages. Its polygons
    live in ``AreaShape``, one per boundary version. Its name is written in each language
    ("District 2", "Distrito 2", "Distri 2"); ``str()`` gives it in the active language."""

    TRANSLATED_FIELDS = ("name",)

    boundary_set = models.ForeignKey(
        BoundarySet, on_delete=models.CASCADE, related_name="areas", verbose_name=_("boundary set")
    )
    ocd_id = models.CharField(_("OCD division id"), max_length=200)
    number = models.CharField(_("number"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["boundary_set", "number", "name"]
        constraints = [
            models.UniqueConstraint(fields=["boundary_set", "ocd_id"], name="area_unique_ocd_id")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.translated("name")


class BoundaryVersion(UUIDModel):
    """One imported vintage of a set's polygons, in force from ``valid_from`` to ``valid_to``.

    Importing a newer vintage closes the previous one the day before the new one starts, so
    there is never a day without a map. Only validated versions are stored."""

    boundary_set = models.ForeignKey(
        BoundarySet,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("boundary set"),
    )
    vintage = models.CharField(_("vintage"), max_length=100)
    source = models.CharField(_("source"), max_length=500, help_text=_("File or URL read."))
    definition = models.TextField(
        _("definition"), help_text=_("The definition file the import followed, verbatim.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Off when a re-import of the same start replaced it."),
    )
    validation_report = models.TextField(_("validation report"), blank=True)

    class Meta:
        verbose_name = _("boundary version")
        verbose_name_plural = _("boundary versions")
        ordering = ["boundary_set", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.boundary_set} ({self.vintage})"


class AreaShape(models.Model):
    """The polygon of one area in one boundary version: GeoJSON, lon/lat (WGS 84/NAD83)."""

    version = models.ForeignKey(
        BoundaryVersion, on_delete=models.CASCADE, related_name="shapes", verbose_name=_("version")
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="shapes", verbose_name=_("area")
    )
    geometry = models.JSONField(_("geometry"))

    class Meta:
        verbose_name = _("area shape")
        verbose_name_plural = _("area shapes")
        constraints = [
            models.UniqueConstraint(fields=["version", "area"], name="areashape_unique_area")
        ]

    def __str__(self) -> str:
        return f"{self.area} in {self.version}"


class Post(UUIDModel, Translated):
    """A seat, e.g. "Commissioner, District 2", tied to the area it represents. Its role is
    also the key campaigns name it by ("Commissioner"): the words a page shows are
    ``display_role`` and ``display_label``, in the active language (``str()`` too)."""

    TRANSLATED_FIELDS = ("role", "label")

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="posts", verbose_name=_("area")
    )
    role = models.CharField(_("role"), max_length=100, help_text=_('e.g. "Commissioner".'))
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["area", "role"]
        constraints = [
            models.UniqueConstraint(fields=["area", "role"], name="post_unique_role_per_area")
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_role(self) -> str:
        return self.translated("role")

    @property
    def display_label(self) -> str:
        return self.translated("label")


class OfficialQuerySet(models.QuerySet["Official"]):
    def current(self, on: date | None = None) -> "OfficialQuerySet":
        """Officials holding their post on the given date (today by default)."""
        day = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Official(UUIDModel):
    """A person holding a post for a period, with the channels that reach them."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="officials", verbose_name=_("post")
    )
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("in office since"), null=True, blank=True)
    end_date = models.DateField(_("in office until"), null=True, blank=True)
    email = models.EmailField(
        _("email"),
        blank=True,
        help_text=_("Where letters go. Leave empty until a source confirms it; never guess."),
    )
    cc_emails = models.TextField(
        _("copy to (staff)"),
        blank=True,
        help_text=_("Staff addresses copied on every letter, one per line."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.CharField(
        _("website"), max_length=200, blank=True, help_text=_("As the source publishes it.")
    )
    contact_source = models.CharField(
        _("contacts source"),
        max_length=500,
        blank=True,
        help_text=_("Where the email, phone and website come from. Update it with them."),
    )
    contact_as_of = models.DateField(_("contacts as of"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=500, help_text=_("Where the name and dates come from.")
    )
    source_as_of = models.DateField(_("source as of"), null=True, blank=True)
    letters_held_since = models.DateTimeField(
        _("letters held since"),
        null=True,
        blank=True,
        help_text=_(
            "Set when a delivery address changes: no letter goes to this official until "
            "platform staff confirm the new address."
        ),
    )

    # Where letters go: every change of these is recorded and holds the official's letters.
    ADDRESS_FIELDS = ("email", "cc_emails")

    objects = OfficialQuerySet.as_manager()

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["post", "-start_date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.post})"

    def cc_list(self) -> list[str]:
        """The staff addresses copied on letters, one per line in ``cc_emails``."""
        return [line.strip() for line in self.cc_emails.splitlines() if line.strip()]

    def clean(self) -> None:
        """Letters go to these addresses: the one rule for addresses (altavoz.validation)."""
        validation.check_fields(self, {"email": validation.validate_email_address})
        bad = []
        for address in self.cc_list():
            try:
                validation.validate_email_address(address)
            except ValidationError:
                bad.append(address)
        if bad:
            raise ValidationError(
                {
                    "cc_emails": _("Not an email address: %(bad)s. Write one address per line.")
                    % {"bad": ", ".join(bad)}
                }
            )


class OfficialAddressChange(models.Model):
    """One change of where an official's letters go: who made it, when, old and new, and
    who confirmed it (the official's letters wait until then)."""

    official = models.ForeignKey(
        Official,
        on_delete=models.CASCADE,
        related_name="address_changes",
        verbose_name=_("official"),
    )
    field = models.CharField(_("address"), max_length=20)
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"), blank=True)
    changed_by = models.CharField(_("changed by"), max_length=200)
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    confirmed_by = models.CharField(_("confirmed by"), max_length=200, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("official address change")
        verbose_name_plural = _("official address changes")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.official.name}: {self.field} {self.old_value!r} -> {self.new_value!r}"
