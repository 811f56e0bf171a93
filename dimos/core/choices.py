"""Choice labels (`get_status_display()` and the like) looked up, not rebuilt, per call.

Models with choices inherit `ChoiceLabels` (first among their bases).

Django's `Model._get_FIELD_display` builds a dict of all the field's choices on every call,
hashing each lazy label — one gettext per choice — only to look up one value. Lists show two
or three such labels per row, so a 20-row page spent about a fifth of its time there. The
labels are kept per field (still lazy, so they are translated in the language of each
request); fields whose choices come from a callable are left to Django.
"""

from typing import Any

from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_labels_of_field: dict[models.Field[Any, Any], dict[Any, Any]] = {}


def _labels(field: models.Field[Any, Any]) -> dict[Any, Any]:
    labels = _labels_of_field.get(field)
    if labels is None:
        labels = {make_hashable(value): label for value, label in field.flatchoices}
        _labels_of_field[field] = labels
    return labels


class ChoiceLabels:
    """Mixin for models: get_FOO_display() reads the field's labels from a dict kept per field.

    Django binds get_FOO_display() to `cls._get_FIELD_display` when the class is built, so the
    mixin has to be a base of the model, not a patch applied later."""

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:  # noqa: N802 (Django's name)
        if isinstance(field.choices, CallableChoiceIterator):
            return models.Model._get_FIELD_display(self, field)
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
