"""Double opt-in: the link in the email shows a button; only pressing it (a POST) confirms,
so mail scanners that follow links neither confirm nor use up the link."""

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from altavoz.campaigns import services
from altavoz.campaigns.models import Signature
from altavoz.campaigns.views.action import THANKS_SALT
from altavoz.delivery import tokens
from altavoz.shield import ratelimit

RESENDS_PER_HOUR = 3


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_signature(request, token: str):
    signature = tokens.signature_for_confirm_token(token)
    if signature is None:
        return render(request, "campaigns/confirm.html", {"invalid": True}, status=404)
    context = {"signature": signature, "campaign": signature.campaign.in_language(get_language())}
    if request.method == "POST":
        if not signature.campaign.is_open() and signature.confirmed_at is None:
            return render(
                request, "campaigns/confirm.html", {**context, "closed": True}, status=409
            )
        services.signature_confirm(signature=signature)
        return render(request, "campaigns/confirm.html", {**context, "confirmed": True})
    return render(request, "campaigns/confirm.html", context)


@require_POST
def resend_confirmation(request, slug: str):
    try:
        signature_id = signing.loads(request.POST.get("s", ""), salt=THANKS_SALT)
    except signing.BadSignature:
        raise Http404("Unknown signature") from None
    signature = get_object_or_404(Signature, pk=signature_id, campaign__slug=slug)
    allowed = ratelimit.count_hit(f"resend:{signature.pk}", window=3600) <= RESENDS_PER_HOUR
    if allowed:
        services.signature_confirmation_resend(signature=signature)
    campaign = signature.campaign.in_language(get_language())
    context = {"signature": signature, "campaign": campaign, "resent": allowed}
    return render(request, "campaigns/confirm.html", context, status=200 if allowed else 429)
