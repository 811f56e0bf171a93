"""Uploaded files leave the portal as downloads that no browser may sniff into a web page."""

import re
from collections.abc import Callable

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client

from dimos.accounts.models import Representation, User
from dimos.core.tests.hostile_uploads import HERE
from dimos.polls.tests.conftest import build_poll
from dimos.service_requests.models import Attachment
from dimos.service_requests.tests.test_views_citizen import file_request

pytestmark = pytest.mark.django_db
GENERATED = re.compile(r"^uploads/[a-z_]+\.[a-z_]+/[0-9a-f]{32}\.(pdf|jpg|jpeg|png)$")


def assert_download(response: HttpResponse) -> None:
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_attachment_served_with_content_disposition_attachment_and_nosniff(
    client: Client, resident: User
) -> None:
    client.force_login(resident)
    traversal = SimpleUploadedFile("../../etc/passwd.pdf", (HERE / "good.pdf").read_bytes())
    mine = file_request(client, attachments=[traversal])
    attachment = mine.attachments.get()
    assert GENERATED.match(attachment.file.name), attachment.file.name
    response = client.get(f"/requests/{mine.public_id}/attachments/{attachment.pk}/")
    assert_download(response)
    assert response["Content-Type"] == "application/pdf"
    assert (
        "passwd.pdf" in response["Content-Disposition"]
        and ".." not in response["Content-Disposition"]
    )


def test_business_proof_served_to_staff_as_a_download(
    client_for: Callable[[User], Client], clerk: User, representative: User
) -> None:
    representation = Representation.objects.get(person=representative)
    assert GENERATED.match(representation.proof.name)
    assert_download(
        client_for(clerk).get(f"/accounts/staff/representations/{representation.pk}/proof/")
    )


def test_poll_document_served_as_a_download(
    client_for: Callable[[User], Client], resident: User
) -> None:
    poll = build_poll()
    poll.document.save("plan.pdf", ContentFile((HERE / "good.pdf").read_bytes()))
    assert GENERATED.match(poll.document.name)
    response = client_for(resident).get(f"/polls/{poll.pk}/document.pdf")
    assert_download(response)


def test_svg_html_never_served_inline(client: Client, resident: User) -> None:
    """Nothing that is a web page or a picture in SVG is ever stored, so none can be served."""
    client.force_login(resident)
    for name in ("svg-with-script.svg", "html-page.html"):
        for sent_as in ("x.svg", "x.html", "x.pdf", "x.png"):
            upload = SimpleUploadedFile(sent_as, (HERE / name).read_bytes(), "image/svg+xml")
            response = client.post("/requests/new/", {"attachments": [upload]})
            assert "κώδικα ιστοσελίδας" in response.content.decode()
    assert not Attachment.objects.exists()
