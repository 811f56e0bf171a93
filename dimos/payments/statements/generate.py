"""camt.053.001.02 statements made to order: the web-banking sandbox's "bank" and the tests'.

`camt053_for(entries, iban, statement_id)` writes what a bank would send after payers paid
their RFs through DIAS: each entry a SEPA credit transfer with the RF in
RmtInf/Strd/CdtrRefInf/Ref (type SCOR, issuer ISO), or a reversal (RvslInd true, DBIT,
bank transaction code PMNT/RCDT/RRTN). Element order follows the camt.053.001.02 schema, and
opening/closing balances are included because the schema requires them.

Each entry is a dict; only `amount_cents` is required:

    amount_cents   int > 0
    rf             str, written as given (an invalid RF is allowed: tests need them)
    remittance     free text for RmtInf/Ustrd
    date           date of booking and value (default: the statement's creation day)
    booking_date, value_date   override `date`
    debtor_name, debtor_iban, end_to_end_id (default NOTPROVIDED)
    entry_ref      the bank's AcctSvcrRef (default "<statement_id>-0001", "-0002" …)
    credit         bool (default: True, False for a reversal)
    reversal       bool (default False)
    status         BOOK | PDNG | INFO (default BOOK)
    currency       default EUR
"""

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from django.utils import timezone

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
ENTRY_KEYS = frozenset(
    {
        "amount_cents",
        "rf",
        "remittance",
        "date",
        "booking_date",
        "value_date",
        "debtor_name",
        "debtor_iban",
        "end_to_end_id",
        "entry_ref",
        "credit",
        "reversal",
        "status",
        "currency",
    }
)
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[0-9A-Z]{1,30}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_NOT_XML_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def camt053_for(
    entries: Sequence[Mapping[str, Any]],
    iban: str,
    statement_id: str,
    *,
    created: datetime | None = None,
    opening_balance_cents: int = 0,
) -> bytes:
    """A camt.053.001.02 statement of `iban` holding `entries` (see the module docstring)."""
    iban = iban.replace(" ", "").upper()
    if not _IBAN.fullmatch(iban):
        raise ValueError(f"Not an IBAN: {iban!r}")
    statement_id = _text(statement_id, 35, "statement_id", required=True)
    created = timezone.localtime() if created is None else created
    stamp = created.replace(microsecond=0).isoformat()
    rows = [
        _entry_fields(entry, index, statement_id, created.date())
        for index, entry in enumerate(entries, start=1)
    ]

    # The namespace as a plain attribute: ElementTree's default_namespace refuses the
    # unqualified Ccy attribute.
    document = Element("Document", {"xmlns": NAMESPACE})
    container = SubElement(document, "BkToCstmrStmt")
    header = SubElement(container, "GrpHdr")
    _leaf(header, "MsgId", statement_id)
    _leaf(header, "CreDtTm", stamp)

    statement = SubElement(container, "Stmt")
    _leaf(statement, "Id", statement_id)
    _leaf(statement, "CreDtTm", stamp)
    account = SubElement(statement, "Acct")
    _leaf(SubElement(account, "Id"), "IBAN", iban)
    _leaf(account, "Ccy", "EUR")

    booked = sum(
        (row["amount_cents"] if row["credit"] else -row["amount_cents"])
        for row in rows
        if row["status"] == "BOOK"
    )
    first_day = min((row["booking_date"] for row in rows), default=created.date())
    _balance(statement, "OPBD", opening_balance_cents, first_day)
    _balance(statement, "CLBD", opening_balance_cents + booked, created.date())

    for row in rows:
        _write_entry(statement, row)

    indent(document, space=" ")
    body = tostring(document, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode()


def _entry_fields(
    entry: Mapping[str, Any], index: int, statement_id: str, default_day: date
) -> dict[str, Any]:
    unknown = set(entry) - ENTRY_KEYS
    if unknown:
        raise ValueError(f"Entry {index}: unknown keys {sorted(unknown)}")
    cents = entry.get("amount_cents")
    if not isinstance(cents, int) or isinstance(cents, bool) or cents <= 0:
        raise ValueError(f"Entry {index}: amount_cents must be a positive int, not {cents!r}")
    reversal = bool(entry.get("reversal", False))
    status = str(entry.get("status", "BOOK"))
    if status not in ("BOOK", "PDNG", "INFO"):
        raise ValueError(f"Entry {index}: status must be BOOK, PDNG or INFO, not {status!r}")
    currency = str(entry.get("currency", "EUR"))
    if not _CURRENCY.fullmatch(currency):
        raise ValueError(f"Entry {index}: currency must be three capital letters")
    day = _day(entry.get("date", default_day))
    debtor_iban = str(entry.get("debtor_iban", "")).replace(" ", "").upper()
    if debtor_iban and not _IBAN.fullmatch(debtor_iban):
        raise ValueError(f"Entry {index}: debtor_iban is not an IBAN: {debtor_iban!r}")
    return {
        "amount_cents": cents,
        "credit": bool(entry.get("credit", not reversal)),
        "reversal": reversal,
        "status": status,
        "currency": currency,
        "booking_date": _day(entry.get("booking_date", day)),
        "value_date": _day(entry.get("value_date", day)),
        "entry_ref": _text(
            entry.get("entry_ref", f"{statement_id[:29]}-{index:04d}"), 35, "entry_ref", True
        ),
        "rf": _text(entry.get("rf", ""), 35, "rf"),
        "remittance": _text(entry.get("remittance", ""), 140, "remittance"),
        "debtor_name": _text(entry.get("debtor_name", ""), 140, "debtor_name"),
        "debtor_iban": debtor_iban,
        "end_to_end_id": _text(entry.get("end_to_end_id", "NOTPROVIDED"), 35, "end_to_end_id"),
    }


def _write_entry(statement: Element, row: Mapping[str, Any]) -> None:
    """ReportEntry2 and EntryTransaction2, children in schema order."""
    entry = SubElement(statement, "Ntry")
    _leaf(entry, "Amt", _decimal(row["amount_cents"]), Ccy=row["currency"])
    _leaf(entry, "CdtDbtInd", "CRDT" if row["credit"] else "DBIT")
    if row["reversal"]:
        _leaf(entry, "RvslInd", "true")
    _leaf(entry, "Sts", row["status"])
    _leaf(SubElement(entry, "BookgDt"), "Dt", row["booking_date"].isoformat())
    _leaf(SubElement(entry, "ValDt"), "Dt", row["value_date"].isoformat())
    _leaf(entry, "AcctSvcrRef", row["entry_ref"])
    domain = SubElement(SubElement(entry, "BkTxCd"), "Domn")
    _leaf(domain, "Cd", "PMNT")
    family = SubElement(domain, "Fmly")
    if row["reversal"]:  # a received credit transfer, returned
        _leaf(family, "Cd", "RCDT")
        _leaf(family, "SubFmlyCd", "RRTN")
    else:
        _leaf(family, "Cd", "RCDT" if row["credit"] else "ICDT")
        _leaf(family, "SubFmlyCd", "ESCT")

    tx = SubElement(SubElement(entry, "NtryDtls"), "TxDtls")
    _leaf(SubElement(tx, "Refs"), "EndToEndId", row["end_to_end_id"])
    amount = SubElement(SubElement(tx, "AmtDtls"), "TxAmt")
    _leaf(amount, "Amt", _decimal(row["amount_cents"]), Ccy=row["currency"])
    if row["debtor_name"] or row["debtor_iban"]:
        parties = SubElement(tx, "RltdPties")
        if row["debtor_name"]:
            _leaf(SubElement(parties, "Dbtr"), "Nm", row["debtor_name"])
        if row["debtor_iban"]:
            account_id = SubElement(SubElement(parties, "DbtrAcct"), "Id")
            _leaf(account_id, "IBAN", row["debtor_iban"])
    if row["remittance"] or row["rf"]:
        remittance = SubElement(tx, "RmtInf")
        if row["remittance"]:
            _leaf(remittance, "Ustrd", row["remittance"])
        if row["rf"]:
            reference = SubElement(SubElement(remittance, "Strd"), "CdtrRefInf")
            kind = SubElement(reference, "Tp")
            _leaf(SubElement(kind, "CdOrPrtry"), "Cd", "SCOR")
            _leaf(kind, "Issr", "ISO")
            _leaf(reference, "Ref", row["rf"])


def _balance(statement: Element, code: str, cents: int, day: date) -> None:
    balance = SubElement(statement, "Bal")
    _leaf(SubElement(SubElement(balance, "Tp"), "CdOrPrtry"), "Cd", code)
    _leaf(balance, "Amt", _decimal(abs(cents)), Ccy="EUR")
    _leaf(balance, "CdtDbtInd", "CRDT" if cents >= 0 else "DBIT")
    _leaf(SubElement(balance, "Dt"), "Dt", day.isoformat())


def _leaf(parent: Element, name: str, text: str, **attributes: str) -> Element:
    element = SubElement(parent, name, attributes)
    element.text = text
    return element


def _decimal(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise ValueError(f"Expected a date, not {value!r}")


def _text(value: object, limit: int, name: str, required: bool = False) -> str:
    text = " ".join(str(value).split())
    if required and not text:
        raise ValueError(f"{name} must not be empty")
    if len(text) > limit:
        raise ValueError(f"{name} is longer than {limit} characters: {text!r}")
    if _NOT_XML_TEXT.search(text):
        raise ValueError(f"{name} holds control characters")
    return text
