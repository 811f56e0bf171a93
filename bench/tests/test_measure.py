"""The votes measurement's plan: every voter twice, side by side, and how many really raced."""

from bench.measure import raced_pairs, voter_queues


def test_each_voter_is_dealt_twice_side_by_side_to_one_process() -> None:
    queues = voter_queues([1, 2, 3, 4, 5], processes=2)
    assert queues == [[1, 1, 3, 3, 5, 5], [2, 2, 4, 4]]
    assert voter_queues([7, 8], processes=1) == [[7, 7, 8, 8]]


def test_only_attempts_in_flight_together_count_as_raced() -> None:
    attempts = [
        (1, "cast", 0.0, 2.0),
        (1, "refused:already", 1.0, 3.0),  # overlaps the first
        (2, "cast", 4.0, 5.0),
        (2, "refused:already", 5.5, 6.0),  # after the first: no race
        (3, "cast", 7.0, 8.0),  # one attempt only
    ]
    assert raced_pairs(attempts) == 1
