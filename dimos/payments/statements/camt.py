"""ISO 20022 bank-to-customer cash management files: camt.053, camt.052 and camt.054.

`parse_camt(data)` reads any version from 001.02 to 001.12 of

- camt.053 end-of-day statement      Document/BkToCstmrStmt/Stmt/Ntry
- camt.052 intraday account report   Document/BkToCstmrAcctRpt/Rpt/Ntry
- camt.054 debit/credit notification Document/BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry

by local element names, so the namespace (and its version) does not matter. The XML is parsed
with defusedxml and any document type declaration is refused: no entities, no external
references, no network (XXE and "billion laughs" never get to expand).

Per entry (Ntry): Amt[@Ccy], CdtDbtInd, RvslInd, Sts (or Sts/Cd from v08), BookgDt and ValDt
(Dt or DtTm), the bank's reference (AcctSvcrRef, else NtryRef, else the transaction's
Refs/AcctSvcrRef or Refs/TxId), and from the transaction details (NtryDtls/TxDtls): the RF
(RmtInf/Strd/CdtrRefInf/Ref when it is a valid RF, else the first valid RF in RmtInf/Ustrd, else
in AddtlTxInf / AddtlNtryInf), the debtor's name (RltdPties/Dbtr/Nm, v08+: Dbtr/Pty/Nm) and IBAN
(RltdPties/DbtrAcct/Id/IBAN), and Refs/EndToEndId.

An entry with one TxDtls (or none) keeps the entry's booked amount (Ntry/Amt), which is what
reached the account. A batch entry (several TxDtls) becomes one StatementEntry per TxDtls,
with that transaction's amount (TxDtls/Amt from v04, AmtDtls/TxAmt/Amt in v02) and the
entry's reference suffixed "#1", "#2" …; the transactions must add up to the entry's amount.

Every problem names the line and the element path, e.g.
"Line 14, Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt: the amount “4O.00” is not a number."
"""

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext_lazy as _

from dimos.payments.statements.model import (
    AmountError,
    Message,
    Statement,
    StatementEntry,
    StatementError,
    cents_from_decimal,
    duplicate_problems,
    shorten,
)
from dimos.payments.statements.rf import compact_rf, find_rf, is_rf

# container element -> (format, name of the repeated account block)
CONTAINERS = {
    "BkToCstmrStmt": ("camt.053", "Stmt"),
    "BkToCstmrAcctRpt": ("camt.052", "Rpt"),
    "BkToCstmrDbtCdtNtfctn": ("camt.054", "Ntfctn"),
}
_CURRENCY = re.compile(r"[A-Z]{3}")
_XML_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?")

_AMOUNT_MESSAGES: dict[str, Message] = {
    AmountError.NOT_A_NUMBER: _("Line %(line)s, %(path)s: the amount “%(value)s” is not a number."),
    AmountError.TOO_PRECISE: _(
        "Line %(line)s, %(path)s: the amount “%(value)s” has more than two decimals."
    ),
    AmountError.TOO_LARGE: _("Line %(line)s, %(path)s: the amount “%(value)s” is too large."),
}


def parse_camt(data: bytes) -> Statement:
    """The statement in a camt.052/053/054 file, or StatementError naming the line and element."""
    with _cycle_collection_paused():
        root, lines = _parse_xml(data)
        document = _find_document(root, lines)
        return _Reader(document).statement()


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """A statement of 10,000 entries is some 300,000 new objects without reference cycles:
    the cycle collector would walk them again and again while they are built (a quarter of
    the parse time). Reference counting still frees them; collection resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- Safe XML with line numbers ----------------------------------------------------------


class _LineRecorder(TreeBuilder):
    """Builds the tree with local element names (the namespace stripped once, here) and
    remembers the line where each element starts (for messages)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Element, int] = {}
        self.parser: Any = None
        self._local_names: dict[str, str] = {}

    def _name(self, tag: str) -> str:
        name = self._local_names.get(tag)
        if name is None:
            name = self._local_names[tag] = _local(tag)
        return name

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = super().start(self._name(tag), attrs)
        self.lines[element] = self.parser.parser.CurrentLineNumber
        return element

    def end(self, tag: str) -> Element:
        return super().end(self._name(tag))


def _parse_xml(data: bytes) -> tuple[Element, dict[Element, int]]:
    recorder = _LineRecorder()
    parser = DefusedXMLParser(
        target=recorder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    recorder.parser = parser
    try:
        parser.feed(data)
        root: Element = parser.close()
    except DefusedXmlException as exc:
        raise StatementError(
            _(
                "The file declares a document type (DTD) or entities, which bank statements "
                "never do; it was refused for safety."
            )
        ) from exc
    except ParseError as exc:
        line, column = exc.position
        raise StatementError(
            _("The file is not valid XML (line %(line)s, column %(column)s)."),
            {"line": line, "column": column + 1},
            line=line,
        ) from exc
    except (LookupError, ValueError) as exc:  # encoding="…" that Python or expat cannot read
        raise StatementError(
            _("The file's XML declaration names an encoding that cannot be read; use UTF-8.")
        ) from exc
    return root, recorder.lines


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find_document(root: Element, lines: dict[Element, int]) -> "_Node":
    """The Document element: the root, or the first one inside a bank's envelope."""
    document = next((el for el in root.iter() if el.tag == "Document"), None)
    if document is None:
        raise StatementError(
            _("The file is XML but not an ISO 20022 camt statement: it starts with “%(name)s”."),
            {"name": shorten(root.tag)},
            line=lines.get(root),
        )
    return _Node(document, None, "Document", lines)


# --- A namespace-blind view of the tree that knows its path ----------------------------------


class _Node:
    """An element (its tag already the local name) with the way to it, spelled out as a path
    (Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt) only when a message needs it."""

    __slots__ = ("element", "lines", "parent", "step")

    def __init__(
        self, element: Element, parent: "_Node | None", step: str, lines: dict[Element, int]
    ) -> None:
        self.element = element
        self.parent = parent
        self.step = step
        self.lines = lines

    @property
    def path(self) -> str:
        return f"{self.parent.path}/{self.step}" if self.parent is not None else self.step

    @property
    def line(self) -> int | None:
        return self.lines.get(self.element)

    @property
    def name(self) -> str:
        return self.element.tag

    def children(self, name: str) -> list["_Node"]:
        """Repeated children, indexed in the path: Stmt[1], Ntry[2] …"""
        found = [el for el in self.element if el.tag == name]
        return [
            _Node(el, self, f"{name}[{index}]", self.lines)
            for index, el in enumerate(found, start=1)
        ]

    def find(self, path: str) -> "_Node | None":
        node: _Node | None = self
        for name in path.split("/"):
            if node is None:
                return None
            element = next((el for el in node.element if el.tag == name), None)
            node = None if element is None else _Node(element, node, name, self.lines)
        return node

    def find_all(self, path: str) -> Iterator["_Node"]:
        """Every element at `path`, where each step may repeat (RmtInf/Ustrd …)."""
        head, _sep, rest = path.partition("/")
        for child in self.children(head):
            if rest:
                yield from child.find_all(rest)
            else:
                yield child

    def text(self, *paths: str) -> str:
        """The stripped text of the first of `paths` that is present and not empty."""
        for path in paths:
            node = self.find(path)
            if node is not None and (node.element.text or "").strip():
                return " ".join((node.element.text or "").split())
        return ""

    def where(self, path: str = "") -> dict[str, object]:
        """Message parameters for a problem at this node, or at a missing child `path`."""
        return {"line": self.line, "path": f"{self.path}/{path}" if path else self.path}


# --- Reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Details:
    """What the transaction details say about who paid and for what."""

    rf: str | None
    remittance: str
    debtor_name: str
    debtor_iban: str
    end_to_end_id: str


class _Reader:
    def __init__(self, document: _Node) -> None:
        self.document = document

    def statement(self) -> Statement:
        elements = _element_children(self.document)
        container = next((node for node in elements if node.name in CONTAINERS), None)
        if container is None:
            raise StatementError(
                _(
                    "Line %(line)s, %(path)s: this is not a bank statement or notification "
                    "(camt.052, camt.053 or camt.054) but “%(name)s”."
                ),
                {**self.document.where(), "name": shorten(elements[0].name if elements else "")},
                line=self.document.line,
                path=self.document.path,
            )
        file_format, block_name = CONTAINERS[container.name]
        blocks = container.children(block_name)
        if not blocks:
            raise _missing(container, block_name)

        accounts = {_account(block) for block in blocks}
        if len(accounts) > 1:
            raise StatementError(
                _(
                    "The file holds statements of several accounts (%(accounts)s); import one "
                    "account per file."
                ),
                {"accounts": ", ".join(sorted(accounts))},
            )
        entries = [entry for block in blocks for entry in self._entries(block)]
        _refuse_duplicates(entries)

        if len(blocks) == 1:
            statement_id = blocks[0].text("Id") or container.text("GrpHdr/MsgId")
        else:
            statement_id = container.text("GrpHdr/MsgId") or blocks[0].text("Id")
        created = blocks[0].find("CreDtTm") or container.find("GrpHdr/CreDtTm")
        return Statement(
            statement_id=statement_id,
            account_iban=accounts.pop(),
            created=None if created is None else _datetime(created),
            entries=entries,
            format=file_format,
        )

    def _entries(self, block: _Node) -> Iterator[StatementEntry]:
        account_currency = block.text("Acct/Ccy")
        for entry in block.children("Ntry"):
            yield from self._entry(entry, account_currency)

    def _entry(self, entry: _Node, account_currency: str) -> list[StatementEntry]:
        amount_node = entry.find("Amt")
        if amount_node is None:
            raise _missing(entry, "Amt")
        amount_cents, currency = _amount(amount_node, account_currency)
        credit = _credit(entry)
        reversal = _reversal(entry)
        status = entry.text("Sts/Cd", "Sts", "Sts/Prtry").upper()
        booking_date = _date(entry, "BookgDt")
        value_date = _date(entry, "ValDt")
        own_ref = entry.text("AcctSvcrRef", "NtryRef")
        transactions = [
            tx for details in entry.children("NtryDtls") for tx in details.children("TxDtls")
        ]

        def make(
            ref: str, cents: int, ccy: str, tx: _Node | None, line: int | None
        ) -> StatementEntry:
            details = _details(entry, tx)
            return StatementEntry(
                entry_ref=ref,
                amount_cents=cents,
                currency=ccy,
                credit=credit,
                reversal=reversal,
                status=status,
                booking_date=booking_date,
                value_date=value_date,
                rf=details.rf,
                remittance=details.remittance,
                debtor_name=details.debtor_name,
                debtor_iban=details.debtor_iban,
                end_to_end_id=details.end_to_end_id,
                line=line,
            )

        if len(transactions) <= 1:
            tx = transactions[0] if transactions else None
            ref = own_ref or (tx.text("Refs/AcctSvcrRef", "Refs/TxId") if tx else "")
            if not ref:
                raise _no_reference(entry)
            return [make(ref, amount_cents, currency, tx, entry.line)]

        # Batch booking: one entry on the account, several payments inside it.
        parts = []
        for tx in transactions:
            tx_amount = tx.find("Amt") or tx.find("AmtDtls/TxAmt/Amt")
            if tx_amount is None:
                raise _missing(tx, "Amt")
            parts.append(_amount(tx_amount, currency))
        _check_batch_total(entry, amount_cents, currency, parts)
        batch = []
        for index, (tx, (tx_cents, tx_currency)) in enumerate(
            zip(transactions, parts, strict=True), start=1
        ):
            ref = f"{own_ref}#{index}" if own_ref else tx.text("Refs/AcctSvcrRef", "Refs/TxId")
            if not ref:
                raise _no_reference(tx)
            batch.append(make(ref, tx_cents, tx_currency, tx, tx.line))
        return batch


def _element_children(node: _Node) -> list[_Node]:
    return [_Node(el, node, el.tag, node.lines) for el in node.element]


def _account(block: _Node) -> str:
    return block.text("Acct/Id/IBAN", "Acct/Id/Othr/Id").replace(" ", "").upper()


def _missing(parent: _Node, name: str) -> StatementError:
    return StatementError(
        _("Line %(line)s, %(path)s: this element is missing."),
        parent.where(name),
        line=parent.line,
        path=f"{parent.path}/{name}",
    )


def _invalid(node: _Node, template: Message, value: str) -> StatementError:
    return StatementError(
        template, {**node.where(), "value": shorten(value)}, line=node.line, path=node.path
    )


def _no_reference(node: _Node) -> StatementError:
    return StatementError(
        _(
            "Line %(line)s, %(path)s: the entry has no bank reference (AcctSvcrRef, NtryRef, "
            "Refs/AcctSvcrRef or Refs/TxId), so importing it twice could not be prevented."
        ),
        node.where(),
        line=node.line,
        path=node.path,
    )


def _amount(node: _Node, default_currency: str) -> tuple[int, str]:
    text = (node.element.text or "").strip()
    try:
        cents = cents_from_decimal(text)
    except AmountError as exc:
        raise _invalid(node, _AMOUNT_MESSAGES[exc.reason], text) from exc
    if cents < 0:
        raise _invalid(
            node,
            _(
                "Line %(line)s, %(path)s: the amount “%(value)s” is negative; camt amounts "
                "never are."
            ),
            text,
        )
    currency = (node.element.get("Ccy") or default_currency).strip().upper()
    if not _CURRENCY.fullmatch(currency):
        raise _invalid(
            node,
            _("Line %(line)s, %(path)s: the currency “%(value)s” is not a three-letter code."),
            currency,
        )
    return cents, currency


def _credit(entry: _Node) -> bool:
    node = entry.find("CdtDbtInd")
    if node is None:
        raise _missing(entry, "CdtDbtInd")
    value = (node.element.text or "").strip()
    if value not in ("CRDT", "DBIT"):
        raise _invalid(
            node,
            _("Line %(line)s, %(path)s: “%(value)s” is neither CRDT (credit) nor DBIT (debit)."),
            value,
        )
    return value == "CRDT"


def _reversal(entry: _Node) -> bool:
    node = entry.find("RvslInd")
    if node is None:
        return False
    value = (node.element.text or "").strip().lower()
    if value not in ("true", "1", "false", "0"):
        raise _invalid(
            node, _("Line %(line)s, %(path)s: “%(value)s” is neither true nor false."), value
        )
    return value in ("true", "1")


def _date(entry: _Node, name: str) -> date | None:
    """BookgDt / ValDt: a date (Dt) or a date and time (DtTm, whose date is kept as written)."""
    holder = entry.find(name)
    if holder is None:
        return None
    day = holder.find("Dt")
    if day is not None:
        text = (day.element.text or "").strip()
        match = _XML_DATE.fullmatch(text)
        try:
            if match is None:
                raise ValueError(text)
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError as exc:
            raise _invalid(
                day, _("Line %(line)s, %(path)s: “%(value)s” is not a date."), text
            ) from exc
    moment = holder.find("DtTm")
    if moment is not None:
        return _datetime(moment).date()
    raise _missing(holder, "Dt")


def _datetime(node: _Node) -> datetime:
    text = (node.element.text or "").strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise _invalid(
            node, _("Line %(line)s, %(path)s: “%(value)s” is not a date and time."), text
        ) from exc


def _details(entry: _Node, tx: _Node | None) -> _Details:
    """RF, remittance text, debtor and end-to-end id; without TxDtls only AddtlNtryInf is known.

    The RF comes from the structured creditor reference when that is a valid RF; otherwise from
    the payer's free text; otherwise from the bank's additional information.
    """
    structured: list[str] = []
    free: list[str] = []
    if tx is not None:
        for ref in tx.find_all("RmtInf/Strd/CdtrRefInf/Ref"):
            structured.append(" ".join((ref.element.text or "").split()))
        for line in tx.find_all("RmtInf/Ustrd"):
            free.append(" ".join((line.element.text or "").split()))
    free_text = " ".join(part for part in free if part)
    additional = [tx.text("AddtlTxInf") if tx else "", entry.text("AddtlNtryInf")]

    rf = next((compact_rf(ref) for ref in structured if is_rf(ref)), None)
    if rf is None:
        rf = find_rf(free_text) or find_rf(" / ".join(part for part in additional if part))

    pieces: list[str] = []
    for piece in [*structured, free_text, *additional]:
        if piece and piece not in pieces:
            pieces.append(piece)
    if tx is None:
        return _Details(rf, " | ".join(pieces), "", "", "")
    return _Details(
        rf=rf,
        remittance=" | ".join(pieces),
        debtor_name=tx.text("RltdPties/Dbtr/Nm", "RltdPties/Dbtr/Pty/Nm"),
        debtor_iban=tx.text("RltdPties/DbtrAcct/Id/IBAN").replace(" ", "").upper(),
        end_to_end_id=tx.text("Refs/EndToEndId"),
    )


def _check_batch_total(
    entry: _Node, amount_cents: int, currency: str, parts: list[tuple[int, str]]
) -> None:
    """The payments inside a batch must add up to what was booked (same currency only)."""
    if any(part_currency != currency for _cents, part_currency in parts):
        return
    total = sum(cents for cents, _currency in parts)
    if total != amount_cents:
        raise StatementError(
            _(
                "Line %(line)s, %(path)s: the %(count)s transactions of this entry add up to "
                "%(total)s, not to the entry's amount %(amount)s."
            ),
            {
                **entry.where(),
                "count": len(parts),
                "total": _decimal(total),
                "amount": _decimal(amount_cents),
            },
            line=entry.line,
            path=entry.path,
        )


def _decimal(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _refuse_duplicates(entries: list[StatementEntry]) -> None:
    problems = duplicate_problems(entries)
    if len(problems) == 1:
        raise StatementError(problems[0].template, problems[0].params, line=problems[0].line)
    if problems:
        raise StatementError(
            _("The file repeats %(count)s bank references; nothing was imported."),
            {"count": len(problems)},
            problems=problems,
        )
