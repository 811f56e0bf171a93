from typing import Any

from django.utils.translation import gettext_lazy as _

from dimos.core.staff import StaffQueue, register_queue


def _count_review(user: Any) -> int:
    from dimos.payments.queries import review_queue

    return review_queue().count()


def register() -> None:
    register_queue(
        StaffQueue(
            key="payments",
            title=_("Payments"),
            description=_("Payment orders, bank statements, and money waiting for review."),
            url_name="payments:staff_orders",
            permission="payments.change_paymentorder",
            count_waiting=_count_review,
        )
    )
