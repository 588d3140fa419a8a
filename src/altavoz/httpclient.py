"""The one wrapper for every outside HTTP call (geocoders, ArcGIS layers, webhooks, syncs).

Every call has a timeout; every failure surfaces as a typed exception; tests point the
callers at a local server with recorded responses (see tests/recorded.py) and
``ALLOWED_HOSTS_FOR_TESTS`` keeps everything else off the network.

Every connection it opens, a redirect's too, goes only where ``altavoz.outbound`` allows:
the host is resolved as the connection opens, refused (HttpRefused) if any of its addresses
is this machine's or its network's, and the socket is opened to an address checked, never
to a second answer (DNS rebinding); TLS still verifies the certificate for the host's name,
sent as SNI. No proxy from the environment is used: the check would judge the proxy.
"""

import functools
import http.client
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from altavoz import outbound

MAX_BYTES = 20 * 1024 * 1024

# Set by the test suite: when not None, only these hosts may be reached.
ALLOWED_HOSTS_FOR_TESTS: set[str] | None = None


class HttpError(Exception):
    """The outside service could not be reached or did not answer usefully."""


class HttpTimeout(HttpError):
    pass


class HttpStatusError(HttpError):
    def __init__(self, status: int, url: str):
        super().__init__(f"HTTP {status} from {url}")
        self.status = status


class HttpBadResponse(HttpError):
    pass


class HttpRefused(HttpError):
    """The address is this machine's or its network's (altavoz.outbound): nothing was sent."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise HttpBadResponse(f"not JSON: {self.body[:80]!r}") from exc


def _url(url: str, params: dict | None) -> str:
    if not params:
        return url
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + joiner + urllib.parse.urlencode(params)


def _check_allowed(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise HttpError(f"refusing a {parts.scheme!r} URL: {url}")
    if ALLOWED_HOSTS_FOR_TESTS is not None and parts.hostname not in ALLOWED_HOSTS_FOR_TESTS:
        raise HttpError(f"network disabled in tests: {parts.hostname}")


def _dial(scheme: str):
    """``socket.create_connection`` for a connection by ``scheme``: to the addresses of the
    host checked now, one after another, as create_connection tries them."""

    def connect(address: tuple[str, int], timeout: float | None, source_address=None):
        host, port = address
        try:
            checked = outbound.addresses(host, port, scheme=scheme)
        except outbound.Refused as exc:
            raise HttpRefused(f"Refused to connect: {exc}") from None
        failure: OSError = OSError(f"{host} has no address")
        for ip in checked:
            try:
                return socket.create_connection((str(ip), port), timeout, source_address)
            except OSError as exc:
                failure = exc
        raise failure

    return connect


class CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _dial("http")


class CheckedHTTPSConnection(http.client.HTTPSConnection):
    """TLS on a socket to the checked address; certificate and SNI for the host's name
    (http.client wraps the socket with ``server_hostname=self.host``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _dial("https")


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(CheckedHTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(CheckedHTTPSConnection, req, context=self._context)


@functools.cache
def _opener() -> urllib.request.OpenerDirector:
    """Redirects are followed (geocoders and map servers move), each through a checked
    connection. Built at the first GET: its TLS context reads the system's certificates
    (23 ms, 2 MiB), which a process that never GETs (the worker) does not need."""
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), _HTTPHandler, _HTTPSHandler)


def get(url: str, *, params: dict | None = None, timeout: float | None = None, headers=None):
    """GET ``url`` and return the Response; raise HttpError (or a subclass) on any failure."""
    full = _url(url, params)
    _check_allowed(full)
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        full, headers={"User-Agent": settings.HTTP_USER_AGENT, **(headers or {})}
    )
    wait = timeout if timeout is not None else settings.HTTP_TIMEOUT_SECONDS
    try:
        with _opener().open(request, timeout=wait) as answer:
            body = answer.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise HttpBadResponse(f"answer larger than {MAX_BYTES} bytes from {url}")
            return Response(answer.status, body, answer.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as exc:
        raise HttpStatusError(exc.code, url) from exc
    except TimeoutError as exc:
        raise HttpTimeout(f"no answer within {wait}s from {url}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise HttpTimeout(f"no answer within {wait}s from {url}") from exc
        raise HttpError(f"{url}: {exc.reason}") from exc
    except (OSError, ValueError) as exc:
        raise HttpError(f"{url}: {exc}") from exc


def get_json(url: str, *, params: dict | None = None, timeout: float | None = None, headers=None):
    return get(url, params=params, timeout=timeout, headers=headers).json()


class Connections:
    """Connections kept open per host for many requests in a row (a worker's batch of
    webhooks): one TCP (and TLS) handshake per host, not per request. Any status comes back
    as a Response; the network's failures raise HttpError (HttpTimeout for a timeout)."""

    def __init__(self, *, timeout: float | None = None) -> None:
        self.timeout = timeout if timeout is not None else settings.HTTP_TIMEOUT_SECONDS
        self._open: dict[tuple, http.client.HTTPConnection] = {}

    def _connection(self, parts) -> tuple[tuple, http.client.HTTPConnection, bool]:
        key = (parts.scheme, parts.hostname, parts.port)
        if key in self._open:
            return key, self._open[key], True
        kind = CheckedHTTPSConnection if parts.scheme == "https" else CheckedHTTPConnection
        connection = kind(parts.hostname, parts.port, timeout=self.timeout)
        self._open[key] = connection
        return key, connection, False

    def post(self, url: str, *, body: bytes, headers: dict) -> Response:
        """POST once; a redirect is answered as it is (a Response with its 3xx), never
        followed."""
        _check_allowed(url)
        parts = urllib.parse.urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        sent = {"User-Agent": settings.HTTP_USER_AGENT, "Content-Length": str(len(body)), **headers}
        for _ in range(2):  # a kept connection the server has closed is opened again once
            key, connection, reused = self._connection(parts)
            try:
                connection.request("POST", path, body=body, headers=sent)
                answer = connection.getresponse()
                data = answer.read(MAX_BYTES + 1)
                if answer.will_close:
                    self._drop(key)
                return Response(
                    answer.status, data[:MAX_BYTES], answer.getheader("Content-Type", "")
                )
            except HttpRefused:
                self._drop(key)
                raise
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self._drop(key)
                if not reused:
                    raise HttpError(f"{url}: {exc}") from exc
            except TimeoutError as exc:
                self._drop(key)
                raise HttpTimeout(f"no answer within {self.timeout}s from {url}") from exc
            except (OSError, http.client.HTTPException, ValueError) as exc:
                self._drop(key)
                raise HttpError(f"{url}: {exc}") from exc
        raise HttpError(f"{url}: the connection closed twice")

    def _drop(self, key) -> None:
        connection = self._open.pop(key, None)
        if connection is not None:
            connection.close()

    def close(self) -> None:
        for key in list(self._open):
            self._drop(key)
