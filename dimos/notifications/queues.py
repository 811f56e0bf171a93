from typing import Any

from django.utils.translation import gettext_lazy as _

from dimos.core.staff import StaffQueue, register_queue


def _count_failed(user: Any) -> int:
    from dimos.notifications.queries import failed_notifications

    return failed_notifications().count()


def _count_callbacks(user: Any) -> int:
    from dimos.notifications.queries import callbacks_for

    return callbacks_for(user).count()


def register() -> None:
    register_queue(
        StaffQueue(
            key="failed_notifications",
            title=_("Notifications that failed"),
            description=_(
                "Messages that could not be delivered by SMS, fax, telephone or e-mail, "
                "and those sent by e-mail instead."
            ),
            url_name="notifications:staff_failed",
            permission="notifications.view_notification",
            count_waiting=_count_failed,
        )
    )
    register_queue(
        StaffQueue(
            key="callbacks",
            title=_("Call-backs to make"),
            description=_("People who asked to be told by telephone, in your departments."),
            url_name="notifications:staff_callbacks",
            permission="notifications.change_callbacktask",
            count_waiting=_count_callbacks,
        )
    )
