"""Decision numbers, ΑΔΑ, dates as people type them, and names of saved files. No ORM."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dimos.core.greek import normalize_greek

# A decision number is serial within one body and one year: `123/2026` (reference §1.2).
_NUMBER = re.compile(r"^\s*(?:(?:αρ|αριθ|αριθμ|no)\.?\s*)?(\d{1,6})\s*/\s*(\d{4})\s*$")
_SERIAL_ONLY = re.compile(r"^\s*(?:(?:αρ|αριθ|αριθμ|no)\.?\s*)?(\d{1,6})\s*$")
# ΑΔΑ: Greek capitals and digits, a dash, then more (`ΨΘ82ΩΡΦ-7ΑΙ`, `6ΛΘΕΩΡΦ-ΞΣ1`).
_ADA = re.compile(r"^[0-9Α-Ω]{4,12}-[0-9Α-Ω]{2,5}$")
_DATE = re.compile(r"^\s*(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
# Latin letters that look like Greek capitals: an ΑΔΑ typed with the wrong keyboard.
_LOOKALIKES = str.maketrans("ABEZHIKMNOPTYX", "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ")
_WORD = re.compile(r"\w+", re.UNICODE)
MIN_TERM_LENGTH = 2
MAX_TERMS = 8


@dataclass(frozen=True)
class DecisionNumber:
    serial: int
    year: int | None = None

    def __str__(self) -> str:
        return f"{self.serial}/{self.year}" if self.year else str(self.serial)


def parse_number(text: str) -> DecisionNumber | None:
    """`123/2026` → 123 of 2026; `123` → 123 of any year; anything else → None."""
    lowered = normalize_greek(text)
    if match := _NUMBER.match(lowered):
        serial, year = int(match[1]), int(match[2])
        if serial == 0 or not 1900 <= year <= 2999:
            return None
        return DecisionNumber(serial, year)
    if match := _SERIAL_ONLY.match(lowered):
        serial = int(match[1])
        return DecisionNumber(serial) if serial else None
    return None


def parse_ada(text: str) -> str | None:
    """The ΑΔΑ in its stored form (Greek capitals), or None when `text` is not one."""
    candidate = normalize_greek(text.strip()).upper().translate(_LOOKALIKES)
    if _ADA.match(candidate) and any(ch.isalpha() for ch in candidate):
        return candidate
    return None


def parse_date(text: str) -> date | None:
    """`15/3/2026`, `15-03-2026`, `15.3.2026` or `2026-03-15` → the date; else None."""
    try:
        if match := _DATE.match(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := _ISO_DATE.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return None


def split_protocol_number(protocol_number: str, fallback_year: int) -> tuple[int | None, int]:
    """(serial, year) of a number as written; (None, fallback_year) when it is not `N/YYYY`."""
    parsed = parse_number(protocol_number)
    if parsed is None:
        return None, fallback_year
    return parsed.serial, parsed.year or fallback_year


def terms(text: str) -> list[str]:
    """The words searched for, normalised: accents, case and final sigma do not matter."""
    words = _WORD.findall(normalize_greek(text))
    unique = dict.fromkeys(w for w in words if len(w) >= MIN_TERM_LENGTH)
    return list(unique)[:MAX_TERMS]


# Greek inflectional endings, normalised (final sigma is σ), longest first. Cutting one off
# lets LIKE on SQLite find «προϋπολογισμού» for «προϋπολογισμός», as PostgreSQL's stemmer does.
_ENDINGS = sorted(
    [
        "ουσ",
        "ιου",
        "ιων",
        "εωσ",
        "εισ",
        "ηδεσ",
        "αδεσ",
        "ων",
        "ου",
        "οσ",
        "ησ",
        "εσ",
        "ασ",
        "οι",
        "ια",
        "ιο",
        "ισ",
        "α",
        "ε",
        "η",
        "ι",
        "ο",
        "υ",
    ],
    key=len,
    reverse=True,
)
MIN_STEM_LENGTH = 4


def light_stem(term: str) -> str:
    """`term` without its inflectional ending, keeping at least four letters."""
    for ending in _ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= MIN_STEM_LENGTH:
            return term[: -len(ending)]
    return term


def search_fields(protocol_number: str, ada: str, subject: str, text: str) -> tuple[str, str]:
    """(head, full) normalised texts that SQLite searches with LIKE. The body is a filter,
    not a word to search, as in PostgreSQL's vector (migration 0002)."""
    head = normalize_greek(" ".join([protocol_number, ada, subject]))
    return head, f"{head}\n{normalize_greek(text)}"


# ELOT 743 (ΕΛΟΤ 743:2001), the transliteration of Greek passports, simplified:
# αυ/ευ are always av/ev, which is what people expect in file names.
_DIGRAPHS = {
    "ου": "ou",
    "αυ": "av",
    "ευ": "ev",
    "ηυ": "iv",
    "γγ": "ng",
    "γκ": "gk",
    "γξ": "nx",
    "γχ": "nch",
    "μπ": "mp",
    "ντ": "nt",
}
_LETTERS = dict(
    zip(
        "αβγδεζηθικλμνξοπρστυφχψω",
        [
            "a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m",
            "n", "x", "o", "p", "r", "s", "t", "y", "f", "ch", "ps", "o",
        ],
        strict=True,
    )
)  # fmt: skip


def to_latin(text: str) -> str:
    """«Δημοτικό Συμβούλιο» → «Dimotiko Symvoulio»."""
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = normalize_greek(text[i : i + 2])
        one = normalize_greek(text[i])
        upper = text[i].isupper()
        if len(pair) == 2 and pair in _DIGRAPHS:
            latin, i = _DIGRAPHS[pair], i + 2
        else:
            latin, i = _LETTERS.get(one, text[i]), i + 1
        out.append(latin.capitalize() if upper else latin)
    return "".join(out)


def file_name(protocol_number: str, body_latin: str) -> str:
    """`Apofasi-123-2026-Dimotiko-Symvoulio.pdf`: Latin letters, digits and dashes only."""
    words = re.findall(r"[A-Za-z0-9]+", to_latin(f"{protocol_number} {body_latin}"))
    return "-".join(["Apofasi", *words])[:120] + ".pdf"


def date_windows(start: date, end: date, days: int = 180) -> list[tuple[date, date]]:
    """[start, end] cut into windows of at most `days` days: the Diavgeia API silently clamps
    longer ranges to 180 days (reference §0 and §1.5)."""
    windows = []
    current = start
    while current <= end:
        last = min(current + timedelta(days=days - 1), end)
        windows.append((current, last))
        current = last + timedelta(days=1)
    return windows
