"""RF creditor references (ISO 11649): make them, check them, find them in what payers type.

Electronic form: "RF" + 2 check digits + 1..21 of [0-9A-Z], at most 25 characters, no spaces;
on paper in groups of four ("RF71 2348 231"). Store the compact form, print `format_rf`.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

_BODY = re.compile(r"[0-9A-Z]{1,21}")
_COMPACT_RF = re.compile(r"RF[0-9]{2}[0-9A-Z]{1,21}")
MAX_BODY_LENGTH = 21

# Where a reference may start in free text: "RF" not glued to a preceding letter or digit.
_RF_START = re.compile(r"(?<![0-9A-Za-z])[Rr][Ff]")
# The runs of letters/digits that may follow, separated by what people put between groups.
_TOKEN = re.compile(r"[0-9A-Za-z]+")
_SEPARATOR = re.compile(r"[ \t\u00a0\u2009\u202f.\-\u2010\u2011\u2013]{1,3}")


def make_rf(body: str) -> str:
    """The RF for `body`: ISO 11649 §6 check digits (MOD 97-10 over body + "RF00").

    Spaces are dropped and letters upper-cased; anything but 1..21 of [0-9A-Z] is refused.
    >>> make_rf("2348231")
    'RF712348231'
    """
    compact = body.replace(" ", "").upper()
    if not _BODY.fullmatch(compact):
        raise ValueError(f"An RF body is 1 to 21 characters of 0-9 and A-Z, not {body!r}.")
    return "RF" + mod_97_10.calc_check_digits(compact + "RF") + compact


def compact_rf(value: str) -> str:
    """ "rf71 2348-231" -> "RF712348231" (stdnum: strips spaces, - . , / : and upper-cases)."""
    return str(iso11649.compact(value))


def is_rf(value: object) -> bool:
    """A valid ISO 11649 reference, formatted or not, whose body is only [0-9A-Z]."""
    if not isinstance(value, str):
        return False
    compact = compact_rf(value)
    return bool(_COMPACT_RF.fullmatch(compact)) and bool(iso11649.is_valid(compact))


def format_rf(value: str) -> str:
    """The printed form, groups of four: "RF18 5390 0754 7034"."""
    return str(iso11649.format(value))


def find_rf(text: str) -> str | None:
    """The first valid RF in free text, compact, or None.

    Payers write it glued ("RF712348231"), grouped ("RF71 2348 231", "RF71-2348-231"), in lower
    case, or amid other words ("ΠΛΗΡΩΜΗ RF712348231 ΠΑΠΑΔΟΠΟΥΛΟΣ"). Groups are joined only in
    the paper layout (every group but the last exactly four characters), so a name that follows
    a glued reference is never taken for part of it; the longest valid reading wins.
    """
    for start in _RF_START.finditer(text):
        tokens = _tokens_after(text, start.start())
        for candidate in reversed(_candidates(tokens)):
            if is_rf(candidate):
                return candidate
    return None


def _tokens_after(text: str, position: int) -> list[str]:
    tokens: list[str] = []
    length = 0
    while True:
        token = _TOKEN.match(text, position)
        if token is None:
            break
        tokens.append(token.group().upper())
        length += len(token.group())
        if length > 25:
            break
        separator = _SEPARATOR.match(text, token.end())
        if separator is None:
            break
        position = separator.end()
    return tokens


def _candidates(tokens: list[str]) -> list[str]:
    """Readings of the tokens as one reference, shortest first."""
    if len(tokens) >= 2 and tokens[0] == "RF":  # "RF 71 2348231", "RF 712348231"
        tokens = ["RF" + tokens[1], *tokens[2:]]
    candidates = []
    joined = ""
    for index, token in enumerate(tokens):
        if index > 0 and len(tokens[index - 1]) != 4:
            break  # only the paper layout (groups of four) continues past a separator
        joined += token
        if len(joined) > 25:
            break
        if _COMPACT_RF.fullmatch(joined):
            candidates.append(joined)
    return candidates


@dataclass(frozen=True)
class RfLayout:
    """How an internal number becomes an RF body: `<prefix><number zero-padded>`.

    The real layout (organisation prefix, length) is assigned by the collecting bank during the
    DIAS "Code Payment" onboarding and is not public: it comes from the settings
    DIMOS_RF_PREFIX and DIMOS_RF_BODY_LENGTH. Banks route RFs by prefix, so production must set
    the bank's prefix.
    """

    prefix: str = ""
    body_length: int = MAX_BODY_LENGTH

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[0-9A-Z]*", self.prefix):
            raise ValueError(f"The RF prefix may hold only 0-9 and A-Z, not {self.prefix!r}.")
        if not 1 <= self.body_length <= MAX_BODY_LENGTH:
            raise ValueError(f"The RF body length must be 1 to 21, not {self.body_length}.")
        if len(self.prefix) >= self.body_length:
            raise ValueError(
                f"The RF prefix {self.prefix!r} leaves no room for a number in a body of "
                f"{self.body_length} characters."
            )

    @classmethod
    def from_settings(cls) -> "RfLayout":
        prefix = getattr(settings, "DIMOS_RF_PREFIX", "")
        length = getattr(settings, "DIMOS_RF_BODY_LENGTH", MAX_BODY_LENGTH)
        try:
            return cls(prefix=str(prefix), body_length=int(length))
        except ValueError as exc:
            raise ImproperlyConfigured(f"DIMOS_RF_PREFIX / DIMOS_RF_BODY_LENGTH: {exc}") from exc

    @property
    def digits(self) -> int:
        return self.body_length - len(self.prefix)

    def body(self, number: int) -> str:
        if number < 0 or len(str(number)) > self.digits:
            raise ValueError(f"{number} does not fit in {self.digits} digits of an RF body.")
        return f"{self.prefix}{number:0{self.digits}d}"

    def make(self, number: int) -> str:
        """The RF for an internal number, e.g. a payment order's id."""
        return make_rf(self.body(number))

    def number(self, rf: str) -> int | None:
        """The internal number back from an RF of this layout; None for anything else."""
        compact = compact_rf(rf)
        if not is_rf(compact):
            return None
        body = compact[4:]
        if len(body) != self.body_length or not body.startswith(self.prefix):
            return None
        digits = body[len(self.prefix) :]
        return int(digits) if digits.isdigit() else None
