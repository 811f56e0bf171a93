"""Payable things register here; payments calls them back and never imports them.

A fine or a tax debt registers a kind (e.g. "fine") with a function that is told, inside the
settling transaction, how much of the order is now paid.

A kind may also give `on_settled_many`, told of many orders at once (a bank statement's): it
must do what `on_settled` would do for each in turn. Payments calls it only with orders of
different payable things (different `payable_id`), each settled once since the last call.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class PayableKind:
    key: str
    label: Promise
    on_settled: Callable[[Any], None]  # receives the PaymentOrder, locked, after a settlement
    on_settled_many: Callable[[Sequence[Any]], None] | None = None  # the orders, in that order

    def tell_settled(self, orders: Sequence[Any]) -> None:
        """Tell of settled orders, each of a different payable thing, in the order given."""
        if self.on_settled_many is not None:
            self.on_settled_many(orders)
            return
        for order in orders:
            self.on_settled(order)


_KINDS: dict[str, PayableKind] = {}


def register_payable(kind: PayableKind) -> None:
    _KINDS[kind.key] = kind


def payable_kind(key: str) -> PayableKind | None:
    return _KINDS.get(key)
