"""Payable things register here; payments calls them back and never imports them.

A fine or a tax debt registers a kind (e.g. "fine") with a function that is told, inside the
settling transaction, how much of the order is now paid.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class PayableKind:
    key: str
    label: Promise
    on_settled: Callable[[Any], None]  # receives the PaymentOrder, locked, after a settlement


_KINDS: dict[str, PayableKind] = {}


def register_payable(kind: PayableKind) -> None:
    _KINDS[kind.key] = kind


def payable_kind(key: str) -> PayableKind | None:
    return _KINDS.get(key)
