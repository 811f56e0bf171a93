from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import Business, User
from dimos.accounts.validators import clean_afm
from dimos.core.uploads import validate_text_upload
from dimos.payments.models import PaymentOrder


def cents_from_text(value: str) -> int:
    """«12,50», «12.50», «1.234,56» → cents; no floats anywhere."""
    text = value.strip().replace(" ", "").replace("€", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Enter the amount in euros, like 12,50."), code="amount") from None
    if amount <= 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(
            _("Enter an amount above zero with at most two decimals."), code="amount"
        )
    return int(amount * 100)


class OrderForm(forms.Form):
    """A clerk issues an ad-hoc payment order to a person (by e-mail) or a business (by ΑΦΜ)."""

    payer_email = forms.EmailField(label=_("E-mail of the paying person"), required=False)
    payer_afm = forms.CharField(
        label=_("Or ΑΦΜ of the paying business"), required=False, max_length=14
    )
    description = forms.CharField(
        label=_("What it is for"),
        max_length=250,
        error_messages={"required": _("Say what the payment is for.")},
    )
    amount = forms.CharField(
        label=_("Amount in euros"),
        max_length=20,
        help_text=_("For example 12,50."),
        error_messages={"required": _("Enter the amount.")},
    )
    expires_on = forms.DateField(
        label=_("Pay by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a real date.")},
    )

    def clean_amount(self) -> int:
        return cents_from_text(self.cleaned_data["amount"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, afm = data.get("payer_email"), (data.get("payer_afm") or "").strip()
        if bool(email) == bool(afm):
            raise ValidationError(_("Give either the person's e-mail or the business's ΑΦΜ."))
        if email:
            data["payer_person"] = User.objects.filter(email__iexact=email, is_active=True).first()
            if data["payer_person"] is None:
                self.add_error("payer_email", _("No account has this e-mail."))
        else:
            try:
                data["payer_business"] = Business.objects.filter(afm=clean_afm(afm)).first()
            except ValidationError as exc:
                self.add_error("payer_afm", exc)
                return data
            if data["payer_business"] is None:
                self.add_error("payer_afm", _("No registered business has this ΑΦΜ."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason.")},
    )


class StatementForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement file"),
        help_text=_("ISO 20022 camt.053 or camt.054 (XML), or the bank's CSV. Up to 20 MB."),
        error_messages={"required": _("Choose the statement file.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError(_("The file must be smaller than 20 MB."))
        validate_text_upload(upload, 20 * 1024 * 1024)
        return upload


class AssignForm(forms.Form):
    rf = forms.CharField(
        label=_("Payment code (RF) of the order it pays"),
        max_length=40,
        error_messages={"required": _("Enter the RF of the order.")},
    )

    def clean_rf(self) -> PaymentOrder:
        rf = "".join(self.cleaned_data["rf"].split()).upper()
        order = PaymentOrder.objects.filter(rf=rf).first()
        if order is None:
            raise ValidationError(_("No payment order has this RF."))
        return order


class SearchForm(forms.Form):
    q = forms.CharField(label=_("RF or payer"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *PaymentOrder.Status.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
