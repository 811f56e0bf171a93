"""Render Django form fields with the gov.gr design system's classes and ARIA links."""

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_WIDGET_CLASSES = {
    "textarea": "govgr-textarea",
    "select": "govgr-select",
    "file": "govgr-file-input",
    "input": "govgr-input",
}


@register.filter
def widget_kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        widget.attrs["class"] = "govgr-radios__input"
        return "radio"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


def _described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def govgr_widget(field: BoundField) -> SafeString:
    kind = widget_kind(field)
    css = _WIDGET_CLASSES.get(kind, "govgr-input")
    if field.errors:
        css += " govgr-error-input"
    attrs: dict[str, str | bool] = {"class": css}
    described_by = _described_by(field)
    if described_by:
        attrs["aria-describedby"] = described_by
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def with_class(field: BoundField, css: str) -> SafeString:
    attrs: dict[str, str | bool] = {"class": css}
    described_by = _described_by(field)
    if described_by:
        attrs["aria-describedby"] = described_by
    return field.as_widget(attrs=attrs)


@register.filter
def error_anchor(field: BoundField) -> str:
    """Where an error in the summary leads: the field, or the first option of a choice."""
    if widget_kind(field) == "radio":
        return f"{field.auto_id}_0"
    return str(field.id_for_label or field.auto_id)
