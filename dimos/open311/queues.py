from typing import Any

from django.utils.translation import gettext_lazy as _

from dimos.core.staff import StaffQueue, register_queue


def _count_active(user: Any) -> int:
    from dimos.open311.queries import active_keys

    return active_keys().count()


def register() -> None:
    register_queue(
        StaffQueue(
            key="open311_keys",
            title=_("Open311 API keys"),
            description=_(
                "Keys that let other applications file requests and complaints through the "
                "Open311 API; the number is the keys in use."
            ),
            url_name="open311_staff:keys",
            permission="open311.change_apikey",
            count_waiting=_count_active,
        )
    )
