from typing import Any

from django.utils.translation import gettext_lazy as _

from dimos.core.staff import StaffQueue, register_queue


def _count_open(user: Any) -> int:
    from dimos.service_requests.queries import staff_queue

    return staff_queue(user).count()


def register() -> None:
    register_queue(
        StaffQueue(
            key="service_requests",
            title=_("Requests and complaints"),
            description=_(
                "Open requests and complaints of your departments, soonest deadline first."
            ),
            url_name="service_requests:staff_queue",
            permission="service_requests.change_servicerequest",
            count_waiting=_count_open,
        )
    )
