"""Diavgeia (ν.3861/2010): decisions in its OpenData JSON, from files or from its API.

Field names exactly as the OpenData API returns them (reference §1.3): `ada`, `subject`,
`protocolNumber`, `issueDate` and `publishTimestamp` (epoch milliseconds), `organizationId`,
`unitIds`, `decisionTypeId`, `thematicCategoryIds`, `status`, `versionId`,
`correctedVersionId`, `documentUrl`, `documentChecksum`. The same ΑΔΑ updates, never
duplicates.
"""

import json
import logging
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import iri_to_uri

from dimos.core import audit
from dimos.decisions import actions, pdfs, rules
from dimos.decisions.models import Body, Decision, DecisionType, ThematicCategory

logger = logging.getLogger(__name__)
ATHENS = ZoneInfo("Europe/Athens")
API_BASE = "https://diavgeia.gov.gr/luminapi/opendata"
SEARCH_URL = "https://diavgeia.gov.gr/opendata/search"  # no /luminapi (reference §1.5)
PAGE_SIZE = 500  # the API's maximum
TIMEOUT_SECONDS = 30
MAX_PDF_BYTES = 50 * 1024 * 1024
REVOKED = {"REVOKED", "PENDING_REVOCATION"}


class ImportProblemError(Exception):
    """A record that cannot be imported; the message says why, in a sentence."""


@dataclass(frozen=True)
class Outcome:
    ada: str
    result: str  # "created", "updated", "unchanged"
    decision: Decision


def _from_millis(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC)


def _issue_date(value: Any) -> date:
    moment = _from_millis(value)
    if moment is None:
        raise ImportProblemError("issueDate is missing")
    return moment.astimezone(ATHENS).date()  # the date printed on the decision, in Greece


def _body_for(record: dict[str, Any], default: Body | None) -> Body:
    units = [str(u) for u in record.get("unitIds") or []]
    body = Body.objects.filter(diavgeia_unit_id__in=units).exclude(diavgeia_unit_id="").first()
    if body is None:
        body = default
    if body is None:
        raise ImportProblemError(
            f"no body has the Diavgeia unit {', '.join(units) or '(none)'}; "
            "set it on the body or give --body"
        )
    return body


def decision_data(record: dict[str, Any], default_body: Body | None) -> actions.DecisionData:
    """The record's metadata as DecisionData; ImportProblemError when it lacks essentials."""
    ada = rules.parse_ada(str(record.get("ada") or ""))
    if not ada:
        raise ImportProblemError(f"ada {record.get('ada')!r} is missing or not an ΑΔΑ")
    subject = str(record.get("subject") or "").strip()
    protocol_number = str(record.get("protocolNumber") or "").strip()
    if not subject or not protocol_number:
        raise ImportProblemError(f"{ada}: subject or protocolNumber is missing")
    type_code = str(record.get("decisionTypeId") or "").strip()
    decision_type = (
        DecisionType.objects.get_or_create(code=type_code, defaults={"label": type_code})[0]
        if type_code
        else None
    )
    categories = [
        ThematicCategory.objects.get_or_create(code=str(code), defaults={"label": str(code)})[0]
        for code in record.get("thematicCategoryIds") or []
    ]
    return actions.DecisionData(
        body=_body_for(record, default_body),
        protocol_number=protocol_number[:50],
        subject=subject[:2000],
        decision_date=_issue_date(record.get("issueDate")),
        decision_type=decision_type,
        categories=categories,
        ada=ada,
        published_at=_from_millis(record.get("publishTimestamp")),
    )


def import_record(
    record: dict[str, Any], pdf: bytes | None, *, default_body: Body | None = None
) -> Outcome:
    """Create or update the decision of one Diavgeia record (one transaction)."""
    data = decision_data(record, default_body)
    try:
        with transaction.atomic():
            existing = Decision.objects.filter(ada=data.ada).first()
            if existing is None:
                if pdf is None:
                    raise ImportProblemError(f"{data.ada}: its PDF is missing")
                decision = actions.do_publish_decision(data, pdf, source="diavgeia")
                result = "created"
            else:
                unchanged = _same(existing, data, pdf, record)
                decision = (
                    existing
                    if unchanged
                    else actions.do_update_decision(existing, data, pdf=pdf, source="diavgeia")
                )
                result = "unchanged" if unchanged else "updated"
            if _sync_state(decision, record) and result == "unchanged":
                result = "updated"
    except ValidationError as exc:
        raise ImportProblemError(f"{data.ada}: {' '.join(exc.messages)}") from exc
    return Outcome(ada=data.ada, result=result, decision=decision)


def _same(
    decision: Decision, data: actions.DecisionData, pdf: bytes | None, record: dict[str, Any]
) -> bool:
    new_sha = pdfs.check(pdf).sha256 if pdf is not None else decision.pdf_sha256
    return (
        decision.protocol_number == data.protocol_number
        and decision.subject == data.subject
        and decision.decision_date == data.decision_date
        and decision.body_id == data.body.pk
        and decision.decision_type_id == (data.decision_type.pk if data.decision_type else None)
        and decision.pdf_sha256 == new_sha
        and decision.diavgeia_version == str(record.get("versionId") or "")
        and set(decision.categories.values_list("pk", flat=True)) == {c.pk for c in data.categories}
    )


def _sync_state(decision: Decision, record: dict[str, Any]) -> bool:
    """Diavgeia's version, checksum, revocation and correction link; True if any changed."""
    changed = False
    version = str(record.get("versionId") or "")
    checksum = str(record.get("documentChecksum") or "")
    if (decision.diavgeia_version, decision.diavgeia_checksum) != (version, checksum):
        decision.diavgeia_version, decision.diavgeia_checksum = version, checksum
        decision.save(update_fields=["diavgeia_version", "diavgeia_checksum"])
        changed = True
    status = str(record.get("status") or "PUBLISHED").upper()
    if status in REVOKED and decision.status != Decision.Status.REVOKED:
        actions.do_revoke_decision(decision, f"Ανάκληση στη Διαύγεια ({status})")
        decision.refresh_from_db()
        changed = True
    corrected_version = str(record.get("correctedVersionId") or "")
    if corrected_version:
        # This record corrects an earlier version; when that was another decision of ours,
        # it is marked corrected by this one.
        earlier = (
            Decision.objects.filter(diavgeia_version=corrected_version)
            .exclude(pk=decision.pk)
            .first()
        )
        if earlier is not None and earlier.corrected_by_id != decision.pk:
            actions.do_mark_corrected(earlier, decision, "Διόρθωση στη Διαύγεια")
            changed = True
    return changed


# --- Reading a folder --------------------------------------------------------------------


def records_in(path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every decision in the JSON files at `path` (a file or a folder): one decision, a list,
    or a search response `{"info": …, "decisions": […]}` per file."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    for file in files:
        content = json.loads(file.read_text(encoding="utf-8"))
        if isinstance(content, dict) and isinstance(content.get("decisions"), list):
            content = content["decisions"]
        for record in content if isinstance(content, list) else [content]:
            if isinstance(record, dict):
                yield file, record


def pdf_beside(json_file: Path, record: dict[str, Any]) -> bytes | None:
    """The PDF that came with a record: `<ΑΔΑ>.pdf` beside it, else `<json name>.pdf`."""
    ada = str(record.get("ada") or "")
    for candidate in (json_file.with_name(f"{ada}.pdf"), json_file.with_suffix(".pdf")):
        if ada and candidate.is_file():
            return candidate.read_bytes()
    return None


# --- Harvesting the API ------------------------------------------------------------------

Fetch = Callable[[str], bytes]


def fetch_url(url: str, *, max_bytes: int = MAX_PDF_BYTES) -> bytes:
    """GET `url` (https, or http to a test server) with a time limit and a size limit."""
    url = iri_to_uri(url)  # Diavgeia's PDF addresses end in a Greek ΑΔΑ
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise ImportProblemError(f"not an http(s) address: {url[:100]}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, headers={"Accept": "application/json, application/pdf", "User-Agent": "Dimos"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        data: bytes = response.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImportProblemError(f"larger than {max_bytes} bytes: {url[:100]}")
    return data


def search_urls(
    org: str,
    unit: str,
    start: date,
    end: date,
    *,
    search_url: str = SEARCH_URL,
    page: int = 0,
    window: tuple[date, date] | None = None,
) -> str:
    first, last = window or (start, end)
    query = {
        "org": org,
        "from_issue_date": first.isoformat(),
        "to_issue_date": last.isoformat(),
        "size": PAGE_SIZE,
        "page": page,
        "sort": "recent",
    }
    if unit:
        query["unit"] = unit
    return f"{search_url}.json?{urllib.parse.urlencode(query)}"


def harvest(
    org: str,
    unit: str,
    start: date,
    end: date,
    *,
    search_url: str = SEARCH_URL,
    fetch: Fetch = fetch_url,
) -> Iterator[dict[str, Any]]:
    """Every decision record of `org` (and `unit`) issued from `start` to `end`, asking in
    windows of at most 180 days: the API silently cuts longer ranges (reference §1.5)."""
    for window in rules.date_windows(start, end):
        page = 0
        while True:
            url = search_urls(
                org, unit, start, end, search_url=search_url, page=page, window=window
            )
            payload = json.loads(fetch(url))
            decisions = payload.get("decisions") or []
            yield from decisions
            info = payload.get("info") or {}
            total = int(info.get("total") or 0)
            if not decisions or (page + 1) * PAGE_SIZE >= total:
                break
            page += 1


def record_audit_of_run(summary: dict[str, int], source: str) -> None:
    with transaction.atomic():
        details: dict[str, Any] = {"source": source, **summary}
        audit.record("decision.import_run", None, **details)
