"""A signature's own page, reached only through the link emailed to the address that signed:
it shows the letter exactly as it will be sent, confirms it (double opt-in: pressing the
button, a POST, never the bare link, so mail scanners neither confirm nor use it up), and
changes it (the only way a signature ever changes)."""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from altavoz.campaigns import district_answers, receipts, services
from altavoz.campaigns.forms import SignatureChangeForm
from altavoz.campaigns.models import Person, Signature
from altavoz.campaigns.views.action import _public_campaign
from altavoz.delivery import tokens
from altavoz.shield import ratelimit

TEMPLATE = "campaigns/signature.html"
CHANGE_TEMPLATE = "campaigns/signature_change.html"


def _letters(signature: Signature) -> list[dict]:
    """The letter to each official it goes to, exactly as it will be (or was) sent: in the
    language the supporter signed in."""
    campaign = signature.campaign
    officials = [d.official for d in signature.deliveries.exclude(status="cancelled")]
    if not officials and signature.area_id:
        officials = list(campaign.targets_for_area(signature.area_id))
    return [
        {
            "official": official,
            "text": campaign.compose_letter(
                body=signature.letter_body,
                first_name=signature.first_name,
                last_name=signature.last_name,
                official_name=official.name,
                language=signature.language,
                story=signature.story,
                answers=signature.merge_answers(),
            ),
        }
        for official in officials
    ]


def _context(signature: Signature, token: str, **extra) -> dict:
    campaign = signature.campaign.in_language(get_language())
    return {
        "signature": signature,
        "campaign": campaign,
        "token": token,
        "letters": _letters(signature),
        "sent": services.signature_letter_sent(signature),
        **extra,
    }


def _from_link(request, token: str):
    """The signature the link names, or the page saying why the link does not work."""
    signature, revision = tokens.signature_for_token(token)
    if signature is None or signature.person.erased_at is not None:
        return None, render(request, TEMPLATE, {"invalid": True}, status=404)
    if signature.revision != revision:
        return None, render(request, TEMPLATE, {"stale": True}, status=410)
    return signature, None


@require_http_methods(["GET", "HEAD", "POST"])
def signature_page(request, token: str):
    signature, refusal = _from_link(request, token)
    if refusal:
        return refusal
    context = _context(signature, token)
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    if signature.confirmed_at is None and not signature.campaign.is_open():
        return render(request, TEMPLATE, {**context, "closed": True}, status=409)
    try:
        services.signature_confirm(signature=signature, revision=signature.revision)
    except services.StaleLink:
        return render(request, TEMPLATE, {"stale": True}, status=410)
    return render(request, TEMPLATE, {**context, "confirmed": True})


@require_http_methods(["GET", "HEAD", "POST"])
def signature_change(request, token: str):
    signature, refusal = _from_link(request, token)
    if refusal:
        return refusal
    locked = services.signature_letter_sent(signature)
    data = request.POST if request.method == "POST" else None
    form = SignatureChangeForm(data, signature=signature, locked=locked)
    context = {**_context(signature, token), "form": form, "locked": locked}
    if data is None or not form.is_valid():
        return render(
            request, "campaigns/signature_change.html", context, status=400 if data else 200
        )
    changes = form.changes()
    if not locked:
        check = district_answers.district_check(
            signature.campaign, chosen=changes["area"], street=changes["street_address"],
            zip_code=changes["zip_code"], lat=form.cleaned_data["lat"],
            lon=form.cleaned_data["lon"],
        )  # fmt: skip
        if check.refusal:
            form.add_error("area", check.refusal)
            return render(request, CHANGE_TEMPLATE, context, status=400)
        changes.update(area=check.area, district_verified=check.verified)
    try:
        changed = services.signature_change(
            signature=signature, revision=signature.revision, changes=changes,
            answers=form.answer_changes(),
        )  # fmt: skip
    except services.StaleLink:
        return render(request, TEMPLATE, {"stale": True}, status=410)
    return HttpResponseRedirect(tokens.signature_url(changed) + "?changed=1")


@require_POST
def resend_link(request, slug: str):
    """The thank-you page's "Send the link again": the same answer whether or not the
    address has a signature here (its receipt cookie says which address)."""
    campaign = _public_campaign(slug)
    receipt = receipts.read(request, campaign)
    signature = receipt and (
        Signature.objects.filter(
            campaign=campaign,
            person__in=Person.objects.filter(
                organisation_id=campaign.organisation_id, email=receipt.email
            ),
        ).first()
    )
    if signature:
        sent = services.signature_link_resend(signature=signature)
    else:  # counted all the same, so that the answers do not differ
        key = f"signature-link:none:{campaign.pk}:{receipt and receipt.email}"
        sent = ratelimit.count_hit(key, window=3600) <= services.LINKS_PER_HOUR
    context = {"campaign": campaign, "resent": sent}
    return render(request, TEMPLATE, context, status=200 if sent else 429)
