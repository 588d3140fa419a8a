"""The action in a frame on the organisation's own site: ``/embed/<slug>/`` (and
``/es/embed/…``, ``/ht/embed/…``), inserted by ``static/altavoz/embed.js``.

The same form, lookup, letter, thank-you, shield and service as the campaign page
(campaigns.views.action with the EMBED surface), compact. Only the sites the campaign lists
may frame these responses (campaigns.framing). Browsers may refuse cookies in a frame on
another site, so the embed asks for none: instead of the CSRF cookie, a submission must
carry a render token this site signed for this campaign (shield.formtoken), which the
shield then holds to one email address, a minimum fill time and the shared limits."""

from functools import wraps

from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from altavoz.campaigns import framing
from altavoz.campaigns.forms import SignatureForm
from altavoz.campaigns.surfaces import EMBED
from altavoz.campaigns.views import action
from altavoz.shield import formtoken
from altavoz.shield.screening import Refusal


def framed(view):
    """Let the campaign's allowed sites (and only them) frame the view's answer."""

    @wraps(view)
    def wrapped(request, slug: str):
        response = view(request, slug)
        framing.frame_policy(response, action._recent_campaign(slug))
        return response

    return wrapped


def _unproven(request, campaign):
    """The form shown again, refused, when the submission carries no render token signed
    here for this campaign (what the CSRF cookie proves on the page)."""
    try:
        formtoken.check(request.POST.get("rendered", ""), str(campaign.pk), min_seconds=0,
                        max_seconds=float("inf"))  # fmt: skip
    except formtoken.FormTokenError:
        message = _("This form could not be verified. Please send it again from the campaign page.")
        refusal = Refusal("unproven", message, status=403, renew_form=True)
        form = SignatureForm(request.POST, campaign=campaign)
        return action._refused(request, campaign, form, refusal, EMBED)
    return None


@csrf_exempt  # no cookie in a frame: the signed render token is checked instead
@require_http_methods(["GET", "HEAD", "POST"])
@framed
def embed(request, slug: str):
    if request.method != "POST":
        return action.campaign_view(request, slug, EMBED)
    return _unproven(request, action._recent_campaign(slug)) or action.sign(request, slug, EMBED)


@require_safe
@framed
def embed_thanks(request, slug: str):
    return action.thanks(request, slug, EMBED)
