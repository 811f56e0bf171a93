"""Polls in the admin: reference view for administrators. Once a poll opens, its questions
and answers are read-only here too; ballots and participations are not in the admin at all."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dimos.polls.models import Option, Poll, Question


class QuestionInline(admin.TabularInline[Question, Poll]):
    model = Question
    extra = 0
    fields = ["text", "multiple", "max_choices", "position"]
    show_change_link = True

    def _frozen(self, obj: Any) -> bool:
        return obj is not None and obj.is_frozen

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class OptionInline(admin.TabularInline[Option, Question]):
    model = Option
    extra = 0
    fields = ["text", "position"]

    def _frozen(self, obj: Any) -> bool:
        return obj is not None and obj.poll.is_frozen

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin[Poll]):
    list_display = ["title", "opens_at", "closes_at", "scheduled", "results_published_at"]
    inlines = [QuestionInline]
    readonly_fields = ["closed_at", "close_reason", "results_published_at", "created_by"]

    def has_change_permission(self, request: HttpRequest, obj: Poll | None = None) -> bool:
        return (obj is None or not obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Poll | None = None) -> bool:
        return (obj is None or not obj.participations.exists()) and super().has_delete_permission(
            request, obj
        )


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin[Question]):
    list_display = ["text", "poll", "multiple", "max_choices"]
    inlines = [OptionInline]

    def has_change_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        return (obj is None or not obj.poll.is_frozen) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        return (obj is None or not obj.poll.is_frozen) and super().has_delete_permission(
            request, obj
        )
