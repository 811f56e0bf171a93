"""Public pages: search decisions, read one, view/print or save its PDF.

Decisions are public acts (ν.3861/2010); the roles that may use these pages come from the access
policy, and a municipality may open them to everyone (DIMOS_SERVICE_ACCESS), so nothing here
assumes a logged-in user.
"""

from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dimos.core.access import service_required
from dimos.decisions import highlight, queries, rules
from dimos.decisions.forms import SearchForm
from dimos.decisions.models import Decision


def _recognised(form: SearchForm) -> tuple[queries.Criteria, bool]:
    """The criteria, with the box read as a number, an ΑΔΑ or a date when it is one.

    The second value says whether the box named one decision (go straight to it on one match).
    """
    criteria = form.criteria()
    text = criteria.text.strip()
    if not text:
        return criteria, False
    if (number := rules.parse_number(text)) is not None:
        criteria.text, criteria.number = "", number
        return criteria, number.year is not None
    if (day := rules.parse_date(text)) is not None:
        criteria.text, criteria.date_from, criteria.date_to = "", day, day
        return criteria, False
    return criteria, False


@service_required("decisions")
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, object] = {"form": form, "results": None}
    status = 200
    if form.is_bound and form.is_valid():
        ada = rules.parse_ada(form.cleaned_data["q"] or "")
        if ada and (found := queries.by_ada(ada)) is not None:
            return redirect(found)
        criteria, names_one = _recognised(form)
        if not criteria.is_empty:
            try:
                results = queries.search_page(criteria, request.GET.get("page"))
            except queries.SearchTooBroadError:
                form.add_error("q", _("Too many decisions match. Add words or a date range."))
                status = 422
            else:
                rows = results.page.object_list
                if names_one and len(rows) == 1 and results.page.number == 1:
                    return redirect(rows[0])
                context["results"] = results.page
                context["capped"] = results.capped
                context["limit"] = results.limit
                context["rows"] = [
                    {
                        "decision": d,
                        "subject": highlight.highlight(d.subject, results.patterns),
                        "snippet": highlight.snippet(d.text, results.patterns),
                    }
                    for d in rows
                ]
                query = request.GET.copy()
                query.pop("page", None)
                query.pop("sort", None)
                context["query_unsorted"] = urlencode(list(query.items()))
                context["sortable"] = criteria.has_words
    elif form.is_bound:
        status = 400
    return render(request, "decisions/search.html", context, status=status)


def _decision_or_404(pk: int) -> Decision:
    decision = queries.decision(pk)
    if decision is None:
        raise Http404
    return decision


@service_required("decisions")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_or_404(pk)
    return render(
        request,
        "decisions/detail.html",
        {
            "decision": decision,
            "categories": list(decision.categories.all()),
            "corrects": list(decision.corrects.all()),
        },
    )


def _pdf_response(decision: Decision) -> FileResponse:
    # An uploaded file, not one we made: always a download, never shown in our origin.
    response = FileResponse(
        decision.pdf.open("rb"),
        as_attachment=True,
        filename=decision.file_name,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Staff may replace the PDF of a decision at the same address: always ask again.
    response["Cache-Control"] = "private, no-cache"
    return response


@service_required("decisions")
def pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The address that showed the PDF inline; now the same download as `download`."""
    return _pdf_response(_decision_or_404(pk))


@service_required("decisions")
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF as a download with a readable name."""
    return _pdf_response(_decision_or_404(pk))
