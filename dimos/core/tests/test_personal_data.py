"""Every model that holds personal data is exported and closed, or excluded with a reason."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from dimos.accounts.models import Business, User
from dimos.core import personal_data
from dimos.core.personal_data import Closure
from dimos.core.tests.gdpr_samples import give_everything
from dimos.registry.models import Person


def person_models() -> list[type[models.Model]]:
    return [apps.get_model(settings.AUTH_USER_MODEL), Person]


def test_every_model_with_personal_data_is_exported_or_excluded_with_a_reason() -> None:
    covered = personal_data.covered_labels()
    excluded = personal_data.exclusions()
    missing = {
        model._meta.label: personal_data.personal_reasons(model, person_models())
        for model in apps.get_models()
        if model._meta.label not in covered and model._meta.label not in excluded
    }
    missing = {label: why for label, why in missing.items() if why}
    assert not missing, (
        "These models hold personal data but no <app>/personal_data.py exports them or "
        f"excludes them with a reason: {missing}"
    )


def test_the_walk_catches_a_new_model_with_personal_data() -> None:
    class Pet(models.Model):
        owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return ""

    class Parcel(models.Model):
        recipient_phone = models.CharField(max_length=20)

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return ""

    class Colour(models.Model):
        code = models.CharField(max_length=20)

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return ""

    try:
        assert personal_data.personal_reasons(Pet, person_models()) == ["owner → accounts.User"]
        assert personal_data.personal_reasons(Parcel, person_models()) == ["recipient_phone"]
        assert personal_data.personal_reasons(Colour, person_models()) == []
    finally:
        for name in ("pet", "parcel", "colour"):
            apps.all_models["core"].pop(name, None)
        apps.clear_cache()


def test_exclusions_name_installed_models_or_optional_libraries() -> None:
    installed = {m._meta.label for m in apps.get_models()}
    optional = {"axes"}  # excluded ahead of being installed (security work)
    stale = {
        label
        for label in personal_data.exclusions()
        if label not in installed and label.split(".")[0] not in optional
    }
    assert not stale


def test_sections_that_delete_or_anonymise_say_how() -> None:
    for section in personal_data.sections():
        if section.closure in (Closure.DELETE, Closure.ANONYMISE):
            assert section.close is not None, section.key
        assert str(section.reason) and str(section.title), section.key


@pytest.mark.django_db
def test_every_exporter_returns_the_rows_of_a_person_who_has_them(
    citizen: User, other_resident: User, business: Business
) -> None:
    give_everything(citizen, business)
    for section in personal_data.sections():
        rows = personal_data.section_rows(section, citizen)
        assert rows, f"section {section.key} exported nothing"
        assert not personal_data.section_rows(section, other_resident) or section.key in (
            "account",
            "email_addresses",
        ), f"section {section.key} exported another person's rows"


@pytest.mark.django_db
def test_exporters_never_return_another_persons_rows(
    citizen: User, other_resident: User, business: Business
) -> None:
    give_everything(citizen, business)
    for section in personal_data.sections():
        for row in personal_data.section_rows(section, other_resident):
            assert citizen.email not in str(row), section.key
            assert citizen.last_name not in str(row), section.key
