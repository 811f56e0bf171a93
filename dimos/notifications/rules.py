"""The rules of delivery as plain functions: retries, telephone numbers, SMS length, ids."""

import re
from datetime import timedelta
from email.utils import parseaddr

# Five tries 1 min, 5 min, 25 min and about 2 h apart: an outage of the provider of a few hours
# is ridden out; after that the person is better served by the e-mail fallback.
MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(minutes=1)
RETRY_FACTOR = 5
RETRY_CAP = timedelta(hours=6)

# Three calls without an answer and staff stop trying: the person gets an e-mail instead.
CALL_MAX_NO_ANSWER = 3

# Greek text is sent as UCS-2: 70 characters in one SMS, 67 per part of a longer one.
# 160 characters are three parts at most, which is what providers bill as one "long SMS".
SMS_MAX_CHARS = 160


def retry_delay(failed_attempts: int) -> timedelta:
    """How long to wait before the next try, after `failed_attempts` (1, 2, …) failures."""
    exponent = min(max(failed_attempts, 1) - 1, 10)  # 5**10 minutes is far past any cap
    return min(RETRY_BASE * RETRY_FACTOR**exponent, RETRY_CAP)


def may_retry(attempts_made: int) -> bool:
    return attempts_made < MAX_ATTEMPTS


# --- Telephone numbers -------------------------------------------------------------------
# python-stdnum has no Greek telephone module, so this follows the national numbering plan
# (ΕΕΤΤ, Εθνικό Σχέδιο Αριθμοδότησης): 10 digits; 2… fixed lines, 69… mobiles.
GREEK_MOBILE = ("69",)
GREEK_FIXED = ("2",)
GREEK_ANY = ("2", "69")

_SEPARATORS = re.compile(r"[\s\-./()]")
_DIGITS = re.compile(r"[0-9]+")


class InvalidPhoneNumberError(ValueError):
    """`reason` is "missing" (no number at all) or "invalid"."""

    def __init__(self, raw: str, reason: str) -> None:
        super().__init__(f"{reason}: {raw!r}")
        self.raw = raw
        self.reason = reason


def normalise_phone(raw: str, greek_prefixes: tuple[str, ...] = GREEK_ANY) -> str:
    """The E.164 form (+30…) of a number as people write it in Greece.

    "6912 345 678", "+30 691-234-5678", "0030 6912345678" and "306912345678" all give
    "+306912345678". A Greek number must start with one of `greek_prefixes`. A number with
    another country code ("+44 7700 900123", "0044…") is kept when it is a plausible E.164
    number: 8 to 15 digits, not starting with 0.
    """
    cleaned = _SEPARATORS.sub("", raw or "")
    if not cleaned:
        raise InvalidPhoneNumberError(raw, "missing")
    if cleaned.startswith("+"):
        international: str | None = cleaned[1:]
    elif cleaned.startswith("00"):
        international = cleaned[2:]
    elif cleaned.startswith("30") and len(cleaned) == 12:
        international = cleaned
    else:
        international = None
    if international is None:
        national = cleaned
    elif not _DIGITS.fullmatch(international):
        raise InvalidPhoneNumberError(raw, "invalid")
    elif international.startswith("30"):
        national = international[2:]
    elif 8 <= len(international) <= 15 and not international.startswith("0"):
        return f"+{international}"
    else:
        raise InvalidPhoneNumberError(raw, "invalid")
    if len(national) == 10 and _DIGITS.fullmatch(national) and national.startswith(greek_prefixes):
        return f"+30{national}"
    raise InvalidPhoneNumberError(raw, "invalid")


def fax_address(pattern: str, e164: str) -> str:
    """The e-mail address of the e-mail-to-fax gateway for a fax number.

    The pattern has `{number}` (E.164 without "+", e.g. 302461350300) and/or `{national}`
    (the 10 Greek digits, e.g. 2461350300; for a foreign number the same as `{number}`).
    """
    number = e164.removeprefix("+")
    national = number[2:] if number.startswith("30") else number
    return pattern.format(number=number, national=national)


def one_line(text: str, limit: int) -> str:
    """`text` on one line of at most `limit` characters; what is cut is marked with "…"."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    return line[: limit - 1].rstrip() + "…"


def shorten_sms(text: str) -> str:
    return one_line(text, SMS_MAX_CHARS)


def message_id_for(notification_id: int, from_email: str) -> str:
    """The same Message-ID on every try of one notification, so a duplicate is recognisable."""
    domain = parseaddr(from_email)[1].rpartition("@")[2] or "dimos.invalid"
    return f"<notification-{notification_id}@{domain}>"
