from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.staff import StaffQueue, register_queue


def _count_overdue(user: Any) -> int:
    from dimos.business_tax.queries import overdue_uncertified

    return overdue_uncertified(timezone.localdate()).count()


def register() -> None:
    register_queue(
        StaffQueue(
            key="business_tax",
            title=_("Municipal tax of businesses"),
            description=_(
                "Debts past their deadline and not yet certified; the register of businesses, "
                "assessed debts and reports."
            ),
            url_name="business_tax:staff_debts",
            permission="business_tax.change_debt",
            count_waiting=_count_overdue,
        )
    )
