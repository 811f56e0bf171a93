from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.core.documents import CODE_INPUT_MAX_LENGTH, parse_code


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        help_text=_(
            "The 12 characters printed next to the QR code at the bottom of every page, "
            "for example K7TX-3M9P-2WHD."
        ),
        max_length=CODE_INPUT_MAX_LENGTH,
        error_messages={
            "required": _("Enter the verification code."),
            "max_length": _("A verification code has 12 characters, like K7TX-3M9P-2WHD."),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def clean_code(self) -> str:
        return parse_code(self.cleaned_data["code"])
