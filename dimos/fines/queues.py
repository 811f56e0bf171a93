from typing import Any

from django.utils.translation import gettext_lazy as _

from dimos.core.staff import StaffQueue, register_queue


def _count_to_reconcile(user: Any) -> int:
    from dimos.fines.queries import reconcile_queue

    return reconcile_queue().count()


def register() -> None:
    register_queue(
        StaffQueue(
            key="fines",
            title=_("Fines to reconcile"),
            description=_(
                "Traffic fines paid twice or too much (refund due), self-entered tickets whose "
                "registered amount differs, and cancelled tickets that were paid."
            ),
            url_name="fines:staff_reconcile",
            permission="fines.change_ticket",
            count_waiting=_count_to_reconcile,
        )
    )
