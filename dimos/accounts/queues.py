from typing import Any

from django.utils.translation import gettext_lazy as _

from dimos.core.staff import StaffQueue, register_queue


def _count_pending(user: Any) -> int:
    from dimos.accounts.queries import pending_representations

    return pending_representations().count()


def register() -> None:
    register_queue(
        StaffQueue(
            key="representations",
            title=_("Business representatives to verify"),
            description=_(
                "People who registered a business and sent proof that they represent it."
            ),
            url_name="accounts:staff_representations",
            permission="accounts.change_representation",
            count_waiting=_count_pending,
        )
    )
