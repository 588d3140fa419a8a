"""A real local HTTP server that receives webhooks (or another system's pushes): it keeps
each request's headers and body, answers with the status (and body) it is told, may take its
time, and can go down and come back on the same port."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Where the receivers listen: the network OUTBOUND_ALLOWED_NETWORKS must let in to reach them.
LOOPBACK = "127.0.0.1/32"


class Receiver:
    def __init__(self, *, status: int = 204, delay: float = 0.0, port: int = 0, reply=b"",
                 host: str = "127.0.0.1", headers: dict | None = None):  # fmt: skip
        self.status, self.delay, self.reply = status, delay, reply
        self.host, self.headers = host, headers or {}
        self.received: list[tuple[dict, bytes]] = []
        self.lock = threading.Lock()
        self.port = port
        self.httpd = None

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real receivers do

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(receiver.delay)
                status = receiver.status
                if 200 <= status < 300:
                    with receiver.lock:
                        receiver.received.append(
                            ({k.lower(): v for k, v in self.headers.items()}, body)
                        )
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(receiver.reply)))
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(receiver.reply)

            def log_message(self, *args):
                pass

        return Handler

    def start(self) -> "Receiver":
        server = ThreadingHTTPServer
        if ":" in self.host:
            server = type("IPv6Server", (ThreadingHTTPServer,), {"address_family": socket.AF_INET6})
        self.httpd = server((self.host, self.port), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/hooks/altavoz"

    def ids(self) -> list[str]:
        with self.lock:
            return [headers["webhook-id"] for headers, _ in self.received]


def drained(drain, timeout: float = 5) -> int:
    """Run a sender's ``drain`` (webhooks, Action Network pushes) once over fresh outside
    connections, as the worker's cycle does; how many it sent."""
    from altavoz import httpclient

    connections = httpclient.Connections(timeout=timeout)
    try:
        return drain(connections)
    finally:
        connections.close()
