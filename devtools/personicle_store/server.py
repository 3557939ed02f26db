"""Serve the stored data of one user to the demo page: a JSON endpoint and a page of charts."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from devtools.personicle_store.queries import user_week
from shared.clock import utc_now

STATIC = Path(__file__).with_name("static")


class StoreServer:
    """The HTTP side of the stand-in, on a loopback port."""

    def __init__(self, database: Any, chart_library: Path, port: int) -> None:
        self.database = database
        self.chart_library = chart_library
        self.http = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.port = self.http.server_address[1]
        self._thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving."""
        self.http.shutdown()
        self.http.server_close()


def _handler(server: StoreServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            if url.path == "/data":
                user = (query.get("user") or [""])[0]
                if not user:
                    return self._send(400, "application/json", b'{"error": "user is required"}')
                with server.database.transaction() as cursor:
                    week = user_week(cursor, user, now=utc_now())
                return self._send(200, "application/json", json.dumps(week).encode())
            if url.path in ("/", "/index.html"):
                return self._send(200, "text/html; charset=utf-8", (STATIC / "data.html").read_bytes())
            if url.path == "/data.js":
                return self._send(200, "text/javascript", (STATIC / "data.js").read_bytes())
            if url.path == "/vendor/chart.umd.js":
                if not server.chart_library.exists():
                    return self._send(404, "text/plain", b"chart.js is not installed (scripts/start installs it)")
                return self._send(200, "text/javascript", server.chart_library.read_bytes())
            self._send(404, "text/plain", b"not found")

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler
