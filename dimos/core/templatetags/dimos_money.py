"""Money is integer cents everywhere; it becomes euros, in Greek format, only on the page."""

from django import template

register = template.Library()


def format_euros(cents: int) -> str:
    """1234567 → «12.345,67 €» (Greek: dot for thousands, comma for decimals)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d} €"


@register.filter
def euros(cents: int | None) -> str:
    return "" if cents is None else format_euros(int(cents))
