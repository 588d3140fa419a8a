"""Date and number formats: Spanish as Miami writes it (US numbers and times), and Haitian
Creole, which Django itself does not cover.

Django names months (and "a.m."/"p.m.") through its own catalogue, which has no Haitian
Creole; listing them here puts them in ours, so "12 jen 2027, 7:30 p.m." reads right on a
Haitian Creole page.
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
TIMES_OF_DAY = [gettext_noop("a.m."), gettext_noop("p.m.")]
