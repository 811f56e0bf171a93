"""What a bank statement says, whatever file it came in: entries in integer cents, no ORM.

Parsers (`camt.parse_camt`, `csvfile.parse_csv`) either return a whole `Statement` or raise one
`StatementError` that lists every problem found: an import applies all of a file or none of it.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Message = str | Promise

# A statement line above 10 billion euros is a broken file, not a payment to a municipality.
MAX_CENTS = 10**12
_PLAIN_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True)
class StatementEntry:
    """One booked (or pending) movement on the account.

    `entry_ref` is the bank's own reference (camt `AcctSvcrRef`): the key that makes importing
    the same statement twice harmless. `amount_cents` is always positive; `credit` says which
    way the money went and `reversal` marks the bank taking back an earlier entry.
    `rf` is a valid ISO 11649 reference in compact form, or None.
    """

    entry_ref: str
    amount_cents: int
    currency: str
    credit: bool
    reversal: bool
    status: str  # BOOK | PDNG | INFO … as the bank wrote it (upper case); "" if absent
    booking_date: date | None
    value_date: date | None
    rf: str | None
    remittance: str
    debtor_name: str
    debtor_iban: str
    end_to_end_id: str
    line: int | None  # line in the file where the entry starts, for messages to staff

    @property
    def signed_cents(self) -> int:
        """Positive for money in, negative for money out (a reversal of a credit is out)."""
        return self.amount_cents if self.credit else -self.amount_cents


@dataclass(frozen=True)
class Statement:
    """A parsed file. `format` is "camt.052", "camt.053", "camt.054" or "csv"."""

    statement_id: str
    account_iban: str  # "" when the file does not say (CSV)
    created: datetime | None  # as written in the file: naive when it gives no UTC offset
    entries: list[StatementEntry]
    format: str

    @property
    def credits(self) -> list[StatementEntry]:
        return [entry for entry in self.entries if entry.credit]


@dataclass(frozen=True)
class StatementProblem:
    """One thing wrong with a file. The message stays lazy: it is translated when shown."""

    template: Message
    params: Mapping[str, object] = field(default_factory=dict)
    line: int | None = None
    path: str = ""

    def __str__(self) -> str:
        # `%` on a lazy string translates it now (ngettext_lazy picks its plural from params).
        return str(self.template % self.params) if self.params else str(self.template)


class StatementError(Exception):
    """The file cannot be imported. Nothing from it may be applied.

    `problems` lists every problem found (a CSV file reports all its bad rows at once); the
    first line of `str(error)` is the headline, one line per problem follows when there are
    several.
    """

    def __init__(
        self,
        template: Message,
        params: Mapping[str, object] | None = None,
        *,
        line: int | None = None,
        path: str = "",
        problems: Sequence[StatementProblem] = (),
    ) -> None:
        self.headline = StatementProblem(template, dict(params or {}), line, path)
        self.problems: list[StatementProblem] = list(problems) or [self.headline]
        super().__init__(template, params)

    @property
    def line(self) -> int | None:
        return self.headline.line

    @property
    def path(self) -> str:
        return self.headline.path

    @property
    def message(self) -> str:
        return str(self.headline)

    @property
    def messages(self) -> list[str]:
        """Every problem, one sentence each (the headline alone when it is the only one)."""
        return [str(problem) for problem in self.problems]

    def __str__(self) -> str:
        if len(self.problems) == 1 and self.problems[0] is self.headline:
            return self.message
        return "\n".join([self.message, *self.messages])


class AmountError(ValueError):
    """Why a string is not an amount. Each parser words it as a whole sentence with the place."""

    NOT_A_NUMBER = "not-a-number"
    TOO_PRECISE = "too-precise"
    TOO_LARGE = "too-large"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def cents_from_decimal(text: str) -> int:
    """Exact integer cents from a plain decimal string such as "1234.5", "-3" or "+0.01".

    Digits, one optional sign and one optional decimal point: no exponent, no grouping, never a
    float. Anything that is not a whole number of cents is refused, never rounded ("12.500" is
    12.50 exactly and accepted; "12.345" is refused).
    """
    value = text.strip()
    sign = 1
    if value[:1] in ("+", "-"):
        sign = -1 if value[0] == "-" else 1
        value = value[1:]
    if not _PLAIN_DECIMAL.fullmatch(value):
        raise AmountError(AmountError.NOT_A_NUMBER)
    try:
        cents = Decimal(value).scaleb(2)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guarantees it
        raise AmountError(AmountError.NOT_A_NUMBER) from exc
    if cents != cents.to_integral_value():
        raise AmountError(AmountError.TOO_PRECISE)
    if cents >= MAX_CENTS:
        raise AmountError(AmountError.TOO_LARGE)
    return sign * int(cents)


def duplicate_problems(entries: Sequence[StatementEntry]) -> list[StatementProblem]:
    """The bank's reference is the import's dedupe key, so one file must not repeat it."""
    first_line: dict[str, int | None] = {}
    problems = []
    for entry in entries:
        if entry.entry_ref not in first_line:
            first_line[entry.entry_ref] = entry.line
            continue
        problems.append(
            StatementProblem(
                _(
                    "Line %(line)s: the bank reference “%(ref)s” was already used on line "
                    "%(first)s."
                ),
                {
                    "line": entry.line,
                    "ref": shorten(entry.entry_ref),
                    "first": first_line[entry.entry_ref],
                },
                line=entry.line,
            )
        )
    return problems


def shorten(value: str, limit: int = 40) -> str:
    """A value quoted back to staff in a message, cut so that one bad cell cannot flood it."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
