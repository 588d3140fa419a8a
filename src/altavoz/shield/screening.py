"""Screen a submission before it is stored: per-IP and per-email limits, the signed render
time and, when the connection has been busy, a proof of work. A refusal always tells a person
what to do next, and the form keeps what they typed."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from altavoz import privacy
from altavoz.shield import formtoken, proofofwork, ratelimit, store


@dataclass(frozen=True)
class Refusal:
    reason: str
    message: str
    status: int = 400
    retry_after: int | None = None
    renew_form: bool = False  # the form is shown again with a new render token


def _minutes(seconds: int) -> int:
    return max(1, round(seconds / 60))


def proof_read(
    *, token: str, scope: str, from_another_site: bool
) -> tuple[Refusal | None, formtoken.Stamp | None]:
    """A submission that does not come from a page of ours is refused before anything else
    is looked at: it must carry a render token signed here for this campaign, and not be
    sent from another site's page (shield.sameorigin). What the CSRF cookie and token
    proved, without either. Returns the refusal, or the token's stamp, whatever its age
    (``screen_submission`` weighs that with the rest)."""
    try:
        stamp = formtoken.read(token, scope)
    except formtoken.FormTokenError:
        stamp = None
    if stamp is not None and not from_another_site:
        return None, stamp
    message = _("This form could not be verified. Please send it again from the campaign page.")
    return Refusal("unproven", message, status=403, renew_form=True), None


def _ip_refusal(count: int) -> Refusal | None:
    if count > settings.SHIELD_IP_LIMIT:
        wait = ratelimit.retry_after(settings.SHIELD_IP_WINDOW)
        message = _(
            "Too many signatures came from your connection just now. "
            "Please wait %(minutes)d minutes and send again; what you typed is kept."
        ) % {"minutes": _minutes(wait)}
        return Refusal("ip_limit", message, 429, wait)
    return None


def _age_refusal(stamp: formtoken.Stamp) -> Refusal | None:
    """The form was sent faster than a person types, or left open too long."""
    try:
        formtoken.age_check(
            stamp,
            min_seconds=settings.SHIELD_MIN_FILL_SECONDS,
            max_seconds=settings.SHIELD_FORM_MAX_AGE,
        )
    except formtoken.FormTokenError as error:
        messages = {
            "too_fast": _(
                "That was quicker than a person can type. Check your details and send again."
            ),
            "expired": _(
                "This page was open for a long time. Please check your details and send again."
            ),
        }
        return Refusal(error.reason, messages[error.reason])
    return None


def _pow_refusal(payload: str, ip_count: int, scope: str) -> Refusal | None:
    mode = settings.PROOF_OF_WORK
    required = mode == "always" or (mode == "adaptive" and ip_count > settings.SHIELD_POW_AFTER)
    if payload and mode != "off" and not proofofwork.verify(payload, scope):
        return Refusal("pow_invalid", _("The automatic check did not pass. Please send again."))
    if required and not payload:
        return Refusal(
            "pow_missing",
            _(
                "Several signatures came from your connection recently. Turn on JavaScript so "
                "your browser can complete a short automatic check, or wait a few minutes and "
                "send again."
            ),
            429,
            ratelimit.retry_after(settings.SHIELD_IP_WINDOW),
        )
    return None


def _email_refusal(count: int) -> Refusal | None:
    if count > settings.SHIELD_EMAIL_LIMIT:
        wait = ratelimit.retry_after(settings.SHIELD_EMAIL_WINDOW)
        message = _(
            "This email address was used on this form several times in the last hour. "
            "Please try again in %(minutes)d minutes; what you typed is kept."
        ) % {"minutes": _minutes(wait)}
        return Refusal("email_limit", message, 429, wait)
    return None


def _reuse_refusal(owner: str | None, email_key: str) -> Refusal | None:
    """A page's render token signs for one email address: the same form sent again (a
    double click, the back button) passes, a captured token replayed with others does not."""
    if owner is None or owner == email_key:
        return None
    message = _(
        "This page has already sent a signature for another email address. "
        "Check your details and send again."
    )
    return Refusal("form_reused", message, renew_form=True)


def _counted(ip_hash: str, email_key: str, stamp: formtoken.Stamp | None):
    """This submission counted, in one trip to the shared store: on its connection, on its
    email address, and its render token claimed for that address (when its age is good)."""
    counters = [
        ratelimit.counter(f"ip:{ip_hash}", window=settings.SHIELD_IP_WINDOW),
        ratelimit.counter(f"email:{email_key}", window=settings.SHIELD_EMAIL_WINDOW),
    ]
    claim = stamp and (f"form:{stamp.key}", email_key, settings.SHIELD_FORM_MAX_AGE + 60)
    (ip_count, email_count), owner = store.hits(counters, claim=claim or None)
    return ip_count, email_count, owner


def screen_submission(
    *, ip_hash: str, scope: str, stamp: formtoken.Stamp, pow_payload: str, email: str
):
    """The first reason to refuse this submission, or None to accept it, once ``proof_read``
    has read its render token (``stamp``). Every submission is counted, refused or not (one
    trip to the shared store); the reasons are then weighed in order: the connection's
    limit, the render time, the proof of work, the address's limit, the page's token used
    for another address."""
    age_refusal = _age_refusal(stamp)
    email_key = privacy.email_hash(email)
    ip_count, email_count, owner = _counted(ip_hash, email_key, None if age_refusal else stamp)
    return (
        _ip_refusal(ip_count)
        or age_refusal
        or _pow_refusal(pow_payload, ip_count, scope)
        or _email_refusal(email_count)
        or _reuse_refusal(owner, email_key)
    )
