from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.notifications.models import CallOutcome

NOTE_MAX_LENGTH = 2000


class CallOutcomeForm(forms.Form):
    """What happened when a member of staff called a person back."""

    outcome = forms.ChoiceField(
        label=_("What happened when you called?"),
        choices=CallOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what happened when you called."),
            "invalid_choice": _("Choose one of the outcomes shown."),
        },
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For colleagues who may call next. Needed for “call again later”: when to call."
        ),
        error_messages={
            "max_length": _("Keep the note to %(limit_value)d characters or fewer."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["note"] = data.get("note", "").strip()
        if data.get("outcome") == CallOutcome.RETRY and not data["note"]:
            self.add_error(
                "note",
                _("Enter when to call again, for example “after 17:00” or “on Monday morning”."),
            )
        return data
