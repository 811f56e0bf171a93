"""The back-office queues: each app registers its own in AppConfig.ready(), core lists them.

This keeps core free of imports from service apps while the staff home shows every queue.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class StaffQueue:
    key: str
    title: Promise
    description: Promise
    url_name: str
    permission: str
    count_waiting: Callable[[Any], int]  # the items waiting for this staff member


_QUEUES: dict[str, StaffQueue] = {}


def register_queue(queue: StaffQueue) -> None:
    _QUEUES[queue.key] = queue


def queues_for(user: Any) -> list[tuple[StaffQueue, int]]:
    return [(q, q.count_waiting(user)) for q in _QUEUES.values() if user.has_perm(q.permission)]


def all_queues() -> list[StaffQueue]:
    return list(_QUEUES.values())
