from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dimos.accounts.models import NotificationChannel, User
from dimos.open311 import definitions, rules
from dimos.service_requests.actions import Submission
from dimos.service_requests.models import Category, ServiceRequest


class PostedRequestForm(forms.Form):
    """The fields of POST requests (GeoReport v2), checked for one service.

    Every problem is reported at once, each starting with the name of the field, since the
    error list is read by the developer of the client as much as by its user.
    """

    lat = forms.CharField(required=False, max_length=40)
    long = forms.CharField(required=False, max_length=40)
    address_string = forms.CharField(required=False, max_length=250)
    address_id = forms.CharField(required=False, max_length=250)
    email = forms.EmailField(required=False, max_length=254)
    phone = forms.CharField(required=False, max_length=30)
    first_name = forms.CharField(required=False, max_length=100)
    last_name = forms.CharField(required=False, max_length=100)
    description = forms.CharField(required=False, max_length=rules.MAX_DESCRIPTION)

    def __init__(self, data: Any, *, category: Category, owner: User) -> None:
        super().__init__(data)
        self.category = category
        self.owner = owner
        self.answers, self.attribute_problems = definitions.check_attributes(
            definitions.posted_attributes(dict(data.lists()))
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name, value in data.items():
            if isinstance(value, str):
                data[name] = rules.clean_text(value).strip()
        self._clean_location(data)
        self._clean_notification(data)
        for problem in self.attribute_problems:
            self.add_error(None, problem)
        return data

    def _clean_location(self, data: dict[str, Any]) -> None:
        lat, long = data.get("lat", ""), data.get("long", "")
        if bool(lat) != bool(long):
            self.add_error(None, _("lat and long must be sent together."))
            return
        if lat:
            data["latitude"] = rules.coordinate(lat, 90)
            data["longitude"] = rules.coordinate(long, 180)
            if data["latitude"] is None:
                self.add_error("lat", _("Give the latitude in degrees, from -90 to 90."))
            if data["longitude"] is None:
                self.add_error("long", _("Give the longitude in degrees, from -180 to 180."))
        located = bool(lat and long) or data.get("address_string") or data.get("address_id")
        if self.category.location_matters and not located:
            self.add_error(
                None,
                _("This service needs a location: lat and long, or address_string, or address_id."),
            )

    def _clean_notification(self, data: dict[str, Any]) -> None:
        if "email" in self.errors or "phone" in self.errors:
            return
        email, phone = data.get("email", ""), data.get("phone", "")
        channel = self.answers.get(definitions.CHANNEL) or rules.default_channel(email, phone)
        if channel is None:
            # Nobody to tell: the application whose key filed it hears of the outcome.
            data["notify"] = (NotificationChannel.EMAIL, self.owner.email)
        elif channel == NotificationChannel.EMAIL:
            if not email:
                self.add_error(None, _("To be told by e-mail, send the email field."))
            data["notify"] = (channel, email)
        else:
            if not phone:
                self.add_error(
                    None, _("To be told by SMS, telephone or fax, send the phone field.")
                )
            elif channel == NotificationChannel.SMS and not rules.is_greek_mobile(phone):
                self.add_error(
                    "phone", _("For SMS give a Greek mobile number: 10 digits starting with 69.")
                )
            elif rules.greek_number(phone) is None:
                self.add_error("phone", _("Give a Greek telephone number of 10 digits."))
            data["notify"] = (channel, phone)

    def problems(self) -> list[str]:
        found = [str(e) for e in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name != NON_FIELD_ERRORS:
                found.extend(f"{name}: {e}" for e in errors)
        return found

    def submission(self) -> Submission:
        data = self.cleaned_data
        description = data["description"]
        channel, address = data["notify"]
        return Submission(
            kind=self.answers.get(definitions.KIND, ServiceRequest.Kind.COMPLAINT),
            category=self.category,
            subject=rules.subject_from(description, self.category.name),
            description=description,
            notify_channel=channel,
            notify_address=address,
            address=self._address(),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            contact_name=f"{data['first_name']} {data['last_name']}".strip(),
            contact_email=data["email"],
            contact_phone=data["phone"],
        )

    def _address(self) -> str:
        """We keep no master address list: an address_id is kept as written, for the staff."""
        data = self.cleaned_data
        address_id = data["address_id"]
        if data["address_string"] or address_id in ("", rules.NOT_PINPOINTED):
            return str(data["address_string"])
        return str(address_id)


class IssueKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Application"),
        max_length=120,
        help_text=gettext_lazy("Who uses the key, for example “FixMyStreet app of the press”."),
        error_messages={"required": gettext_lazy("Enter the name of the application.")},
    )
    owner_email = forms.EmailField(
        label=gettext_lazy("E-mail of the account that files the requests"),
        help_text=gettext_lazy(
            "The account must already exist on the portal. Its requests and their "
            "acknowledgements belong to it."
        ),
        error_messages={
            "required": gettext_lazy("Enter the e-mail of the account."),
            "invalid": gettext_lazy(
                "Enter an e-mail address in the correct format, like name@example.gr."
            ),
        },
    )

    def clean_owner_email(self) -> User:
        email = self.cleaned_data["owner_email"].strip().lower()
        owner = User.objects.filter(email__iexact=email, is_active=True).first()
        if owner is None:
            raise ValidationError(
                gettext_lazy(
                    "No active account has this e-mail. The application must first register "
                    "an account on the portal."
                ),
                code="unknown",
            )
        return owner
