"""What personal data Dimos holds about a person, how they download it, and what closing the
account does to it (GDPR Art. 15 access, Art. 17 erasure and its limits in Art. 17(3)(b)).

Each app says it in its own `<app>/personal_data.py`, discovered when the project starts
(CoreConfig.ready): per model, one `Section` (how to list a person's rows, and what happens to
them when the account is closed: anonymised, deleted, or kept with the legal reason), or an
`exclude(...)` with the reason the model holds no data of the person to export.
dimos/core/tests/test_personal_data.py walks every model and fails on one that is neither.
"""

import enum
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Closure(enum.Enum):
    """What closing an account does to a section's rows."""

    ANONYMISE = "anonymise"  # the row stays, the person's details on it are removed
    DELETE = "delete"
    KEEP = "keep"  # kept because a law requires it; `reason` says which


Person = Any  # the user model; typed loosely so that core does not import accounts
Column = str | tuple[str, Promise]  # "field__path", or (path, label) when the label must differ


@dataclass(frozen=True)
class Section:
    key: str  # also the file name in the export: <key>.json
    title: Promise  # what the person reads, e.g. "Τα αιτήματά σας"
    model: type[Model]
    rows: Callable[[Person], QuerySet[Any]]  # the person's rows, and only theirs
    columns: Sequence[Column]
    closure: Closure
    reason: Promise  # shown on the closing page: what happens and why (the law, for KEEP)
    close: Callable[[Person], None] | None = None  # runs inside the closing transaction
    file_field: str = ""  # a FileField of the rows whose files go into the export
    order: int = 0  # closure order; the account row itself goes last


@dataclass
class _Registry:
    sections: dict[str, Section] = field(default_factory=dict)
    exclusions: dict[str, str] = field(default_factory=dict)  # model label -> reason


_registry = _Registry()


def register(section: Section) -> None:
    if section.key in _registry.sections:
        raise ValueError(f"Personal data section {section.key!r} registered twice")
    _registry.sections[section.key] = section


def exclude(label: str, reason: str) -> None:
    """`app_label.Model` holds nothing of a person to export (reason given for reviewers)."""
    _registry.exclusions[label] = reason


def sections() -> list[Section]:
    return sorted(_registry.sections.values(), key=lambda s: (s.order, s.key))


def exclusions() -> dict[str, str]:
    return dict(_registry.exclusions)


# --- Export ---------------------------------------------------------------------------------


def _resolve(model: type[Model], path: str) -> models.Field[Any, Any] | None:
    """The field at the end of a `a__b__c` path, or None for an annotation."""
    current: type[Model] = model
    found: Any = None
    for part in path.split("__"):
        try:
            found = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if found.is_relation and found.related_model is not None:
            current = found.related_model
    return found if isinstance(found, models.Field) else None


@dataclass(frozen=True)
class _Column:
    path: str
    label: str
    choices: dict[Any, str]


def _columns(section: Section) -> list[_Column]:
    result: list[_Column] = []
    seen: set[str] = set()
    for column in section.columns:
        path, label = column if isinstance(column, tuple) else (column, None)
        model_field = _resolve(section.model, path)
        text = str(label or (model_field.verbose_name if model_field else path))
        if text in seen:  # two fields with the same label: keep both, told apart
            text = f"{text} ({path})"
        seen.add(text)
        choices = (
            {k: str(v) for k, v in model_field.flatchoices}
            if model_field is not None and model_field.choices
            else {}
        )
        result.append(_Column(path, text, choices))
    return result


def _value(value: Any, column: _Column) -> Any:
    if column.choices and value in column.choices:
        return column.choices[value]
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value


def section_rows(section: Section, person: Person) -> list[dict[str, Any]]:
    """The person's rows of one section, labelled in the reader's language: one query."""
    columns = _columns(section)
    values = section.rows(person).values(*[c.path for c in columns])
    return [{c.label: _value(row[c.path], c) for c in columns} for row in values]


def section_files(section: Section, person: Person) -> list[FieldFile]:
    if not section.file_field:
        return []
    files = []
    for obj in section.rows(person).only("pk", section.file_field):
        attached: FieldFile = getattr(obj, section.file_field)
        if attached:
            files.append(attached)
    return files


def _json(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _write_files(archive: zipfile.ZipFile, section: Section, person: Person) -> int:
    count = 0
    for attached in section_files(section, person):
        name = PurePosixPath(attached.name or "").name
        try:
            with attached.open("rb") as handle:
                archive.writestr(f"files/{section.key}/{name}", handle.read())
        except FileNotFoundError:  # listed in the JSON all the same; staff see the log
            continue
        count += 1
    return count


def export_zip(person: Person, readme: str) -> tuple[bytes, dict[str, int]]:
    """The ZIP the person downloads: a README, <section>.json per section, and their files.

    Returns the bytes and the number of rows (and files) per section, for the audit log.
    """
    buffer = io.BytesIO()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        for section in sections():
            rows = section_rows(section, person)
            counts[section.key] = len(rows)
            archive.writestr(
                f"{section.key}.json",
                _json({"title": str(section.title), "rows": rows}),
            )
            files = _write_files(archive, section, person)
            if files:
                counts[f"{section.key}.files"] = files
    return buffer.getvalue(), counts


def export_file_name(today: date) -> str:
    return f"dimos-data-{today:%Y-%m-%d}.zip"


# --- Closure --------------------------------------------------------------------------------


def run_closure(person: Person) -> None:
    """Apply every section's closure to the person's rows; call inside one transaction."""
    for section in sections():
        if section.close is not None:
            section.close(person)


def closure_summary() -> dict[Closure, list[Section]]:
    """For the closing page: which sections are deleted, anonymised, kept."""
    summary: dict[Closure, list[Section]] = {c: [] for c in Closure}
    for section in sections():
        summary[section.closure].append(section)
    return summary


# --- What the models hold, for the walk test ------------------------------------------------

# Field names that say "this is about a person" (split on "_": first_name → name).
PERSONAL_WORDS = frozenset(
    {
        "afm",
        "amka",
        "vat",
        "email",
        "phone",
        "mobile",
        "fax",
        "plate",
        "name",
        "surname",
        "username",
        "address",
        "birth",
        "iban",
        "ip",
    }
)


def personal_reasons(model: type[Model], person_models: Iterable[type[Model]]) -> list[str]:
    """Why a model looks like it holds personal data: links to a person, or telling names."""
    targets = tuple(person_models)
    reasons = []
    for model_field in model._meta.get_fields():
        if not getattr(model_field, "concrete", False):
            continue
        if model_field.is_relation and model_field.related_model in targets:
            reasons.append(f"{model_field.name} → {model_field.related_model._meta.label}")
        elif PERSONAL_WORDS.intersection(model_field.name.lower().split("_")):
            reasons.append(model_field.name)
    return reasons


def covered_labels() -> set[str]:
    return {s.model._meta.label for s in _registry.sections.values()}


def register_core() -> None:
    """Core's own models, and those of Django and allauth (called from CoreConfig.ready)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from dimos.core.models import AuditEvent, IssuedDocument

    register(
        Section(
            key="access_log",
            title=_("Who did what with your data"),
            model=AuditEvent,
            # Events about the person; never the actor's events about other people.
            rows=lambda p: AuditEvent.objects.filter(subject=p).order_by("at", "id"),
            columns=[
                "at",
                "action",
                ("actor__first_name", _("Member of staff or person (first name)")),
                ("actor__last_name", _("Member of staff or person (surname)")),
                "object_repr",
            ],
            closure=Closure.KEEP,
            reason=_(
                "Kept: the record of who accessed or changed your data is how the municipality "
                "answers for it (GDPR Art. 5(2) and 30)."
            ),
        )
    )
    register(
        Section(
            key="documents",
            title=_("Documents issued to you (receipts, certificates)"),
            model=IssuedDocument,
            rows=lambda p: IssuedDocument.objects.filter(holder=p),
            columns=["kind", "title", "code", "issued_at", "revoked_at", "revocation_reason"],
            file_field="pdf",
            closure=Closure.KEEP,
            reason=_(
                "Kept: an issued document must stay verifiable by its code for as long as it "
                "can be used (ν.4727/2020 art. 13–16)."
            ),
        )
    )
    register(
        Section(
            key="email_addresses",
            title=_("Your e-mail addresses"),
            model=EmailAddress,
            rows=lambda p: EmailAddress.objects.filter(user=p),
            columns=[("email", _("E-mail")), "verified", "primary"],
            closure=Closure.DELETE,
            reason=_("Deleted."),
            close=lambda p: _delete(EmailAddress.objects.filter(user=p)),
        )
    )
    register(
        Section(
            key="authenticators",
            title=_("Your second factors of authentication"),
            model=Authenticator,
            # Only the kind and the dates: the secrets never leave the server.
            rows=lambda p: Authenticator.objects.filter(user=p),
            columns=["type", "created_at", "last_used_at"],
            closure=Closure.DELETE,
            reason=_("Deleted."),
            close=lambda p: _delete(Authenticator.objects.filter(user=p)),
        )
    )
    exclude("core.Counter", "numbering series; no person")
    exclude("admin.LogEntry", "staff actions in the admin; staff accounts are closed by admins")
    exclude("auth.Group", "staff roles (reference data)")
    exclude("auth.Permission", "permissions (reference data)")
    exclude("account.EmailConfirmation", "pending confirmation keys; deleted with the addresses")
    exclude("django_tasks_database.DBTaskResult", "background task results; ids only")
    exclude("sessions.Session", "login sessions; deleted when the account is closed")
    # django-axes: its own logs of logins, kept briefly by its settings; not linked to accounts.
    exclude("axes.AccessAttempt", "security log of failed logins (ASVS 6.3.1), kept briefly")
    exclude("axes.AccessLog", "security log of logins (ASVS 16.3.1), kept briefly")
    exclude("axes.AccessFailureLog", "security log of failed logins, kept briefly")


def _delete(queryset: QuerySet[Any]) -> None:
    queryset.delete()
