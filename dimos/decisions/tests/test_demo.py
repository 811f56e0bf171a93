from io import StringIO

import pytest

from dimos.accounts import demo as accounts_demo
from dimos.decisions import demo, queries
from dimos.decisions.models import Decision


@pytest.mark.django_db
def test_demo_decisions_load_twice_and_are_searchable() -> None:
    accounts_demo.load(StringIO())
    demo.load(StringIO())
    demo.load(StringIO())
    assert Decision.objects.count() == len(demo.DECISIONS)
    assert not queries.without_text().exists()
    qs, _ = queries.search(queries.Criteria(text="ΠΡΟΫΠΟΛΟΓΙΣΜΟ"))
    assert qs.exists()
