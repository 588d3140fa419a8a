from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from altavoz.campaigns import text

register = template.Library()


@register.filter(name="campaign_text")
def campaign_text(value: str):
    return text.render(value or "")


@register.filter(name="ago")
def ago(value, now=None) -> str:
    """ "5 minutes ago" in the page's language (Django's own naturaltime has no Haitian
    Creole), to the largest whole unit."""
    seconds = max(0, int(((now or timezone.now()) - value).total_seconds()))
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if days:
        return ngettext("%(n)d day ago", "%(n)d days ago", days) % {"n": days}
    if hours:
        return ngettext("%(n)d hour ago", "%(n)d hours ago", hours) % {"n": hours}
    if minutes:
        return ngettext("%(n)d minute ago", "%(n)d minutes ago", minutes) % {"n": minutes}
    return _("just now")
