from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.utils.functional import Promise

from dimos.payments.statements import parse_statement
from dimos.payments.statements.camt import parse_camt
from dimos.payments.statements.model import StatementError

FILES = Path(__file__).parent / "files"
SAMPLE = (FILES / "camt053_sample.xml").read_bytes()


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def refused(data: bytes | str) -> StatementError:
    with pytest.raises(StatementError) as caught:
        parse_camt(data.encode() if isinstance(data, str) else data)
    return caught.value


def test_shared_sample_gives_one_credit_with_its_rf() -> None:
    statement = parse_camt(SAMPLE)

    assert statement.format == "camt.053"
    assert statement.statement_id == "STMT-1"
    assert statement.account_iban == "GR8300000000000000012345678"
    assert statement.created == datetime(2025, 1, 10, 18, 0)  # noqa: DTZ001 - no offset in the file
    [entry] = statement.entries
    assert entry.entry_ref == "BANKREF-0001"
    assert entry.amount_cents == 4000
    assert entry.currency == "EUR"
    assert entry.credit is True
    assert entry.reversal is False
    assert entry.status == "BOOK"
    assert entry.booking_date == date(2025, 1, 10)
    assert entry.value_date == date(2025, 1, 10)
    assert entry.rf == "RF712348231"
    assert entry.debtor_name == "ΔΟΚΙΜΑΣΤΙΚΟΣ ΟΦΕΙΛΕΤΗΣ"
    assert entry.end_to_end_id == "E2E-123"
    assert entry.line == 9
    assert entry.signed_cents == 4000


def test_camt054_notification_version_08() -> None:
    statement = parse_camt(read("camt054_v08.xml"))

    assert statement.format == "camt.054"
    assert statement.statement_id == "NTF-7"
    assert statement.account_iban == "GR8300000000000000012345678"
    assert statement.created == datetime(
        2025, 1, 11, 9, 15, 2, 123000, tzinfo=timezone(timedelta(hours=2))
    )
    [entry] = statement.entries
    assert entry.amount_cents == 123456789
    assert entry.status == "BOOK"  # Sts/Cd
    assert entry.booking_date == date(2025, 1, 11)  # from BookgDt/DtTm
    assert entry.entry_ref == "NTF-REF-9001"
    assert entry.rf == "RF18539007547034"  # written in groups of four in Strd
    assert entry.debtor_name == "ΞΕΝΟΔΟΧΕΙΟ ΕΛΙΜΕΙΑ Α.Ε."  # Dbtr/Pty/Nm
    assert entry.debtor_iban == "GR1601101250000000012300695"


def test_camt052_intraday_report_with_prefixed_namespace() -> None:
    statement = parse_camt(read("camt052_v04.xml"))

    assert statement.format == "camt.052"
    assert statement.statement_id == "RPT-0930-1"
    [entry] = statement.entries
    assert entry.entry_ref == "INTRA-55"  # no AcctSvcrRef: NtryRef
    assert entry.amount_cents == 1
    assert entry.status == "PDNG"
    assert entry.booking_date is None
    assert entry.value_date == date(2025, 1, 12)
    assert entry.rf == "RF712348231"  # found in the free text, lower case, in groups
    assert entry.remittance == "ΠΛΗΡΩΜΗ ΤΕΛΟΥΣ rf71 2348 231 ΕΥΧΑΡΙΣΤΩ"
    assert entry.debtor_name == "Μαρία Παπαδοπούλου"


def test_batch_entry_gives_one_entry_per_transaction() -> None:
    statement = parse_camt(read("camt053_v08_batch.xml"))

    assert [e.entry_ref for e in statement.entries] == ["BATCH-77#1", "BATCH-77#2", "BATCH-77#3"]
    assert [e.amount_cents for e in statement.entries] == [3000, 5000, 2000]
    assert [e.rf for e in statement.entries] == ["RF712348231", "RF18539007547034", None]
    assert [e.debtor_name for e in statement.entries] == [
        "ΠΡΩΤΟΣ ΠΛΗΡΩΤΗΣ",
        "ΔΕΥΤΕΡΟΣ ΠΛΗΡΩΤΗΣ",
        "",
    ]
    assert [e.end_to_end_id for e in statement.entries] == ["E2E-B1", "E2E-B2", "E2E-B3"]
    assert all(e.credit and e.status == "BOOK" for e in statement.entries)
    assert statement.entries[0].line < statement.entries[1].line < statement.entries[2].line


def test_batch_that_does_not_add_up_is_refused() -> None:
    data = read("camt053_v08_batch.xml").replace(b">20.00<", b">25.00<")
    error = refused(data)
    assert error.path == "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]"
    assert "add up to 105.00, not to the entry's amount 100.00" in str(error)


def test_batch_without_entry_reference_uses_each_transaction_reference() -> None:
    data = read("camt053_v08_batch.xml").replace(b"<AcctSvcrRef>BATCH-77</AcctSvcrRef>", b"")
    for n in (1, 2, 3):
        data = data.replace(
            f"<EndToEndId>E2E-B{n}</EndToEndId>".encode(),
            f"<AcctSvcrRef>TX-{n}</AcctSvcrRef><EndToEndId>E2E-B{n}</EndToEndId>".encode(),
        )
    assert [e.entry_ref for e in parse_camt(data).entries] == ["TX-1", "TX-2", "TX-3"]


def test_invalid_structured_rf_falls_back_to_the_free_text() -> None:
    data = SAMPLE.replace(
        b"<RmtInf><Strd>",
        "<RmtInf><Ustrd>Πληρωμή RF18 5390 0754 7034</Ustrd><Strd>".encode(),
    ).replace(b"<Ref>RF712348231</Ref>", b"<Ref>RF722348231</Ref>")
    [entry] = parse_camt(data).entries
    assert entry.rf == "RF18539007547034"
    assert "RF722348231" in entry.remittance  # what the payer sent stays visible to staff


def test_no_valid_rf_anywhere_leaves_it_empty() -> None:
    data = SAMPLE.replace(b"<Ref>RF712348231</Ref>", b"<Ref>2348231</Ref>")
    [entry] = parse_camt(data).entries
    assert entry.rf is None
    assert entry.remittance == "2348231"


def test_rf_in_the_banks_additional_information() -> None:
    data = SAMPLE.replace(b"<RmtInf>", b"<!--").replace(b"</RmtInf>", b"-->")
    data = data.replace(b"</NtryDtls>", b"</NtryDtls><AddtlNtryInf>SEPA RF712348231</AddtlNtryInf>")
    [entry] = parse_camt(data).entries
    assert entry.rf == "RF712348231"


def test_entry_without_transaction_details() -> None:
    start, end = SAMPLE.index(b"<NtryDtls>"), SAMPLE.index(b"</NtryDtls>") + len(b"</NtryDtls>")
    [entry] = parse_camt(SAMPLE[:start] + SAMPLE[end:]).entries
    assert entry.entry_ref == "BANKREF-0001"
    assert entry.rf is None
    assert entry.debtor_name == ""


def test_document_without_namespace_and_inside_an_envelope() -> None:
    data = SAMPLE.replace(b' xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"', b"")
    assert parse_camt(data).entries[0].rf == "RF712348231"
    body = SAMPLE.split(b"?>", 1)[1]
    enveloped = b"<BizMsg><AppHdr><MsgDefIdr>camt.053</MsgDefIdr></AppHdr>" + body + b"</BizMsg>"
    assert parse_camt(enveloped).entries[0].entry_ref == "BANKREF-0001"


def test_parse_statement_tells_xml_from_csv() -> None:
    assert parse_statement(SAMPLE).format == "camt.053"
    csv = "reference;date;amount;description\nB-1;10/01/2025;40,00;RF712348231\n"
    assert parse_statement(csv.encode()).format == "csv"


# --- Refused files -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["xxe.xml", "billion_laughs.xml"])
def test_entities_and_dtds_are_refused(name: str) -> None:
    error = refused(read(name))
    assert "document type (DTD)" in str(error)
    assert isinstance(error.headline.template, Promise)  # translated when shown


def test_external_entity_without_doctype_body_is_refused() -> None:
    error = refused(
        '<?xml version="1.0"?><!DOCTYPE Document SYSTEM "http://example.invalid/x.dtd"><Document/>'
    )
    assert "document type (DTD)" in str(error)


@pytest.mark.parametrize("data", [b"", b"hello", b"%PDF-1.7\n", "Ημερομηνία;Ποσό".encode()])
def test_not_xml_is_refused(data: bytes) -> None:
    error = refused(data)
    assert "is not valid XML (line 1, column" in str(error)
    assert error.line == 1


@pytest.mark.parametrize("encoding", [b"bogus", b"shift_jis"])
def test_unreadable_encoding_is_refused(encoding: bytes) -> None:
    error = refused(SAMPLE.replace(b'encoding="UTF-8"', b'encoding="' + encoding + b'"'))
    assert "encoding that cannot be read" in str(error)


def test_utf16_and_greek_windows_encodings_are_read() -> None:
    text = SAMPLE.decode()
    for encoding, declared in (("utf-16", "UTF-16"), ("cp1253", "windows-1253")):
        data = text.replace('encoding="UTF-8"', f'encoding="{declared}"').encode(encoding)
        assert parse_camt(data).entries[0].debtor_name == "ΔΟΚΙΜΑΣΤΙΚΟΣ ΟΦΕΙΛΕΤΗΣ"


def test_broken_xml_names_its_line() -> None:
    error = refused(SAMPLE.replace(b"</Ntry>", b"</Ntryy>"))
    assert "is not valid XML (line 20," in str(error)


def test_other_iso_message_is_refused() -> None:
    error = refused(
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">'
        "<CstmrCdtTrfInitn/></Document>"
    )
    assert str(error) == (
        "Line 1, Document: this is not a bank statement or notification "
        "(camt.052, camt.053 or camt.054) but “CstmrCdtTrfInitn”."
    )


def test_xml_that_is_not_a_statement_is_refused() -> None:
    error = refused("<html><body>Σφάλμα</body></html>")
    assert "not an ISO 20022 camt statement: it starts with “html”" in str(error)


def test_statement_without_statements_is_refused() -> None:
    error = refused("<Document><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>")
    assert str(error) == "Line 1, Document/BkToCstmrStmt/Stmt: this element is missing."


def test_missing_amount_names_the_element_and_line() -> None:
    error = refused(SAMPLE.replace(b'<Amt Ccy="EUR">40.00</Amt><CdtDbtInd>', b"<CdtDbtInd>"))
    assert error.path == "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt"
    assert error.line == 9
    assert str(error) == (
        "Line 9, Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt: this element is missing."
    )


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        ("4O.00", "the amount “4O.00” is not a number"),
        ("40,00", "the amount “40,00” is not a number"),
        ("40.001", "the amount “40.001” has more than two decimals"),
        ("-40.00", "the amount “-40.00” is negative; camt amounts never are"),
    ],
)
def test_bad_amount_is_refused(amount: str, says: str) -> None:
    data = SAMPLE.replace(
        b'<Amt Ccy="EUR">40.00</Amt><CdtDbtInd>',
        b'<Amt Ccy="EUR">' + amount.encode() + b"</Amt><CdtDbtInd>",
    )
    error = refused(data)
    assert str(error) == f"Line 10, Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt: {says}."


def test_amount_without_currency_takes_the_accounts() -> None:
    data = SAMPLE.replace(b'<Amt Ccy="EUR">40.00</Amt><CdtDbtInd>', b"<Amt>40.00</Amt><CdtDbtInd>")
    assert parse_camt(data).entries[0].currency == "EUR"


def test_unknown_credit_debit_indicator_is_refused() -> None:
    error = refused(
        SAMPLE.replace(b"<CdtDbtInd>CRDT</CdtDbtInd><Sts>", b"<CdtDbtInd>CRED</CdtDbtInd><Sts>")
    )
    assert str(error) == (
        "Line 10, Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/CdtDbtInd: "
        "“CRED” is neither CRDT (credit) nor DBIT (debit)."
    )


def test_bad_reversal_indicator_and_bad_date_are_refused() -> None:
    error = refused(SAMPLE.replace(b"<Sts>BOOK</Sts>", b"<RvslInd>maybe</RvslInd><Sts>BOOK</Sts>"))
    assert error.path.endswith("Ntry[1]/RvslInd")
    error = refused(SAMPLE.replace(b"<ValDt><Dt>2025-01-10</Dt>", b"<ValDt><Dt>2025-02-30</Dt>"))
    assert str(error) == (
        "Line 11, Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/ValDt/Dt: “2025-02-30” is not a date."
    )


def test_entry_without_any_reference_is_refused() -> None:
    error = refused(SAMPLE.replace(b"<AcctSvcrRef>BANKREF-0001</AcctSvcrRef>", b""))
    assert "the entry has no bank reference" in str(error)
    assert error.path == "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]"


def test_entry_reference_falls_back_to_the_transaction() -> None:
    data = SAMPLE.replace(b"<AcctSvcrRef>BANKREF-0001</AcctSvcrRef>", b"").replace(
        b"<EndToEndId>", b"<TxId>TX-77</TxId><EndToEndId>"
    )
    assert parse_camt(data).entries[0].entry_ref == "TX-77"


def test_repeated_bank_reference_is_refused() -> None:
    start, end = SAMPLE.index(b"<Ntry>"), SAMPLE.index(b"</Ntry>") + len(b"</Ntry>")
    data = SAMPLE[:end] + SAMPLE[start:end] + SAMPLE[end:]
    error = refused(data)
    assert str(error) == "Line 20: the bank reference “BANKREF-0001” was already used on line 9."


def test_statements_of_two_accounts_are_refused() -> None:
    start, end = SAMPLE.index(b"<Stmt>"), SAMPLE.index(b"</Stmt>") + len(b"</Stmt>")
    other = SAMPLE[start:end].replace(
        b"GR8300000000000000012345678", b"GR1601101250000000012300695"
    )
    error = refused(SAMPLE[:end] + other.replace(b"BANKREF-0001", b"BANKREF-0002") + SAMPLE[end:])
    assert "statements of several accounts" in str(error)


def test_two_statements_of_one_account_are_merged() -> None:
    start, end = SAMPLE.index(b"<Stmt>"), SAMPLE.index(b"</Stmt>") + len(b"</Stmt>")
    second = SAMPLE[start:end].replace(b"BANKREF-0001", b"BANKREF-0002")
    statement = parse_camt(SAMPLE[:end] + second + SAMPLE[end:])
    assert statement.statement_id == "STMT-20250110-001"  # GrpHdr/MsgId
    assert [e.entry_ref for e in statement.entries] == ["BANKREF-0001", "BANKREF-0002"]


def test_parsing_leaves_the_cycle_collector_as_it_found_it() -> None:
    import gc

    from dimos.payments.statements.camt import _cycle_collection_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError), _cycle_collection_paused():
        assert not gc.isenabled()
        raise RuntimeError("a broken file")
    assert gc.isenabled()
    gc.disable()
    try:
        with _cycle_collection_paused():
            pass
        assert not gc.isenabled()  # someone else's choice is kept
    finally:
        gc.enable()
