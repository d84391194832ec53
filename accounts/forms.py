"""Forms of the second sign-in step, enrolment and sessions."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false", "size": 12}
        ),
    )


class EnrolTotpForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        help_text=_("After adding the account, type the 6-digit code the app shows."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "size": 8}
        ),
    )


class RecoveryCodesSavedForm(forms.Form):
    saved = forms.BooleanField(
        label=_("I have written these codes down or stored them in a safe place"),
        error_messages={"required": _("Confirm that you have kept the recovery codes.")},
    )
