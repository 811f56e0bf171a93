"""Fixtures of the notifications tests: test templates, a local SMS provider, staff rights."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from dimos.accounts.models import User
from dimos.notifications.tests.helpers import STAFF_PERMISSIONS, FakeSmsProvider, grant

TEMPLATES_DIR = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _test_templates(settings: Any) -> None:
    """notifications/test_event_* (with an SMS text) and test_plain_* (without), in Greek."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], TEMPLATES_DIR]}]
    settings.DIMOS_SMS_PROVIDER = "sandbox"
    settings.SANDBOX_ENABLED = True
    settings.DIMOS_FAX_EMAIL_PATTERN = "{number}@fax.example.gr"


@pytest.fixture
def notifications_clerk(clerk: User) -> User:
    """The registry clerk, with the permissions of the notifications pages."""
    return grant(clerk, *STAFF_PERMISSIONS)


@pytest.fixture
def sms_server(settings: Any) -> Iterator[FakeSmsProvider]:
    provider = FakeSmsProvider()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            provider.requests.append(
                {
                    "path": self.path,
                    "headers": dict(self.headers.items()),
                    "json": json.loads(self.rfile.read(length)),
                }
            )
            status, body = provider.answer()
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet tests

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    provider.url = f"http://127.0.0.1:{server.server_address[1]}/v1/sms"
    settings.DIMOS_SMS_PROVIDER = "http"
    settings.DIMOS_SMS_HTTP_URL = provider.url
    settings.DIMOS_SMS_HTTP_TOKEN = "test-token-123"
    settings.DIMOS_SMS_SENDER = "DimosTest"
    settings.DIMOS_SMS_HTTP_TIMEOUT = 5
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
