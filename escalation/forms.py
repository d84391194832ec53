"""Forms of the escalation panel (case page) and of the liaison portal."""

from django import forms
from django.db.models import Case as SqlCase
from django.db.models import Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Priority
from escalation.models import (
    REFERRAL_AGENCY_KINDS,
    REFERRAL_CLOCK_SKEW,
    Agency,
    AgencyKind,
    LinkOutcome,
    ReferralMethod,
    RequestedAction,
)

MAX_TEXT = 4000


def form_prefix(escalation_id, action):
    """Each form of the case page has its own prefix, so several escalations' forms never share an id."""
    return f"esc-{escalation_id}-{action}" if escalation_id else "esc-new"


def _text(label, *, required=True, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class EscalationForm(forms.Form):
    """What a counsellor prepares; the packet adds the child's minimised facts and the consent from the case."""

    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    priority = forms.TypedChoiceField(label=_("Priority"), coerce=int, choices=Priority.choices)
    requested_actions = forms.MultipleChoiceField(
        label=_("Requested actions"), choices=RequestedAction.choices, widget=forms.CheckboxSelectMultiple
    )
    reason = _text(_("Why the agency is needed"), rows=2)
    summary = _text(
        _("Factual summary for the agency"),
        rows=4,
        help_text=_(
            "What happened, in facts. No name, school or contact of the child: the packet adds what consent allows."
        ),
    )
    incident_time = forms.CharField(label=_("When it happened (approximate is fine)"), required=False, max_length=200)
    reported_persons = _text(_("Reported persons: names, handles, profile links, phone numbers"), required=False)
    links = forms.ModelMultipleChoiceField(
        label=_("Links from the report"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    extra_targets = _text(_("Other links or accounts, one per line"), required=False, rows=2)
    money_lost_vnd = forms.IntegerField(label=_("Money lost (VND)"), required=False, min_value=0)
    beneficiary_accounts = _text(_("Accounts that received the money"), required=False, rows=2)
    evidence = forms.ModelMultipleChoiceField(
        label=_("Evidence files to include"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    actions_taken = _text(
        _("Actions already taken"),
        required=False,
        rows=2,
        help_text=_("Reported to the platform? To 111? To the police before?"),
    )
    contact_through_hotline_only = forms.BooleanField(
        label=_("The agency contacts the child only through the hotline"),
        required=False,
        initial=True,
        help_text=_("Without the consent the law asks for, contact always goes through the hotline."),
    )
    consent_override_reason = _text(
        _("Life or health at risk: why share without consent (a supervisor decides)"), required=False, rows=2
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            Agency.objects.current().filter(receives_escalations=True).exclude(kind=AgencyKind.YOUTH_UNION)
        )
        self.fields["links"].queryset = case.links.all()
        self.fields["links"].label_from_instance = lambda link: link.url
        self.fields["evidence"].queryset = case.evidence.all()
        self.fields["evidence"].label_from_instance = lambda item: (
            f"{item.original_name} · {item.content_type} · SHA-256 {item.sha256[:12]}…"
        )

    def clean(self):
        data = super().clean()
        data["extra_targets"] = [line.strip() for line in data.get("extra_targets", "").splitlines() if line.strip()]
        return data

    @classmethod
    def initial_for(cls, case):
        return {
            "priority": case.priority,
            "links": list(case.links.all()),
            "contact_through_hotline_only": True,
        }

    @classmethod
    def initial_from(cls, escalation):
        """A draft's own values, to change it."""
        return {
            "agency": escalation.agency,
            "priority": escalation.priority,
            "requested_actions": escalation.requested_actions,
            "reason": escalation.reason,
            "summary": escalation.summary,
            "incident_time": escalation.incident_time,
            "reported_persons": escalation.reported_persons,
            "links": [link.reported_link for link in escalation.links.all() if link.reported_link_id],
            "extra_targets": "\n".join(link.target for link in escalation.links.all() if not link.reported_link_id),
            "money_lost_vnd": escalation.money_lost_vnd,
            "beneficiary_accounts": escalation.beneficiary_accounts,
            "evidence": list(escalation.evidence.all()),
            "actions_taken": escalation.actions_taken,
            "contact_through_hotline_only": escalation.contact_through_hotline_only,
            "consent_override_reason": escalation.consent_override_reason,
        }


class ApproveForm(forms.Form):
    override_reason = _text(
        _("Life or health at risk: share identifying data without consent, because…"),
        required=False,
        rows=2,
        help_text=_("Leave empty to send without anything that identifies the child."),
    )


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), rows=2)


class AnswerForm(forms.Form):
    answer = _text(
        _("Answer to the agency"),
        help_text=_("The agency reads this. Identify the child only with consent or a supervisor's override."),
    )


class AcknowledgeForm(forms.Form):
    agency_reference = forms.CharField(label=_("Your reference number (optional)"), required=False, max_length=60)


class AgencyReferenceForm(forms.Form):
    agency_reference = forms.CharField(label=_("Your reference number"), max_length=60)


class QuestionForm(forms.Form):
    question = _text(_("Your question to the hotline"))


class LinkOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Choose an outcome")), *[c for c in LinkOutcome.choices if c[0] != LinkOutcome.PENDING]],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CompleteForm(forms.Form):
    outcome = _text(_("Outcome"), help_text=_("What your agency did. The hotline will tell the reporter what applies."))


class DeclineForm(forms.Form):
    reason = _text(_("Why your agency declines"))


REFERRAL_PREFIX = "referral"
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ReferralForm(forms.Form):
    """ "Notified now": whom, how, when, the officer and what was agreed (Decree 56/2017)."""

    agency = forms.ModelChoiceField(
        label=_("Whom did you notify?"),
        queryset=Agency.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the bodies in the list.")},
    )
    method = forms.ChoiceField(label=_("How"), choices=ReferralMethod.choices, widget=forms.RadioSelect)
    notified_at = forms.DateTimeField(
        label=_("When"),
        help_text=_("Now, or earlier; not in the future."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={"invalid": _("Enter a date and time, for example 29/11/2026 14:30.")},
    )
    officer_name = forms.CharField(label=_("Name of the officer you spoke to"), max_length=200)
    agreed = _text(_("What was agreed"), rows=3)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", REFERRAL_PREFIX)
        super().__init__(*args, **kwargs)
        # In the order a counsellor turns to them: child protection (111 first), the police, then the communes.
        kinds = [AgencyKind.CHILD_PROTECTION, AgencyKind.POLICE, AgencyKind.LOCAL_GOVERNMENT]
        order = SqlCase(*(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(kinds)), default=Value(9))
        self.fields["agency"].queryset = (
            Agency.objects.current()
            .filter(kind__in=REFERRAL_AGENCY_KINDS)
            .order_by(order, "receives_escalations", "short_name")
        )
        self.fields["agency"].label_from_instance = lambda agency: (
            f"{agency.short_name} · {agency.phone}" if agency.phone else agency.short_name
        )

    @classmethod
    def initial_now(cls):
        return {"notified_at": timezone.localtime().strftime(DATETIME_LOCAL), "method": ReferralMethod.PHONE}

    def clean_notified_at(self):
        notified_at = self.cleaned_data["notified_at"]
        if notified_at > timezone.now() + REFERRAL_CLOCK_SKEW:
            raise forms.ValidationError(_("This time is in the future. Enter when you notified them."), code="future")
        return notified_at
