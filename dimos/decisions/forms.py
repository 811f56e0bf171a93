from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from dimos.core.uploads import PDF_ONLY, validate_document
from dimos.decisions import pdfs, queries, rules
from dimos.decisions.models import Body, Decision, DecisionType, ThematicCategory

DATE_HELP = _("For example 15/3/2026")
DECISION_MAX_BYTES = getattr(settings, "DIMOS_DECISION_MAX_BYTES", 50 * 1024 * 1024)


class GreekDateField(forms.DateField):
    """A date as Greeks write it (15/3/2026), or from a date picker (2026-03-15)."""

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        parsed = rules.parse_date(str(value))
        if parsed is None:
            raise ValidationError(_("Enter a real date, for example 15/3/2026."), code="invalid")
        return parsed


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        help_text=_(
            "Words of the subject or the text, a decision number such as 123/2026, an ΑΔΑ or a date"
        ),
    )
    number = forms.CharField(
        label=_("Decision number"),
        max_length=20,
        required=False,
        help_text=_("For example 123/2026, or 123 for every year"),
    )
    subject = forms.CharField(label=_("Words of the subject"), max_length=200, required=False)
    date_from = GreekDateField(label=_("Decided from"), required=False, help_text=DATE_HELP)
    date_to = GreekDateField(label=_("Decided until"), required=False, help_text=DATE_HELP)
    body = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.all(),
        required=False,
        empty_label=_("All"),
        to_field_name="code",
    )
    decision_type = forms.ModelChoiceField(
        label=_("Decision type"),
        queryset=DecisionType.objects.all(),
        required=False,
        empty_label=_("All"),
        to_field_name="code",
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("relevance", _("Relevance")), ("newest", _("Newest first")),
                 ("oldest", _("Oldest first"))],
    )  # fmt: skip

    def clean_number(self) -> rules.DecisionNumber | None:
        text = self.cleaned_data["number"].strip()
        if not text:
            return None
        number = rules.parse_number(text)
        if number is None:
            raise ValidationError(
                _("Enter the decision number as it is written, for example 123/2026."),
                code="number",
            )
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data

    def criteria(self) -> queries.Criteria:
        data = self.cleaned_data
        return queries.Criteria(
            text=data.get("q") or "",
            number=data.get("number"),
            subject=data.get("subject") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            body=data.get("body"),
            decision_type=data.get("decision_type"),
            sort=data.get("sort") or "relevance",
        )


class DecisionForm(forms.Form):
    """Staff: a decision's metadata and its PDF."""

    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.all())
    protocol_number = forms.CharField(
        label=_("Decision number"), max_length=50, help_text=_("As written, for example 123/2026")
    )
    ada = forms.CharField(
        label=_("ΑΔΑ"),
        max_length=30,
        required=False,
        help_text=_("The Diavgeia publication number, for example ΨΘ82ΩΡΦ-7ΑΙ"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=2000, widget=forms.Textarea)
    meeting_date = GreekDateField(label=_("Meeting date"), required=False, help_text=DATE_HELP)
    decision_date = GreekDateField(label=_("Decision date"), help_text=DATE_HELP)
    decision_type = forms.ModelChoiceField(
        label=_("Decision type"), queryset=DecisionType.objects.all(), required=False
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Thematic categories"),
        queryset=ThematicCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pdf = forms.FileField(label=_("The decision as PDF"))

    def __init__(self, *args: Any, instance: Decision | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "body": instance.body,
                "protocol_number": instance.protocol_number,
                "ada": instance.ada,
                "subject": instance.subject,
                "meeting_date": instance.meeting_date,
                "decision_date": instance.decision_date,
                "decision_type": instance.decision_type,
                "categories": list(instance.categories.all()),
            }
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["pdf"].required = False
            self.fields["pdf"].label = _("Replace the PDF")

    def clean_protocol_number(self) -> str:
        text: str = self.cleaned_data["protocol_number"].strip()
        number = rules.parse_number(text)
        if number is None or number.year is None:
            raise ValidationError(
                _("Enter the number with its year, for example 123/2026."), code="number"
            )
        return str(number)

    def clean_ada(self) -> str:
        text: str = self.cleaned_data["ada"].strip()
        if not text:
            return ""
        ada = rules.parse_ada(text)
        if ada is None:
            raise ValidationError(
                _("Enter the ΑΔΑ as Diavgeia shows it, for example ΨΘ82ΩΡΦ-7ΑΙ."), code="ada"
            )
        return ada

    def clean_pdf(self) -> bytes | None:
        upload: UploadedFile | None = self.cleaned_data.get("pdf")
        if not upload:
            return None
        if upload.size and upload.size > DECISION_MAX_BYTES:
            raise ValidationError(_("The PDF must be smaller than 50 MB."), code="too_big")
        try:
            validate_document(upload, PDF_ONLY, DECISION_MAX_BYTES)
        except ValidationError as exc:
            if exc.code == "type":
                message = _("The selected file is not a PDF.")
                raise ValidationError(message, code="not_pdf") from None
            raise
        upload.seek(0)
        data = upload.read()
        pdfs.check(data)
        return data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decided, met = data.get("decision_date"), data.get("meeting_date")
        if decided and met and met > decided:
            self.add_error("meeting_date", _("The meeting cannot be after the decision date."))
        number = data.get("protocol_number")
        if decided and number and rules.parse_number(number).year != decided.year:  # type: ignore[union-attr]
            self.add_error(
                "protocol_number",
                _("The year of the number must be the year of the decision date."),
            )
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the decision revoked?"), max_length=2000, widget=forms.Textarea
    )


class CorrectForm(forms.Form):
    correction = forms.CharField(
        label=_("The decision that corrects it"),
        max_length=50,
        help_text=_("Its number (for example 130/2026) or its ΑΔΑ"),
    )
    reason = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        self.decision = decision
        super().__init__(*args, **kwargs)

    def clean_correction(self) -> Decision:
        found = queries.find_by_reference(self.decision.body, self.cleaned_data["correction"])
        if found is None:
            raise ValidationError(
                _("No decision of this body has that number or ΑΔΑ."), code="not_found"
            )
        if found.pk == self.decision.pk:
            raise ValidationError(_("A decision cannot correct itself."), code="self")
        return found
