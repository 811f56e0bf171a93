from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.accounts.validators import validate_afm, validate_amka
from dimos.core.choices import ChoiceLabels
from dimos.core.models import ClerkDecision
from dimos.core.roles import Role
from dimos.core.uploads import random_name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class Department(models.Model):
    """A department (υπηρεσία/τμήμα) of the municipality; staff belong to one or more."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Telephone call")
    FAX = "fax", _("Fax")


class SignupDoor(models.TextChoices):
    """The seed's three registration types: three entry doors into one person account."""

    CITIZEN = "citizen", _("Citizen (Πολίτης)")
    RESIDENT = "resident", _("Registered resident (Δημότης)")
    BUSINESS = "business", _("Business (Επιχείρηση)")


class User(ChoiceLabels, AbstractBaseUser, PermissionsMixin):
    """One person, one account. Being a resident or a representative are verified attributes."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("surname"), max_length=100)
    father_name = models.CharField(_("father's name"), max_length=100, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    afm = models.CharField(
        _("tax number (ΑΦΜ)"), max_length=9, blank=True, validators=[validate_afm]
    )
    amka = models.CharField(
        _("social security number (ΑΜΚΑ)"), max_length=11, blank=True, validators=[validate_amka]
    )
    phone = models.CharField(_("telephone"), max_length=20, blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True)
    fax = models.CharField(_("fax"), max_length=20, blank=True)
    address = models.CharField(_("postal address"), max_length=250, blank=True)
    notification_channel = models.CharField(
        _("preferred notification channel"),
        max_length=10,
        choices=NotificationChannel.choices,
        default=NotificationChannel.EMAIL,
    )
    signup_door = models.CharField(
        _("registered as"), max_length=10, choices=SignupDoor.choices, default=SignupDoor.CITIZEN
    )
    resident_since = models.DateTimeField(_("verified as resident"), null=True, blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), blank=True, related_name="staff"
    )
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("registered"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["amka"], condition=~Q(amka=""), name="accounts_user_amka_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def is_resident(self) -> bool:
        return self.resident_since is not None

    def approved_businesses(self) -> models.QuerySet["Business"]:
        return Business.objects.filter(
            representations__person=self,
            representations__status=Representation.Status.APPROVED,
        )

    def roles(self) -> frozenset[Role]:
        """The roles the access policy (dimos/core/access.py) checks; cached per request."""
        cached: frozenset[Role] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            roles = {Role.CITIZEN}
            if self.is_resident:
                roles.add(Role.RESIDENT)
            if self.approved_businesses().exists():
                roles.add(Role.REPRESENTATIVE)
            if self.is_staff:
                roles.add(Role.STAFF)
            cached = self._roles_cache = frozenset(roles)
        return cached


class ActivityCategory(models.Model):
    """A business activity category (set by staff); the municipal fees follow from it."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("activity category")
        verbose_name_plural = _("activity categories")

    def __str__(self) -> str:
        return self.name


class Business(models.Model):
    afm = models.CharField(
        _("tax number (ΑΦΜ)"), max_length=9, unique=True, validators=[validate_afm]
    )
    legal_name = models.CharField(_("legal name"), max_length=250)
    address = models.CharField(_("address of establishment"), max_length=250)
    activity_category = models.ForeignKey(
        ActivityCategory,
        verbose_name=_("activity category"),
        on_delete=models.PROTECT,
        related_name="businesses",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("business")
        verbose_name_plural = _("businesses")

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.afm})"


class Representation(ClerkDecision):
    """A person's claim to be a legal representative of a business, decided by a clerk."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="representations")
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="representations")
    proof = models.FileField(_("proof of legal representation"), upload_to=random_name)
    proof_content_type = models.CharField(max_length=50)

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("representation")
        verbose_name_plural = _("representations")
        constraints = [
            # One open or approved claim per person and business; rejected ones may be retried.
            models.UniqueConstraint(
                fields=["person", "business"],
                condition=~Q(status="rejected"),
                name="accounts_representation_one_live_per_business",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.business}"
