"""The ALTCHA widget's own texts, in the language of the page (its ``strings`` attribute)."""

import json

from django.utils.translation import gettext as _


def altcha_strings() -> str:
    return json.dumps(
        {
            "label": _("I'm not a robot"),
            "verify": _("Verify"),
            "verifying": _("Verifying..."),
            "verified": _("Verified"),
            "waitAlert": _("Verifying... please wait."),
            "error": _("Verification failed. Try again later."),
            "expired": _("Verification expired. Try again."),
            "verificationRequired": _("Verification required!"),
            "loading": _("Loading..."),
            "reload": _("Reload"),
        },
        ensure_ascii=False,
    )
