"""The dependency audit (scripts/audit-dependencies.sh): its exceptions file is well formed,
and it fails on a vulnerability nobody excepted but only warns when the service is away."""

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]


def load_audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "audit_dependencies", ROOT / "scripts" / "audit_dependencies.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


audit = load_audit()


def test_committed_exceptions_parse_and_each_has_a_reason() -> None:
    text = (ROOT / "security" / "pip-audit-exceptions.txt").read_text(encoding="utf-8")
    assert text.startswith("# ")  # the header explaining the format
    for entry in audit.read_exceptions(text):
        assert entry.reason and entry.package


def test_exception_with_reason_is_read() -> None:
    text = "# header\n\nGHSA-abcd-efgh-ijkl  django  only the admin's X is affected; off here\n"
    [entry] = audit.read_exceptions(text)
    assert (entry.id, entry.package) == ("GHSA-abcd-efgh-ijkl", "django")
    assert entry.reason == "only the admin's X is affected; off here"


@pytest.mark.parametrize(
    "line",
    ["PYSEC-2024-1  django", "PYSEC-2024-1", "not-an-id  django  because"],
    ids=["no-reason", "id-only", "bad-id"],
)
def test_exception_without_reason_or_id_is_refused(line: str) -> None:
    with pytest.raises(ValueError, match="line 2"):
        audit.read_exceptions(f"# header\n{line}\n")


def test_unexcepted_vulnerability_fails_the_audit() -> None:
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.1",
                "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "aliases": []}],
            },
            {"name": "pillow", "version": "11.0", "vulns": []},
        ]
    }
    status, message = audit.verdict(audit.read_report(report))
    assert status == 1
    assert "django 5.2.1: PYSEC-2025-1 (fixed in 5.2.2)" in message


def test_packages_that_could_not_be_audited_are_announced_but_do_not_fail() -> None:
    report = {
        "dependencies": [
            {
                "name": "anyio",
                "skip_reason": "Dependency not found on PyPI and could not be audited",
            },
            {"name": "pillow", "version": "11.0", "vulns": []},
        ]
    }
    status, message = audit.verdict(audit.read_report(report))
    assert status == 0
    assert "AUDIT INCOMPLETE: 1 of 2 packages could NOT be audited" in message
    assert "audited: 1." in message
