"""get_FOO_display() through ChoiceLabels gives what Django's own would, in each language."""

from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from dimos.core.choices import ChoiceLabels
from dimos.service_requests.models import ServiceRequest


def _fields_with_choices() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    return [
        (model, field)
        for model in apps.get_models()
        if model.__module__.startswith("dimos.")
        for field in model._meta.concrete_fields
        if field.choices
    ]


def test_every_dimos_model_with_choices_uses_choice_labels() -> None:
    missing = sorted(
        {
            model.__name__
            for model, _field in _fields_with_choices()
            if not issubclass(model, ChoiceLabels)
        }
    )
    assert missing == []


@pytest.mark.parametrize("language", ["el", "en"])
def test_labels_are_djangos_in_each_language(language: str) -> None:
    checked = 0
    with translation.override(language):
        for model, field in _fields_with_choices():
            for value, _label in field.flatchoices:
                instance = model(**{field.attname: value})
                shown = getattr(instance, f"get_{field.name}_display")()
                assert shown == models.Model._get_FIELD_display(instance, field)  # type: ignore[attr-defined]
                checked += 1
    assert checked > 50


def test_label_follows_the_active_language() -> None:
    request = ServiceRequest(status=ServiceRequest.Status.RESOLVED)
    with translation.override("el"):
        greek = request.get_status_display()
    with translation.override("en"):
        english = request.get_status_display()
    assert greek != english
    assert english == "Resolved"


def test_a_value_outside_the_choices_is_shown_as_it_is() -> None:
    assert ServiceRequest(status="unknown-state").get_status_display() == "unknown-state"
