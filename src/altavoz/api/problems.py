"""Errors as RFC 9457 problem documents (``application/problem+json``): a title, the status,
a detail a person can act on, and for invalid input each field with its message."""

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _

PROBLEM_TYPE = "about:blank"
CONTENT_TYPE = "application/problem+json"


class Problem(Exception):
    """Raised anywhere in an API view; the view answers with it."""

    def __init__(self, status: int, detail: str, *, errors: list | None = None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}


TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


def problem_response(problem: Problem) -> HttpResponse:
    body = {
        "type": PROBLEM_TYPE,
        "title": TITLES.get(problem.status, "Error"),
        "status": problem.status,
        "detail": str(problem.detail),
    }
    if problem.errors:
        body["errors"] = problem.errors
    response = HttpResponse(json.dumps(body), status=problem.status, content_type=CONTENT_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response


def invalid(errors: dict[str, list[str]]) -> Problem:
    """422 naming each invalid field (its JSON path in the request, e.g.
    ``person.postal_addresses[0].postal_code``) with what to change."""
    listed = [
        {"pointer": field, "detail": str(message)}
        for field, messages in errors.items()
        for message in messages
    ]
    return Problem(422, _("Some fields are not valid; each is named below."), errors=listed)


def not_found() -> Problem:
    return Problem(404, _("There is nothing at this address for this API key."))
