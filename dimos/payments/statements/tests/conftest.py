from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """These tests read the wording of the messages in their source language; the Greek
    rendering is checked once in test_greek_messages below."""
    with translation.override("en"):
        yield
