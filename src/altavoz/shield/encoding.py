"""Forms are read as UTF-8 only. A form POST that names another character set (``charset=
utf-7``, ``latin-1``, ...) gets a page saying so, with status 400: Django refuses to read it
(BadRequest), and its CSRF check, which reads the form first, used to turn that into an empty
500 (the error pages run the same check and fail the same way)."""

import codecs

from django.shortcuts import render

FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
UTF8_SPELLINGS = frozenset({"utf-8", "ascii"})  # as codecs.lookup names them; ASCII is UTF-8


def _declared_charset(request) -> str | None:
    """The character set a form POST names, as Python calls it; None when it names none, or
    one Python does not know (Django then reads UTF-8)."""
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return None
    charset = (request.content_params or {}).get("charset")
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


class FormEncodingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = _declared_charset(request)
        if charset in UTF8_SPELLINGS:
            request.encoding = "utf-8"  # "UTF8", "us-ascii": read as Django reads UTF-8
        elif charset is not None:
            return render(request, "shield/form_encoding.html", status=400)
        return self.get_response(request)
