"""The page behind "Did the office reply?": the link opens it, one press records the answer.

A GET never records anything, so a mail scanner that follows every link answers nothing. The
signed token in the URL is what authorises the answer (as for one-click unsubscribe), so the
form needs no CSRF cookie: a forged request could only answer for a letter whose link it has.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from altavoz.delivery.models import Delivery
from altavoz.outcomes import services, tokens
from altavoz.outcomes.models import LetterReply

TEMPLATE = "outcomes/letter_reply.html"


@csrf_exempt
@require_http_methods(["GET", "POST"])
def letter_reply(request, token: str):
    delivery_id = tokens.delivery_id_for(token)
    delivery = (
        Delivery.objects.select_related("official__post", "signature__campaign__organisation")
        .filter(pk=delivery_id, status=Delivery.Status.SENT)
        .first()
        if delivery_id
        else None
    )
    if delivery is None:
        return render(request, TEMPLATE, {"invalid": True}, status=404)
    context = {
        "delivery": delivery,
        "official": delivery.official,
        "organisation": delivery.signature.campaign.organisation,
        "answers": LetterReply.Answer,
        "chosen": request.GET.get("answer", ""),
    }
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        if answer not in LetterReply.Answer.values:
            raise Http404("No such answer")
        context["recorded"] = services.letter_reply_answer(delivery_id=delivery.pk, answer=answer)
    return render(request, TEMPLATE, context)
