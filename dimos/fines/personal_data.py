"""Traffic tickets a person entered, and what closing the account does (core/personal_data)."""

from django.utils.translation import gettext_lazy as _

from dimos.core.personal_data import Closure, Section, exclude, register
from dimos.fines.models import Ticket

register(
    Section(
        key="tickets",
        title=_("Traffic tickets you entered"),
        model=Ticket,
        rows=lambda p: Ticket.objects.filter(entered_by=p).order_by("issued_at"),
        columns=[
            "number",
            "plate",
            "issued_at",
            "place",
            "article",
            ("amount_cents", _("Amount (cents)")),
            ("status", _("Status")),
            ("paid_cents", _("Paid (cents)")),
            "entered_plate",
            ("created_at", _("When")),
        ],
        closure=Closure.KEEP,
        reason=_(
            "Kept: a ticket is a debt to the municipality under the traffic code "
            "(ν.5209/2025); it belongs to the vehicle, not to your account."
        ),
    )
)
exclude("fines.FineCategory", "fine amounts by category (reference data)")
exclude("fines.PaymentPolicy", "payment rules by period (reference data)")
