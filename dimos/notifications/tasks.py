from django_tasks import task


@task()
def deliver(notification_id: int) -> str:
    """Send one queued notification. Safe to run twice, or to be killed at any moment: see
    dimos/notifications/delivery.py."""
    # Imported here: delivery uses actions, and actions enqueue this task.
    from dimos.notifications.delivery import deliver_notification

    return deliver_notification(notification_id)
