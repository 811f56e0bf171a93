from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import Department, NotificationChannel, User
from dimos.core.uploads import IMAGE_TYPES, PROOF_TYPES, validate_document
from dimos.service_requests.models import Category, ResponseTemplate, ServiceRequest

ATTACHMENT_TYPES = {**PROOF_TYPES, **IMAGE_TYPES}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class RequestFormBase(forms.Form):
    """What every filing form checks: a place where it matters, and a way to tell the person."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category: Category | None = data.get("category")
        if category and category.location_matters and not (data.get("address") or "").strip():
            self.add_error("address", _("Enter the address or place, so that the crew finds it."))
        self.clean_notify(data)
        return data

    def clean_notify(self, data: dict[str, Any]) -> None:
        channel = data.get("notify_channel")
        address = (data.get("notify_address") or "").strip()
        if channel and not address:
            self.add_error("notify_address", _("Enter where we should notify you."))
        elif channel == NotificationChannel.EMAIL and address:
            try:
                forms.EmailField().clean(address)
            except ValidationError:
                self.add_error(
                    "notify_address",
                    _("Enter an e-mail address in the correct format, like name@example.gr."),
                )
        elif (
            channel in (NotificationChannel.SMS, NotificationChannel.PHONE, NotificationChannel.FAX)
            and address
        ):
            digits = address.replace(" ", "").replace("-", "").removeprefix("+30")
            if not digits.isdigit() or len(digits) != 10:
                self.add_error("notify_address", _("Enter a Greek telephone number of 10 digits."))


class RequestForm(RequestFormBase):
    kind = forms.ChoiceField(
        label=_("Is it a request or a complaint?"),
        choices=ServiceRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether it is a request or a complaint.")},
    )
    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.filter(active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose what it is about."),
            "invalid_choice": _("Choose what it is about."),
        },
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        error_messages={
            "required": _("Enter a subject."),
            "max_length": _("The subject must be 200 characters or fewer."),
        },
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What is wrong or what you ask for, in up to 4,000 characters. Do not write "
            "personal data here: for matters about a place (lighting, cleaning, roads) "
            "the description is published in the municipality's open data (Open311), "
            "without your name."
        ),
        error_messages={
            "required": _("Describe your request or complaint."),
            "max_length": _("The description must be 4,000 characters or fewer."),
        },
    )
    address = forms.CharField(
        label=_("Address or place"),
        max_length=250,
        required=False,
        help_text=_(
            "For example Μακεδονίας 12, Κοζάνη. Needed for street lighting, cleaning and roads."
        ),
    )
    latitude = forms.DecimalField(
        required=False,
        widget=forms.HiddenInput,
        min_value=-90,
        max_value=90,
        decimal_places=6,
        max_digits=9,
    )
    longitude = forms.DecimalField(
        required=False,
        widget=forms.HiddenInput,
        min_value=-180,
        max_value=180,
        decimal_places=6,
        max_digits=9,
    )
    attachments = MultipleFileField(label=_("Photos or documents"), required=False)
    keep_photo_location = forms.BooleanField(
        label=_("Keep the location stored in my photos"),
        required=False,
        help_text=_(
            "Photos from phones often carry the place they were taken. We remove it "
            "unless you tick this."
        ),
    )
    notify_channel = forms.ChoiceField(
        label=_("How should we tell you when it is done?"),
        choices=NotificationChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how we should tell you.")},
    )
    notify_address = forms.CharField(
        label=_("E-mail address or telephone number for the notification"),
        max_length=254,
        required=False,
    )
    notify_every_change = forms.BooleanField(
        label=_("Also e-mail me at every step of the handling"),
        required=False,
    )

    def __init__(self, *args: Any, existing_attachments: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing_attachments = existing_attachments
        self.fields["attachments"].help_text = _(
            "JPG, PNG or PDF files, up to %(count)s files of %(size)s MB each."
        ) % {
            "count": settings.DIMOS_ATTACHMENT_MAX_COUNT,
            "size": settings.DIMOS_ATTACHMENT_MAX_BYTES // (1024 * 1024),
        }

    def clean_attachments(self) -> list[tuple[UploadedFile, str]]:
        files: list[UploadedFile] = self.cleaned_data["attachments"]
        if len(files) + self.existing_attachments > settings.DIMOS_ATTACHMENT_MAX_COUNT:
            raise ValidationError(
                _("You can attach up to %(count)s files."),
                params={"count": settings.DIMOS_ATTACHMENT_MAX_COUNT},
                code="count",
            )
        return [
            (f, validate_document(f, ATTACHMENT_TYPES, settings.DIMOS_ATTACHMENT_MAX_BYTES))
            for f in files
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tell us why the matter is not resolved.")},
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write your answer.")},
    )
    attachments = MultipleFileField(label=_("Photos or documents"), required=False)

    def clean_attachments(self) -> list[tuple[UploadedFile, str]]:
        files: list[UploadedFile] = self.cleaned_data["attachments"]
        if len(files) > settings.DIMOS_ATTACHMENT_MAX_COUNT:
            raise ValidationError(
                _("You can attach up to %(count)s files."),
                code="count",
                params={"count": settings.DIMOS_ATTACHMENT_MAX_COUNT},
            )
        return [
            (f, validate_document(f, ATTACHMENT_TYPES, settings.DIMOS_ATTACHMENT_MAX_BYTES))
            for f in files
        ]


class TrackForm(forms.Form):
    protocol = forms.CharField(
        label=_("Protocol number"),
        max_length=20,
        help_text=_("For example 2026/000123."),
        error_messages={"required": _("Enter the protocol number.")},
    )
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        help_text=_("The 10 characters printed on the filing receipt."),
        error_messages={"required": _("Enter the tracking code.")},
    )

    def clean_protocol(self) -> tuple[int, int]:
        raw = self.cleaned_data["protocol"].strip().replace("-", "/")
        year, _sep, number = raw.partition("/")
        if not (year.isdigit() and number.isdigit() and len(year) == 4):
            raise ValidationError(_("Enter the protocol number like 2026/000123."), code="format")
        return int(year), int(number)

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), error_messages={"required": _("Choose the new status.")}
    )
    template = forms.ModelChoiceField(
        label=_("Ready answer"),
        required=False,
        queryset=ResponseTemplate.objects.none(),
        empty_label=_("No ready answer"),
        help_text=_("Used as the note when you leave the note empty."),
    )
    public_note = forms.CharField(
        label=_("Note to the citizen"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The citizen reads it on the request's page and in the notification."),
    )
    duplicate_of = forms.CharField(
        label=_("Original request (for duplicates)"),
        required=False,
        max_length=20,
        help_text=_("Its protocol number, like 2026/000123."),
    )
    forwarded_to = forms.CharField(
        label=_("Forwarded to (authority)"), required=False, max_length=250
    )

    def __init__(self, *args: Any, allowed: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = allowed
        template_field = self.fields["template"]
        assert isinstance(template_field, forms.ModelChoiceField)
        template_field.queryset = ResponseTemplate.objects.filter(
            active=True, status__in=[value for value, _label in allowed]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        template = data.get("template")
        if not (data.get("public_note") or "").strip() and template is not None:
            data["public_note"] = template.text
        original = (data.get("duplicate_of") or "").strip().replace("/", "-")
        data["duplicate_of"] = None
        if original:
            year, _sep, number = original.partition("-")
            found = (
                ServiceRequest.objects.filter(year=int(year), number=int(number)).first()
                if year.isdigit() and number.isdigit()
                else None
            )
            if found is None:
                self.add_error("duplicate_of", _("No request has this protocol number."))
            data["duplicate_of"] = found
        return data


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose a colleague."),
            "invalid_choice": _("Choose a colleague of the department."),
        },
    )

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = colleagues


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff see it."),
        error_messages={"required": _("Write the note.")},
    )


class BulkStatusForm(forms.Form):
    requests = forms.ModelMultipleChoiceField(
        queryset=ServiceRequest.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one request.")},
    )
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (s.value, s.label)
            for s in (
                ServiceRequest.Status.RECEIVED,
                ServiceRequest.Status.IN_PROGRESS,
                ServiceRequest.Status.RESOLVED,
            )
        ],
        error_messages={"required": _("Choose the new status.")},
    )
    public_note = forms.CharField(
        label=_("Note to the citizens"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, queue: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["requests"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = queue


class StaffFilingForm(RequestFormBase):
    """A clerk files a request for someone who called or came to the counter."""

    intake = forms.ChoiceField(
        label=_("How did the request come in?"),
        choices=[
            (c.value, c.label)
            for c in (
                ServiceRequest.Intake.PHONE,
                ServiceRequest.Intake.COUNTER,
                ServiceRequest.Intake.EMAIL,
            )
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the request came in.")},
    )
    contact_name = forms.CharField(
        label=_("Name of the person"),
        max_length=200,
        error_messages={"required": _("Enter the name of the person.")},
    )
    contact_email = forms.EmailField(
        label=_("Their e-mail"),
        required=False,
        help_text=_("If they have an account with this e-mail, the request appears in it."),
        error_messages={
            "invalid": _("Enter an e-mail address in the correct format, like name@example.gr.")
        },
    )
    contact_phone = forms.CharField(label=_("Their telephone"), max_length=30, required=False)
    kind = RequestForm.base_fields["kind"]
    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.filter(active=True),
        empty_label=_("Choose"),
        error_messages={
            "required": _("Choose what it is about."),
            "invalid_choice": _("Choose what it is about."),
        },
    )
    subject = RequestForm.base_fields["subject"]
    description = RequestForm.base_fields["description"]
    address = RequestForm.base_fields["address"]
    notify_channel = RequestForm.base_fields["notify_channel"]
    notify_address = RequestForm.base_fields["notify_address"]


class TransferForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Competent department"),
        queryset=Department.objects.none(),
        error_messages={
            "required": _("Choose the competent department."),
            "invalid_choice": _("Choose the competent department."),
        },
    )

    def __init__(self, *args: Any, current: Department, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Department.objects.exclude(pk=current.pk)
