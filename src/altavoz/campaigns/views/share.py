"""What Altavoz serves for a campaign to other sites: the share image crawlers show."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from altavoz.campaigns import previews
from altavoz.campaigns.views.action import _public_campaign

SHARE_IMAGE_MAX_AGE = 600


@require_safe
def share_image(request, slug: str):
    """The campaign's share image, 1200 x 630, in the page's language."""
    data, content_type = previews.image(_public_campaign(slug))
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={SHARE_IMAGE_MAX_AGE}"
    return response
