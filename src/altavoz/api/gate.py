"""The door of every API request: the key (``OSDI-API-Token``), its scope, its rate limit,
and errors answered as problem documents. A view behind it gets ``request.api_key``, whose
organisation is the only one it may read or write."""

import functools
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from altavoz.api import keys
from altavoz.api.problems import Problem, problem_response
from altavoz.shield import ratelimit

logger = logging.getLogger(__name__)
HEADER = "OSDI-API-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _authenticated(request):
    key = keys.apikey_for_token(request.headers.get(HEADER, "").strip())
    if key is None:
        raise Problem(
            401,
            _("Send a valid, unrevoked API key in the %(header)s header.") % {"header": HEADER},
            headers={"WWW-Authenticate": f'{HEADER} realm="altavoz"'},
        )
    return key


def _within_limit(key) -> None:
    window = settings.API_RATE_WINDOW
    if ratelimit.count_hit(f"api:{key.pk}", window=window) > settings.API_RATE_LIMIT:
        wait = ratelimit.retry_after(window)
        raise Problem(
            429,
            _("This API key made too many requests; wait %(seconds)d seconds.") % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )


def endpoint(*methods: str):
    """An API view answering ``methods``; a write needs a key with the write scope."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view):
        @csrf_exempt  # no cookies: the key in the header is the credential
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs) -> HttpResponse:
            try:
                if request.method not in allowed:
                    raise Problem(
                        405,
                        _("Use %(methods)s here.") % {"methods": ", ".join(sorted(allowed))},
                        headers={"Allow": ", ".join(sorted(allowed))},
                    )
                key = request.api_key = _authenticated(request)
                if request.method not in SAFE_METHODS and not key.can_write:
                    raise Problem(403, _("This API key may read but not write."))
                _within_limit(key)
                keys.apikey_touch(key=key)
                return view(request, *args, **kwargs)
            except RequestDataTooBig:
                return problem_response(Problem(413, _("The request body is too large.")))
            except Problem as problem:
                return problem_response(problem)

        wrapper.methods = allowed  # read by the OpenAPI description (schema.py)
        return wrapper

    return decorate
