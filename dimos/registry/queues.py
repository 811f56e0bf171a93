from typing import Any

from django.utils.translation import gettext_lazy as _

from dimos.core.staff import StaffQueue, register_queue


def _count_pending(user: Any) -> int:
    from dimos.registry.queries import pending_claims

    return pending_claims().count()


def register() -> None:
    register_queue(
        StaffQueue(
            key="residency_claims",
            title=_("Residents to verify"),
            description=_(
                "Registrations as Δημότης whose data did not match the registry exactly."
            ),
            url_name="registry:staff_claims",
            permission="registry.change_residencyclaim",
            count_waiting=_count_pending,
        )
    )
