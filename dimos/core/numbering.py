"""Gapless numbers per series and year: protocol numbers of requests, receipt numbers.

A number is taken inside the transaction that stores it. The counter row stays locked until that
transaction ends, so concurrent takers wait in line; if the transaction rolls back, the increment
rolls back with it and the number is issued to the next one. No gaps, no duplicates.
"""

from django.db import IntegrityError, connection, transaction

from dimos.core.models import Counter


class NumberingOutsideTransactionError(RuntimeError):
    pass


def take_next_number(series: str, year: int) -> int:
    if not connection.in_atomic_block:
        raise NumberingOutsideTransactionError("take numbers inside the storing transaction")
    counter = _locked_counter(series, year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def take_next_numbers(series: str, year: int, count: int) -> int:
    """Take `count` consecutive numbers at once (a bank statement's receipts); returns the first.

    The same lock and the same rollback as `take_next_number`: the block is gapless with what
    came before and after it."""
    if count < 1:
        raise ValueError("take at least one number")
    if not connection.in_atomic_block:
        raise NumberingOutsideTransactionError("take numbers inside the storing transaction")
    counter = _locked_counter(series, year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first


def _locked_counter(series: str, year: int) -> Counter:
    """The counter row, locked until the transaction ends; created on the year's first number."""
    counter = Counter.objects.select_for_update().filter(series=series, year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():  # a savepoint: another taker may create it at the same time
            Counter.objects.create(series=series, year=year)
    except IntegrityError:
        pass
    return Counter.objects.select_for_update().get(series=series, year=year)


def format_year_number(year: int, number: int) -> str:
    """`2026/000123`: how Greek protocol numbers are written (year / serial)."""
    return f"{year}/{number:06d}"
