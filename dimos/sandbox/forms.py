from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.sandbox.cardlink import MAX_BACKGROUND, STATUSES

AMOUNT_CHANGES = {"same": 0, "less": -1, "more": 1}  # cents added to the ordered amount


class CardDecisionForm(forms.Form):
    """The tester's choice on the card page, and the ways to make the gateway misbehave."""

    request = forms.CharField(widget=forms.HiddenInput)  # the merchant's form, re-verified
    outcome = forms.ChoiceField(choices=[(key, key) for key in STATUSES])
    background = forms.TypedChoiceField(
        label=_("Background confirmations to the municipality"),
        choices=[(n, str(n)) for n in range(MAX_BACKGROUND + 1)],
        coerce=int,
        initial=1,
    )
    background_when = forms.ChoiceField(
        label=_("When"),
        choices=[
            ("before", _("Before the browser returns")),
            ("after", _("A few seconds after the browser returns")),
        ],
        initial="before",
        widget=forms.RadioSelect,
    )
    lose_return = forms.BooleanField(
        label=_("Lose the browser return (background confirmation only)"), required=False
    )
    tamper = forms.BooleanField(label=_("Send a wrong digest"), required=False)
    amount_change = forms.ChoiceField(
        label=_("Amount sent back"),
        choices=[
            ("same", _("The amount ordered")),
            ("less", _("One cent less")),
            ("more", _("One cent more")),
        ],
        initial="same",
    )
