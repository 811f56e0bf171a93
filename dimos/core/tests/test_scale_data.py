"""`manage.py scale_data`: believable rows that the apps accept as their own, numbered as the
actions number them, and a fixtures file whose keys point at real rows."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Max
from django.test import Client
from stdnum.gr import amka, vat

from dimos.accounts.models import Business, Representation, User
from dimos.business_tax.actions import DECLARATION_SERIES
from dimos.business_tax.models import Debt, Declaration
from dimos.core import scale
from dimos.core.models import Counter
from dimos.fines.models import Ticket
from dimos.payments.actions import RECEIPT_SERIES
from dimos.payments.models import PaymentOrder, Receipt
from dimos.payments.statements.rf import is_rf
from dimos.polls.models import Ballot, BallotChoice, Participation, Poll
from dimos.registry.models import Family, Person, ResidencyClaim
from dimos.service_requests.actions import PROTOCOL_SERIES
from dimos.service_requests.models import ServiceRequest, TimelineEntry

RESIDENTS = 300
MY_GENERATORS = "registry,accounts,businesses,requests,payments,fines,business_tax,polls"

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixtures_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "bench" / "fixtures.json"
    monkeypatch.setattr(scale, "fixtures_path", lambda: path)
    return path


@pytest.fixture
def generated(fixtures_file: Path) -> dict[str, Any]:
    call_command("scale_data", residents=RESIDENTS, seed=1, only=MY_GENERATORS)
    loaded: dict[str, Any] = json.loads(fixtures_file.read_text())
    return loaded


def test_counts_are_those_of_a_municipality_of_that_size(generated: dict[str, Any]) -> None:
    assert Person.objects.count() == RESIDENTS
    assert 1 <= Person.objects.values("family").distinct().count() <= RESIDENTS
    sizes = [f.members.count() for f in Family.objects.all()]
    assert max(sizes) <= 6 and min(sizes) >= 1
    residents = User.objects.filter(resident_since__isnull=False).count()
    assert 0.3 * RESIDENTS <= residents <= 0.5 * RESIDENTS  # about 40 %
    assert ResidencyClaim.objects.filter(status="approved").count() == residents
    assert Person.objects.filter(account__isnull=False).count() == residents
    assert ServiceRequest.objects.count() == 1.5 * RESIDENTS
    assert 2 * ServiceRequest.objects.count() <= TimelineEntry.objects.count()
    assert Ticket.objects.count() == 0.2 * RESIDENTS
    assert Ticket.objects.filter(status="paid").exists()
    assert Ticket.objects.filter(status="open").exists()
    assert Business.objects.count() == RESIDENTS // 15
    assert Representation.objects.filter(status="approved").count() == Business.objects.count()
    assert Declaration.objects.count() == Debt.objects.count() > 0
    assert Poll.objects.count() == 4
    closed_votes = Participation.objects.filter(poll_id=generated["poll_results"]["poll_id"])
    assert closed_votes.count() == 0.1 * RESIDENTS
    assert Ballot.objects.count() == Participation.objects.count()


def test_identifiers_are_valid_and_unique(generated: dict[str, Any]) -> None:
    amkas = list(Person.objects.values_list("amka", flat=True))
    assert all(amka.is_valid(a) for a in amkas)
    assert len(set(amkas)) == len(amkas)
    for person in Person.objects.all()[:50]:
        assert amka.get_birth_date(person.amka or "").strftime("%d%m%y") == (
            person.birth_date.strftime("%d%m%y")
        )
    assert all(vat.is_valid(a) for a in Business.objects.values_list("afm", flat=True))
    rfs = list(PaymentOrder.objects.values_list("rf", flat=True))
    assert rfs and all(is_rf(rf) for rf in rfs)
    tracking = list(ServiceRequest.objects.values_list("tracking_code", flat=True))
    assert len(set(tracking)) == len(tracking)


def test_numbers_are_gapless_and_the_counters_go_on_from_the_last(
    generated: dict[str, Any],
) -> None:
    for model, series in (
        (ServiceRequest, PROTOCOL_SERIES),
        (Receipt, RECEIPT_SERIES),
        (Declaration, DECLARATION_SERIES),
    ):
        years = model.objects.values_list("year", flat=True).distinct()
        assert years
        for year in years:
            numbers = sorted(model.objects.filter(year=year).values_list("number", flat=True))
            assert numbers == list(range(1, len(numbers) + 1)), (series, year)
            last = model.objects.filter(year=year).aggregate(last=Max("number"))["last"]
            assert Counter.objects.get(series=series, year=year).last == last


def test_new_rows_after_generation_get_free_ids(generated: dict[str, Any]) -> None:
    from dimos.testing import make_person

    newcomer = make_person("neos@example.gr")
    assert newcomer.pk > User.objects.exclude(pk=newcomer.pk).aggregate(m=Max("pk"))["m"]


def test_fixtures_point_at_real_rows(generated: dict[str, Any], client: Client) -> None:
    assert generated["password"] == scale.SCALE_PASSWORD
    resident_20 = User.objects.get(email=generated["resident_20"]["email"])
    assert resident_20.check_password(scale.SCALE_PASSWORD)
    assert ServiceRequest.objects.filter(citizen=resident_20).count() == 20
    assert len(set(generated["resident_20"]["request_public_ids"])) == 20
    detail = generated["request_detail"]
    assert detail["public_id"] in generated["resident_20"]["request_public_ids"]
    year, number = detail["public_id"].split("-")
    assert ServiceRequest.objects.get(year=year, number=number).citizen == resident_20

    ticket = Ticket.objects.get(number=generated["ticket"]["number"])
    assert ticket.plate == generated["ticket"]["plate"]
    assert ticket.status == Ticket.Status.OPEN and ticket.paid_cents == 0

    tax = generated["tax"]
    assert Business.objects.get(afm=tax["afm"]).declarations.exists()
    assert User.objects.get(email=tax["email"]).approved_businesses().filter(afm=tax["afm"])

    orders = generated["card_orders"]
    assert len({o["rf"] for o in orders}) == len(orders) > 0
    assert {o["email"] for o in orders} == set(generated["open_poll"]["voter_emails"])
    for card in orders[:20]:
        order = PaymentOrder.objects.get(rf=card["rf"])
        assert order.status == PaymentOrder.Status.OPEN
        assert order.amount_cents == card["amount_cents"]
        assert order.payer_person is not None and order.payer_person.email == card["email"]
    assert generated["open311_service_code"] == "street-lighting"


def test_receipt_code_verifies_on_the_public_page(
    generated: dict[str, Any], client: Client
) -> None:
    page = client.get(f"/verify/{generated['receipt_verify_code']}/")
    assert page.status_code == 200
    assert "Το έγγραφο είναι γνήσιο και ισχύει" in page.content.decode()


def test_open_poll_voters_have_not_voted_and_may_take_part(
    generated: dict[str, Any], client: Client
) -> None:
    poll_id = generated["open_poll"]["poll_id"]
    emails = generated["open_poll"]["voter_emails"]
    residents = User.objects.filter(resident_since__isnull=False).count()
    assert len(emails) == len(set(emails)) == min(500, residents - 1)
    voters = User.objects.filter(email__in=emails)
    assert not Participation.objects.filter(poll_id=poll_id, person__in=voters).exists()
    client.force_login(voters.order_by("pk").first())  # type: ignore[arg-type]
    page = client.get(f"/polls/{poll_id}/").content.decode()
    assert f'href="/polls/{poll_id}/vote/"' in page and "Συμμετοχή" in page


def test_closed_poll_results_are_visible_to_the_fixture_resident(
    generated: dict[str, Any], client: Client
) -> None:
    results = generated["poll_results"]
    assert Poll.objects.get(pk=results["poll_id"]).results_published
    assert BallotChoice.objects.filter(ballot__poll_id=results["poll_id"]).exists()
    client.force_login(User.objects.get(email=results["email"]))
    page = client.get(f"/polls/{results['poll_id']}/results/")
    assert page.status_code == 200


def test_same_seed_gives_the_same_rows(fixtures_file: Path) -> None:
    def first_rows() -> list[tuple[Any, ...]]:
        return list(
            Person.objects.order_by("pk").values_list(
                "first_name", "last_name", "birth_date", "amka", "family__number"
            )[:20]
        )

    def generate(seed: int) -> list[tuple[Any, ...]]:
        call_command("scale_data", residents=RESIDENTS, seed=seed, only="registry")
        rows = first_rows()
        ResidencyClaim.objects.all().delete()
        Person.objects.all().delete()
        Family.objects.all().delete()
        User.objects.all().delete()
        return rows

    first = generate(7)
    assert generate(7) == first
    assert generate(8) != first


def test_only_runs_the_named_generators(fixtures_file: Path) -> None:
    call_command("scale_data", residents=RESIDENTS, seed=1, only="registry,accounts")
    assert Person.objects.count() == RESIDENTS
    assert not ServiceRequest.objects.exists()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"residents": 5}, "--residents must be at least 100"),
        ({"only": "registry,nonsense"}, "unknown generators: nonsense"),
        ({"decisions": -1}, "--decisions cannot be negative"),
    ],
)
def test_bad_options_are_refused_clearly(
    fixtures_file: Path, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("scale_data", **options)
    assert not Person.objects.exists()
    assert not fixtures_file.exists()


def test_pages_of_the_benchmark_open_with_the_generated_rows(
    generated: dict[str, Any], client: Client
) -> None:
    resident = User.objects.get(email=generated["resident_20"]["email"])
    client.force_login(resident)
    mine = client.get("/requests/").content.decode()
    assert generated["request_detail"]["public_id"].replace("-", "/") in mine
    detail = client.get(f"/requests/{generated['request_detail']['public_id']}/")
    assert detail.status_code == 200
    found = client.post("/fines/find/", generated["ticket"])
    assert found.status_code == 302
    assert client.get(found["Location"]).status_code == 200

    client.force_login(User.objects.get(email=generated["tax"]["email"]))
    dashboard = client.get(f"/business-tax/{generated['tax']['afm']}/")
    assert dashboard.status_code == 200
    service = generated["open311_service_code"]
    listed = client.get(f"/open311/v2/requests.json?service_code={service}")
    assert listed.status_code == 200 and listed.json()


def test_fixtures_go_where_asked(tmp_path: Path, fixtures_file: Path) -> None:
    """The benchmark prepares SQLite and PostgreSQL at once, each with its own fixtures file."""
    elsewhere = tmp_path / "fixtures-sqlite.json"
    call_command("scale_data", residents=100, seed=1, only="registry,accounts", fixtures=elsewhere)
    assert json.loads(elsewhere.read_text())["password"] == scale.SCALE_PASSWORD
    assert not fixtures_file.exists()


@pytest.mark.postgres
def test_the_planner_knows_the_new_rows_at_once(fixtures_file: Path) -> None:
    """ANALYZE after loading: PostgreSQL's estimates are those of the rows just written."""
    from django.db import connection

    call_command("scale_data", residents=100, seed=1, only="registry")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'registry_person'")
        (estimated,) = cursor.fetchone()
    assert estimated == Person.objects.count() == 100
