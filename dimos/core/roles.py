"""The roles a person can hold; see DESIGN.md "Who uses it"."""

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    PUBLIC = "public"  # anyone, without an account
    CITIZEN = "citizen"  # Πολίτης: a person with a verified e-mail
    RESIDENT = "resident"  # Δημότης: matched to a person in the municipal registry
    REPRESENTATIVE = "representative"  # legal representative of an approved Επιχείρηση
    STAFF = "staff"  # υπάλληλος of the municipality


ROLE_LABELS: dict[Role, Promise] = {
    Role.PUBLIC: _("everyone"),
    Role.CITIZEN: _("citizens (Πολίτης)"),
    Role.RESIDENT: _("registered residents (Δημότης)"),
    Role.REPRESENTATIVE: _("business representatives (Επιχείρηση)"),
    Role.STAFF: _("municipal staff"),
}
