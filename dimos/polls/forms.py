from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from dimos.core.uploads import validate_document
from dimos.polls import rules
from dimos.polls.models import Poll, Question

PDF_ONLY = {"application/pdf": {".pdf"}}


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class BallotForm(forms.Form):
    """One field per question: radios for one answer, checkboxes for several."""

    def __init__(self, *args: Any, poll: Poll, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(poll.questions.all())
        for question in self.questions:
            choices = [(str(o.pk), o.text) for o in question.options.all()]
            required = {"required": _("Answer this question.")}
            invalid = {"invalid_choice": _("Choose one of the answers.")}
            field: forms.Field
            if question.multiple:
                help_text = (
                    _("Choose up to %(max)s answers.") % {"max": question.max_choices}
                    if question.max_choices
                    else _("Choose all the answers that apply.")
                )
                field = forms.MultipleChoiceField(
                    label=question.text,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=help_text,
                    error_messages={**required, **invalid},
                )
            else:
                field = forms.ChoiceField(
                    label=question.text,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={**required, **invalid},
                )
            self.fields[field_name(question)] = field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for question in self.questions:
            picked = data.get(field_name(question))
            if question.multiple and picked:
                problem = rules.choice_count_problem(True, question.max_choices, len(picked))
                if problem == "too_many":
                    self.add_error(
                        field_name(question),
                        ValidationError(
                            _("Choose at most %(max)s answers."),
                            code="too_many",
                            params={"max": question.max_choices},
                        ),
                    )
        return data

    def answers(self) -> dict[int, list[int]]:
        """{question id: [option ids]} of a valid form."""
        out = {}
        for question in self.questions:
            value = self.cleaned_data[field_name(question)]
            values = value if isinstance(value, list) else [value]
            out[question.pk] = [int(v) for v in values]
        return out

    def hidden_pairs(self) -> list[tuple[str, str]]:
        """The answers as (field name, value) pairs, carried by the check page's forms."""
        answers = self.answers()
        return [(field_name(q), str(o)) for q in self.questions for o in answers[q.pk]]

    def chosen(self) -> list[tuple[Question, list[str]]]:
        """What the person chose, in words, for the check-your-answers page."""
        answers = self.answers()
        return [
            (q, [o.text for o in q.options.all() if o.pk in answers[q.pk]]) for q in self.questions
        ]


class PollForm(forms.ModelForm[Poll]):
    municipal_units = forms.MultipleChoiceField(
        label=_("Only residents of these municipal units (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for the whole municipality. Needs a poll for residents only."),
    )

    class Meta:
        model = Poll
        fields = [
            "title",
            "description",
            "document",
            "opens_at",
            "closes_at",
            "eligibility",
            "municipal_units",
            "results_shown",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "eligibility": forms.RadioSelect,
            "results_shown": forms.RadioSelect,
        }
        error_messages = {
            "title": {"required": _("Enter the title of the poll.")},
            "description": {"required": _("Describe what the poll is about.")},
            "opens_at": {
                "required": _("Enter when the poll opens."),
                "invalid": _("Enter the opening date and time, like 2026-05-01 09:00."),
            },
            "closes_at": {
                "required": _("Enter when the poll closes."),
                "invalid": _("Enter the closing date and time, like 2026-05-15 21:00."),
            },
        }

    def __init__(self, *args: Any, units: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipal_units"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(u, u) for u in units]
        self.fields["document"].help_text = _("A PDF of up to %(size)s MB.") % {
            "size": settings.DIMOS_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        }
        self.fields["document"].widget = forms.FileInput()

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if isinstance(upload, UploadedFile):
            try:
                validate_document(upload, PDF_ONLY, settings.DIMOS_ATTACHMENT_MAX_BYTES)
            except ValidationError as exc:
                if exc.code == "type":
                    raise ValidationError(_("The document must be a PDF."), code="type") from None
                raise
        return upload


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Question"),
        max_length=300,
        error_messages={"required": _("Enter the question.")},
    )
    multiple = forms.BooleanField(label=_("More than one answer may be chosen"), required=False)
    max_choices = forms.IntegerField(
        label=_("At most this many answers (optional)"),
        required=False,
        min_value=1,
        max_value=50,
        help_text=_("Only for questions with more than one answer. Empty: no limit."),
        error_messages={"min_value": _("The maximum must be 1 or more.")},
    )
    options = forms.CharField(
        label=_("Answers"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One answer per line, at least two."),
        error_messages={"required": _("Enter the answers, one per line.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [line.strip() for line in (data.get("options") or "").splitlines() if line.strip()]
        data["option_lines"] = lines
        if "options" in data and len(lines) < 2:
            self.add_error("options", _("Give at least two answers, one per line."))
        elif len(set(lines)) != len(lines):
            self.add_error("options", _("Each answer must be different."))
        if not data.get("multiple"):
            data["max_choices"] = None
        elif data.get("max_choices") and data["max_choices"] > len(lines):
            self.add_error(
                "max_choices", _("The maximum cannot be more than the number of answers.")
            )
        return data


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the poll closing early?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone sees this reason on the poll's page."),
        error_messages={"required": _("Give the reason for closing the poll early.")},
    )


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=20,
        help_text=_("For example ABCD-EFGH-JKMN."),
        error_messages={"required": _("Enter your receipt code.")},
    )

    def clean_code(self) -> str:
        raw = "".join(self.cleaned_data["code"].split()).upper().replace("-", "")
        if len(raw) != 12:
            raise ValidationError(_("Enter the 12 characters of the receipt code."), code="format")
        return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
