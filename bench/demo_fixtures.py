"""A fixtures file from `manage.py demo_data` (the runner's `--demo`): a tiny stand-in for
scale data, to try the runner before the scale generators exist. Best effort: what the demo
lacks is left out, and its pages are reported as skipped.

    python -m bench.demo_fixtures OUT.json   (DJANGO_SETTINGS_MODULE=dimos.settings)
"""

import json
import sys
from pathlib import Path
from typing import Any


def derive() -> dict[str, Any]:
    from django.db.models import Count

    from dimos.accounts.demo import DEMO_PASSWORD
    from dimos.accounts.models import Representation, User
    from dimos.core.documents import IssuedDocument
    from dimos.fines.models import Ticket
    from dimos.payments.models import PaymentOrder
    from dimos.polls.models import Participation, Poll
    from dimos.service_requests.models import ServiceRequest

    found: dict[str, Any] = {"password": DEMO_PASSWORD}
    busiest = (
        ServiceRequest.objects.values("citizen").annotate(n=Count("id")).order_by("-n").first()
    )
    if busiest:
        person = User.objects.get(pk=busiest["citizen"])
        mine = [r.public_id for r in ServiceRequest.objects.filter(citizen=person)]
        found["resident_20"] = {"email": person.email, "request_public_ids": mine}
        found["request_detail"] = {"email": person.email, "public_id": mine[0]}
    ticket = Ticket.objects.filter(status="open").first() or Ticket.objects.first()
    if ticket:
        found["ticket"] = {"number": ticket.number, "plate": ticket.plate}
    representation = Representation.objects.filter(status="approved").first()
    if representation:
        found["tax"] = {
            "email": representation.person.email,
            "afm": representation.business.afm,
        }
    voted = Participation.objects.select_related("person").first()
    if voted:
        found["poll_results"] = {"poll_id": voted.poll_id, "email": voted.person.email}
    receipt_document = IssuedDocument.objects.filter(kind="payment-receipt").first()
    if receipt_document:
        found["receipt_verify_code"] = receipt_document.code
    open_poll = Poll.objects.order_by("-closes_at").first()
    if open_poll:
        voters = User.objects.filter(is_staff=False).exclude(poll_participations__poll=open_poll)
        found["open_poll"] = {
            "poll_id": open_poll.pk,
            "voter_emails": [u.email for u in voters[:500]],
        }
    found["card_orders"] = [
        {"rf": o.rf, "amount_cents": o.amount_cents, "email": ""}
        for o in PaymentOrder.objects.filter(status="open", rf__isnull=False)[:500]
    ]
    return found


def main(argv: list[str]) -> None:
    import django

    django.setup()
    Path(argv[0]).write_text(json.dumps(derive(), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
