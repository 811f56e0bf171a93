"""Greek identifiers, checked with python-stdnum; messages in the user's language."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.gr import amka, vat


def clean_afm(value: str) -> str:
    """ΑΦΜ: 9 digits with a check digit (stdnum.gr.vat); 'EL' prefix and spaces ignored."""
    try:
        return str(vat.validate(value))
    except StdnumError:
        raise ValidationError(
            _("Enter a valid tax number (ΑΦΜ): 9 digits, for example 094014201."), code="afm"
        ) from None


def clean_amka(value: str) -> str:
    """ΑΜΚΑ: 11 digits, a birth date and a Luhn check digit (stdnum.gr.amka)."""
    try:
        return str(amka.validate(value))
    except StdnumError:
        raise ValidationError(
            _("Enter a valid social security number (ΑΜΚΑ): 11 digits."), code="amka"
        ) from None


def validate_afm(value: str) -> None:
    clean_afm(value)


def validate_amka(value: str) -> None:
    clean_amka(value)
