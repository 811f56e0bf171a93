from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dimos.accounts.models import User
from dimos.fines import actions, importer
from dimos.fines.models import Ticket

pytestmark = pytest.mark.django_db

HEADER = (
    "number;plate;vehicle;make;colour;date;time;place;article;category;concurrent;officer;amount"
)


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\ufeff" + "\n".join([header, *rows]) + "\n").encode("utf-8")


def day(days_ago: int = 2) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).strftime("%d/%m/%Y")


def good(number: str, **kw: str) -> str:
    values = {
        "number": number,
        "plate": "ΚΖΝ-1234",
        "vehicle": "car",
        "make": "Fiat",
        "colour": "Κόκκινο",
        "date": day(),
        "time": "09:45",
        "place": "Μακεδονίας 12",
        "article": "38§2ε",
        "category": "Ε2-Β",
        "concurrent": "",
        "officer": "ΔΑ-07",
        "amount": "150,00",
    }
    values.update(kw)
    return ";".join(values.values())


def test_a_good_file_registers_every_row(clerk: User) -> None:
    parsed = importer.parse_tickets(
        csv_file(
            good("N-1"),
            good("N-2", vehicle="μοτοσικλέτα", amount="75,00"),
            good("N-3", category="E4", article="38§2δ", amount="1200.00"),
            good("N-4", concurrent="Ε1-Α", amount="165,00"),
        )
    )
    assert parsed.errors == []
    result = actions.do_import_tickets(parsed.rows, parsed.errors, clerk, apply_good_rows=False)
    assert len(result.applied) == 4
    amounts = dict(Ticket.objects.values_list("number", "amount_cents"))
    assert amounts == {"N-1": 15000, "N-2": 7500, "N-3": 120000, "N-4": 16500}


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_applied(clerk: User) -> None:
    actions.do_register_ticket(
        importer._row(
            dict(zip(HEADER.split(";"), good("OLD-1").split(";"), strict=True)),
            timezone.localdate(),
        ),
        clerk,
    )
    parsed = importer.parse_tickets(
        csv_file(
            good("N-1"),  # line 2: good
            good("N-2", date="32/13/2026"),  # line 3
            good("N-3", category="Ε9"),  # line 4
            good("N-4", amount="30,00"),  # line 5: differs from the table
            good("N-1"),  # line 6: twice in the file
            good("OLD-1"),  # line 7: already registered
            good("N-7", date=day(-3)),  # line 8: in the future
            good("N-8", plate=""),  # line 9
            good("N-9", vehicle="τρακτέρ"),  # line 10
            good("N-10", time="25:99"),  # line 11
        )
    )
    assert importer.lines_of(parsed.errors) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert all(f" {line}:" in message for line, message in parsed.errors)
    result = actions.do_import_tickets(parsed.rows, parsed.errors, clerk, apply_good_rows=False)
    assert result.nothing_applied and Ticket.objects.count() == 1
    result = actions.do_import_tickets(parsed.rows, parsed.errors, clerk, apply_good_rows=True)
    assert [t.number for t in result.applied] == ["N-1"]
    assert Ticket.objects.count() == 2


def test_a_file_without_the_needed_columns_is_refused() -> None:
    parsed = importer.parse_tickets(csv_file(good("N-1"), header="number;plate"))
    assert parsed.errors and parsed.errors[0][0] == 1 and "date" in parsed.errors[0][1]
    assert importer.parse_tickets(b"").errors


def test_comma_separated_windows_greek_file_is_read() -> None:
    content = ("number,plate,date,time,category\nΚΟΖ-1,ΚΖΝ-1234," + day() + ",10:00,Ε1-Α\n").encode(
        "cp1253"
    )
    parsed = importer.parse_tickets(content)
    assert parsed.errors == [] and parsed.rows[0][1].number == "ΚΟΖ-1"


def test_import_reconciles_a_self_entered_ticket(citizen: User, clerk: User) -> None:
    ticket, order = actions.do_enter_ticket(
        citizen,
        actions.SelfEntered("N-1", "KZN1234", timezone.localdate() - timedelta(days=2), 15000),
    )
    from dimos.payments.actions import do_settle

    do_settle(order, method="card", external_ref="X", amount_cents=15000)
    parsed = importer.parse_tickets(csv_file(good("N-1")))
    result = actions.do_import_tickets(parsed.rows, parsed.errors, clerk, apply_good_rows=False)
    assert [t.pk for t in result.applied] == [ticket.pk]
    ticket.refresh_from_db()
    assert ticket.status == "paid" and not ticket.provisional


def test_staff_import_page_shows_the_bad_lines(client_for: object, fines_clerk: User) -> None:
    staff = client_for(fines_clerk)  # type: ignore[operator]
    upload = SimpleUploadedFile(
        "tickets.csv", csv_file(good("N-1"), good("N-2", category="Ε9")), "text/csv"
    )
    page = staff.post("/fines/staff/import/", {"file": upload}).content.decode()
    assert " 3:" in page and "Ε9" in page and not Ticket.objects.exists()
    upload = SimpleUploadedFile(
        "tickets.csv", csv_file(good("N-1"), good("N-2", category="Ε9")), "text/csv"
    )
    staff.post("/fines/staff/import/", {"file": upload, "apply_good_rows": "on"})
    assert list(Ticket.objects.values_list("number", flat=True)) == ["N-1"]
