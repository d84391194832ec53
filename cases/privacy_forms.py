"""Staff forms for consent records, requests about personal data and the breach register."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases import access
from cases.models import (
    AgeBand,
    Case,
    ConsentChannel,
    ConsentGiver,
    ConsentScope,
    DataRequestKind,
    DataRequestState,
)

LOCAL_DATETIME = {
    "input_formats": ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
}


class ConsentRecordForm(forms.Form):
    """A consent a counsellor heard: for instance a parent's, on the phone."""

    given_by = forms.ChoiceField(
        label=_("Who agreed"), choices=ConsentGiver.choices, initial=ConsentGiver.GUARDIAN, widget=forms.RadioSelect
    )
    age_band = forms.ChoiceField(label=_("Age of the child, as they told you"), choices=AgeBand.choices)
    scopes = forms.MultipleChoiceField(
        label=_("What they agreed to"), choices=ConsentScope.choices, widget=forms.CheckboxSelectMultiple
    )
    channel = forms.ChoiceField(
        label=_("How"),
        choices=[(ConsentChannel.PHONE, ConsentChannel.PHONE.label), (ConsentChannel.CHAT, ConsentChannel.CHAT.label)],
        initial=ConsentChannel.PHONE,
        widget=forms.RadioSelect,
    )


class StaffDataRequestForm(forms.Form):
    """A request about personal data that reached the hotline by phone, chat or letter."""

    reference = forms.CharField(label=_("Case reference"), max_length=20)
    kind = forms.ChoiceField(label=_("Request"), choices=DataRequestKind.choices)
    details = forms.CharField(
        label=_("What was asked"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )

    def clean_reference(self):
        reference = access.normalize_reference(self.cleaned_data["reference"])
        case = Case.objects.filter(reference=reference).first() if reference else None
        if case is None:
            raise ValidationError(_("No case has this reference."), code="unknown")
        self.cleaned_data["case"] = case
        return reference


class CaseDataRequestForm(forms.Form):
    """The same, from the case's page (the reference is the page's)."""

    kind = forms.ChoiceField(label=_("Request"), choices=DataRequestKind.choices)
    details = forms.CharField(
        label=_("What was asked"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class AnswerDataRequestForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Answer"),
        choices=[(DataRequestState.DONE, _("Done")), (DataRequestState.REFUSED, _("Refused"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("What the reporter reads (required for a refusal: the reason)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("state") == DataRequestState.REFUSED and not (data.get("answer") or "").strip():
            self.add_error("answer", _("Give the reason: the reporter reads it."))
        return data


class BreachForm(forms.Form):
    what = forms.CharField(
        label=_("What happened"),
        help_text=_("What data, how, how many people. Do not copy the personal data itself here."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    found_at = forms.DateTimeField(label=_("When it was found"), **LOCAL_DATETIME)
    occurred_at = forms.DateTimeField(label=_("When it happened (if known)"), required=False, **LOCAL_DATETIME)
    references = forms.CharField(
        label=_("Cases affected (references, one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    people_affected = forms.IntegerField(label=_("People affected (estimate)"), min_value=0, required=False)
    measures = forms.CharField(
        label=_("Measures taken so far"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )

    def clean_references(self):
        references = [access.normalize_reference(line) for line in self.cleaned_data["references"].splitlines()]
        references = [reference for reference in references if reference]
        cases = list(Case.objects.filter(reference__in=references))
        unknown = sorted(set(references) - {case.reference for case in cases})
        if unknown:
            raise ValidationError(
                _("No case has these references: %(references)s") % {"references": ", ".join(unknown[:10])},
                code="unknown",
            )
        self.cleaned_data["cases"] = cases
        return self.cleaned_data["references"]

    def clean(self):
        data = super().clean()
        if data.get("found_at") and data.get("occurred_at") and data["occurred_at"] > data["found_at"]:
            self.add_error("occurred_at", _("A breach happens before it is found."))
        return data


class MeasureForm(forms.Form):
    text = forms.CharField(label=_("Measure taken"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class NotificationForm(forms.Form):
    notified_at = forms.DateTimeField(label=_("When the authority was notified"), **LOCAL_DATETIME)
    reference = forms.CharField(label=_("Reference of the notice (if any)"), max_length=200, required=False)
