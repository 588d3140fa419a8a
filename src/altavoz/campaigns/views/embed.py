"""The action in a frame on the organisation's own site: ``/embed/<slug>/`` (and
``/es/embed/…``, ``/ht/embed/…``), inserted by ``static/altavoz/embed.js``.

The same form, lookup, letter, thank-you, shield and service as the campaign page
(campaigns.views.action with the EMBED surface), compact. Only the sites the campaign lists
may frame these responses (campaigns.framing). Browsers may refuse cookies in a frame on
another site, so the embed asks for none (nor does the page): a submission must carry a
render token this site signed for this campaign and come from no other site's page
(action.sign), and the shield then holds it to one email address, a minimum fill time and
the shared limits."""

from functools import wraps

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from altavoz.campaigns import framing
from altavoz.campaigns.surfaces import EMBED
from altavoz.campaigns.views import action


def framed(view):
    """Let the campaign's allowed sites (and only them) frame the view's answer."""

    @wraps(view)
    def wrapped(request, slug: str):
        response = view(request, slug)
        framing.frame_policy(response, action._recent_campaign(slug))
        return response

    return wrapped


@csrf_exempt  # as the page: the signed render token is the proof (action.sign)
@require_http_methods(["GET", "HEAD", "POST"])
@framed
def embed(request, slug: str):
    if request.method != "POST":
        return action.campaign_view(request, slug, EMBED)
    return action.sign(request, slug, EMBED)


@require_safe
@framed
def embed_thanks(request, slug: str):
    return action.thanks(request, slug, EMBED)
