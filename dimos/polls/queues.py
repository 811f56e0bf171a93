from typing import Any

from django.utils.translation import gettext_lazy as _

from dimos.core.staff import StaffQueue, register_queue


def _count_waiting(user: Any) -> int:
    from dimos.polls.queries import waiting_for_staff

    return waiting_for_staff()


def register() -> None:
    register_queue(
        StaffQueue(
            key="polls",
            title=_("Polls"),
            description=_(
                "Drafts to schedule, and closed polls whose results wait to be published."
            ),
            url_name="polls:staff_list",
            permission="polls.change_poll",
            count_waiting=_count_waiting,
        )
    )
