"""ClamAV over clamd's INSTREAM protocol, against a fake daemon that speaks the protocol."""

import logging
import socket
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dimos.core import antivirus, uploads
from dimos.core.tests.fake_clamd import FakeClamd
from dimos.core.tests.hostile_uploads import EICAR, HERE

LIMIT = 10 * 1024 * 1024


def test_clean_file_is_streamed_whole_in_chunks(clamav: FakeClamd) -> None:
    content = (HERE / "good.pdf").read_bytes() * 200  # more than one chunk
    verdict = antivirus.scan(SimpleUploadedFile("a.pdf", content), clamav.url)
    assert verdict == antivirus.Verdict(clean=True)
    assert clamav.streams == [content]


def test_infected_file_quarantined(clamav: FakeClamd, caplog: pytest.LogCaptureFixture) -> None:
    upload = SimpleUploadedFile("a.csv", EICAR)
    with (
        caplog.at_level(logging.WARNING, logger="dimos.security"),
        pytest.raises(ValidationError) as caught,
    ):
        uploads.validate_text_upload(upload, LIMIT)
    assert caught.value.code == "virus"
    assert "περιέχει ιό" in caught.value.messages[0]
    (line,) = [r for r in caplog.records if r.name == "dimos.security"]
    assert line.getMessage() == "upload_refused_virus"
    assert line.security["signature"] == "Eicar-Signature"  # type: ignore[attr-defined]


def test_unreachable_scanner_refuses_the_upload(settings: Any) -> None:
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        settings.DIMOS_CLAMAV_URL = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    upload = SimpleUploadedFile("a.pdf", (HERE / "good.pdf").read_bytes())
    with pytest.raises(ValidationError) as caught:
        uploads.validate_document(upload, uploads.PROOF_TYPES, LIMIT)
    assert caught.value.code == "scanner_unavailable"
    assert "Δοκιμάστε ξανά αργότερα" in caught.value.messages[0]


def test_unix_socket_scanner(tmp_path: Any) -> None:
    path = str(tmp_path / "clamd.ctl")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen(1)

        def answer() -> None:
            conn, _ = server.accept()
            with conn:
                received = b""
                while not received.endswith(b"\0\0\0\0"):
                    received += conn.recv(65536)
                conn.sendall(b"stream: OK\0")

        thread = threading.Thread(target=answer)
        thread.start()
        verdict = antivirus.scan(SimpleUploadedFile("a.pdf", b"%PDF-"), f"unix://{path}")
        thread.join()
    assert verdict.clean


@pytest.mark.parametrize("answer", [b"INSTREAM size limit exceeded. ERROR\0", b"", b"nonsense\0"])
def test_an_answer_that_is_not_a_verdict_is_no_verdict(answer: bytes) -> None:
    with pytest.raises(antivirus.ScannerUnavailableError):
        antivirus._verdict(answer.rstrip(b"\0").decode())


def test_without_a_scanner_nothing_is_scanned(clamav: FakeClamd, settings: Any) -> None:
    settings.DIMOS_CLAMAV_URL = ""
    upload = SimpleUploadedFile("a.pdf", (HERE / "good.pdf").read_bytes())
    uploads.validate_document(upload, uploads.PROOF_TYPES, LIMIT)
    assert clamav.streams == []
