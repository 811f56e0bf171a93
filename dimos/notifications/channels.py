"""Talking to the outside world, one function per channel. Called outside any transaction.

Each returns what was done (`Delivered`) or raises `DeliveryError`; `retry` says whether a
later try may succeed. Every message carries the notification's id (SMS client reference,
e-mail Message-ID), so a message sent again after a crash is recognisable as the same one.
"""

import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from dimos.accounts.models import NotificationChannel
from dimos.notifications import rules, sms
from dimos.notifications.models import Notification


@dataclass(frozen=True)
class Delivered:
    address: str  # where it went, normalised (e-mail, +30… number, fax gateway address)
    provider_id: str = ""
    handed_to_staff: bool = False  # telephone: a call-back task is to be created


class DeliveryError(Exception):
    def __init__(self, message: str, *, retry: bool, address: str = "") -> None:
        super().__init__(message)
        self.retry = retry
        self.address = address


def _phone_or_fail(raw: str, prefixes: tuple[str, ...], missing: str, invalid: str) -> str:
    try:
        return rules.normalise_phone(raw, prefixes)
    except rules.InvalidPhoneNumberError as exc:
        message = missing if exc.reason == "missing" else invalid % {"number": raw}
        raise DeliveryError(message, retry=False, address=raw) from exc


def _send_mail(notification: Notification, to: str) -> str:
    from_email = settings.DEFAULT_FROM_EMAIL
    message_id = rules.message_id_for(notification.pk, from_email)
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=from_email,
        to=[to],
        headers={"Message-ID": message_id},
    )
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(
            _("The mail server refused the address: %(error)s") % {"error": exc},
            retry=False,
            address=to,
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(
            _("The mail server could not be reached or failed: %(error)s") % {"error": exc},
            retry=True,
            address=to,
        ) from exc
    return message_id


def send_email(notification: Notification) -> Delivered:
    to = notification.address.strip()
    if not to:
        raise DeliveryError(_("The person has no e-mail address."), retry=False)
    return Delivered(address=to, provider_id=_send_mail(notification, to))


def send_sms(notification: Notification) -> Delivered:
    to = _phone_or_fail(
        notification.address,
        rules.GREEK_MOBILE,
        _("The person has given no mobile number."),
        _(
            "“%(number)s” is not a mobile number: a Greek one has 10 digits starting with 69, "
            "a foreign one starts with + and the country code."
        ),
    )
    text = rules.shorten_sms(notification.short_text or notification.subject)
    try:
        provider = sms.provider_from_settings()
        provider_id = provider.send(to, text, reference=str(notification.pk))
    except sms.SmsError as exc:
        raise DeliveryError(str(exc), retry=exc.retry, address=to) from exc
    return Delivered(address=to, provider_id=provider_id)


def fax_pattern() -> str:
    default = "{number}@fax.example.gr" if getattr(settings, "SANDBOX_ENABLED", False) else ""
    return str(getattr(settings, "DIMOS_FAX_EMAIL_PATTERN", default) or "")


def send_fax(notification: Notification) -> Delivered:
    number = _phone_or_fail(
        notification.address,
        rules.GREEK_FIXED,
        _("The person has given no fax number."),
        _(
            "“%(number)s” is not a fax number: a Greek one has 10 digits starting with 2, "
            "a foreign one starts with + and the country code."
        ),
    )
    pattern = fax_pattern()
    if "@" not in pattern or not ("{number}" in pattern or "{national}" in pattern):
        raise DeliveryError(
            _(
                "Fax is not set up: DIMOS_FAX_EMAIL_PATTERN must be an e-mail address with "
                "{number}, e.g. {number}@fax.example.gr."
            ),
            retry=False,
            address=number,
        )
    to = rules.fax_address(pattern, number)
    return Delivered(address=to, provider_id=_send_mail(notification, to))


def open_callback(notification: Notification) -> Delivered:
    number = _phone_or_fail(
        notification.address,
        rules.GREEK_ANY,
        _("The person has given no telephone number."),
        _(
            "“%(number)s” is not a telephone number: a Greek one has 10 digits starting with "
            "2 or 69, a foreign one starts with + and the country code."
        ),
    )
    return Delivered(address=number, handed_to_staff=True)


SENDERS: dict[str, Callable[[Notification], Delivered]] = {
    NotificationChannel.EMAIL: send_email,
    NotificationChannel.SMS: send_sms,
    NotificationChannel.FAX: send_fax,
    NotificationChannel.PHONE: open_callback,
}


def send(notification: Notification) -> Delivered:
    sender = SENDERS.get(notification.channel)
    if sender is None:
        raise DeliveryError(
            _("There is no way to send by “%(channel)s”.") % {"channel": notification.channel},
            retry=False,
        )
    return sender(notification)
