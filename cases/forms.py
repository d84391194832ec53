"""Forms of the operator workspace."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from cases import access
from cases.consent import Grant, giver_for_role
from cases.intake_forms import IntakeForm
from cases.models import (
    AgeBand,
    Case,
    CaseState,
    Category,
    ConsentChannel,
    ConsentGiver,
    ConsentScope,
    ContactPreference,
    Outcome,
    Priority,
    ProtectionLevel,
    RejectReason,
    ReporterRole,
)
from cases.plumbing import MAX_MESSAGE, Throttle, check_vietnamese_phone

login_failures = Throttle("login", "THROTTLE_LOGIN")


class StaffLoginForm(AuthenticationForm):
    """Django's login, refusing a client after repeated failures (counted per address and per user name)."""

    def clean(self):
        request = self.request
        username = (self.data.get("username") or "")[:150].lower()
        if login_failures.blocked(request) or login_failures.blocked(request, extra=username):
            raise ValidationError(
                _("Too many failed attempts. Wait 15 minutes or ask an administrator."), code="throttled"
            )
        try:
            return super().clean()
        except ValidationError:
            login_failures.hit(request)
            login_failures.hit(request, extra=username)
            raise


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Open cases")), ("all", _("All cases")), *CaseState.choices],
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), required=False, coerce=int, empty_value=None, choices=[("", _("Any")), *Priority.choices]
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    awaiting_approval = forms.BooleanField(label=_("Escalation awaiting approval"), required=False)
    q = forms.CharField(label=_("Reference"), required=False, max_length=20)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        categories = Category.objects.filter(parent__isnull=True)
        self.fields["category"].choices = [("", _("Any"))] + [(c.code, c.name) for c in categories]
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("mine", _("Mine")),
            ("unassigned", _("Unassigned")),
        ] + [(str(user.pk), user.get_full_name() or user.username) for user in staff]


class TriageForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(active=True))
    priority = forms.TypedChoiceField(label=_("Priority"), coerce=int, choices=Priority.choices)
    in_danger = forms.BooleanField(label=_("Imminent danger"), required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=get_user_model().objects.none(), required=False)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["assignee"].queryset = staff


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_MESSAGE)

    def __init__(self, *args, **kwargs):
        # On the case page beside the message form, whose field is also `text`: ids must differ.
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)


class ProtectionLevelForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level of protection (Law on Children 2016)"),
        choices=ProtectionLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the three levels.")},
    )


class StaffMessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message to the reporter"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_MESSAGE
    )
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ClearDangerForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is nobody in danger any more?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why reopen?"), max_length=500)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectReason.choices)
    duplicate_of = forms.CharField(
        label=_("Duplicate of (reference)"), required=False, max_length=20, help_text=_("Only for duplicates.")
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean(self):
        data = super().clean()
        reference = access.normalize_reference(data.get("duplicate_of", ""))
        data["merged_into"] = None
        if data.get("reason") == RejectReason.DUPLICATE:
            target = Case.objects.filter(reference=reference).first() if reference else None
            if target is None:
                self.add_error("duplicate_of", _("Enter the reference of the case this one duplicates."))
            elif self.case is not None and target.pk == self.case.pk:
                self.add_error("duplicate_of", _("A case cannot duplicate itself."))
            else:
                data["merged_into"] = target
        return data


class PhoneIntakeForm(IntakeForm):
    """The web form's fields, filled in by an operator during a call, plus the caller's number and the consents the
    operator heard (the child's own, and a parent's or guardian's, each asked on the call)."""

    child_consent = forms.BooleanField(
        label=_("The child agrees, on this call, that we may share their details with the authorities"),
        required=False,
    )
    guardian_consent = forms.BooleanField(
        label=_(
            "A parent or guardian agrees, on this call, that we may share the child's details with the authorities"
        ),
        required=False,
    )

    caller_phone = PhoneNumberField(
        label=_("Caller's number"),
        region="VN",
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        error_messages={"invalid": _("Enter a Vietnamese phone number, for example 0912 345 678.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["evidence"]
        # The operator fills this in: questions in the counsellor's voice, about the caller, not the child's "I".
        fields = self.fields
        fields["category"].label = _("What happened (closest category)")
        fields["category"].label_from_instance = lambda category: category.name
        fields["in_danger"].label = _("The caller says someone is in danger right now")
        fields["safety_answer"].label = _("Is the child thinking about hurting themselves? (ask gently)")
        fields["safety_answer"].help_text = _("Leave empty if you did not ask. “Yes” makes the case P1.")
        fields["ongoing"].label = _("Is it still happening, according to the caller?")
        fields["description"].label = _("What the caller told you")
        fields["description"].help_text = _(
            "Who, what, when, and what the caller needs from us. Quote the caller where the words matter."
        )
        fields["platforms"].label = _("Platforms involved")
        fields["links"].label = _("Links the caller gave (posts, chats, accounts)")
        fields["links"].help_text = _("One link per line.")
        fields["reporter_role"].label = _("Who is calling")
        fields["reporter_role"].choices = [
            (ReporterRole.SELF, _("The child or young person themselves")),
            (ReporterRole.FRIEND, _("A friend or another child")),
            *[(value, label) for value, label in ReporterRole.choices if value not in ("self", "friend")],
        ]
        fields["age_band"].label = _("Age of the child")
        fields["commune_unit"].label = _("The child's commune or ward")
        fields["commune_unit"].empty_label = _("Not given / unknown")
        fields["contact_preference"].label = _("How may the hotline reach the caller?")
        for name in ("consent_share_police", "consent_share_information", "consent_keep_evidence"):
            del self.fields[name]
        for field in fields.values():
            field.personal_data = False  # the privacy-notice links are for the young person, not the operator

    def consent_grants(self, *, channel=ConsentChannel.PHONE):
        """What was agreed on this call, heard by the operator: the child's and the guardian's own consents to
        share with the authorities (police and information department)."""
        data = self.cleaned_data
        age_band = data.get("age_band") or AgeBand.UNKNOWN
        grants = []
        if data.get("contact_preference") in (ContactPreference.PHONE, ContactPreference.EMAIL):
            grants.append(
                Grant(
                    given_by=giver_for_role(data.get("reporter_role", "")),
                    scope=ConsentScope.CONTACT,
                    channel=channel,
                    age_band=age_band,
                )
            )
        for given_by, field in (
            (ConsentGiver.YOUNG_PERSON, "child_consent"),
            (ConsentGiver.GUARDIAN, "guardian_consent"),
        ):
            if data.get(field):
                grants.extend(
                    Grant(given_by=given_by, scope=scope, channel=channel, age_band=age_band)
                    for scope in (ConsentScope.SHARE_POLICE, ConsentScope.SHARE_INFORMATION)
                )
        return grants

    def clean_caller_phone(self):
        return check_vietnamese_phone(self.cleaned_data.get("caller_phone"))

    def clean(self):
        if self.cleaned_data.get("caller_phone") and not self.cleaned_data.get("contact_phone"):
            self.cleaned_data["contact_phone"] = self.cleaned_data["caller_phone"]
        data = super().clean()
        data["evidence"] = []
        return data


class DutyShiftForm(forms.Form):
    """A supervisor on duty from a start to an end (local time, minutes)."""

    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=get_user_model().objects.none())
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors
        self.fields["supervisor"].label_from_instance = lambda user: user.get_full_name() or user.username

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("A shift ends after it starts."))
        return data
