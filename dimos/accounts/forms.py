from typing import Any

from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import ActivityCategory, NotificationChannel, SignupDoor, User
from dimos.accounts.validators import clean_afm, clean_amka
from dimos.core.uploads import PROOF_TYPES, validate_document


class PersonSignupForm(SignupForm):
    """allauth's sign-up, plus the person's names and the door they came in through."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        error_messages={"required": _("Enter your first name.")},
    )
    last_name = forms.CharField(
        label=_("Surname"), max_length=100, error_messages={"required": _("Enter your surname.")}
    )
    door = forms.ChoiceField(
        choices=SignupDoor.choices,
        widget=forms.HiddenInput,
        initial=SignupDoor.CITIZEN,
        required=False,
    )
    accept_privacy = forms.BooleanField(
        label=_("I have read the privacy notice."),
        error_messages={"required": _("Confirm that you have read the privacy notice.")},
    )

    field_order = [
        "first_name",
        "last_name",
        "email",
        "password1",
        "password2",
        "accept_privacy",
        "door",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = _("Enter your e-mail address.")
        self.fields["email"].error_messages["invalid"] = _(
            "Enter an e-mail address in the correct format, like name@example.gr."
        )
        self.fields["email"].help_text = _("We will send you a link to confirm it.")
        self.fields["password1"].error_messages["required"] = _("Enter a password.")
        self.fields["password1"].help_text = _(
            "At least 10 characters; not a common password and not only digits."
        )
        self.fields["password2"].error_messages["required"] = _("Enter the password again.")
        for name in ("email", "password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "father_name",
            "mother_name",
            "birth_date",
            "afm",
            "amka",
            "phone",
            "mobile",
            "fax",
            "address",
            "notification_channel",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notification_channel": forms.RadioSelect,
        }
        error_messages = {
            "first_name": {"required": _("Enter your first name.")},
            "last_name": {"required": _("Enter your surname.")},
            "birth_date": {"invalid": _("Enter a real date of birth.")},
            "notification_channel": {
                "required": _("Choose how you want to be notified."),
                "invalid_choice": _("Choose how you want to be notified."),
            },
        }

    def clean_afm(self) -> str:
        value: str = self.cleaned_data["afm"]
        return clean_afm(value) if value else ""

    def clean_amka(self) -> str:
        value: str = self.cleaned_data["amka"]
        amka = clean_amka(value) if value else ""
        if amka and User.objects.filter(amka=amka).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("This ΑΜΚΑ belongs to another account. Contact the municipality.")
            )
        return amka

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needs = {
            NotificationChannel.SMS: "mobile",
            NotificationChannel.PHONE: "phone",
            NotificationChannel.FAX: "fax",
        }
        field = needs.get(data.get("notification_channel", ""))
        if field and not data.get(field):
            self.add_error(field, _("Enter the number to use for your notifications."))
        return data


class BusinessRequestForm(forms.Form):
    afm = forms.CharField(
        label=_("Tax number (ΑΦΜ) of the business"),
        max_length=14,
        error_messages={"required": _("Enter the tax number (ΑΦΜ).")},
    )
    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=250,
        error_messages={"required": _("Enter the legal name.")},
    )
    address = forms.CharField(
        label=_("Address of establishment in the municipality"),
        max_length=250,
        error_messages={"required": _("Enter the address of establishment.")},
    )
    activity_category = forms.ModelChoiceField(
        label=_("Activity"),
        queryset=ActivityCategory.objects.all(),
        empty_label=_("Choose the activity"),
        error_messages={
            "required": _("Choose the activity of the business."),
            "invalid_choice": _("Choose the activity of the business."),
        },
    )
    proof = forms.FileField(
        label=_("Proof that you are its legal representative"),
        help_text=_(
            "For example the company's registration in ΓΕΜΗ or its articles. "
            "A PDF, JPG or PNG file, up to 5 MB."
        ),
        error_messages={
            "required": _("Select the file with the proof."),
            "empty": _("The selected file is empty."),
        },
    )
    declaration = forms.BooleanField(
        label=_("I declare that I am the legal representative of this business."),
        error_messages={"required": _("Confirm that you are the legal representative.")},
    )

    def clean_afm(self) -> str:
        return clean_afm(self.cleaned_data["afm"])

    def clean_proof(self) -> Any:
        upload = self.cleaned_data["proof"]
        self.proof_content_type = validate_document(
            upload, PROOF_TYPES, settings.DIMOS_PROOF_MAX_BYTES
        )
        return upload


class DecisionForm(forms.Form):
    """A clerk's decision on a registration: approve, or reject with a reason."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve or reject.")},
    )
    reason = forms.CharField(
        label=_("Reason for rejection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person will read it in the notification."),
        max_length=2000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Enter the reason for the rejection."))
        return data


class CloseAccountForm(forms.Form):
    """Closing is irreversible: the person types their e-mail and ticks that they understand."""

    email = forms.CharField(
        label=_("Your e-mail address"),
        help_text=_("Type the e-mail address of your account to confirm."),
        max_length=254,
        error_messages={"required": _("Type the e-mail address of your account.")},
    )
    understood = forms.BooleanField(
        label=_("I understand that my account is closed for good and cannot be restored."),
        error_messages={"required": _("Confirm that you understand that this cannot be undone.")},
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self) -> str:
        typed: str = self.cleaned_data["email"].strip()
        if typed.lower() != self.person.email.lower():
            raise forms.ValidationError(
                _("This is not the e-mail address of your account."), code="mismatch"
            )
        return typed
