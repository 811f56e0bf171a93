"""Diavgeia's OpenData JSON: files twice (idempotent), and the API through a local server."""

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.management import CommandError, call_command

from dimos.decisions import diavgeia
from dimos.decisions.models import Body, Decision
from dimos.decisions.tests.conftest import pdf_of


def millis(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, 10, tzinfo=UTC).timestamp() * 1000)


def record(ada: str, number: str, subject: str, day: date, **extra: Any) -> dict[str, Any]:
    return {
        "ada": ada,
        "subject": subject,
        "protocolNumber": number,
        "issueDate": millis(day),
        "publishTimestamp": millis(day) + 86_400_000,
        "submissionTimestamp": millis(day) + 86_400_000,
        "organizationId": "6154",
        "unitIds": ["81689"],
        "signerIds": ["100"],
        "decisionTypeId": "2.4.7.1",
        "thematicCategoryIds": ["20"],
        "extraFieldValues": {},
        "status": "PUBLISHED",
        "versionId": f"v-{ada}-1",
        "correctedVersionId": None,
        "documentUrl": f"https://diavgeia.gov.gr/doc/{ada}",
        "documentChecksum": None,
        "url": f"https://diavgeia.gov.gr/luminapi/opendata/decisions/{ada}",
        "attachments": [],
        "privateData": False,
        **extra,
    }


@pytest.fixture
def folder(tmp_path: Path, db: None) -> Path:
    Body.objects.filter(code="dimotiko-symvoulio").update(diavgeia_unit_id="81689")
    records = [
        record("ΨΘ82ΩΡΦ-7ΑΙ", "45/2025", "Έγκριση προϋπολογισμού", date(2025, 12, 10)),
        record("6ΛΘΕΩΡΦ-ΞΣ1", "46/2025", "Ύδρευση οικισμών", date(2025, 12, 10)),
    ]
    (tmp_path / "decisions.json").write_text(
        json.dumps({"info": {"total": 2}, "decisions": records}, ensure_ascii=False),
        encoding="utf-8",
    )
    for r in records:
        (tmp_path / f"{r['ada']}.pdf").write_bytes(pdf_of(r["protocolNumber"], r["subject"]))
    return tmp_path


def run(*args: str) -> str:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_diavgeia", *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
    return out.getvalue() + err.getvalue()


def test_import_twice_creates_once(folder: Path, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert "Created 2, updated 0, unchanged 0" in run(str(folder))
    assert "Created 0, updated 0, unchanged 2" in run(str(folder))
    decision = Decision.objects.get(ada="ΨΘ82ΩΡΦ-7ΑΙ")
    assert (decision.serial, decision.year, decision.body.code) == (45, 2025, "dimotiko-symvoulio")
    assert decision.decision_type is not None and decision.decision_type.code == "2.4.7.1"
    assert decision.published_at is not None
    assert list(decision.categories.values_list("code", flat=True)) == ["20"]
    assert decision.text_extracted  # the immediate task backend ran the extraction


def test_same_ada_updates_and_revocation_is_followed(folder: Path) -> None:
    run(str(folder))
    file = folder / "decisions.json"
    content = json.loads(file.read_text(encoding="utf-8"))
    content["decisions"][0]["subject"] = "Έγκριση προϋπολογισμού (ορθή επανάληψη)"
    content["decisions"][0]["versionId"] = "v-2"
    content["decisions"][1]["status"] = "REVOKED"
    file.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    assert "Created 0, updated 2" in run(str(folder))
    assert Decision.objects.count() == 2
    assert Decision.objects.get(ada="ΨΘ82ΩΡΦ-7ΑΙ").subject.endswith("(ορθή επανάληψη)")
    assert Decision.objects.get(ada="6ΛΘΕΩΡΦ-ΞΣ1").status == Decision.Status.REVOKED


def test_record_without_pdf_or_unit_is_skipped_with_a_reason(tmp_path: Path, db: None) -> None:
    (tmp_path / "one.json").write_text(
        json.dumps(record("ΨΘ82ΩΡΦ-7ΑΙ", "45/2025", "Θέμα", date(2025, 1, 1))), encoding="utf-8"
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_diavgeia", str(tmp_path), stdout=StringIO(), stderr=err)
    assert "no body has the Diavgeia unit 81689" in err.getvalue()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_diavgeia", str(tmp_path), "--body", "dimotiko-symvoulio",
            stdout=StringIO(), stderr=err,
        )  # fmt: skip
    assert "PDF is missing" in err.getvalue()


class FakeDiavgeia(BaseHTTPRequestHandler):
    """The search API and the PDFs, as Diavgeia serves them, on 127.0.0.1."""

    records: list[dict[str, Any]] = []
    requests: list[dict[str, list[str]]] = []

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/opendata/search.json":
            query = parse_qs(parts.query)
            self.requests.append(query)
            start = date.fromisoformat(query["from_issue_date"][0])
            end = date.fromisoformat(query["to_issue_date"][0])
            assert (end - start).days < 180
            found = [
                r
                for r in self.records
                if start <= datetime.fromtimestamp(r["issueDate"] / 1000, UTC).date() <= end
            ]
            body = json.dumps({"info": {"total": len(found)}, "decisions": found}).encode()
            content_type = "application/json"
        elif parts.path.startswith("/doc/"):
            ada = unquote(parts.path.removeprefix("/doc/"))
            r = next(r for r in self.records if r["ada"] == ada)
            body, content_type = pdf_of(r["protocolNumber"], r["subject"]), "application/pdf"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeDiavgeia)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_harvest_from_the_api_in_windows_of_180_days(server: str, db: None) -> None:
    FakeDiavgeia.requests = []
    FakeDiavgeia.records = [
        record(ada, number, subject, day, documentUrl=f"{server}/doc/{ada}")
        for ada, number, subject, day in [
            ("ΑΒ12ΩΚΓ-ΔΔ1", "5/2025", "Έγκριση πρακτικών", date(2025, 2, 1)),
            ("ΑΒ13ΩΚΓ-ΔΔ2", "90/2025", "Κατακύρωση διαγωνισμού", date(2025, 10, 1)),
            ("ΑΒ14ΩΚΓ-ΔΔ3", "4/2026", "Ορισμός επιτροπής", date(2026, 1, 20)),
        ]
    ]
    args = [
        "--org", "6154", "--unit", "81689", "--from", "2025-01-01", "--to", "2026-02-28",
        "--body", "dimotiko-symvoulio", "--search-url", f"{server}/opendata/search",
    ]  # fmt: skip
    output = run(*args)
    assert "Created 3" in output, output
    assert len(FakeDiavgeia.requests) == 3  # 424 days: three windows
    assert all(q["org"] == ["6154"] and q["unit"] == ["81689"] for q in FakeDiavgeia.requests)
    assert "unchanged 3" in run(*args)
    assert Decision.objects.count() == 3


def test_fetch_refuses_other_schemes() -> None:
    with pytest.raises(diavgeia.ImportProblemError):
        diavgeia.fetch_url("file:///etc/passwd")
