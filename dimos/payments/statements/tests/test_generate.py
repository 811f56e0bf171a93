import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from dimos.payments.statements.camt import parse_camt
from dimos.payments.statements.generate import camt053_for
from dimos.payments.statements.rf import make_rf

FILES = Path(__file__).parent / "files"
IBAN = "GR8300000000000000012345678"
CREATED = datetime(2025, 1, 15, 18, 0, tzinfo=timezone(timedelta(hours=2)))
MATCHED, PARTIAL, OVER, REVERSED = (make_rf(f"9{n:06d}") for n in (1, 2, 3, 4))

# What the reconciliation tests need, against orders of 40.00 € each: one paid exactly, one in
# part, one paid too much, a credit without any RF, and a payment that the bank then took back.
RECONCILIATION_ENTRIES: list[dict[str, Any]] = [
    {"amount_cents": 4000, "rf": MATCHED, "debtor_name": "ΜΑΡΙΑ ΠΑΠΑΔΟΠΟΥΛΟΥ",
     "debtor_iban": "GR16 0110 1250 0000 0001 2300 695", "end_to_end_id": "E2E-1",
     "date": date(2025, 1, 14)},
    {"amount_cents": 1500, "rf": PARTIAL, "debtor_name": "ΓΙΩΡΓΟΣ ΝΙΚΟΛΑΟΥ",
     "date": date(2025, 1, 14)},
    {"amount_cents": 5000, "rf": OVER, "debtor_name": "ΚΑΦΕ Ο ΑΛΙΑΚΜΩΝ & ΣΙΑ Ο.Ε.",
     "date": date(2025, 1, 15), "value_date": date(2025, 1, 14)},
    {"amount_cents": 2500, "remittance": "ΤΕΛΗ ΚΑΘΑΡΙΟΤΗΤΑΣ ΙΑΝΟΥΑΡΙΟΥ", "debtor_name": "ΑΓΝΩΣΤΟΣ",
     "date": date(2025, 1, 15)},
    {"amount_cents": 4000, "rf": REVERSED, "debtor_name": "ΕΠΙΣΤΡΟΦΗ",
     "date": date(2025, 1, 14)},
    {"amount_cents": 4000, "rf": REVERSED, "reversal": True, "date": date(2025, 1, 15),
     "remittance": "RETURN AC04 CLOSED ACCOUNT"},
]  # fmt: skip


def generated() -> bytes:
    return camt053_for(RECONCILIATION_ENTRIES, IBAN, "SBX-20250115", created=CREATED)


def test_generated_statement_reads_back_entry_by_entry() -> None:
    statement = parse_camt(generated())

    assert statement.format == "camt.053"
    assert statement.statement_id == "SBX-20250115"
    assert statement.account_iban == IBAN
    assert statement.created == CREATED
    refs = [e.entry_ref for e in statement.entries]
    assert refs == [f"SBX-20250115-{n:04d}" for n in range(1, 7)]
    assert len(set(refs)) == 6
    assert [(e.rf, e.amount_cents, e.credit, e.reversal) for e in statement.entries] == [
        (MATCHED, 4000, True, False),
        (PARTIAL, 1500, True, False),
        (OVER, 5000, True, False),
        (None, 2500, True, False),
        (REVERSED, 4000, True, False),
        (REVERSED, 4000, False, True),
    ]
    matched, _partial, over, unmatched, _paid, reversal = statement.entries
    assert matched.debtor_name == "ΜΑΡΙΑ ΠΑΠΑΔΟΠΟΥΛΟΥ"
    assert matched.debtor_iban == "GR1601101250000000012300695"
    assert matched.end_to_end_id == "E2E-1"
    assert (over.booking_date, over.value_date) == (date(2025, 1, 15), date(2025, 1, 14))
    assert over.debtor_name == "ΚΑΦΕ Ο ΑΛΙΑΚΜΩΝ & ΣΙΑ Ο.Ε."
    assert unmatched.remittance == "ΤΕΛΗ ΚΑΘΑΡΙΟΤΗΤΑΣ ΙΑΝΟΥΑΡΙΟΥ"
    assert reversal.signed_cents == -4000
    assert all(e.status == "BOOK" and e.currency == "EUR" for e in statement.entries)


def test_generator_output_matches_the_committed_sample() -> None:
    # The committed file is what the sandbox hands out and what the import tests read; a change
    # to the generator must show up here.
    assert generated() == (FILES / "camt053_generated.xml").read_bytes()


def test_elements_follow_the_camt_053_001_02_order() -> None:
    xml = generated().decode()
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso')
    entry = xml[xml.index("<Ntry>") : xml.index("</Ntry>")]
    names = re.findall(r"<([A-Za-z]+)[ >]", entry)
    top = ["Amt", "CdtDbtInd", "Sts", "BookgDt", "ValDt", "AcctSvcrRef", "BkTxCd", "NtryDtls"]
    assert [n for n in names if n in top][: len(top)] == top
    stmt = ["Id", "CreDtTm", "Acct", "Bal", "Ntry"]
    body = xml[xml.index("<Stmt>") :]
    assert sorted(stmt, key=lambda n: body.index(f"<{n}>")) == stmt
    assert "<RvslInd>true</RvslInd>" in xml
    assert "<Cd>SCOR</Cd>" in xml and "<Issr>ISO</Issr>" in xml


def test_balances_add_up_booked_entries() -> None:
    xml = camt053_for(
        [
            {"amount_cents": 4000, "rf": MATCHED},
            {"amount_cents": 1000, "status": "PDNG"},
            {"amount_cents": 500, "reversal": True},
        ],
        IBAN,
        "SBX-B",
        created=CREATED,
        opening_balance_cents=-1000,
    ).decode()
    opening, closing = re.findall(r"<Amt Ccy=\"EUR\">([0-9.]+)</Amt>\s*<CdtDbtInd>(\w+)", xml)[:2]
    assert opening == ("10.00", "DBIT")
    assert closing == ("25.00", "CRDT")  # -10 + 40 - 5; the pending 10 is not booked yet


def test_defaults_for_dates_and_debit_entries() -> None:
    statement = parse_camt(
        camt053_for([{"amount_cents": 1, "credit": False}], IBAN, "SBX-D", created=CREATED)
    )
    [entry] = statement.entries
    assert (entry.credit, entry.reversal) == (False, False)
    assert entry.booking_date == entry.value_date == date(2025, 1, 15)
    assert entry.end_to_end_id == "NOTPROVIDED"


def test_invalid_rf_is_written_as_given_for_tests() -> None:
    xml = camt053_for([{"amount_cents": 100, "rf": "RF00BAD"}], IBAN, "SBX-X", created=CREATED)
    assert b"<Ref>RF00BAD</Ref>" in xml
    assert parse_camt(xml).entries[0].rf is None


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"amount_cents": 100, "amount": 1}, "unknown keys"),
        ({"amount_cents": 0}, "positive int"),
        ({"amount_cents": 1.5}, "positive int"),
        ({"amount_cents": True}, "positive int"),
        ({}, "positive int"),
        ({"amount_cents": 1, "status": "DONE"}, "status"),
        ({"amount_cents": 1, "entry_ref": "X" * 36}, "longer than 35"),
        ({"amount_cents": 1, "debtor_iban": "not an iban"}, "not an IBAN"),
        ({"amount_cents": 1, "date": "2025-01-01"}, "Expected a date"),
        ({"amount_cents": 1, "debtor_name": "a\x00b"}, "control characters"),
    ],
)
def test_bad_entries_are_refused(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        camt053_for([entry], IBAN, "SBX-E", created=CREATED)


def test_bad_account_or_statement_id_is_refused() -> None:
    with pytest.raises(ValueError, match="Not an IBAN"):
        camt053_for([], "12345", "SBX")
    with pytest.raises(ValueError, match="statement_id"):
        camt053_for([], IBAN, "")


def test_empty_statement_is_valid_and_empty() -> None:
    statement = parse_camt(camt053_for([], IBAN, "SBX-0"))
    assert statement.entries == []
    assert statement.created is not None
