"""The unsubscribe link in every confirmation email: no login, the signed token is the key."""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from altavoz.delivery import services, tokens


# Mail clients' one-click unsubscribe (RFC 8058) POSTs without a CSRF token; the signed
# token in the URL is what authorises the change.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    person, expired = tokens.person_for_token(token)
    if person is None:
        return render(request, "delivery/unsubscribe.html", {"invalid": True}, status=404)
    if expired:
        context = {"expired": True, "organisation": person.organisation}
        return render(request, "delivery/unsubscribe.html", context, status=410)
    done = request.method == "POST"
    if done:
        services.person_unsubscribe(person=person)
    context = {"person": person, "organisation": person.organisation, "done": done}
    return render(request, "delivery/unsubscribe.html", context)
