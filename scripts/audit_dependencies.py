"""Audit requirements.lock with pip-audit (ASVS 5.0.0 15.2.1), minus the reasoned exceptions.

Exit 1 on any known vulnerability that security/pip-audit-exceptions.txt does not list, or on
an exception without a reason. Packages the advisory service could not be asked about are
counted and announced loudly, but do not fail the run: an unreachable service must not block
a release; the message says that the audit was incomplete.
"""

import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / "security" / "pip-audit-exceptions.txt"
LOCK = ROOT / "requirements.lock"
PIP_AUDIT = ROOT / ".venv" / "bin" / "pip-audit"
ADVISORY_ID = re.compile(r"^(PYSEC|GHSA|CVE|OSV)-[A-Za-z0-9-]+$")


@dataclass(frozen=True)
class Excepted:
    id: str
    package: str
    reason: str


@dataclass(frozen=True)
class Outcome:
    vulnerabilities: list[str]  # "package version: ID (fixed in …)"
    not_audited: list[str]  # "package (version)"
    audited: int


def read_exceptions(text: str) -> list[Excepted]:
    """The exceptions file's entries; a malformed line stops everything (ValueError)."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(maxsplit=2)
        if len(parts) < 3 or not parts[2].strip():
            raise ValueError(f"line {number}: expected 'ID  package  reason', got {line!r}")
        if not ADVISORY_ID.match(parts[0]):
            raise ValueError(f"line {number}: {parts[0]!r} is not an advisory id")
        entries.append(Excepted(id=parts[0], package=parts[1], reason=parts[2].strip()))
    return entries


def read_report(report: dict[str, Any]) -> Outcome:
    """What pip-audit's JSON report says (ignored vulnerabilities are already left out)."""
    vulnerabilities, not_audited, audited = [], [], 0
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            not_audited.append(f"{dependency['name']}: {dependency['skip_reason']}")
            continue
        audited += 1
        for vuln in dependency.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            vulnerabilities.append(
                f"{dependency['name']} {dependency.get('version', '')}: {vuln['id']} "
                f"(fixed in {fixed})"
            )
    return Outcome(vulnerabilities, not_audited, audited)


def verdict(outcome: Outcome) -> tuple[int, str]:
    """The exit status and the message for the CI log."""
    lines = []
    if outcome.vulnerabilities:
        lines.append(f"!!! Known vulnerabilities not excepted: {len(outcome.vulnerabilities)}")
        lines += [f"    {v}" for v in outcome.vulnerabilities]
        lines.append(
            "    Upgrade (make lock) or, if Dimos is not exposed, add the id with its reason "
            f"to {EXCEPTIONS.relative_to(ROOT)}."
        )
    if outcome.not_audited:
        total = outcome.audited + len(outcome.not_audited)
        lines.append(
            f"!!! AUDIT INCOMPLETE: {len(outcome.not_audited)} of {total} packages could NOT "
            "be audited (the advisory service did not answer for them). They were not checked; "
            "run the audit again where PyPI's JSON API is reachable."
        )
        lines += [f"    {n}" for n in outcome.not_audited]
    if not outcome.vulnerabilities:
        lines.append(
            f"No known vulnerabilities in the packages that were audited: {outcome.audited}."
        )
    return (1 if outcome.vulnerabilities else 0), "\n".join(lines)


def main() -> int:
    try:
        exceptions = read_exceptions(EXCEPTIONS.read_text(encoding="utf-8"))
    except ValueError as error:
        print(f"{EXCEPTIONS.relative_to(ROOT)}: {error}", file=sys.stderr)
        return 1
    for entry in exceptions:
        print(f"Excepted: {entry.id} ({entry.package}): {entry.reason}")
    with tempfile.TemporaryDirectory() as tmp:
        report_path = Path(tmp) / "pip-audit.json"
        command = [
            str(PIP_AUDIT),
            "-r",
            str(LOCK),
            "--no-deps",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "--format",
            "json",
            "--output",
            str(report_path),
        ]
        for entry in exceptions:
            command += ["--ignore-vuln", entry.id]
        done = subprocess.run(command, capture_output=True, text=True)  # noqa: S603 — fixed arguments
        if not report_path.exists():
            print(done.stdout + done.stderr, file=sys.stderr)
            print("!!! pip-audit produced no report: the dependencies were NOT audited.")
            return 1
        report = json.loads(report_path.read_text(encoding="utf-8"))
    status, message = verdict(read_report(report))
    print(message)
    return status


if __name__ == "__main__":
    sys.exit(main())
