from datetime import date, datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.uploads import validate_text_upload
from dimos.fines import rules
from dimos.fines.actions import SelfEntered, TicketData
from dimos.fines.models import FineCategory, Ticket
from dimos.payments.forms import cents_from_text

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]


def _date_field(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date of the ticket."),
            "invalid": _("Enter a real date, like 31/01/2026."),
        },
    )


class NumberAndPlateForm(forms.Form):
    number = forms.CharField(
        label=_("Ticket number"),
        max_length=40,
        help_text=_("As printed on the ticket, for example ΚΟΖ-2026-000101."),
        error_messages={
            "required": _("Enter the ticket number."),
            "max_length": _("The ticket number must be 40 characters or fewer."),
        },
    )
    plate = forms.CharField(
        label=_("Plate of the vehicle"),
        max_length=20,
        help_text=_("For example ΚΖΝ-1234. Greek or Latin letters, with or without the dash."),
        error_messages={
            "required": _("Enter the plate of the vehicle."),
            "max_length": _("The plate must be 20 characters or fewer."),
        },
    )

    def clean_number(self) -> str:
        number: str = self.cleaned_data["number"].strip()
        if not rules.normalise_code(number):
            raise forms.ValidationError(_("Enter the ticket number."), code="required")
        return number

    def clean_plate(self) -> str:
        plate: str = self.cleaned_data["plate"].strip()
        if not rules.normalise_code(plate):
            raise forms.ValidationError(_("Enter the plate of the vehicle."), code="required")
        return plate


class LookupForm(NumberAndPlateForm):
    """(a) Find a registered ticket: both the number and the plate must match."""


class SelfEnterForm(NumberAndPlateForm):
    """(b) A ticket too recent to be registered: what is printed on it."""

    day = _date_field(_("Date of the ticket"), _("For example 31/01/2026."))
    amount = forms.CharField(
        label=_("Amount of the fine in euros"),
        max_length=20,
        help_text=_("As printed on the ticket, for example 30,00."),
        error_messages={"required": _("Enter the amount of the fine.")},
    )

    def clean_amount(self) -> int:
        cents = cents_from_text(self.cleaned_data["amount"])
        if cents > max(rules.USUAL_AMOUNTS_CENTS) * 4:
            raise forms.ValidationError(
                _("Check the amount: no single ticket is that high."), code="amount"
            )
        return cents

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        problem = rules.self_entered_date_problem(day, timezone.localdate())
        if problem == "future":
            raise forms.ValidationError(_("The date of the ticket cannot be in the future."))
        if problem:
            raise forms.ValidationError(
                _("This ticket is too old to pay here: ask the municipal cashier.")
            )
        return day

    def entered(self) -> SelfEntered:
        data = self.cleaned_data
        return SelfEntered(data["number"], data["plate"], data["day"], data["amount"])


class TicketForm(forms.Form):
    """Staff register one ticket from the paper or the device."""

    number = forms.CharField(
        label=_("Ticket number"),
        max_length=40,
        error_messages={"required": _("Enter the ticket number.")},
    )
    plate = forms.CharField(
        label=_("Plate"), max_length=20, error_messages={"required": _("Enter the plate.")}
    )
    vehicle_type = forms.ChoiceField(
        label=_("Vehicle"), choices=Ticket.Vehicle.choices, initial=rules.Vehicle.CAR.value
    )
    vehicle_make = forms.CharField(label=_("Make"), max_length=60, required=False)
    vehicle_colour = forms.CharField(label=_("Colour"), max_length=40, required=False)
    day = _date_field(_("Date"))
    time = forms.TimeField(
        label=_("Time"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Enter the time."),
            "invalid": _("Enter the time like 09:45."),
        },
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    article = forms.CharField(
        label=_("Article violated"),
        max_length=60,
        required=False,
        help_text=_("For example 38§2ε. Article 38 (parking) halves the fine of two-wheelers."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=FineCategory.objects.all(),
        error_messages={
            "required": _("Choose the category."),
            "invalid_choice": _("Choose the category."),
        },
    )
    other_categories = forms.ModelMultipleChoiceField(
        label=_("Concurrent violations"),
        queryset=FineCategory.objects.all(),
        required=False,
        help_text=_("The heaviest fine plus half of each other one (art. 107 §9)."),
    )
    officer_code = forms.CharField(label=_("Officer code"), max_length=20, required=False)

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, category = data.get("day"), data.get("category")
        if day and category:
            for chosen in [category, *data.get("other_categories", [])]:
                if chosen.valid_from > day or (chosen.valid_to and chosen.valid_to < day):
                    self.add_error(
                        "category",
                        _("Category %(category)s is not in force on the date of the ticket.")
                        % {"category": chosen},
                    )
                    break
        if category and category.article and not (data.get("article") or "").strip():
            data["article"] = category.article
        return data

    def ticket_data(self) -> TicketData:
        data = self.cleaned_data
        at = timezone.make_aware(datetime.combine(data["day"], data["time"]))
        return TicketData(
            number=data["number"].strip(),
            plate=data["plate"].strip(),
            issued_at=at,
            category=data["category"],
            article=data["article"].strip(),
            vehicle_type=data["vehicle_type"],
            vehicle_make=data["vehicle_make"].strip(),
            vehicle_colour=data["vehicle_colour"].strip(),
            place=data["place"].strip(),
            officer_code=data["officer_code"].strip(),
            other_categories=list(data["other_categories"]),
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of the police devices"),
        help_text=_("The columns are described on this page."),
        error_messages={"required": _("Choose the file.")},
    )
    apply_good_rows = forms.BooleanField(
        label=_("If some rows are wrong, register the good ones anyway"), required=False
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        limit = getattr(settings, "DIMOS_PROOF_MAX_BYTES", 5 * 1024 * 1024)
        if upload.size > limit:
            raise forms.ValidationError(_("The file is too large."))
        return validate_text_upload(upload, limit)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: objection upheld by decision 12/2026."),
        error_messages={"required": _("Give the reason for the cancellation.")},
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=250,
        help_text=_("For example: refunded 120,00 € to the citizen's IBAN on 12/03/2026."),
        error_messages={"required": _("Say what was done.")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Number, plate or place"), max_length=60, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Ticket.Status.choices, ("provisional", _("Entered by citizens"))],
    )
