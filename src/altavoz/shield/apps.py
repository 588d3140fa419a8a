from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShieldConfig(AppConfig):
    name = "altavoz.shield"
    verbose_name = _("Abuse resistance")
