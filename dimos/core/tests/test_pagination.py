import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory


@pytest.mark.parametrize(
    ("query", "previous", "following"),
    [
        ("?page=2", 'href="?page=1"', 'href="?page=3"'),
        (
            "?state=open&mine=1&page=2",
            'href="?state=open&amp;mine=1&amp;page=1"',
            'href="?state=open&amp;mine=1&amp;page=3"',
        ),
    ],
)
def test_page_links_keep_every_filter(query: str, previous: str, following: str) -> None:
    page = Paginator(list(range(90)), 30).get_page(2)
    html = Template("{% load dimos_pagination %}{% pagination page %}").render(
        Context({"request": RequestFactory().get("/x/" + query), "page": page})
    )
    assert previous in html and following in html


def test_one_page_shows_no_pagination() -> None:
    page = Paginator([1, 2], 30).get_page(1)
    html = Template("{% load dimos_pagination %}{% pagination page %}").render(
        Context({"request": RequestFactory().get("/x/"), "page": page})
    )
    assert "govgr-pagination" not in html
