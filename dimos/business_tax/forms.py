from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import ActivityCategory, Business
from dimos.accounts.validators import clean_afm
from dimos.business_tax import rules
from dimos.business_tax.models import AreaRate, FeeType, TaxProfile
from dimos.core.uploads import validate_text_upload

MAX_CENTS = 10**13  # a thousand billion euros: anything above is a typing mistake


def cents_from_text(value: str, *, allow_zero: bool = False) -> int:
    """«12.345,67», «12345.67», «0» → cents; no floats anywhere."""
    text = value.strip().replace(" ", "").replace("€", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("Enter the amount in euros, like 12.345,67."), code="amount"
        ) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(_("Enter the amount with at most two decimals."), code="amount")
    if amount < 0 or (amount == 0 and not allow_zero) or amount * 100 >= MAX_CENTS:
        raise ValidationError(_("Enter an amount of zero or more."), code="amount")
    return int(amount * 100)


def area_from_text(value: str) -> Decimal:
    text = value.strip().replace(" ", "").replace(",", ".")
    try:
        area = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("Enter the square metres as a number, like 12,5."), code="area"
        ) from None
    if not area.is_finite() or area <= 0 or area >= 100000 or area.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(
            _("Enter square metres above zero, with at most two decimals."), code="area"
        )
    return area


def period_choice_label(period: rules.Period) -> str:
    if period.months == 1:
        return date_format(period.start, "F Y")
    return f"{period.start:%m/%Y} – {period.end:%m/%Y}"


class ReceiptsDeclarationForm(forms.Form):
    """A fee on gross receipts: the period and the receipts."""

    period = forms.ChoiceField(
        label=_("Period"),
        error_messages={
            "required": _("Choose the period you declare."),
            "invalid_choice": _("Choose one of the periods listed."),
        },
    )
    receipts = forms.CharField(
        label=_("Gross receipts of the period in euros"),
        max_length=24,
        error_messages={"required": _("Enter the gross receipts of the period, or 0.")},
    )

    def __init__(self, *args: Any, periods: list[tuple[str, str]], includes_fee: bool, **kw: Any):
        super().__init__(*args, **kw)
        period_field = self.fields["period"]
        assert isinstance(period_field, forms.ChoiceField)
        period_field.choices = [("", _("Choose…")), *periods]
        self.fields["receipts"].help_text = (
            _("As on the VAT return, with the fee included. For example 12.345,67.")
            if includes_fee
            else _("As on the VAT return, without the fee. For example 12.345,67.")
        )

    def clean_period(self) -> rules.Period:
        period = rules.parse_period(self.cleaned_data["period"])
        if period is None:
            raise ValidationError(_("Choose one of the periods listed."))
        return period

    def clean_receipts(self) -> int:
        return cents_from_text(self.cleaned_data["receipts"], allow_zero=True)


class AreaDeclarationForm(forms.Form):
    """Use of public space: where (the zone), how many square metres, from when, how long."""

    rate = forms.ModelChoiceField(
        label=_("Zone and use"),
        queryset=AreaRate.objects.none(),
        empty_label=_("Choose…"),
        error_messages={"required": _("Choose the zone and use.")},
    )
    area = forms.CharField(
        label=_("Square metres"),
        max_length=12,
        help_text=_("For example 12,5."),
        error_messages={"required": _("Enter the square metres.")},
    )
    start = forms.ChoiceField(
        label=_("From the month"), error_messages={"required": _("Choose the first month.")}
    )
    months = forms.TypedChoiceField(
        label=_("For how many months"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 13)],
        error_messages={"required": _("Choose the number of months.")},
    )

    def __init__(self, *args: Any, fee_type: FeeType, months: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["rate"].queryset = AreaRate.objects.filter(  # type: ignore[attr-defined]
            fee_type=fee_type, active=True, unit=AreaRate.Unit.MONTH
        )
        start_field = self.fields["start"]
        assert isinstance(start_field, forms.ChoiceField)
        start_field.choices = [("", _("Choose…")), *months]

    def clean_area(self) -> Decimal:
        return area_from_text(self.cleaned_data["area"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = rules.parse_period(data.get("start") or "")
        if "start" in data and start is None:
            self.add_error("start", _("Choose one of the months listed."))
        elif start is not None and data.get("months"):
            data["period"] = rules.months_period(start.start, int(data["months"]))
        return data


# --- The back office -----------------------------------------------------------------------


class RegisterSearchForm(forms.Form):
    q = forms.CharField(label=_("ΑΦΜ or name"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Activity category"), required=False)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = [
            ("", _("All")),
            *ActivityCategory.objects.values_list("code", "name"),
        ]


class ProfileForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Activity category"),
        queryset=ActivityCategory.objects.all(),
        empty_label=None,
        help_text=_("The fees the business owes follow from it."),
    )
    frequency = forms.ChoiceField(
        label=_("Declares"), choices=TaxProfile.Frequency.choices, widget=forms.RadioSelect
    )
    vat_payer = forms.BooleanField(label=_("Files VAT returns"), required=False)
    declares_from = forms.DateField(
        label=_("Declares from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first period the business must declare."),
        error_messages={"required": _("Enter a date."), "invalid": _("Enter a real date.")},
    )


class AssessForm(forms.Form):
    """One debt the municipality assesses: public space or advertising."""

    afm = forms.CharField(
        label=_("ΑΦΜ of the business"),
        max_length=14,
        error_messages={"required": _("Enter the business's ΑΦΜ.")},
    )
    rate = forms.ModelChoiceField(
        label=_("Fee and rate"),
        queryset=AreaRate.objects.none(),
        empty_label=_("Choose…"),
        error_messages={"required": _("Choose the fee and its rate.")},
    )
    area = forms.CharField(
        label=_("Square metres"),
        max_length=12,
        error_messages={"required": _("Enter the square metres.")},
    )
    units = forms.IntegerField(
        label=_("Number of periods of the rate (weeks, months or years)"),
        min_value=1,
        max_value=520,
        error_messages={
            "required": _("Enter how many weeks, months or years."),
            "invalid": _("Enter a whole number."),
            "min_value": _("Enter at least 1."),
            "max_value": _("Enter at most 520."),
        },
    )
    period_start = forms.DateField(
        label=_("Use starts on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter a date."), "invalid": _("Enter a real date.")},
    )
    unauthorised = forms.BooleanField(
        label=_("Unauthorised use: add the fine of three times the fee"), required=False
    )
    due_date = forms.DateField(
        label=_("Pay by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the days set for the fee, from today."),
        error_messages={"invalid": _("Enter a real date.")},
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=200)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["rate"].queryset = (  # type: ignore[attr-defined]
            AreaRate.objects.filter(active=True, fee_type__active=True)
            .exclude(fee_type__basis=rules.BASIS_RECEIPTS)
            .select_related("fee_type")
        )
        self.fields["rate"].label_from_instance = lambda r: f"{r.fee_type.name}: {r}"  # type: ignore[attr-defined]

    def clean_afm(self) -> Business:
        try:
            afm = clean_afm(self.cleaned_data["afm"])
        except ValidationError:
            raise ValidationError(_("This is not a valid ΑΦΜ.")) from None
        business = Business.objects.filter(afm=afm).first()
        if business is None:
            raise ValidationError(_("No registered business has this ΑΦΜ."))
        return business

    def clean_area(self) -> Decimal:
        return area_from_text(self.cleaned_data["area"])

    def clean_due_date(self) -> date | None:
        due: date | None = self.cleaned_data.get("due_date")
        return due


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of debts"),
        error_messages={"required": _("Choose the CSV file.")},
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file must be smaller than 5 MB."))
        return validate_text_upload(upload, 5 * 1024 * 1024)


class ReportForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("Enter a year, like 2026.")},
    )
