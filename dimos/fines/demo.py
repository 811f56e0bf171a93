"""A registered demo ticket to find and pay, and the staff's permissions for fines."""

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import Permission
from django.utils import timezone

from dimos.accounts.demo import staff_group
from dimos.accounts.models import User
from dimos.fines import actions, queries, rules
from dimos.fines.models import Ticket

DEMO_NUMBER = "ΚΟΖ-2026-000101"
DEMO_PLATE = "ΚΖΝ-1234"
DEMO_UNREGISTERED = "ΚΟΖ-2026-000102"  # for trying (b): enter it yourself, then register it


def load(out: Any) -> None:
    staff_group().permissions.add(
        *Permission.objects.filter(
            content_type__app_label="fines", codename__in=["change_ticket", "view_ticket"]
        )
    )
    clerk = User.objects.get(email="ypallilos@example.gr")
    if not Ticket.objects.filter(number_key=rules.normalise_code(DEMO_NUMBER)).exists():
        day = timezone.localdate() - timedelta(days=3)
        category = queries.category_on("Ε2-Β", "", day)
        if category is None:
            out.write("\nNo fines category Ε2-Β in force: the demo ticket was not created.")
            return
        actions.do_register_ticket(
            actions.TicketData(
                number=DEMO_NUMBER,
                plate=DEMO_PLATE,
                issued_at=timezone.make_aware(datetime.combine(day, time(10, 15))),
                category=category,
                article="38§2ε",
                vehicle_make="Toyota",
                vehicle_colour="Λευκό",
                place="Πλατεία Νίκης, Κοζάνη (στάθμευση σε πεζοδρόμιο)",
                officer_code="ΔΑ-07",
            ),
            clerk,
        )
    out.write(
        f"\nDemo traffic ticket ready: number {DEMO_NUMBER}, plate {DEMO_PLATE} (150,00 €). "
        f"To try a ticket not yet registered, enter {DEMO_UNREGISTERED} with any plate."
    )
