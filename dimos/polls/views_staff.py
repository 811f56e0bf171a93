"""The back office of polls: create, question, preview, schedule, close early, publish."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.core.access import staff_required
from dimos.polls import actions, queries, rules
from dimos.polls.forms import BallotForm, CloseForm, PollForm, QuestionForm
from dimos.polls.models import Poll, Question

V = TypeVar("V", bound=Callable[..., HttpResponseBase])
PERMISSION = "polls.change_poll"


def polls_staff(view: V) -> V:
    """Staff with the second factor, and the permission to manage polls."""

    @staff_required
    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(PERMISSION):
            return render(request, "core/staff_only.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _poll(pk: int) -> Poll:
    return get_object_or_404(queries.with_questions(Poll.objects.all()), pk=pk)


@polls_staff
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "polls/staff_list.html", {"polls": queries.staff_polls()})


@polls_staff
def staff_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    poll = _poll(pk) if pk is not None else Poll()
    if poll.pk and poll.is_frozen:
        messages.error(request, _("The poll is open or closed: it can no longer be changed."))
        return redirect("polls:staff_poll", pk=poll.pk)
    form = PollForm(
        request.POST or None,
        request.FILES or None,
        instance=poll,
        units=queries.municipal_units(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_poll(form.save(commit=False), request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The poll was saved."))
            return redirect("polls:staff_poll", pk=saved.pk)
    return render(request, "polls/staff_edit.html", {"form": form, "poll": poll})


@polls_staff
def staff_poll(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One poll: its questions, and what staff can do with it now."""
    poll = _poll(pk)
    if request.method == "POST":
        action = {
            "schedule": actions.do_schedule,
            "unschedule": actions.do_unschedule,
            "publish": actions.do_publish_results,
        }.get(request.POST.get("action", ""))
        if action is not None:
            try:
                action(poll, request.user, request=request)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                messages.success(request, _("Done."))
        return redirect("polls:staff_poll", pk=poll.pk)
    phase = poll.phase()
    return render(
        request,
        "polls/staff_poll.html",
        {
            "poll": poll,
            "phase": phase,
            "frozen": rules.is_frozen(phase),
            "participants": poll.participations.count(),
            "close_form": CloseForm(),
        },
    )


@polls_staff
def staff_question(
    request: AuthenticatedHttpRequest, pk: int, question_pk: int | None = None
) -> HttpResponse:
    poll = _poll(pk)
    question = (
        get_object_or_404(Question, poll=poll, pk=question_pk) if question_pk is not None else None
    )
    if poll.is_frozen:
        messages.error(
            request, _("The poll is open or closed: its questions can no longer change.")
        )
        return redirect("polls:staff_poll", pk=poll.pk)
    initial = (
        {
            "text": question.text,
            "multiple": question.multiple,
            "max_choices": question.max_choices,
            "options": "\n".join(o.text for o in question.options.all()),
        }
        if question
        else {}
    )
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.POST.get("action") == "delete" and question:
        actions.do_delete_question(question, request.user, request=request)
        messages.success(request, _("The question was deleted."))
        return redirect("polls:staff_poll", pk=poll.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_save_question(
                poll,
                request.user,
                text=data["text"],
                multiple=data["multiple"],
                max_choices=data["max_choices"],
                options=data["option_lines"],
                question=question,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("polls:staff_poll", pk=poll.pk)
    return render(
        request, "polls/staff_question.html", {"poll": poll, "question": question, "form": form}
    )


@polls_staff
def staff_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    poll = _poll(pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_close_early(poll, request.user, form.cleaned_data["reason"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The poll was closed."))
            return redirect("polls:staff_poll", pk=poll.pk)
    return render(request, "polls/staff_close.html", {"poll": poll, "form": form})


@polls_staff
def staff_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The poll as a voter will see it, and its results so far; nothing can be cast here."""
    poll = _poll(pk)
    phase = poll.phase()
    show_results = rules.results_visible(
        rules.ResultsShown(poll.results_shown),
        phase,
        took_part=False,
        published=poll.results_published,
        is_staff=True,
    )
    return render(
        request,
        "polls/staff_preview.html",
        {
            "poll": poll,
            "phase": phase,
            "ballot": BallotForm(poll=poll),
            "results": queries.results(poll) if show_results else None,
        },
    )
