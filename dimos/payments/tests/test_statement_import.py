import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from dimos.accounts.models import User
from dimos.payments import actions
from dimos.payments.models import Payment, PaymentOrder, Receipt
from dimos.payments.statements import parse_statement
from dimos.payments.statements.generate import camt053_for

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def orders(citizen: User) -> list[PaymentOrder]:
    return [
        actions.do_issue_order(amount_cents=4000, description=f"Τέλος {n}", payer_person=citizen)
        for n in range(4)
    ]


def statement_for(orders: list[PaymentOrder]) -> bytes:
    exact, partial, over, reversed_one = orders
    return camt053_for(
        [
            {
                "amount_cents": 4000,
                "rf": exact.rf,
                "date": DAY,
                "entry_ref": "E1",
                "debtor_name": "ΠΑΠΑΔΟΠΟΥΛΟΣ",
            },
            {"amount_cents": 1500, "rf": partial.rf, "date": DAY, "entry_ref": "E2"},
            {
                "amount_cents": 5000,
                "remittance": f"Πληρωμή {over.rf}",
                "date": DAY,
                "entry_ref": "E3",
            },
            {"amount_cents": 999, "remittance": "χωρίς κωδικό", "date": DAY, "entry_ref": "E4"},
            {"amount_cents": 4000, "rf": reversed_one.rf, "date": DAY, "entry_ref": "E5"},
            {
                "amount_cents": 4000,
                "rf": reversed_one.rf,
                "date": DAY,
                "entry_ref": "E6",
                "reversal": True,
            },
        ],
        iban="GR8300000000000000012345678",
        statement_id="S1",
    )


def test_matched_partial_over_unmatched_and_reversed_and_twice(
    orders: list[PaymentOrder],
) -> None:
    data = statement_for(orders)
    first = actions.do_import_statement(parse_statement(data), file_name="s.xml", sha256="x")
    assert first.summary == {"applied": 4, "review": 1, "reversed": 1, "duplicate": 0, "debits": 0}
    statuses = [PaymentOrder.objects.get(pk=o.pk).status for o in orders]
    assert statuses == ["paid", "partly_paid", "overpaid", "open"]
    assert Payment.objects.get(external_ref="E4").state == "review"
    assert Payment.objects.get(external_ref="E5").state == "reversed"
    receipts_before = Receipt.objects.count()
    second = actions.do_import_statement(parse_statement(data), file_name="s.xml", sha256="x")
    assert second.summary["duplicate"] == 6 and second.summary["applied"] == 0
    assert Receipt.objects.count() == receipts_before
    assert [PaymentOrder.objects.get(pk=o.pk).status for o in orders] == statuses


def test_import_command_refuses_a_malformed_file_and_applies_nothing(
    tmp_path: object, orders: list[PaymentOrder]
) -> None:
    bad = statement_for(orders).replace(
        b'<Amt Ccy="EUR">40.00</Amt>', b'<Amt Ccy="EUR">4O.00</Amt>', 1
    )
    path = tmp_path / "bad.xml"  # type: ignore[operator]
    path.write_bytes(bad)
    with pytest.raises(CommandError, match="Amt"):
        call_command("import_statement", str(path))
    assert not Payment.objects.exists()
    good = tmp_path / "good.xml"  # type: ignore[operator]
    good.write_bytes(statement_for(orders))
    call_command("import_statement", str(good))
    assert Payment.objects.count() == 6


def test_staff_imports_reviews_and_assigns(
    client_for: object, clerk: User, orders: list[PaymentOrder]
) -> None:
    clerk.is_superuser = True
    clerk.save()
    staff = client_for(clerk)  # type: ignore[operator]
    response = staff.post(
        "/payments/staff/import/", {"file": SimpleUploadedFile("s.xml", statement_for(orders))}
    )
    assert response.status_code == 302
    assert "E4" in staff.get("/payments/staff/review/").content.decode()
    stray = Payment.objects.get(external_ref="E4")
    response = staff.post(f"/payments/staff/review/{stray.pk}/", {"rf": "RF00NOTHING"})
    assert response.status_code == 200
    target = orders[3]
    staff.post(f"/payments/staff/review/{stray.pk}/", {"rf": target.rf})
    stray.refresh_from_db()
    assert stray.state == "applied" and stray.order == target and stray.receipt


def test_staff_import_of_garbage_shows_the_problem(client_for: object, clerk: User) -> None:
    clerk.is_superuser = True
    clerk.save()
    response = client_for(clerk).post(
        "/payments/staff/import/",
        {  # type: ignore[operator]
            "file": SimpleUploadedFile("s.xml", b"<Document><oops>")
        },
    )
    assert response.status_code == 200
    assert "Υπάρχει πρόβλημα" in response.content.decode()
    assert not Payment.objects.exists()


def test_staff_issues_and_cancels_an_ad_hoc_order(
    client_for: object, clerk: User, citizen: User
) -> None:
    clerk.is_superuser = True
    clerk.save()
    staff = client_for(clerk)  # type: ignore[operator]
    response = staff.post(
        "/payments/staff/new/",
        {"payer_email": citizen.email, "description": "Χρήση αίθουσας", "amount": "12,50"},
    )
    order = PaymentOrder.objects.get()
    assert response["Location"] == f"/payments/staff/orders/{order.pk}/"
    assert order.amount_cents == 1250 and order.payer_person == citizen
    staff.post(f"/payments/staff/orders/{order.pk}/", {"reason": "Λάθος ποσό"})
    order.refresh_from_db()
    assert order.status == "cancelled"


@pytest.mark.parametrize(
    "data",
    [
        {"payer_email": "nobody@example.gr", "description": "x", "amount": "10"},
        {"payer_email": "", "payer_afm": "", "description": "x", "amount": "10"},
        {"payer_afm": "123456789", "description": "x", "amount": "10"},
        {"payer_email": "citizen@example.gr", "description": "x", "amount": "-3"},
        {"payer_email": "citizen@example.gr", "description": "x", "amount": "1,234"},
        {"payer_email": "citizen@example.gr", "description": "", "amount": "10"},
    ],
)
def test_bad_orders_are_refused(
    client_for: object, clerk: User, citizen: User, data: dict[str, str]
) -> None:
    clerk.is_superuser = True
    clerk.save()
    response = client_for(clerk).post("/payments/staff/new/", data)  # type: ignore[operator]
    assert response.status_code == 200 and "Υπάρχει πρόβλημα" in response.content.decode()
    assert not PaymentOrder.objects.exists()


def test_staff_without_the_permission_and_citizens_are_refused(
    client: Client, client_for: object, clerk: User, citizen: User
) -> None:
    assert client_for(clerk).get("/payments/staff/").status_code == 403  # type: ignore[operator]
    client.force_login(citizen)
    assert client.get("/payments/staff/").status_code == 403


def test_csv_export(client_for: object, clerk: User, orders: list[PaymentOrder]) -> None:
    clerk.is_superuser = True
    clerk.save()
    response = client_for(clerk).get("/payments/staff/?format=csv")  # type: ignore[operator]
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv") and orders[0].rf in text
