"""Date and number formats for the languages Django itself does not cover (Haitian Creole).

Django names months through its own catalogue, which has no Haitian Creole; listing them
here puts them in ours, so "12 jen 2027" reads right on a Haitian Creole page.
"""

from django.utils.translation import gettext_noop

MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
