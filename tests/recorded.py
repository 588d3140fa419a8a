"""A real local HTTP server that answers with recorded responses, so the one HTTP wrapper,
the geocoders and the ArcGIS reader run for real without touching the network.

Routes map a path to a handler ``(query: dict) -> Reply``; every request is logged.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    body: bytes | str | dict | list
    status: int = 200
    delay: float = 0.0
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)

    def payload(self) -> bytes:
        if isinstance(self.body, dict | list):
            return json.dumps(self.body).encode()
        return self.body.encode() if isinstance(self.body, str) else self.body


class RecordedServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict = {}
        self.requests: list[tuple[str, dict]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                server.requests.append((parts.path, query))
                route = server.routes.get(parts.path)
                reply = route(query) if route else Reply({"error": "no route"}, status=404)
                time.sleep(reply.delay)
                body = reply.payload()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)  # a free port
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, path: str, reply: Reply | None = None, **kwargs):
        """Always answer ``path`` with the same reply."""
        fixed = reply or Reply(**kwargs)
        self.routes[path] = lambda query: fixed

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


LAYER = "/arcgis/rest/services/Commission_Districts/FeatureServer/0"
# The parts of a layer's ?f=json description the reader uses (ArcGIS REST "Layer" resource).
LAYER_INFO = {
    "name": "Commission_Districts",
    "type": "Feature Layer",
    "geometryType": "esriGeometryPolygon",
    "objectIdField": "OBJECTID",
    "maxRecordCount": 2000,
    "advancedQueryCapabilities": {"supportsPagination": True},
}


def serve_layer(recorded: RecordedServer, collection: dict, page_size: int = 2) -> str:
    """Answer FeatureServer queries as ArcGIS does: pages of features with
    exceededTransferLimit while more remain (the reader asks for 1000; we page by 2).
    Returns the layer URL."""

    def page(query):
        offset = int(query.get("resultOffset", 0))
        chunk = collection["features"][offset : offset + page_size]
        body = {"type": "FeatureCollection", "features": chunk}
        if offset + page_size < len(collection["features"]):
            body["properties"] = {"exceededTransferLimit": True}
        return Reply(body)

    recorded.routes[f"{LAYER}/query"] = page
    recorded.answer(LAYER, body=LAYER_INFO)
    return recorded.base + LAYER
