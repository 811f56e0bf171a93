from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import Department
from dimos.core.choices import ChoiceLabels
from dimos.core.numbering import format_year_number
from dimos.core.uploads import random_name
from dimos.service_requests import rules


class Category(models.Model):
    """What a request is about; an Open311 "service". Staff add, rename and retire them."""

    code = models.SlugField(_("code"), unique=True, help_text=_("Also the Open311 service code."))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="request_categories",
    )
    answer_days = models.PositiveSmallIntegerField(
        _("answer within (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the legal 50 days of ν.2690/1999 art. 4."),
    )
    location_matters = models.BooleanField(_("asks for a location"), default=False)
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class ServiceRequest(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        REQUEST = "request", _("Request")
        COMPLAINT = "complaint", _("Complaint")

    class Status(models.TextChoices):
        SUBMITTED = rules.Status.SUBMITTED, _("Submitted")
        RECEIVED = rules.Status.RECEIVED, _("Received")
        ASSIGNED = rules.Status.ASSIGNED, _("Assigned")
        IN_PROGRESS = rules.Status.IN_PROGRESS, _("In progress")
        WAITING_FOR_CITIZEN = rules.Status.WAITING_FOR_CITIZEN, _("Waiting for you")
        RESOLVED = rules.Status.RESOLVED, _("Resolved")
        REJECTED = rules.Status.REJECTED, _("Rejected")
        DUPLICATE = rules.Status.DUPLICATE, _("Duplicate")
        FORWARDED = rules.Status.FORWARDED, _("Forwarded")
        CLOSED = rules.Status.CLOSED, _("Closed")

    class Intake(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("Open311 API")
        PHONE = "phone", _("Telephone")
        COUNTER = "counter", _("At the counter")
        EMAIL = "email", _("E-mail")

    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    tracking_code = models.CharField(max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="requests"
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    address = models.CharField(_("address"), max_length=250, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_requests"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intake = models.CharField(max_length=10, choices=Intake.choices, default=Intake.WEB)
    # The person who reported it, when it came through the API or a clerk for someone else:
    # then `citizen` is the API client's or the clerk's account.
    contact_name = models.CharField(_("reported by"), max_length=200, blank=True)
    contact_email = models.EmailField(_("reporter's e-mail"), blank=True)
    contact_phone = models.CharField(_("reporter's telephone"), max_length=30, blank=True)
    notify_channel = models.CharField(_("notify me by"), max_length=10)
    notify_address = models.CharField(_("at"), max_length=254)
    notify_every_change = models.BooleanField(_("e-mail me every change"), default=False)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="service_requests"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_requests",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(default=timezone.now)
    answer_days = models.PositiveSmallIntegerField()
    paused_days = models.PositiveSmallIntegerField(default=0)
    waiting_since = models.DateField(null=True, blank=True)
    deadline = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    # The first answer (resolved, rejected, forwarded, duplicate): what the legal deadline measures.
    answered_on = models.DateField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    forwarded_to = models.CharField(max_length=250, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="requests_protocol_unique"),
            models.CheckConstraint(
                condition=~Q(status="duplicate") | Q(duplicate_of__isnull=False),
                name="requests_duplicate_has_original",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "deadline"], name="requests_queue"),
            models.Index(fields=["citizen", "-submitted_at"], name="requests_mine"),
        ]

    def __str__(self) -> str:
        return f"{self.protocol} {self.subject}"

    @property
    def protocol(self) -> str:
        """As written on paper: `2026/000123`."""
        return format_year_number(self.year, self.number)

    @property
    def public_id(self) -> str:
        """URL-safe (Open311 ids carry no `/`): `2026-000123`."""
        return f"{self.year}-{self.number:06d}"

    @property
    def is_open(self) -> bool:
        return rules.Status(self.status) in rules.OPEN

    def days_left(self, today: date) -> int:
        return rules.days_left(self.deadline, today)

    def is_overdue(self, today: date) -> bool:
        return rules.is_overdue(self.deadline, today, rules.Status(self.status))

    def is_due_soon(self, today: date) -> bool:
        return rules.is_due_soon(self.deadline, today, rules.Status(self.status))


class TimelineEntry(ChoiceLabels, models.Model):
    """A step of the public timeline: every status change with its public note."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="timeline")
    status = models.CharField(max_length=12, choices=ServiceRequest.Status.choices)
    public_note = models.TextField(_("note to the citizen"), blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_citizen = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.status} {self.at:%Y-%m-%d}"


class InternalNote(models.Model):
    """A note among staff; citizens never see it."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("internal note"), max_length=4000)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} note by {self.author_id}"


class Attachment(models.Model):
    """A photo or PDF sent with a request (or with a citizen's reply)."""

    request = models.ForeignKey(
        ServiceRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    # Before the request is filed, the file belongs to the draft of its uploader.
    draft_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(upload_to=random_name)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(request__isnull=False) | Q(draft_owner__isnull=False),
                name="attachments_belong_somewhere",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class ResponseTemplate(ChoiceLabels, models.Model):
    """A ready answer staff pick when they move a request to a status."""

    status = models.CharField(_("for status"), max_length=12, choices=ServiceRequest.Status.choices)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), max_length=4000)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["status", "title"]
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")

    def __str__(self) -> str:
        return self.title
