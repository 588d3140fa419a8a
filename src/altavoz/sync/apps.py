from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "altavoz.sync"
    verbose_name = _("Sync to other systems")
