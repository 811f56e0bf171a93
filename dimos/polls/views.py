"""The citizen's side: the polls, taking part (answers → check → cast), results, receipts.

The answers travel in the form, from the questions to the check page and back: they are
never kept in the session or anywhere on the server before the ballot is cast, and the receipt
code is shown in the response to the cast itself, so no server-side store ever holds a
person's answers or receipt next to their account.
"""

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.core.access import service_required
from dimos.core.security_log import security_event
from dimos.polls import actions, queries, rules
from dimos.polls.forms import BallotForm, ReceiptForm
from dimos.polls.models import Poll

REFUSALS = {
    rules.Refusal.NOT_OPEN_YET: gettext_lazy("This poll has not opened yet."),
    rules.Refusal.CLOSED: gettext_lazy("This poll has closed. You can no longer take part."),
    rules.Refusal.RESIDENTS_ONLY: gettext_lazy(
        "Only residents of the municipality (Δημότες) can take part in this poll."
    ),
    rules.Refusal.OTHER_UNIT: gettext_lazy(
        "Only residents of the municipal units named below can take part in this poll."
    ),
    rules.Refusal.ALREADY: gettext_lazy(
        "You have already taken part in this poll. Each person takes part once."
    ),
}


def _poll(pk: int) -> Poll:
    """A scheduled poll with its questions; drafts are not found."""
    return get_object_or_404(queries.with_questions(Poll.objects.filter(scheduled=True)), pk=pk)


def _visible(poll: Poll, user: Any) -> bool:
    return rules.results_visible(
        rules.ResultsShown(poll.results_shown),
        poll.phase(),
        took_part=queries.took_part(poll, user),
        published=poll.results_published,
    )


@service_required("polls")
def polls(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = timezone.now()
    mine = queries.polls_taken_part_in(request.user)
    groups: dict[rules.Phase, list[Poll]] = {p: [] for p in rules.Phase}
    for poll in queries.visible_polls():
        groups[poll.phase(now)].append(poll)
    return render(
        request,
        "polls/polls.html",
        {
            "open_polls": groups[rules.Phase.OPEN],
            "upcoming": groups[rules.Phase.UPCOMING],
            "closed": groups[rules.Phase.CLOSED],
            "mine": mine,
        },
    )


@service_required("polls")
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    poll = _poll(pk)
    refusal = queries.refusal_for(poll, request.user)
    return render(
        request,
        "polls/detail.html",
        {
            "poll": poll,
            "phase": poll.phase(),
            "refusal": REFUSALS[refusal] if refusal else None,
            "results_visible": _visible(poll, request.user),
        },
    )


def _refused(request: HttpRequest, poll: Poll, reason: rules.Refusal) -> HttpResponse:
    messages.error(request, REFUSALS[reason])
    return redirect("polls:detail", pk=poll.pk)


@service_required("polls")
def vote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Step 1: the questions. A POST here comes from "change your answers" on the check page."""
    poll = _poll(pk)
    refusal = queries.refusal_for(poll, request.user)
    if refusal is not None:
        return _refused(request, poll, refusal)
    form = BallotForm(request.POST if request.method == "POST" else None, poll=poll)
    if form.is_bound:
        form.is_valid()
    return render(request, "polls/vote.html", {"poll": poll, "form": form})


@never_cache
@service_required("polls")
def check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Step 2: check your answers. Opened without answers, it sends you to the questions."""
    poll = _poll(pk)
    if request.method != "POST":
        return redirect("polls:vote", pk=poll.pk)
    refusal = queries.refusal_for(poll, request.user)
    if refusal is not None:
        return _refused(request, poll, refusal)
    form = BallotForm(request.POST, poll=poll)
    if not form.is_valid():
        return render(request, "polls/vote.html", {"poll": poll, "form": form})
    return render(request, "polls/check.html", {"poll": poll, "ballot": form})


@never_cache
@service_required("polls")
def cast(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Step 3: cast. The confirmation, with the receipt code, is this response itself."""
    poll = _poll(pk)
    if request.method != "POST":
        return redirect("polls:vote", pk=poll.pk)
    form = BallotForm(request.POST, poll=poll)
    if not form.is_valid():
        return render(request, "polls/vote.html", {"poll": poll, "form": form})
    try:
        receipt = actions.do_cast_ballot(poll, request.user, form.answers(), request=request)
    except actions.RefusedError as refused:
        return _refused(request, poll, refused.reason)
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, "polls/vote.html", {"poll": poll, "form": form})
    return render(
        request,
        "polls/confirmation.html",
        {"poll": poll, "receipt": receipt, "results_visible": _visible(poll, request.user)},
    )


@service_required("polls")
def results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    poll = _poll(pk)
    visible = _visible(poll, request.user)
    return render(
        request,
        "polls/results.html",
        {
            "poll": poll,
            "phase": poll.phase(),
            "visible": visible,
            "results": queries.shown_results(poll) if visible else None,
        },
        status=200 if visible else 403,
    )


def _csv_response(filename: str) -> tuple[HttpResponse, Any]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read the Greek text as UTF-8
    return response, csv.writer(response)


@service_required("polls")
def results_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    poll = _poll(pk)
    if not _visible(poll, request.user):
        raise Http404
    data = queries.results(poll)
    security_event("export", request=request, obj=poll, file="results.csv")
    response, writer = _csv_response(f"poll-{poll.pk}-results.csv")
    writer.writerow([_("Question"), _("Answer"), _("Votes"), _("Per cent")])
    for q in data.questions:
        for o in q.options:
            writer.writerow([q.question.text, o.option.text, o.count, o.share])
    writer.writerow([_("Participants"), "", data.participants, data.turnout])
    return response


def _published(pk: int) -> Poll:
    poll = _poll(pk)
    if not (poll.results_published and poll.phase() == rules.Phase.CLOSED):
        raise Http404
    return poll


@service_required("polls")
def receipts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The receipt codes of every counted ballot, and a look-up of one's own."""
    poll = _published(pk)
    form = ReceiptForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        found = queries.published_receipts(poll).filter(receipt=form.cleaned_data["code"]).exists()
    page = Paginator(
        queries.published_receipts(poll).values_list("receipt", flat=True), 500
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "polls/receipts.html",
        {"poll": poll, "form": form, "found": found, "page": page},
    )


@service_required("polls")
def ballots_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every published ballot: its receipt code and its answers; the totals follow from it."""
    poll = _published(pk)
    columns = [(q, o) for q in poll.questions.all() for o in q.options.all()]
    security_event("export", request=request, obj=poll, file="ballots.csv")
    response, writer = _csv_response(f"poll-{poll.pk}-ballots.csv")
    # One column per answer (1 = ticked): the totals are the sums of the columns.
    writer.writerow([_("Receipt code"), *[f"{q.text} — {o.text}" for q, o in columns]])
    for receipt, chosen in queries.ballot_rows(poll):
        writer.writerow([receipt, *[1 if o.pk in chosen.get(q.pk, ()) else 0 for q, o in columns]])
    return response


@service_required("polls")
def document(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    poll = _poll(pk)
    if not poll.document:
        raise Http404
    return FileResponse(
        poll.document.open("rb"),
        as_attachment=True,  # uploaded by staff, not made by us: never shown inline
        content_type="application/pdf",
        filename=f"poll-{poll.pk}.pdf",
    )
