"""A minimal browser for benchmarks: one keep-alive connection, cookies, form parsing."""

import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

# The CSRF token too: a tree before 7a850a6 (a "before" run of bench/RESULTS.md) still asks
# for it.
_INPUT = re.compile(r'<input type="hidden" name="(csrfmiddlewaretoken|rendered)" value="([^"]*)"')
_AREA = re.compile(r'name="area" value="([0-9a-f-]{36})"')


class Browser:
    def __init__(self, base: str, *, ip: str = ""):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.ip = ip

    def request(self, method: str, path: str, body: dict | None = None, *, cookies=True):
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.ip:
            headers["X-Forwarded-For"] = self.ip
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            response, content = self._send(method, path, data, headers)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server closed an idle keep-alive connection: a browser reconnects and
            # sends again, which is safe because nothing reached the application.
            self._reconnect()
            response, content = self._send(method, path, data, headers)
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content.decode("utf-8", "replace"), elapsed

    def _send(self, method, path, data, headers):
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            return response, response.read()
        except (http.client.HTTPException, OSError):
            self._reconnect()
            raise

    def _reconnect(self) -> None:
        self.connection.close()
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def form(self, path: str) -> tuple[dict, list[str], float]:
        """GET the page; return its hidden fields, the district ids, and the latency."""
        status, html, elapsed = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        return (*form_fields(html), elapsed)


def form_fields(html: str) -> tuple[dict, list[str]]:
    """The campaign form's hidden fields (the signed render time; the CSRF token of an older
    tree) and district ids."""
    return dict(_INPUT.findall(html)), _AREA.findall(html)


def visitor_ip(group: int, n: int) -> str:
    """The n-th simulated client's address, from the IPv6 documentation range, each in its
    own /64: the server counts a /64 as one client (one home or phone), so visitors who must
    not share a limit get one each. ``group`` (0-255) keeps kinds of visitor apart."""
    return f"2001:db8:{group:02x}{n >> 16 & 0xFF:02x}:{n & 0xFFFF:x}::1"


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
