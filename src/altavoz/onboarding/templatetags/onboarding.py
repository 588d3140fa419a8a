from django import template

from altavoz.campaigns import access
from altavoz.onboarding import services

register = template.Library()


@register.simple_tag(takes_context=True)
def waiting_requests(context) -> int:
    """How many requests for new organisations wait for platform staff (0 for others)."""
    if not access.is_platform_staff(context["request"].user):
        return 0
    return services.pending_requests_count()
