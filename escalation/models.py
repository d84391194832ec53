"""Agencies, the liaison users who act for them, and the escalations the hotline sends them."""

import datetime

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models import LocalizedNameMixin, Priority, RollupSpan


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police")
    INFORMATION = "information", _("Online information authority")
    YOUTH_UNION = "youth_union", _("Youth Union")
    LOCAL_GOVERNMENT = "local_government", _("Commune or ward People's Committee")
    SCHOOL = "school", _("School")
    CHILD_PROTECTION = "child_protection", _("Child protection service")
    OTHER = "other", _("Other")


class AgencyQuerySet(models.QuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day)))


class Agency(LocalizedNameMixin, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    email = models.EmailField(_("e-mail for escalations"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    receives_escalations = models.BooleanField(
        _("receives escalations in the liaison portal"),
        default=True,
        help_text=_(
            "Off for bodies notified by phone only (111, 113, the People's Committees): they are offered for "
            "child-protection notifications, not for escalations."
        ),
    )
    valid_from = models.DateField(_("valid from"), default=datetime.date(2000, 1, 1))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("superseded by"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # The directory: filled in by the operator (the seed leaves them empty rather than guess).
    address = models.CharField(_("address"), max_length=200, blank=True)
    hours = models.CharField(_("office hours"), max_length=200, blank=True)
    # A plain field with a URL check: the form's URLField would guess a scheme for a bare domain.
    website = models.CharField(_("website"), max_length=200, blank=True, validators=[URLValidator()])
    # A commune or ward People's Committee belongs to its unit.
    unit = models.ForeignKey(
        "cases.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("commune or ward"),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["valid_until", "short_name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.short_name

    @property
    def is_current(self):
        today = timezone.localdate()
        return self.valid_from <= today and (self.valid_until is None or self.valid_until >= today)


# The bodies a counsellor notifies when a child needs protection (Decree 56/2017): the referral form lists the
# current agencies of these kinds.
REFERRAL_AGENCY_KINDS = [AgencyKind.CHILD_PROTECTION, AgencyKind.LOCAL_GOVERNMENT, AgencyKind.POLICE]
# A browser's clock may be a little ahead of the server's: "now" typed on the page is not "in the future".
REFERRAL_CLOCK_SKEW = datetime.timedelta(minutes=2)


class Liaison(models.Model):
    """A user who receives and answers escalations for exactly one agency."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="liaison")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="liaisons")
    phone = models.CharField(_("work phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")

    def __str__(self):
        return f"{self.user} · {self.agency}"


class EscalationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending_approval", _("Waiting for a supervisor's approval")
    SENT = "sent", _("Sent, awaiting acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress at the agency")
    INFO_REQUESTED = "info_requested", _("Agency asked for more information")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    RETRACTED = "retracted", _("Retracted by the hotline")


# Before the agency has it.
PREPARING_STATES = [EscalationState.DRAFT, EscalationState.PENDING_APPROVAL]
# At the agency and not finished: these keep the case "escalated".
AT_AGENCY_STATES = [
    EscalationState.SENT,
    EscalationState.ACKNOWLEDGED,
    EscalationState.IN_PROGRESS,
    EscalationState.INFO_REQUESTED,
]
FINISHED_STATES = [EscalationState.COMPLETED, EscalationState.DECLINED, EscalationState.RETRACTED]


class RequestedAction(models.TextChoices):
    INVESTIGATE = "investigate", _("Investigate and identify the perpetrator")
    PROTECT = "protect", _("Urgent protection of the child")
    PRESERVE = "preserve", _("Preservation request to the platform")
    TAKEDOWN = "takedown", _("Take the content down")
    SUSPEND = "suspend", _("Suspend the account")
    FREEZE = "freeze", _("Freeze funds")
    ADVICE = "advice", _("Advice")


# Requests that start the platform's takedown clock (Decree 147/2024) on each link.
TAKEDOWN_ACTIONS = {RequestedAction.TAKEDOWN, RequestedAction.SUSPEND}


class ConsentBasis(models.TextChoices):
    OWN = "own", _("The young person's own consent (16 or older)")
    GUARDIAN_AND_CHILD = "guardian_and_child", _("Consent of a guardian and of the child")
    OVERRIDE = "override", _("No consent: life or health at risk (supervisor's override)")
    NONE = "none", _("No consent: no identifying data, contact through the hotline only")


class LinkOutcome(models.TextChoices):
    PENDING = "pending", _("No outcome yet")
    TAKEN_DOWN = "taken_down", _("Taken down")
    STILL_ONLINE = "still_online", _("Still online")
    INVESTIGATION_OPENED = "investigation_opened", _("Investigation opened")


def is_liaison_of(escalation, user):
    """Only a liaison of the escalation's own agency may act on it."""
    if not user.has_perm("escalation.act_as_liaison"):
        return False
    liaison = getattr(user, "liaison", None)
    return liaison is not None and liaison.agency_id == escalation.agency_id


def _may_retract(escalation, user):
    # Before sending the counsellor may withdraw it; once the agency has it, a supervisor decides.
    if escalation.state in PREPARING_STATES:
        return user.has_perm("escalation.prepare_escalation")
    return user.has_perm("escalation.approve_escalation")


class Escalation(ConcurrentTransitionMixin, models.Model):
    """A case handed to one agency as a minimised packet, approved by a supervisor and frozen when sent.

    Transition methods are pure; escalation.services is their only caller.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="escalations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="escalations", verbose_name=_("agency"))
    state = FSMField(_("state"), default=EscalationState.DRAFT, choices=EscalationState.choices, protected=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.P3)
    reason = models.TextField(_("why the agency is needed"))
    requested_actions = models.JSONField(_("requested actions"), default=list, blank=True)

    # The incident as the agency needs it: written by the counsellor, not the reporter's own words.
    summary = models.TextField(_("factual summary"))
    incident_time = models.CharField(_("when it happened (approximate is fine)"), max_length=200, blank=True)
    reported_persons = models.TextField(_("reported persons: names, handles, profile links, phones"), blank=True)
    money_lost_vnd = models.PositiveBigIntegerField(_("money lost (VND)"), null=True, blank=True)
    beneficiary_accounts = models.TextField(_("accounts that received the money"), blank=True)
    actions_taken = models.TextField(_("actions already taken"), blank=True)
    evidence = models.ManyToManyField(
        "cases.Evidence", blank=True, related_name="escalations", verbose_name=_("evidence included")
    )

    # Consent and disclosure: decided by escalation.consent.disclosure_for, stamped when sent.
    contact_through_hotline_only = models.BooleanField(_("contact the child only through the hotline"), default=True)
    consent_basis = models.CharField(_("consent basis"), max_length=20, choices=ConsentBasis.choices, blank=True)
    consent_override_reason = models.TextField(_("why act without consent"), blank=True)
    consent_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # What the agency received, frozen at sending; later edits of the case do not change it.
    packet = models.JSONField(_("packet"), null=True, blank=True, editable=False)
    packet_sha256 = models.CharField(_("packet SHA-256"), max_length=64, blank=True, editable=False)

    # The agency's side.
    agency_reference = models.CharField(_("agency's reference number"), max_length=60, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    retract_reason = models.TextField(_("reason for retracting"), blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("prepared"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    ack_due_at = models.DateTimeField(_("acknowledgement due"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        indexes = [
            # The liaison portal: one agency's escalations, open ones by urgency.
            models.Index(fields=["agency", "state", "priority", "sent_at"], name="escalation_portal_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=4), name="escalation_priority_range"),
            # Whatever reached an agency has its frozen packet and fingerprint.
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | (Q(packet__isnull=False) & ~Q(packet_sha256="")),
                name="escalation_sent_has_packet",
            ),
        ]
        permissions = [
            ("prepare_escalation", "Can prepare escalations and answer agencies"),
            ("approve_escalation", "Can approve, return and retract escalations"),
            ("act_as_liaison", "Can act for an agency on its escalations"),
        ]

    def __str__(self):
        return self.code

    @property
    def code(self):
        return f"E-{self.pk}"

    @property
    def is_at_agency(self):
        return self.state in AT_AGENCY_STATES

    @property
    def is_finished(self):
        return self.state in FINISHED_STATES

    @property
    def ack_overdue(self):
        return self.state == EscalationState.SENT and self.ack_due_at is not None and self.ack_due_at < timezone.now()

    @property
    def requested_action_labels(self):
        labels = dict(RequestedAction.choices)
        return [labels.get(code, code) for code in self.requested_actions]

    # --- transitions: pure, called only from escalation.services ---

    @transition(
        field=state,
        source=EscalationState.DRAFT,
        target=EscalationState.PENDING_APPROVAL,
        permission="escalation.prepare_escalation",
    )
    def submit(self):
        pass

    @transition(
        field=state,
        source=EscalationState.PENDING_APPROVAL,
        target=EscalationState.DRAFT,
        permission="escalation.approve_escalation",
    )
    def return_to_draft(self):
        pass

    @transition(
        field=state,
        source=EscalationState.PENDING_APPROVAL,
        target=EscalationState.SENT,
        permission="escalation.approve_escalation",
    )
    def approve(self, *, by, sent_at, ack_due_at, packet, packet_sha256, consent_basis, override_reason=""):
        self.approved_by = by
        self.sent_at = sent_at
        self.ack_due_at = ack_due_at
        self.packet = packet
        self.packet_sha256 = packet_sha256
        self.consent_basis = consent_basis
        self.consent_override_reason = override_reason
        self.consent_override_by = by if consent_basis == ConsentBasis.OVERRIDE else None

    @transition(
        field=state,
        source=[*PREPARING_STATES, *AT_AGENCY_STATES],
        target=EscalationState.RETRACTED,
        permission=_may_retract,
    )
    def retract(self, *, reason):
        self.retract_reason = reason
        self.finished_at = timezone.now()

    @transition(field=state, source=EscalationState.SENT, target=EscalationState.ACKNOWLEDGED, permission=is_liaison_of)
    def acknowledge(self, *, by, agency_reference=""):
        self.acknowledged_by = by
        self.acknowledged_at = timezone.now()
        if agency_reference:
            self.agency_reference = agency_reference

    @transition(
        field=state,
        source=EscalationState.ACKNOWLEDGED,
        target=EscalationState.IN_PROGRESS,
        permission=is_liaison_of,
    )
    def start_work(self):
        pass

    @transition(
        field=state,
        source=[EscalationState.ACKNOWLEDGED, EscalationState.IN_PROGRESS],
        target=EscalationState.INFO_REQUESTED,
        permission=is_liaison_of,
    )
    def request_information(self):
        pass

    @transition(
        field=state,
        source=EscalationState.INFO_REQUESTED,
        target=EscalationState.IN_PROGRESS,
        permission="escalation.prepare_escalation",
    )
    def answer_information_request(self):
        pass

    @transition(
        field=state,
        source=[EscalationState.ACKNOWLEDGED, EscalationState.IN_PROGRESS],
        target=EscalationState.COMPLETED,
        permission=is_liaison_of,
    )
    def complete(self, *, outcome):
        self.outcome = outcome
        self.finished_at = timezone.now()

    @transition(field=state, source=AT_AGENCY_STATES, target=EscalationState.DECLINED, permission=is_liaison_of)
    def decline(self, *, reason):
        self.decline_reason = reason
        self.finished_at = timezone.now()


class EscalationLink(models.Model):
    """One link or account in an escalation, with the agency's outcome and the takedown clock."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="links")
    reported_link = models.ForeignKey(
        "cases.ReportedLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="escalation_links"
    )
    target = models.CharField(_("link or account"), max_length=2000)
    takedown_due_at = models.DateTimeField(_("takedown due"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=LinkOutcome.choices, default=LinkOutcome.PENDING)
    outcome_note = models.CharField(_("note"), max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("escalated link")
        verbose_name_plural = _("escalated links")

    def __str__(self):
        return self.target

    @property
    def takedown_overdue(self):
        return (
            self.outcome == LinkOutcome.PENDING
            and self.takedown_due_at is not None
            and self.takedown_due_at < timezone.now()
        )


class UpdateKind(models.TextChoices):
    SENT = "sent", _("Sent to the agency")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    AGENCY_REFERENCE = "agency_reference", _("Agency reference recorded")
    WORK_STARTED = "work_started", _("Work started")
    INFO_REQUEST = "info_request", _("Question from the agency")
    ANSWER = "answer", _("Answer from the hotline")
    LINK_OUTCOME = "link_outcome", _("Outcome for a link")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    RETRACTED = "retracted", _("Retracted by the hotline")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")


class EscalationUpdate(models.Model):
    """The exchange between the hotline and the agency, seen by both sides, oldest first."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=20, choices=UpdateKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    link = models.ForeignKey(EscalationLink, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["escalation", "created_at"], name="escalationupdate_time_idx")]

    def __str__(self):
        return f"{self.escalation_id} {self.kind}"


class ReferralMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")


class Referral(models.Model):
    """A child-protection notification (Decree 56/2017): the counsellor told an authority NOW, and says so here.

    It counts from the moment it is recorded: it starts the case's intervention clock. A supervisor approves it
    afterwards; approval is never a precondition. Written only by escalation.services (record_referral,
    approve_referral).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("notified"))
    method = models.CharField(_("how"), max_length=20, choices=ReferralMethod.choices)
    notified_at = models.DateTimeField(_("when"))
    officer_name = models.CharField(_("officer's name"), max_length=200)
    agreed = models.TextField(_("what was agreed"), max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["notified_at", "id"]
        verbose_name = _("child-protection notification")
        verbose_name_plural = _("child-protection notifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="referral_approval_complete",
            ),
        ]

    def __str__(self):
        return f"{self.case_id} → {self.agency_id} {self.notified_at:%Y-%m-%d %H:%M}"

    @property
    def is_approved(self):
        return self.approved_at is not None


class EscalationRollup(models.Model):
    """The statistics' counts of the escalations sent on one local day (or month, dated the 1st) to one agency, and
    of the takedowns they asked for. Written only by escalation/statistics.py, from the statistics rollup's recount
    of that day (cases/rollup.py: its lock held); read by the statistics page instead of every escalation."""

    day = models.DateField()
    span = models.CharField(max_length=5, choices=RollupSpan.choices, default=RollupSpan.DAY)
    agency_id = models.BigIntegerField()  # no foreign key: a rollup never blocks the directory
    sent = models.PositiveIntegerField(default=0)
    acknowledged = models.PositiveIntegerField(default=0)
    acknowledged_on_time = models.PositiveIntegerField(default=0)
    at_agency = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    retracted = models.PositiveIntegerField(default=0)
    takedowns_requested = models.PositiveIntegerField(default=0)
    taken_down = models.PositiveIntegerField(default=0)
    taken_down_on_time = models.PositiveIntegerField(default=0)
    still_online = models.PositiveIntegerField(default=0)
    takedowns_pending = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["span", "day"], name="escalation_rollup_span_day")]

    def __str__(self):
        return f"{self.day} {self.agency_id}: {self.sent}"
