"""When a residency claim matches the registry. Plain functions: no ORM, no request."""

from dataclasses import dataclass
from datetime import date

from dimos.core.greek import normalize_greek


@dataclass(frozen=True)
class Identity:
    amka: str
    family_number: str
    first_name: str
    last_name: str
    father_name: str
    mother_name: str
    birth_date: date


def _same_name(a: str, b: str) -> bool:
    # Accents, case, final sigma and surrounding spaces are not differences of identity.
    return normalize_greek(" ".join(a.split())) == normalize_greek(" ".join(b.split()))


def is_exact_match(claimed: Identity, registered: Identity) -> bool:
    """An exact match verifies a resident at once; anything else goes to a clerk (issue #2)."""
    return (
        claimed.amka == registered.amka
        and claimed.family_number.strip() == registered.family_number.strip()
        and claimed.birth_date == registered.birth_date
        and _same_name(claimed.first_name, registered.first_name)
        and _same_name(claimed.last_name, registered.last_name)
        and _same_name(claimed.father_name, registered.father_name)
        and _same_name(claimed.mother_name, registered.mother_name)
    )
