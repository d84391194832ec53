"""The young person's forms: the report (web page and, with the same rules, the JSON API), the status look-up and
"add information"."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases import access
from cases.intake_forms import EvidenceField, IntakeForm, count_limited
from cases.models import DataRequestKind
from cases.plumbing import MAX_MESSAGE


class ReportForm(IntakeForm):
    """The public report form: the intake's fields and rules (cases.intake_forms), as the young person sees them."""


class StatusLookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    access_code = forms.CharField(
        label=_("Access code"),
        max_length=40,
        widget=forms.PasswordInput(
            render_value=True,
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
        ),
    )

    def clean_reference(self):
        reference = access.normalize_reference(self.cleaned_data["reference"])
        if not reference:
            raise ValidationError(_("A reference looks like ABCD-2345."), code="invalid")
        return reference


class AddInformationForm(forms.Form):
    text = forms.CharField(
        label=_("Add information or write to us"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_MESSAGE,
        required=False,
    )
    evidence = EvidenceField(label=_("Screenshots or PDF files"))
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        count_limited(self.fields["text"], MAX_MESSAGE)
        self.fields["text"].personal_data = self.fields["evidence"].personal_data = True

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("evidence") and not self.errors:
            raise ValidationError(_("Write something or choose a file to send."), code="empty")
        return data


class ReporterDataRequestForm(forms.Form):
    """What the reporter asks about their data, from the status page (seeing it has its own button)."""

    kind = forms.ChoiceField(
        label=_("What do you want us to do?"),
        choices=[
            (DataRequestKind.CORRECT, _("Correct something I told you")),
            (DataRequestKind.DELETE, _("Delete my data")),
            (DataRequestKind.OBJECT, _("Stop using my data in a way I do not agree with")),
        ],
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=_("Tell us more (optional)"),
        help_text=_("For a correction: what is wrong and what is right."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
