from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dimos.accounts.forms import DecisionForm
from dimos.accounts.validators import clean_amka
from dimos.registry.models import Person, ResidencyClaim


class ClaimForm(forms.ModelForm[ResidencyClaim]):
    class Meta:
        model = ResidencyClaim
        fields = [
            "amka",
            "family_number",
            "last_name",
            "first_name",
            "father_name",
            "mother_name",
            "birth_date",
        ]
        labels = {
            "amka": _("Social security number (ΑΜΚΑ)"),
            "family_number": _("Family record number (μερίδα)"),
        }
        help_texts = {
            "amka": _("11 digits, as on your health booklet or at amka.gr."),
            "family_number": _(
                "The number of your family record in the municipal registry. "
                "It is on a family status certificate (πιστοποιητικό "
                "οικογενειακής κατάστασης)."
            ),
            "birth_date": _("For example 1985-03-27."),
        }
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "amka": {"required": _("Enter your ΑΜΚΑ.")},
            "family_number": {"required": _("Enter your family record number (μερίδα).")},
            "first_name": {"required": _("Enter your first name as in the registry.")},
            "last_name": {"required": _("Enter your surname as in the registry.")},
            "father_name": {"required": _("Enter your father's first name.")},
            "mother_name": {"required": _("Enter your mother's first name.")},
            "birth_date": {
                "required": _("Enter your date of birth."),
                "invalid": _("Enter a real date of birth, like 1985-03-27."),
            },
        }

    def clean_amka(self) -> str:
        return clean_amka(self.cleaned_data["amka"])

    def clean_family_number(self) -> str:
        return "".join(self.cleaned_data["family_number"].split())


class RegisteredPersonField(forms.ModelChoiceField[Person]):
    """Each choice shows what a clerk needs to tell persons apart."""

    def label_from_instance(self, obj: Person) -> str:
        return (
            f"{obj.last_name} {obj.first_name}, {_('father')} {obj.father_name}, "
            f"{_('mother')} {obj.mother_name}, {obj.birth_date:%d/%m/%Y}, "
            f"{_('family record')} {obj.family.number}, ΑΜΚΑ {obj.amka or '—'}"
        )


class ClaimDecisionForm(DecisionForm):
    person = RegisteredPersonField(
        label=_("Registered person"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the registered persons shown.")},
    )
    field_order = ["decision", "person", "reason"]

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field = self.fields["person"]
        assert isinstance(person_field, forms.ModelChoiceField)
        person_field.queryset = candidates

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "approve" and not data.get("person"):
            self.add_error("person", _("Choose the registered person this account belongs to."))
        return data
