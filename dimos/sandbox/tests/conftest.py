"""Fixtures of the sandbox tests: the sandbox on, and a tiny "portal" on 127.0.0.1 that
receives the background confirmations (never the outside network)."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _sandbox_on(settings: Any) -> None:
    settings.SANDBOX_ENABLED = True
    settings.DIMOS_PUBLIC_URL = "https://dimos.example.gr"
    for name in ("DIMOS_SANDBOX_CARDLINK_MID", "DIMOS_SANDBOX_CARDLINK_SECRET"):
        if hasattr(settings, name):
            delattr(settings, name)
    settings.DIMOS_CARDLINK_DIGEST = "sha256"


@dataclass
class Portal:
    """Records each POST; answers from `answers` (status, extra headers), else 200."""

    base: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    answers: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    received: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@pytest.fixture
def portal() -> Iterator[Portal]:
    portal = Portal()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            portal.requests.append(
                {
                    "path": self.path,
                    "headers": dict(self.headers.items()),
                    "body": self.rfile.read(length),
                }
            )
            status, headers = portal.answers.pop(0) if portal.answers else (200, {})
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            portal.received.set()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet tests

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    portal.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield portal
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
