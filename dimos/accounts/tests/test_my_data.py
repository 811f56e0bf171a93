import io
import json
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dimos.accounts.models import Business, User
from dimos.core import personal_data
from dimos.core.models import AuditEvent
from dimos.core.tests.gdpr_samples import AMKA, PLATE, file_request, give_everything
from dimos.testing import PASSWORD

pytestmark = pytest.mark.django_db


def recently_authenticated(client: Client, person: User) -> Client:
    client.force_login(person)
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


def download(client: Client) -> zipfile.ZipFile:
    response = client.post("/accounts/me/data/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="dimos-data-{timezone.localdate():%Y-%m-%d}.zip"'
    )
    return zipfile.ZipFile(io.BytesIO(response.content))


def section(archive: zipfile.ZipFile, key: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(archive.read(f"{key}.json"))
    return data


def test_anonymous_is_sent_to_login(client: Client) -> None:
    for path in ("/accounts/me/data/", "/accounts/me/data/download/"):
        response = client.post(path) if path.endswith("download/") else client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_page_asks_for_the_password_again(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    response = client.get("/accounts/me/data/")
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]
    response = client.post("/accounts/me/data/download/")
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]


def test_page_explains_in_greek_what_is_held(client: Client, citizen: User) -> None:
    page = recently_authenticated(client, citizen).get("/accounts/me/data/").content.decode()
    assert "Τα δεδομένα σας" in page
    assert "Η πορεία των αιτημάτων και των αναφορών σας" in page
    assert "Κατεβάστε τα δεδομένα σας" in page
    assert "οι ψηφοφορίες είναι μυστικές" in page


def test_export_holds_every_section_with_a_sample_and_the_files(
    client: Client, citizen: User, business: Business
) -> None:
    give_everything(citizen, business)
    archive = download(recently_authenticated(client, citizen))
    names = set(archive.namelist())
    assert "README.txt" in names
    for s in personal_data.sections():
        data = section(archive, s.key)
        assert data["title"] == str(s.title) and data["rows"], s.key
    account = section(archive, "account")["rows"][0]  # type: ignore[index]
    assert account["διεύθυνση e-mail"] == citizen.email
    assert AMKA in json.dumps(section(archive, "registry_record"), ensure_ascii=False)
    assert PLATE in json.dumps(section(archive, "tickets"), ensure_ascii=False)
    requests = section(archive, "requests")["rows"]
    assert requests[0]["θέμα"] == "Λακκούβα στην οδό Δημοκρατίας"  # type: ignore[index]
    assert requests[0]["είδος"] == "Παράπονο"  # type: ignore[index]
    polls = json.dumps(section(archive, "poll_participation"), ensure_ascii=False)
    assert "Πεζόδρομος στην πλατεία" in polls and "option" not in polls.lower()
    authenticators = json.dumps(section(archive, "authenticators"))
    assert "secret" not in authenticators
    assert any(n.startswith("files/attachments/") for n in names)
    assert any(n.startswith("files/documents/") for n in names)
    assert any(n.startswith("files/representations/") for n in names)


def test_export_is_audited(client: Client, citizen: User) -> None:
    download(recently_authenticated(client, citizen))
    event = AuditEvent.objects.get(action="personal_data.exported")
    assert event.actor == citizen and event.subject == citizen
    assert event.details["account"] == 1


def test_another_persons_data_is_never_in_my_export(
    client: Client, citizen: User, other_resident: User, business: Business
) -> None:
    give_everything(other_resident, business)
    archive = download(recently_authenticated(client, citizen))
    everything = "".join(
        archive.read(n).decode() for n in archive.namelist() if n.endswith(".json")
    )
    assert other_resident.email not in everything and AMKA not in everything
    assert not any(n.startswith("files/") for n in archive.namelist())


def test_get_of_the_download_goes_back_to_the_page(client: Client, citizen: User) -> None:
    response = recently_authenticated(client, citizen).get("/accounts/me/data/download/")
    assert response.status_code == 302 and response["Location"] == "/accounts/me/data/"


def test_export_queries_do_not_grow_with_the_rows(
    client: Client, resident: User, business: Business
) -> None:
    give_everything(resident, business)
    recently_authenticated(client, resident)
    with CaptureQueriesContext(connection) as few:
        download(client)
    for n in range(30):
        file_request(resident, subject=f"Αίτημα {n}")
    with CaptureQueriesContext(connection) as many:
        download(client)
    assert len(many) == len(few)
