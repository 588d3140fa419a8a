"""The admin app with Altavoz's site (altavoz.admin_site), which scopes every admin."""

from django.contrib.admin.apps import AdminConfig


class AltavozAdminConfig(AdminConfig):
    default_site = "altavoz.admin_site.AltavozAdminSite"
