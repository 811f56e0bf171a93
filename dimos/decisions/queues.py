from typing import Any

from django.utils.translation import gettext_lazy as _

from dimos.core.staff import StaffQueue, register_queue


def _count_unreadable(user: Any) -> int:
    from dimos.decisions.queries import without_text

    return without_text().count()


def register() -> None:
    register_queue(
        StaffQueue(
            key="decisions",
            title=_("Council decisions"),
            description=_(
                "Upload, correct and revoke decisions. The number shows decisions whose PDF "
                "text could not be read yet: they are found only by their number and subject."
            ),
            url_name="decisions:staff_list",
            permission="decisions.change_decision",
            count_waiting=_count_unreadable,
        )
    )
