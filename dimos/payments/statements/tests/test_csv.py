from datetime import date
from pathlib import Path

import pytest

from dimos.payments.statements import csvfile
from dimos.payments.statements.csvfile import parse_csv, parse_date
from dimos.payments.statements.model import StatementError

FILES = Path(__file__).parent / "files"


def refused(data: bytes | str) -> StatementError:
    with pytest.raises(StatementError) as caught:
        parse_csv(data.encode() if isinstance(data, str) else data)
    return caught.value


def test_utf8_file_with_bom_semicolons_and_greek_amounts() -> None:
    data = (FILES / "statement_utf8_bom.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")

    statement = parse_csv(data)

    assert statement.format == "csv"
    assert statement.account_iban == ""
    assert statement.statement_id.startswith("csv-")
    assert parse_csv(data).statement_id == statement.statement_id  # same file, same id
    first, second, fee = statement.entries
    assert first.entry_ref == "BK-1001"
    assert first.amount_cents == 4000
    assert first.credit is True
    assert first.rf == "RF712348231"
    assert first.debtor_name == "ΔΟΚΙΜΑΣΤΙΚΟΣ ΟΦΕΙΛΕΤΗΣ"
    assert first.booking_date == first.value_date == date(2025, 1, 10)
    assert first.status == "BOOK"
    assert first.line == 2
    assert second.amount_cents == 123456
    assert second.rf == "RF18539007547034"  # "RF18-5390-0754-7034" inside a quoted text
    assert second.remittance == "Τέλος, RF18-5390-0754-7034"
    assert second.value_date == date(2025, 1, 11)  # empty value date: the date
    assert fee.amount_cents == 1250
    assert fee.credit is False  # a negative amount is money going out
    assert fee.rf is None
    assert fee.line == 4


def test_cp1253_file_with_greek_headers() -> None:
    text = (
        "ΑΡΙΘΜΟΣ ΑΝΑΦΟΡΑΣ;Ημερομηνία;Ποσό (€);Αιτιολογία;Πληρωτής;Κωδικός RF;Υπόλοιπο\r\n"
        "ΑΝ-1;10/01/2025;1.234,56;ΤΕΛΟΣ ΚΟΙΝΟΧΡΗΣΤΩΝ;Γιώργος Νικολάου;"
        "RF18 5390 0754 7034;9.999,00\r\n"
        "ΑΝ-2;11/1/2025;12,5;Πληρωμή rf71 2348 231;;;10.011,50\r\n"
    )
    data = text.encode("cp1253")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    one, two = parse_csv(data).entries

    assert (one.entry_ref, one.amount_cents, one.rf) == ("ΑΝ-1", 123456, "RF18539007547034")
    assert one.debtor_name == "Γιώργος Νικολάου"
    assert (two.amount_cents, two.rf, two.booking_date) == (1250, "RF712348231", date(2025, 1, 11))


def test_comma_separated_with_quoted_greek_amounts() -> None:
    data = (
        "Reference,Date,Amount,Description,Payer IBAN\n"
        'B-1,2025-01-10,"40,00",RF71 2348 231,GR16 0110 1250 0000 0001 2300 695\n'
        'B-2,2025-01-10,"1.234,56",no reference,\n'
    )
    one, two = parse_csv(data.encode()).entries
    assert (one.amount_cents, one.rf) == (4000, "RF712348231")
    assert one.debtor_iban == "GR1601101250000000012300695"
    assert (two.amount_cents, two.rf) == (123456, None)


def test_value_date_column_alone_is_the_date() -> None:
    data = "Αναφορά;Ημ/νία Αξίας;Ποσό;Περιγραφή;IBAN\nB-1;10/01/2025;5,00;x;GR99 ACCOUNT\n"
    [entry] = parse_csv(data.encode()).entries
    assert entry.booking_date == entry.value_date == date(2025, 1, 10)
    assert entry.debtor_iban == ""  # a bare IBAN column may be the account's own: ignored


def test_invalid_rf_column_falls_back_to_the_description() -> None:
    data = "ref;date;amount;description;rf\nB-1;10/01/2025;5,00;RF71 2348 231;RF722348231\n"
    [entry] = parse_csv(data.encode()).entries
    assert entry.rf == "RF712348231"


def test_three_bad_rows_are_all_reported_and_nothing_is_imported() -> None:
    data = (
        "reference;date;amount;description\n"  # line 1
        "B-1;10/01/2025;40,00;RF712348231\n"  # 2 fine
        "B-2;31/02/2025;40,00;RF712348231\n"  # 3 no such date
        "B-3;10/01/2025;40,00;ok\n"  # 4 fine
        "B-4;10/01/2025;σαράντα;RF712348231\n"  # 5 not a number
        ";10/01/2025;12,345;x\n"  # 6 no reference and three decimals
    )
    error = refused(data)

    assert sorted({problem.line for problem in error.problems}) == [3, 5, 6]
    assert error.messages == [
        "Line 3: “31/02/2025” is not a date (DD/MM/YYYY or YYYY-MM-DD).",
        "Line 5: the amount “σαράντα” is not a number.",
        "Line 6: the bank reference is empty.",
        "Line 6: the amount “12,345” has more than two decimals.",
    ]
    assert str(error).splitlines()[0] == (
        "3 rows of the file cannot be read; nothing was imported."
    )


def test_one_bad_row_is_reported_in_the_singular() -> None:
    error = refused("reference;date;amount;description\nB-1;;40,00;x\n")
    assert error.message == "1 row of the file cannot be read; nothing was imported."
    assert error.messages == ["Line 2: the date is empty."]


def test_duplicate_reference_and_zero_amount_are_bad_rows() -> None:
    error = refused(
        "reference;date;amount;description\n"
        "B-1;10/01/2025;40,00;x\n"
        "B-1;10/01/2025;40,00;x\n"
        "B-2;10/01/2025;0,00;x\n"
    )
    assert error.messages == [
        "Line 3: the bank reference “B-1” was already used on line 2.",
        "Line 4: the amount is zero.",
    ]


def test_row_with_an_unquoted_separator_is_reported() -> None:
    error = refused("reference,date,amount,description\nB-1,10/01/2025,40,00,x\n")
    assert error.messages == [
        "Line 2: the row has 5 fields but the header has 4 "
        "(is a “;” or “,” inside a value without quotes?)."
    ]


def test_trailing_separators_blank_lines_and_multiline_text_keep_line_numbers() -> None:
    data = (
        "\n"
        "reference;date;amount;description;\n"  # line 2
        'B-1;10/01/2025;1;"two\nlines RF712348231";;\n'  # lines 3-4
        "\n"
        "B-2;10/01/2025;x;y\n"  # line 6
    )
    error = refused(data)
    assert error.messages == ["Line 6: the amount “x” is not a number."]
    good = parse_csv(data.replace(";x;", ";2;").encode())
    assert [(e.line, e.rf) for e in good.entries] == [(3, "RF712348231"), (6, None)]


def test_header_without_required_columns_lists_them() -> None:
    error = refused("Κωδικός;Ημερομηνία;Ποσό\nB-1;10/01/2025;40,00\n")
    assert error.message == "Line 1: the header cannot be used; nothing was imported."
    assert [m.split(" (accepted")[0] for m in error.messages] == [
        "Line 1: the header has no “reference” column",
        "Line 1: the header has no “description” column",
    ]


def test_two_columns_with_one_meaning_are_refused() -> None:
    error = refused("reference;date;ημερομηνία;amount;description\n")
    assert error.messages == [
        "Line 1: the columns “date” and “ημερομηνία” both mean “date”; keep one."
    ]


def test_empty_binary_and_undecodable_files_are_refused() -> None:
    assert refused(b"").message == "The file is empty."
    assert refused(b" \r\n\r\n").message == "The file is empty."
    xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"
    assert "Save it as CSV" in refused(xlsx).message
    assert "neither UTF-8 nor Greek Windows" in refused(b"reference;date\n\x81\xaa\n").message


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("10/01/2025", date(2025, 1, 10)),
        ("1/2/2025", date(2025, 2, 1)),
        ("01.02.2025", date(2025, 2, 1)),
        ("01-02-2025", date(2025, 2, 1)),
        ("2025-02-01", date(2025, 2, 1)),
        ("10/01/2025 14:33", date(2025, 1, 10)),
        ("10/01/2025 14:33:05", date(2025, 1, 10)),
    ],
)
def test_dates(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["2025/02/01", "10/01/25", "10/13/2025", "01.02-2025", "χθες"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_documented_column_names_are_the_accepted_ones() -> None:
    doc = " ".join((csvfile.__doc__ or "").split())
    for column, aliases in csvfile.ALIASES.items():
        assert column in doc
        for alias in aliases:
            assert alias in doc, alias


def test_documented_example_parses() -> None:
    doc = csvfile.__doc__ or ""
    example = doc[doc.index("Example:") :].split("\n\n")[1]
    lines = [line.strip() for line in example.splitlines()]
    statement = parse_csv("\n".join(lines).encode("cp1253"))
    assert [(e.rf, e.signed_cents) for e in statement.entries] == [
        ("RF712348231", 4000),
        (None, -150),
    ]
