"""Helpers of the notifications tests (fixtures are in conftest.py)."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Permission

from dimos.accounts.models import Department, User
from dimos.notifications.actions import queue_notification
from dimos.notifications.models import Notification

NUMBER = "2026/000123"


def queue(
    person: User,
    *,
    channel: str | None = None,
    key: str = "request:123:done",
    template: str = "test_event",
    department: Department | None = None,
) -> Notification:
    return queue_notification(
        person,
        template,
        {"number": NUMBER},
        dedup_key=key,
        channel=channel,
        department=department,
    )


def grant(user: User, *codenames: str) -> User:
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="notifications", codename__in=codenames)
    )
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached per object


STAFF_PERMISSIONS = ("view_notification", "change_notification", "change_callbacktask")


@dataclass
class FakeSmsProvider:
    """A tiny SMS provider on 127.0.0.1: records each request, answers from `answers`."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    answers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def answer(self) -> tuple[int, dict[str, Any]]:
        if self.answers:
            return self.answers.pop(0)
        return 200, {"id": f"prov-{len(self.requests)}"}
