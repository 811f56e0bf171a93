"""One pagination for every list: the links keep the page's own filters (the query string)."""

from typing import Any

from django import template
from django.core.paginator import Page

register = template.Library()


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context: dict[str, Any], page: Page[Any]) -> dict[str, Any]:
    query = context["request"].GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}
