from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import NotificationChannel
from dimos.core.choices import ChoiceLabels
from dimos.notifications.rules import CALL_MAX_NO_ANSWER


class Notification(ChoiceLabels, models.Model):
    """One message in the outbox. Written in the transaction of the change it reports, sent
    after commit by a background task; a crashed or repeated delivery never sends twice.

    Delivery claims the row (status "sending", a token and a time) in one short transaction,
    talks to the outside world outside any transaction, and records the result in another.
    A row left in "sending" by a worker that died is put back by the sweep command.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        CALLING = "calling", _("Waiting for a call-back by staff")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=NotificationChannel.choices,
        default=NotificationChannel.EMAIL,
    )
    # As the person gave it (e-mail, or a number that is checked when it is used).
    address = models.CharField(_("address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("message"))
    short_text = models.TextField(_("SMS text"), blank=True)
    # Whose call-back queue a telephone notification goes to; none: every call-back clerk's.
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The event it reports, so that retrying the event never queues the message twice.
    dedup_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The e-mail sent instead when this notification's own channel failed for good.
    fallback_for = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="fallback"
    )
    # A failure stays in the staff queue until someone has dealt with it.
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notifications_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sending")
                | (Q(claimed_at__isnull=False) & Q(claim_token__isnull=False)),
                name="notifications_sending_is_claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.address}: {self.subject}"


class DeliveryAttempt(ChoiceLabels, models.Model):
    """One try at delivering a notification, or one telephone call by staff: what happened."""

    class Outcome(models.TextChoices):
        IN_PROGRESS = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        RETRY = "retry", _("Failed; will be tried again")
        FAILED = "failed", _("Failed for good")
        INTERRUPTED = "interrupted", _("Interrupted (the worker stopped); sent again")
        HANDED_TO_STAFF = "call_queued", _("Call-back task created")
        REACHED = "reached", _("Call: person reached")
        NO_ANSWER = "no_answer", _("Call: no answer")
        CALL_AGAIN = "call_again", _("Call: to call again")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="delivery_attempts"
    )
    number = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=10, choices=NotificationChannel.choices)
    address = models.CharField(_("sent to"), max_length=254, blank=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.IN_PROGRESS
    )
    provider_id = models.CharField(_("provider's message id"), max_length=200, blank=True)
    error = models.TextField(_("error or note"), blank=True)
    # The member of staff who recorded a telephone call; None for the worker.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["notification", "number"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "number"], name="notifications_attempt_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.notification_id}.{self.number} {self.channel} {self.outcome}"


class CallbackTask(ChoiceLabels, models.Model):
    """A person asked to be told by telephone: a member of staff calls and records how it went.

    Three calls without an answer count as a permanent failure: the person is sent an e-mail.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("To call")
        NO_ANSWER = "no_answer", _("No answer; to call again")
        RETRY = "retry", _("To call again")
        REACHED = "reached", _("Reached")
        UNREACHABLE = "unreachable", _("Not reached; sent by e-mail")

    TO_DO = (Status.OPEN, Status.NO_ANSWER, Status.RETRY)

    notification = models.OneToOneField(
        Notification, on_delete=models.PROTECT, related_name="callback"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callback_tasks",
    )
    phone = models.CharField(_("telephone"), max_length=20)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    no_answer_count = models.PositiveSmallIntegerField(default=0)
    outcome_note = models.TextField(_("note"), blank=True)
    last_called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_called_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("call-back task")
        verbose_name_plural = _("call-back tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(no_answer_count__lte=CALL_MAX_NO_ANSWER),
                name="notifications_callback_no_answer_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phone} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.TO_DO


class SandboxSms(models.Model):
    """What the sandbox SMS provider "sent": development only, shown on a staff page.

    Like a real provider it accepts a client reference once: a repeated send is not stored twice.
    """

    to = models.CharField(_("to"), max_length=20)
    text = models.TextField(_("text"))
    sender = models.CharField(_("sender"), max_length=20, blank=True)
    reference = models.CharField(_("client reference"), max_length=100, unique=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("sandbox SMS")
        verbose_name_plural = _("sandbox SMS")

    def __str__(self) -> str:
        return f"{self.to}: {self.text[:40]}"

    @property
    def provider_id(self) -> str:
        return f"sandbox-{self.pk}"


class CallOutcome(models.TextChoices):
    """What a member of staff records after calling a person back."""

    REACHED = "reached", _("I reached the person and gave them the message")
    NO_ANSWER = "no_answer", _("No answer")
    RETRY = "retry", _("Call again later (e.g. the person asked to be called at another time)")
