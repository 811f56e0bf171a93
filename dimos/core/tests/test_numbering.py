import threading

import pytest
from django.db import connection, transaction

from dimos.core.numbering import (
    NumberingOutsideTransactionError,
    format_year_number,
    take_next_number,
    take_next_numbers,
)


@pytest.mark.django_db
def test_numbers_are_consecutive_per_series_and_year() -> None:
    with transaction.atomic():
        assert [take_next_number("protocol", 2026) for _ in range(3)] == [1, 2, 3]
        assert take_next_number("protocol", 2027) == 1
        assert take_next_number("receipt", 2026) == 1


@pytest.mark.django_db
def test_a_rolled_back_number_is_issued_again() -> None:
    with transaction.atomic():
        assert take_next_number("protocol", 2026) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert take_next_number("protocol", 2026) == 2
        raise RuntimeError("the request could not be stored")
    with transaction.atomic():
        assert take_next_number("protocol", 2026) == 2


@pytest.mark.django_db(transaction=True)
def test_a_number_outside_a_transaction_is_refused() -> None:
    with pytest.raises(NumberingOutsideTransactionError):
        take_next_number("protocol", 2026)


def test_protocol_format() -> None:
    assert format_year_number(2026, 123) == "2026/000123"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_takers_get_two_hundred_consecutive_numbers() -> None:
    threads_count, per_thread = 40, 5  # 200 in all, within PostgreSQL's connection limit
    barrier = threading.Barrier(threads_count)
    taken: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def taker() -> None:
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    number = take_next_number("protocol", 2026)
                with lock:
                    taken.append(number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=taker) for _ in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(taken) == list(range(1, 201))


@pytest.mark.django_db
def test_a_block_of_numbers_continues_the_series_without_gaps() -> None:
    with transaction.atomic():
        assert take_next_number("receipt", 2026) == 1
        assert take_next_numbers("receipt", 2026, 3) == 2  # 2, 3, 4
        assert take_next_number("receipt", 2026) == 5
        assert take_next_numbers("receipt", 2027, 2) == 1


@pytest.mark.django_db
def test_a_rolled_back_block_is_issued_again() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        assert take_next_numbers("receipt", 2026, 10) == 1
        raise RuntimeError("the statement could not be stored")
    with transaction.atomic():
        assert take_next_numbers("receipt", 2026, 2) == 1


@pytest.mark.django_db
def test_an_empty_block_is_refused() -> None:
    with transaction.atomic(), pytest.raises(ValueError):
        take_next_numbers("receipt", 2026, 0)


@pytest.mark.django_db(transaction=True)
def test_a_block_outside_a_transaction_is_refused() -> None:
    with pytest.raises(NumberingOutsideTransactionError):
        take_next_numbers("receipt", 2026, 5)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_blocks_and_single_numbers_taken_concurrently_never_overlap_nor_leave_gaps() -> None:
    threads_count, per_thread = 30, 4
    barrier = threading.Barrier(threads_count)
    taken: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def taker(index: int) -> None:
        try:
            barrier.wait()
            for round_ in range(per_thread):
                size = (index + round_) % 4  # 0: a single number, else a block of 1-3
                with transaction.atomic():
                    if size == 0:
                        numbers = [take_next_number("receipt", 2026)]
                    else:
                        first = take_next_numbers("receipt", 2026, size)
                        numbers = list(range(first, first + size))
                with lock:
                    taken.extend(numbers)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=taker, args=(i,)) for i in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(taken) == list(range(1, len(taken) + 1))
