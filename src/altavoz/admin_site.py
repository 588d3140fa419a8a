"""The organisers' admin: with ORGANISER_2FA=1 every sign-in also needs a TOTP code."""

from django.conf import settings
from django.contrib import admin
from django_otp.admin import OTPAdminSite


def configure() -> None:
    if settings.ORGANISER_2FA:
        admin.site.__class__ = OTPAdminSite
    admin.site.site_header = "Altavoz"
    admin.site.site_title = "Altavoz"
