"""Queue a notification to a person. Account matters go by e-mail: the account is an e-mail."""

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from dimos.notifications.models import Notification
from dimos.notifications.tasks import deliver


def queue_email(recipient: Any, template: str, context: dict[str, Any], dedup_key: str) -> None:
    """Render `notifications/<template>_subject.txt` and `_body.txt` in Greek and queue them.

    Call inside the transaction of the change being reported: the message is written with it
    and handed to the worker only after commit. The same `dedup_key` queues nothing twice.
    """
    context = {"recipient": recipient, **context}
    with translation.override("el"):
        subject = render_to_string(f"notifications/{template}_subject.txt", context).strip()
        body = render_to_string(f"notifications/{template}_body.txt", context)
    notification, created = Notification.objects.get_or_create(
        dedup_key=dedup_key,
        defaults={
            "recipient": recipient,
            "address": recipient.email,
            "subject": subject,
            "body": body,
        },
    )
    if created:
        transaction.on_commit(lambda: deliver.enqueue(notification.pk))
