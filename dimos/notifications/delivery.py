"""One delivery: claim, send outside any transaction, record. What the worker runs.

Killed after the claim, the row stays "sending" until the sweep puts it back; killed after
the send, the message goes again with the same reference (SMS) or Message-ID (e-mail), which
the provider or the reader's mail program recognises as the same message.
"""

import logging

from dimos.notifications import actions, channels

logger = logging.getLogger(__name__)


def deliver_notification(notification_id: int) -> str:
    """Deliver one notification; say what became of it.

    "sent"; "calling" (a call-back task for staff); "retry" (later); "failed" (for good, the
    e-mail fallback queued); "skipped" (not pending or not due: sent, or another worker's).
    """
    claim = actions.do_claim_delivery(notification_id)
    if claim is None:
        return "skipped"
    try:
        delivered = channels.send(claim.notification)
    except channels.DeliveryError as exc:
        logger.info("notification %s not delivered: %s", notification_id, exc)
        return actions.do_record_failed(claim, exc)
    except Exception as exc:
        # Anything unforeseen (a bug, a library error) is recorded and tried again later,
        # never left "sending" and never lost.
        logger.exception("notification %s: unexpected error while sending", notification_id)
        return actions.do_record_failed(claim, channels.DeliveryError(repr(exc), retry=True))
    return actions.do_record_delivered(claim, delivered)
