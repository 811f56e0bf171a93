"""What accounts hold about a person, and what closing the account does (core/personal_data)."""

from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import Representation, User
from dimos.accounts.rules import anonymous_email
from dimos.core import audit
from dimos.core.personal_data import Closure, Section, exclude, register

# The personal fields of the account row, and what each becomes when it is anonymised.
BLANKED_FIELDS = (
    "first_name",
    "last_name",
    "father_name",
    "mother_name",
    "afm",
    "amka",
    "phone",
    "mobile",
    "fax",
    "address",
)


def is_anonymised(user: User) -> bool:
    return user.email == anonymous_email(user.pk)


def anonymise_account_row(user: User) -> None:
    """No personal data left on the row; it stays so that kept records point at something."""
    for name in BLANKED_FIELDS:
        setattr(user, name, "")
    user.email = anonymous_email(user.pk)
    user.birth_date = None
    user.notification_channel = User._meta.get_field("notification_channel").default
    user.resident_since = None
    user.is_active = False
    user.set_unusable_password()  # also ends every session: their auth hash no longer matches
    user.save()
    _delete_sessions(user)


def _delete_sessions(user: User) -> None:
    """Delete the stored sessions of the person where the session store can be searched.

    With cache sessions nothing can be listed; the new password hash and `is_active=False`
    make Django refuse those sessions on their next request all the same.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return
    model = store.get_model_class()
    for session in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


def end_representations(user: User) -> None:
    """The person no longer acts for any business; the proofs (identity documents) go."""
    representations = list(Representation.objects.filter(person=user).select_related("business"))
    for r in representations:
        audit.record("representation.ended", r, subject=user, business_afm=r.business.afm)
    files = [r.proof for r in representations if r.proof]
    Representation.objects.filter(pk__in=[r.pk for r in representations]).delete()
    for proof in files:
        name, storage = proof.name, proof.storage
        transaction.on_commit(lambda n=name, s=storage: s.delete(n))  # type: ignore[misc]


def _profile_rows(user: Any) -> Any:
    return User.objects.filter(pk=user.pk)


register(
    Section(
        key="account",
        title=_("Your account and details"),
        model=User,
        rows=_profile_rows,
        columns=[
            "email",
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
            "signup_door",
            "resident_since",
            "date_joined",
            ("last_login", _("last login")),
        ],
        closure=Closure.ANONYMISE,
        reason=_(
            "Your name, e-mail, ΑΦΜ, ΑΜΚΑ, telephones and address are erased; you can no "
            "longer log in. An empty account is kept only so that the records below, which "
            "the law keeps, still point at something."
        ),
        close=anonymise_account_row,
        order=100,  # last: the other sections find the person's rows through the account
    )
)
register(
    Section(
        key="representations",
        title=_("Businesses you represent"),
        model=Representation,
        rows=lambda p: Representation.objects.filter(person=p).order_by("submitted_at"),
        columns=[
            ("business__legal_name", _("Business")),
            ("business__afm", _("ΑΦΜ")),
            "status",
            "submitted_at",
            "decided_at",
            "rejection_reason",
        ],
        file_field="proof",
        closure=Closure.DELETE,
        reason=_(
            "Deleted, with the proofs you uploaded: you no longer act for any business. The "
            "declarations you made for a business stay with the business."
        ),
        close=end_representations,
    )
)
exclude("accounts.Department", "departments of the municipality (reference data)")
exclude("accounts.ActivityCategory", "business activity categories (reference data)")
exclude("accounts.Business", "a legal person; the person's link to it is in 'representations'")
