"""A case and everything that belongs to one.

Transition methods here are pure: they change the state and stamp fields. Only cases/services.py calls them,
inside a transaction that also writes the CaseEvent.
"""

import contextlib
import uuid
from datetime import time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from phonenumber_field.modelfields import PhoneNumberField


class LocalizedNameMixin:
    """Rows seeded with a Vietnamese and an English name show the one of the active language."""

    def localized(self, field):
        lang = (get_language() or settings.LANGUAGE_CODE)[:2]
        return getattr(self, f"{field}_{lang}", "") or getattr(self, f"{field}_vi")

    @property
    def name(self):
        return self.localized("name")

    @property
    def child_label(self):
        return self.localized("child_label")


class Category(LocalizedNameMixin, models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    child_label_vi = models.CharField(_("label for young people (Vietnamese)"), max_length=200)
    child_label_en = models.CharField(_("label for young people (English)"), max_length=200)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return f"{self.code} · {self.name}"

    @property
    def top_level(self):
        return self.parent if self.parent_id else self


class Platform(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, default="other")
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self):
        return self.name


class ReporterRole(models.TextChoices):
    SELF = "self", _("About myself")
    FRIEND = "friend", _("About a friend or another child")
    PARENT = "parent", _("Parent or caregiver")
    TEACHER = "teacher", _("Teacher or school staff")
    OTHER_ADULT = "other_adult", _("Other adult")


class AgeBand(models.TextChoices):
    UNDER_10 = "under_10", _("Under 10")
    AGE_10_12 = "10_12", _("10–12")
    AGE_13_15 = "13_15", _("13–15")
    AGE_16_17 = "16_17", _("16–17")
    AGE_18_24 = "18_24", _("18–24")
    AGE_25_PLUS = "25_plus", _("25 and over")
    UNKNOWN = "unknown", _("Prefer not to say / don't know")


class Gender(models.TextChoices):
    FEMALE = "female", _("Girl / woman")
    MALE = "male", _("Boy / man")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Prefer not to say")


class Ongoing(models.TextChoices):
    YES = "yes", _("Yes, it is still happening")
    NO = "no", _("No, it has stopped")
    UNKNOWN = "unknown", _("I don't know")


class ContactPreference(models.TextChoices):
    NONE = "none", _("Stay anonymous: I will come back with my code")
    PHONE = "phone", _("Call or text me")
    EMAIL = "email", _("E-mail me")


class TextNoticeChannel(models.TextChoices):
    """How the reporter allowed us to tell them that something waits (besides web push, which is per browser)."""

    NONE = "", _("No notices")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("Mobile app")
    PHONE = "phone", _("Phone call")
    CHAT = "chat", _("Chat")


class Priority(models.IntegerChoices):
    P1 = 1, _("P1 · imminent danger")
    P2 = 2, _("P2 · urgent")
    P3 = 3, _("P3 · normal")
    P4 = 4, _("P4 · advice")


class SafetyAnswer(models.TextChoices):
    """The answer to the optional safety question on the report form ("are you thinking of hurting yourself?")."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = "prefer_not_to_say", _("I'd rather not say")


class ProtectionLevel(models.TextChoices):
    """The three levels of protection of the Law on Children 2016 (Art. 47–50)."""

    PREVENTION = "prevention", _("Prevention")
    SUPPORT = "support", _("Support")
    INTERVENTION = "intervention", _("Intervention")


class CaseState(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_REPORTER = "waiting_reporter", _("Waiting for the reporter")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")


OPEN_STATES = [
    CaseState.NEW,
    CaseState.TRIAGED,
    CaseState.IN_PROGRESS,
    CaseState.WAITING_REPORTER,
    CaseState.ESCALATED,
]


class Outcome(models.TextChoices):
    ADVICE_GIVEN = "advice_given", _("Advice and support given")
    CONTENT_REMOVED = "content_removed", _("Content removed")
    ACCOUNT_RECOVERED = "account_recovered", _("Account recovered")
    REFERRED = "referred", _("Referred to another service")
    AGENCY_HANDLED = "agency_handled", _("Handled by the police or an authority")
    NO_CONTACT = "no_contact", _("Reporter did not come back")
    OTHER = "other", _("Other")


class RejectReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    TEST = "test", _("Test or prank")
    DUPLICATE = "duplicate", _("Duplicate of another case")


class Case(ConcurrentTransitionMixin, models.Model):
    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    access_code_hash = models.CharField(max_length=64, editable=False)
    state = FSMField(_("state"), default=CaseState.NEW, choices=CaseState.choices, protected=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.P3)

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("category"))
    platforms = models.ManyToManyField(Platform, blank=True, related_name="cases", verbose_name=_("platforms"))
    description = models.TextField(_("what happened"), blank=True)
    in_danger = models.BooleanField(_("in danger now"), default=False)
    ongoing = models.CharField(_("still happening"), max_length=10, choices=Ongoing.choices, default=Ongoing.UNKNOWN)
    safety_answer = models.CharField(
        _("thinking of self-harm"), max_length=20, choices=SafetyAnswer.choices, blank=True
    )
    # Risk at intake (cases/risk.py): why the report was flagged for the counsellor, as facts (the category code,
    # the safety answer, danger phrase ids and labels), never the reporter's own words.
    risk_reasons = models.JSONField(_("risk flags"), default=list, blank=True, editable=False)

    # About the reporter and the child: the minimum, all optional.
    reporter_role = models.CharField(_("reporter"), max_length=20, choices=ReporterRole.choices, blank=True)
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    commune = models.CharField(_("commune or ward"), max_length=100, blank=True)
    contact_preference = models.CharField(
        _("contact"), max_length=10, choices=ContactPreference.choices, default=ContactPreference.NONE
    )
    contact_phone = PhoneNumberField(_("phone"), blank=True, region="VN")
    contact_email = models.EmailField(_("e-mail"), blank=True)
    notify_by = models.CharField(
        _("notices by"), max_length=10, choices=TextNoticeChannel.choices, default=TextNoticeChannel.NONE, blank=True
    )

    # Handling.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    resolution_summary = models.TextField(_("resolution summary"), blank=True)
    reject_reason = models.CharField(_("reason"), max_length=20, choices=RejectReason.choices, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_cases"
    )
    message_seq = models.PositiveIntegerField(default=0, editable=False)
    # Reporter messages no counsellor has seen yet: shown in the queue, reset when staff open or answer.
    unread_by_staff = models.PositiveIntegerField(default=0, editable=False)

    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Where the child lives, as a unit of the official list (statistics); `commune` keeps free text for old cases.
    commune_unit = models.ForeignKey(
        "AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("commune or ward"),
    )
    # Child protection (Law on Children 2016; Decree 56/2017): the level of protection the case needs, and the
    # 12-hour clock within which the authority must intervene, from the first notification (escalation.Referral).
    protection_level = models.CharField(
        _("level of protection"), max_length=20, choices=ProtectionLevel.choices, blank=True
    )
    intervention_due_at = models.DateTimeField(_("intervention due"), null=True, blank=True, editable=False)
    # Retention (cases/retention.py): a case under legal hold keeps its personal data past the retention period.
    legal_hold = models.BooleanField(_("legal hold"), default=False, editable=False)
    legal_hold_reason = models.TextField(_("reason for the legal hold"), blank=True, editable=False)
    legal_hold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    legal_hold_at = models.DateTimeField(_("legal hold since"), null=True, blank=True, editable=False)
    purged_at = models.DateTimeField(_("personal data removed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # The queue: open cases by urgency, then age (keyset on priority, created_at, id).
            models.Index(
                fields=["priority", "created_at", "id"],
                name="case_open_queue_idx",
                condition=Q(state__in=OPEN_STATES),
            ),
            models.Index(fields=["state", "priority", "created_at", "id"], name="case_state_queue_idx"),
            # The queue of every case (state=all): the same keyset, entered at the cursor instead of sorting them all.
            models.Index(fields=["priority", "created_at", "id"], name="case_all_queue_idx"),
            models.Index(
                fields=["category", "priority", "created_at", "id"],
                name="case_open_category_idx",
                condition=Q(state__in=OPEN_STATES),
            ),
            models.Index(
                fields=["first_response_due_at"],
                name="case_awaiting_response_idx",
                condition=Q(first_response_at__isnull=True, state__in=OPEN_STATES),
            ),
            models.Index(fields=["assignee", "state"], name="case_assignee_state_idx"),
            models.Index(fields=["created_at"], name="case_created_idx"),
            # The daily retention run: closed cases whose personal data is still there, oldest first.
            models.Index(fields=["closed_at"], name="case_purge_due_idx", condition=Q(purged_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=4), name="case_priority_range"),
        ]
        permissions = [
            ("triage_case", "Can triage cases"),
            ("claim_case", "Can claim and work on cases"),
            ("assign_case", "Can assign cases to others"),
            ("reject_case", "Can reject or merge cases"),
            ("reveal_contact", "Can reveal reporter contact details"),
            ("set_legal_hold", "Can place and release legal holds"),
            ("view_reports", "Can see statistics, the annual report, exports and the audit trail"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def risk_flagged(self):
        return bool(self.risk_reasons)

    @property
    def risk_labels(self):
        """What flagged the report, in words for staff (the phrase from the admin's list, not the report's text)."""
        labels = []
        for reason in self.risk_reasons:
            if reason.get("kind") == "category":
                labels.append(_("self-harm category"))
            elif reason.get("kind") == "safety_question":
                labels.append(_("answered yes to the safety question"))
            elif reason.get("kind") == "phrase":
                labels.append(_("danger phrase “%(phrase)s”") % {"phrase": reason.get("label", "")})
        return labels

    @property
    def intervention_overdue(self):
        """The authority was notified more than the intervention period ago and the case is still open."""
        return self.is_open and self.intervention_due_at is not None and self.intervention_due_at < timezone.now()

    @property
    def response_overdue(self):
        """No first response yet and its due time has passed."""
        return (
            self.is_open
            and self.first_response_at is None
            and self.first_response_due_at is not None
            and self.first_response_due_at < timezone.now()
        )

    # --- transitions: pure, called only from cases.services ---

    @transition(field=state, source=CaseState.NEW, target=CaseState.TRIAGED, permission="cases.triage_case")
    def triage(self, *, priority, category):
        self.priority = priority
        self.category = category
        self.triaged_at = timezone.now()

    @transition(
        field=state,
        source=[CaseState.NEW, CaseState.TRIAGED],
        target=CaseState.IN_PROGRESS,
        permission="cases.claim_case",
    )
    def claim(self, *, assignee):
        self.assignee = assignee
        if self.triaged_at is None:
            self.triaged_at = timezone.now()

    @transition(
        field=state,
        source=CaseState.IN_PROGRESS,
        target=CaseState.WAITING_REPORTER,
        permission="cases.claim_case",
    )
    def wait_for_reporter(self):
        pass

    # The reporter writing again brings the case back to a counsellor; no staff permission involved. A closed case
    # reopens too, for as long as it exists (the retention purge removes its code): no message goes unseen.
    @transition(
        field=state,
        source=[CaseState.WAITING_REPORTER, CaseState.RESOLVED, CaseState.CLOSED],
        target=CaseState.IN_PROGRESS,
    )
    def reporter_replied(self):
        self.resolved_at = None
        self.closed_at = None

    # A report rejected as spam or a test whose reporter writes again goes back to the queue for a second look
    # (a real child may have been misjudged). A merged duplicate stays rejected: its messages go to the merged case.
    @transition(
        field=state,
        source=CaseState.REJECTED,
        target=CaseState.NEW,
        conditions=[lambda case: case.merged_into_id is None],
    )
    def reporter_wrote_after_rejection(self):
        self.closed_at = None

    @transition(
        field=state,
        source=CaseState.WAITING_REPORTER,
        target=CaseState.IN_PROGRESS,
        permission="cases.claim_case",
    )
    def resume(self):
        pass

    @transition(field=state, source=CaseState.IN_PROGRESS, target=CaseState.ESCALATED)
    def escalate(self):
        pass

    @transition(field=state, source=CaseState.ESCALATED, target=CaseState.IN_PROGRESS)
    def return_from_escalation(self):
        pass

    @transition(
        field=state,
        source=[CaseState.IN_PROGRESS, CaseState.WAITING_REPORTER],
        target=CaseState.RESOLVED,
        permission="cases.claim_case",
    )
    def resolve(self, *, outcome, summary):
        self.outcome = outcome
        self.resolution_summary = summary
        self.resolved_at = timezone.now()

    @transition(field=state, source=CaseState.RESOLVED, target=CaseState.CLOSED, permission="cases.claim_case")
    def close(self):
        self.closed_at = timezone.now()

    @transition(field=state, source=CaseState.RESOLVED, target=CaseState.IN_PROGRESS, permission="cases.claim_case")
    def reopen(self):
        self.resolved_at = None

    @transition(
        field=state,
        source=[CaseState.NEW, CaseState.TRIAGED],
        target=CaseState.REJECTED,
        permission="cases.reject_case",
    )
    def reject(self, *, reason, merged_into=None):
        self.reject_reason = reason
        self.merged_into = merged_into
        self.closed_at = timezone.now()


class ReportedLink(models.Model):
    """A link or account the reporter pointed us to; escalations record an outcome per link."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("link"), max_length=2000)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("reported link")
        verbose_name_plural = _("reported links")

    def __str__(self):
        return self.url


def evidence_path(instance, filename):
    # The stored name says nothing about the child or the original file: a random name under the case's folder.
    return f"evidence/{instance.case.reference}/{uuid.uuid4().hex}"


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class Evidence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, storage=private_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return f"{self.original_name} ({self.sha256[:12]})"

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class Sender(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    STAFF = "staff", _("Counsellor")
    SYSTEM = "system", _("Hotline")


class Message(models.Model):
    """One message of a case's conversation with the reporter, numbered per case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()
    client_id = models.CharField(max_length=64)
    sender = models.CharField(max_length=10, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="message_case_seq_unique"),
            models.UniqueConstraint(fields=["case", "client_id"], name="message_case_client_id_unique"),
        ]

    def __str__(self):
        return f"{self.case_id}#{self.seq}"


class CannedReply(models.Model):
    """A ready answer a counsellor can put into the chat and adapt; edited by admins."""

    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"), max_length=4000)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="vi")
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_order", "title"]
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")

    def __str__(self):
        return self.title


class EventKind(models.TextChoices):
    CREATED = "created", _("Report received")
    TRANSITION = "transition", _("State changed")
    INFO_ADDED = "info_added", _("Reporter added information")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    NOTE = "note", _("Internal note")
    ASSIGNED = "assigned", _("Assigned")
    CONTACT_REVEALED = "contact_revealed", _("Contact details revealed")
    EVIDENCE_VIEWED = "evidence_viewed", _("Evidence viewed")
    ESCALATION = "escalation", _("Escalation")
    LEGAL_HOLD = "legal_hold", _("Legal hold")
    RISK_FLAGGED = "risk_flagged", _("Risk flagged at intake")
    PROTECTION_LEVEL = "protection_level", _("Level of protection set")
    REFERRAL = "referral", _("Child-protection notification")
    PAGED = "paged", _("Supervisors paged")
    PAGE_ACKNOWLEDGED = "page_acknowledged", _("Page acknowledged")
    DANGER_FLAG = "danger_flag", _("Danger flag changed")
    CONSENT = "consent", _("Consent")
    DATA_REQUEST = "data_request", _("Request about personal data")
    CALLBACK = "callback", _("Callback attempt")
    CHECK_IN = "check_in", _("Check-in answered")


class RecordIsImmutable(Exception):
    """Audit records are written once: never changed, never deleted (not even by an administrator)."""


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise RecordIsImmutable(f"{self.model.__name__} rows cannot be changed")

    def delete(self):
        raise RecordIsImmutable(f"{self.model.__name__} rows cannot be deleted")


class ImmutableRecord(models.Model):
    """Insert-only rows. The ORM refuses updates and deletes, one by one or in bulk."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RecordIsImmutable(f"{type(self).__name__} rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordIsImmutable(f"{type(self).__name__} rows cannot be deleted")


class CaseEvent(ImmutableRecord):
    """The case's timeline and audit trail. Written in the same transaction as what it records."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    transition = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)  # internal notes only; never reporter contact data
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="caseevent_case_time_idx"),
            # The audit trail: newest first, by anyone or by one person.
            models.Index(fields=["created_at", "id"], name="caseevent_time_idx"),
            models.Index(fields=["actor", "created_at", "id"], name="caseevent_actor_time_idx"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.transition}"

    @property
    def from_state_label(self):
        return CaseState(self.from_state).label if self.from_state in CaseState.values else self.from_state

    @property
    def to_state_label(self):
        return CaseState(self.to_state).label if self.to_state in CaseState.values else self.to_state


class DangerPhrase(models.Model):
    """A phrase that, found in a report, flags it as a risk of self-harm and makes it P1 (cases/risk.py).

    Edited by admins. Matching ignores case and tolerates text written without diacritics: "tự tử" also matches
    "tu tu" and "Tự Tử", but not "tủ tủ" or "tư tưởng" (a word written with diacritics must have the phrase's own).
    """

    phrase = models.CharField(_("phrase"), max_length=100, unique=True)
    active = models.BooleanField(_("active"), default=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("danger phrase")
        verbose_name_plural = _("danger phrases")

    def __str__(self):
        return self.phrase


# --- Duty roster and paging --------------------------------------------------------------------------------------


class DutyShift(models.Model):
    """A supervisor on duty from `starts_at` to `ends_at`. Shifts may overlap: everyone on duty at a moment is paged."""

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_shifts", verbose_name=_("supervisor")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="dutyshift_time_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="dutyshift_ends_after_start")
        ]

    def __str__(self):
        return f"{self.supervisor} {self.starts_at:%Y-%m-%d %H:%M}"


class PageAudience(models.TextChoices):
    ON_DUTY = "on_duty", _("Supervisors on duty")
    ALL = "all", _("Every supervisor")


class Page(models.Model):
    """One round of paging about a P1 case nobody claimed within its target. One row per case and round (a unique
    constraint): two workers, or a run repeated, never page twice. An acknowledgement stamps every round."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pages")
    round = models.PositiveSmallIntegerField()
    audience = models.CharField(max_length=10, choices=PageAudience.choices)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="pages_received", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "round"]
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="page_one_per_case_round")]
        indexes = [models.Index(fields=["created_at"], name="page_open_idx", condition=Q(acknowledged_at__isnull=True))]

    def __str__(self):
        return f"{self.case_id} round {self.round}"


class PushSubscription(models.Model):
    """A staff member's browser that allowed web push (the Push API's subscription). Removed when the push service
    answers 404 or 410 (the browser dropped it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"push subscription {self.pk}"


# --- Reaching the reporter: notices, callbacks, check-ins ------------------------------------------------------


class NeutralTitle(models.TextChoices):
    """The push titles a reporter chooses from: none names the hotline or says anything about a case."""

    MESSAGE = "message", _("You have a new message")
    REMINDER = "reminder", _("Reminder")
    UPDATE = "update", _("Something was updated")


class ReporterPushSubscription(models.Model):
    """A reporter's browser that allowed web push from the status page, for one case, with the title they chose."""

    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="reporter_push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    title = models.CharField(max_length=20, choices=NeutralTitle.choices, default=NeutralTitle.MESSAGE)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"reporter push subscription {self.pk}"


class NoticeKind(models.TextChoices):
    REPLY = "reply", _("A counsellor replied")
    CHECK_IN = "check_in", _("Check-in")


class NoticeChannel(models.TextChoices):
    PUSH = "push", _("Web push")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    CONSOLE = "console", _("Not sent: no gateway configured (server log only)")
    FAILED = "failed", _("Failed")


class ReporterNotice(models.Model):
    """One content-free notice to the reporter on one channel: what the case page shows ("which channel, when")."""

    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    channel = models.CharField(max_length=10, choices=NoticeChannel.choices)
    status = models.CharField(max_length=10, choices=NoticeStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    send_after = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["case", "kind", "created_at"], name="notice_case_kind_idx"),
            models.Index(fields=["send_after"], name="notice_queued_idx", condition=Q(status="queued")),
        ]

    def __str__(self):
        return f"{self.kind} by {self.channel}: {self.status}"

    @property
    def held(self):
        """Planned in quiet hours: waits for their end."""
        return self.send_after > self.created_at + timedelta(seconds=1)


class CallbackOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", _("No answer")
    SPOKE = "spoke", _("Spoke with the reporter")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    NOT_SAFE = "not_safe", _("Not safe to talk")


class Callback(models.Model):
    """The reporter asked to be called: due at `due_at` (moved to the next attempt's time after each try), done
    when someone spoke with them or the number was wrong."""

    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="callbacks")
    due_at = models.DateTimeField(_("due"))
    safety_note = models.CharField(
        _("before calling"),
        max_length=300,
        blank=True,
        help_text=_("What the reporter told us about calling them safely (a time, a word to use)."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["due_at"], name="callback_open_idx", condition=Q(done_at__isnull=True))]

    def __str__(self):
        return f"callback {self.pk}"

    @property
    def is_overdue(self):
        return self.done_at is None and self.due_at <= timezone.now()


class CallbackAttempt(models.Model):
    callback = models.ForeignKey(Callback, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=CallbackOutcome.choices)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self):
        return f"{self.outcome} at {self.attempted_at:%Y-%m-%d %H:%M}"


class CheckIn(models.Model):
    """ "Is everything OK now?", asked some days after the case was resolved, and the reporter's answer."""

    case = models.OneToOneField("Case", on_delete=models.CASCADE, related_name="check_in")
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    all_ok = models.BooleanField(null=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="checkin_rating_1_to_5"
            )
        ]

    def __str__(self):
        return f"check-in {self.pk}"


# --- Administrative units, the audit log -----------------------------------------------------------------------


class UnitKind(models.TextChoices):
    WARD = "ward", _("Ward")
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District-level unit (until 30 June 2025)")


COMMUNE_LEVEL_KINDS = [UnitKind.WARD, UnitKind.COMMUNE]


class AdministrativeUnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day)))

    def current(self, on=None):
        """The commune-level units in force on a day (today by default): what a reporter can choose."""
        return self.valid_on(on or timezone.localdate()).filter(kind__in=COMMUNE_LEVEL_KINDS)


class AdministrativeUnit(models.Model):
    """A ward or commune of the province (99 since 1 July 2025), or a former district kept for history.

    Loaded from CSV by `manage.py load_units`; a unit is never deleted, it gets a `valid_until` date.
    """

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("former district"),
    )
    # Every former district one of the unit's former communes belonged to (the merge of 1 July 2025 formed some
    # units from communes of two districts); `parent` is the one most of them came from.
    formed_from = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name=_("formed from"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="unit_valid_period",
            ),
        ]

    def __str__(self):
        return self.name


class AuditAction(models.TextChoices):
    VIEW_CASE = "view_case", _("Opened a case")
    VIEW_ANNUAL_REPORT = "view_annual_report", _("Opened the annual report")
    EXPORT_XLSX = "export_xlsx", _("Downloaded the annual report (XLSX)")
    EXPORT_DOCX = "export_docx", _("Downloaded the annual report (DOCX)")
    EXPORT_CSV = "export_csv", _("Exported anonymised case data (CSV)")
    PURGE_RUN = "purge_run", _("Removed personal data past the retention period")
    UNITS_LOADED = "units_loaded", _("Loaded administrative units")
    SETTINGS_CHANGED = "settings_changed", _("Changed the hotline settings")
    ANNUAL_REPORT_FINAL = "annual_report_final", _("Made the annual report final")
    DATA_REQUEST_RECEIVED = "data_request_received", _("Received a request about personal data")
    DATA_REQUEST_ANSWERED = "data_request_answered", _("Answered a request about personal data")
    DATA_DOWNLOADED = "data_downloaded", _("The reporter downloaded their data")
    BREACH_RECORDED = "breach_recorded", _("Recorded a personal-data breach")
    BREACH_UPDATED = "breach_updated", _("Updated a personal-data breach")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Reset a staff account's second factor")


class AuditEntry(ImmutableRecord):
    """Who did what outside the cases' timelines: case pages and reports opened, exports, retention runs.

    `target` and `params` describe what was done (a period, counts), never personal data.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    # The case looked at, if any: an audited case cannot be deleted.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    target = models.CharField(_("what"), max_length=200, blank=True)
    params = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        default_permissions = ("view",)
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["created_at", "id"], name="auditentry_time_idx"),
            models.Index(fields=["actor", "created_at", "id"], name="auditentry_actor_time_idx"),
            models.Index(fields=["case", "created_at", "id"], name="auditentry_case_time_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target}"


DEFAULT_SAFETY_NUMBERS = (
    "113 | Công an: khi gặp nguy hiểm ngay | Police: immediate danger\n"
    "111 | Tổng đài quốc gia bảo vệ trẻ em | National child protection hotline"
)
DEFAULT_REPORT_RECIPIENTS = (
    "Đồng chí Chủ tịch UBND tỉnh (để báo cáo);\n"
    "Công an tỉnh (PA05);\n"
    "Sở Văn hóa, Thể thao và Du lịch;\n"
    "Sở Y tế;\n"
    "Lưu: VP."
)
HOTLINE_SETTINGS_CACHE_KEY = "hotline-settings"
# Saving clears the cached row; the timeout only bounds how stale it can get if Redis missed that.
HOTLINE_SETTINGS_CACHE_SECONDS = 600


class HotlineSettings(models.Model):
    """The hotline's own facts, edited by an admin: one row, read through `HotlineSettings.current()` (cached).

    Changes go through `cases.services.update_hotline_settings`, which writes them to the audit log and clears the
    cache. Only secrets and infrastructure stay in the environment.
    """

    ROW_ID = 1

    phone = models.CharField(_("hotline phone number"), max_length=20, blank=True)
    zalo = models.CharField(_("Zalo account"), max_length=100, blank=True, help_text=_("Official account or number."))
    hours_vi = models.CharField(_("opening hours (Vietnamese)"), max_length=200, blank=True)
    hours_en = models.CharField(_("opening hours (English)"), max_length=200, blank=True)
    safety_numbers = models.TextField(
        _("safety numbers on public pages"),
        default=DEFAULT_SAFETY_NUMBERS,
        help_text=_("One per line: number | Vietnamese label | English label."),
    )
    report_number_pattern = models.CharField(
        _("annual report number"),
        max_length=60,
        default="{number}-BC/TĐTN-VP",
        help_text=_("{number} is left blank on the document, for the office to write in when it is registered."),
    )
    signer_title = models.CharField(_("signer's title"), max_length=100, default="TM. BAN THƯỜNG VỤ")
    signer_position = models.CharField(_("signer's position"), max_length=100, default="PHÓ BÍ THƯ")
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    recipients = models.TextField(
        _("recipients of the annual report"), default=DEFAULT_REPORT_RECIPIENTS, help_text=_("One per line.")
    )
    quiet_hours_start = models.TimeField(
        _("quiet hours start"),
        default=time(22, 0),
        help_text=_("No notice reaches a reporter between these times (local), except for P1 cases."),
    )
    quiet_hours_end = models.TimeField(_("quiet hours end"), default=time(7, 0))
    check_in_days = models.PositiveSmallIntegerField(
        _("check-in after (days)"),
        default=7,
        help_text=_("Days after a case is resolved when the reporter is asked whether everything is OK now."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("hotline settings")
        verbose_name_plural = _("hotline settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="hotline_settings_single_row")]

    def __str__(self):
        return str(_("Hotline settings"))

    @classmethod
    def current(cls):
        """The settings row (created with its defaults the first time), from the cache when it is there. The cache
        may be down (Redis): the database answers then."""
        from django.core.cache import cache

        try:
            row = cache.get(HOTLINE_SETTINGS_CACHE_KEY)
        except Exception:  # noqa: BLE001 - a public page must render without Redis
            row = None
        if row is None:
            row, _created = cls.objects.get_or_create(id=cls.ROW_ID)
            with contextlib.suppress(Exception):
                cache.set(HOTLINE_SETTINGS_CACHE_KEY, row, timeout=HOTLINE_SETTINGS_CACHE_SECONDS)
        return row

    @property
    def hours(self):
        """Opening hours in the reader's language (Vietnamese when the English text is missing)."""
        if (get_language() or "").startswith("en") and self.hours_en:
            return self.hours_en
        return self.hours_vi

    def safety_number_list(self):
        """[(number, label in the reader's language)], from the text field; lines without a number are skipped."""
        english = (get_language() or "").startswith("en")
        numbers = []
        for line in self.safety_numbers.splitlines():
            parts = [part.strip() for part in line.split("|")]
            if not parts[0]:
                continue
            label_vi = parts[1] if len(parts) > 1 else ""
            label_en = parts[2] if len(parts) > 2 else ""
            numbers.append((parts[0], (label_en or label_vi) if english else (label_vi or label_en)))
        return numbers

    def recipient_list(self):
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    def report_number(self, number=""):
        """The annual report's number, e.g. "12-BC/TĐTN-VP"; without a number, room to write it in."""
        return self.report_number_pattern.replace("{number}", number or "\u00a0" * 8)

    def missing(self):
        """What must be filled before the hotline opens: the names of the empty fields."""
        required = ["phone", "hours_vi", "safety_numbers", "report_number_pattern", "signer_title", "signer_name"]
        required.append("recipients")
        return [name for name in required if not getattr(self, name).strip()]


ANNUAL_REPORT_SECTIONS = [
    ("organisation", _("How the work was organised")),
    ("assessment", _("Assessment")),
    ("difficulties", _("Difficulties and shortcomings")),
    ("direction", _("Direction for next year")),
    ("proposals", _("Proposals")),
]


class AnnualReportText(models.Model):
    """The narrative sections of one period's annual report, written by supervisors. Every save is a new draft
    (the history stays); one version per period is made final: frozen, with its figures and the SHA-256 of both."""

    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))
    organisation = models.TextField(_("how the work was organised"), blank=True)
    assessment = models.TextField(_("assessment"), blank=True)
    difficulties = models.TextField(_("difficulties and shortcomings"), blank=True)
    direction = models.TextField(_("direction for next year"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    final = models.BooleanField(_("final"), default=False)
    figures = models.JSONField(_("figures when made final"), default=dict, blank=True)
    sha256 = models.CharField(_("SHA-256 of the final version"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("annual report text")
        verbose_name_plural = _("annual report texts")
        constraints = [
            models.UniqueConstraint(
                fields=["first_day", "last_day"], condition=Q(final=True), name="one_final_annual_report_text"
            ),
        ]

    def __str__(self):
        return f"{self.first_day}–{self.last_day}{' (final)' if self.final else ''}"


class RollupKind(models.TextChoices):
    """What one row of the statistics rollup counts (cases/rollup.py). Each kind keeps the dimensions its figures
    need, no more, so a day has a handful of rows per kind rather than one per case."""

    SUMMARY = "summary"  # every report: state, reject reason, category (advice), in danger, legal hold, purged
    PROFILE = "profile"  # cases: channel × age band × gender × priority, with the first-response counts
    CATEGORY = "category"  # cases: category × age band
    COMMUNE = "commune"  # cases: commune or ward
    OUTCOME = "outcome"  # resolved and closed cases: outcome
    RESPONSE = "response"  # answered cases: priority × response-time bucket (the median and 90th percentile)
    FOLLOW_UP = "follow_up"  # every report: cases with reporter messages (`cases`) and those messages (`messages`)
    CHECK_IN = "check_in"  # check-ins of every report: all OK or not × rating (`cases`: sent, `answered`)


class RollupSpan(models.TextChoices):
    DAY = "day"
    MONTH = "month"  # the sum of the month's day rows, dated the 1st: long periods read 12 of these, not 365


class CaseRollup(models.Model):
    """Counts of the cases received on one local day (or month) that share the attributes of their kind. Written
    only by cases/rollup.py (a day's rows are recomputed from its cases as a whole, then its month's rows from the
    day rows); read by cases/statistics.py."""

    day = models.DateField()
    span = models.CharField(max_length=5, choices=RollupSpan.choices, default=RollupSpan.DAY)
    kind = models.CharField(max_length=10, choices=RollupKind.choices)
    state = models.CharField(max_length=20, blank=True)
    reject_reason = models.CharField(max_length=20, blank=True)
    in_danger = models.BooleanField(null=True)
    legal_hold = models.BooleanField(null=True)
    purged = models.BooleanField(null=True)
    category_id = models.BigIntegerField(null=True)  # no foreign key: a rollup never blocks the catalogue
    channel = models.CharField(max_length=10, blank=True)
    age_band = models.CharField(max_length=10, blank=True)
    gender = models.CharField(max_length=10, blank=True)
    priority = models.PositiveSmallIntegerField(null=True)
    commune_unit_id = models.BigIntegerField(null=True)
    outcome = models.CharField(max_length=20, blank=True)
    # RESPONSE rows: the lower bound, in seconds, of the response-time bucket (cases.rollup.RESPONSE_BUCKETS).
    response_bucket = models.PositiveIntegerField(null=True)
    all_ok = models.BooleanField(null=True)  # CHECK_IN rows: the reporter's answer
    rating = models.PositiveSmallIntegerField(null=True)
    cases = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    response_seconds = models.FloatField(default=0)
    messages = models.PositiveIntegerField(default=0)  # FOLLOW_UP rows: messages from the reporters

    class Meta:
        indexes = [models.Index(fields=["kind", "span", "day"], name="rollup_kind_span_day")]

    def __str__(self):
        return f"{self.day} {self.kind}: {self.cases}"


class StatisticsDay(models.Model):
    """One row per day whose rollup exists: recomputing a day locks it, so two workers never interleave."""

    day = models.DateField(primary_key=True)
    refreshed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.day}"


class StatisticsDirtyDay(models.Model):
    """A day whose rollup is out of date: written in the same transaction as the change (insert-only, so busy
    days never wait on each other), removed once the day has been recomputed."""

    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="statistics_dirty_day")]

    def __str__(self):
        return f"{self.day}"


# ---------------------------------------------------------------------------------------------------------------
# Consent, the young person's requests about their data, and the breach register (the personal data protection
# rules: PDP Law 91/2025/QH15 and Decree 356/2025/ND-CP; the Law on Children 2016 for children aged 7 and over).


class ConsentGiver(models.TextChoices):
    YOUNG_PERSON = "young_person", _("The young person the report is about")
    GUARDIAN = "guardian", _("A parent or guardian")
    OTHER = "other", _("Someone else (a friend, a teacher, another adult)")


class ConsentScope(models.TextChoices):
    CONTACT = "contact", _("Contact me")
    SHARE_POLICE = "share_police", _("Share my details with the police")
    SHARE_INFORMATION = "share_information", _("Share my details with the information department")
    KEEP_EVIDENCE = "keep_evidence", _("Keep my files as evidence")


class ConsentChannel(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    STATUS_PAGE = "status_page", _("Status page")
    CHAT = "chat", _("Chat with a counsellor")
    PHONE = "phone", _("Phone call with a counsellor")


# A counsellor heard these consents from the person: the only channels a guardian's consent counts on, since
# anyone, a child too, can tick a box that says "I am a parent".
CONFIRMED_BY_COUNSELLOR = (ConsentChannel.CHAT, ConsentChannel.PHONE)


class Consent(models.Model):
    """One grant of consent: who gave it, for what, how and when; and its withdrawal. Never deleted: a withdrawn
    consent stays on record with the time and the channel of the withdrawal."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("whose consent"), max_length=20, choices=ConsentGiver.choices)
    # The age band the young person declared when the consent was given (for a guardian: the child's, as told).
    age_band = models.CharField(_("declared age"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    scope = models.CharField(_("what for"), max_length=20, choices=ConsentScope.choices)
    channel = models.CharField(_("how"), max_length=20, choices=ConsentChannel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    granted_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_channel = models.CharField(_("withdrawn how"), max_length=20, choices=ConsentChannel.choices, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["granted_at", "id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["case", "scope"], name="consent_case_scope_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawal_channel="")
                | Q(withdrawn_at__isnull=False) & ~Q(withdrawal_channel=""),
                name="consent_withdrawal_complete",
            ),
        ]

    def __str__(self):
        return f"{self.case_id} {self.given_by} {self.scope}"

    @property
    def is_active(self):
        return self.withdrawn_at is None


class DataRequestKind(models.TextChoices):
    ACCESS = "access", _("See my data")
    CORRECT = "correct", _("Correct my data")
    DELETE = "delete", _("Delete my data")
    OBJECT = "object", _("Object to how my data is used")


class DataRequestState(models.TextChoices):
    OPEN = "open", _("Received")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused, with the reason")


class DataRequestSource(models.TextChoices):
    STATUS_PAGE = "status_page", _("Status page, with the case code")
    STAFF = "staff", _("Recorded by the hotline (phone, chat, letter)")


class DataRequest(models.Model):
    """A request from the person whose data a case holds. Answered within settings.DATA_REQUEST_RESPONSE_DAYS
    working days; every step is on the audit trail. `details` and `answer` are what the reporter and the hotline
    wrote: they are personal data and go with the case's purge."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="data_requests")
    kind = models.CharField(_("request"), max_length=10, choices=DataRequestKind.choices)
    source = models.CharField(_("received through"), max_length=20, choices=DataRequestSource.choices)
    details = models.TextField(_("details"), blank=True, max_length=2000)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=DataRequestState.choices, default=DataRequestState.OPEN)
    answer = models.TextField(_("answer to the reporter"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("request about personal data")
        verbose_name_plural = _("requests about personal data")
        indexes = [models.Index(fields=["state", "due_at", "id"], name="datarequest_state_due_idx")]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.state}"

    @property
    def overdue(self):
        return self.state == DataRequestState.OPEN and self.due_at < timezone.now()


class UndeletableQuerySet(models.QuerySet):
    def delete(self):
        raise RecordIsImmutable(f"{self.model.__name__} rows cannot be deleted")


class Breach(models.Model):
    """A personal-data breach, on the register for good: what happened, when it was found, the cases affected, the
    measures taken, and the notice to the authority (due settings.BREACH_NOTIFICATION_HOURS after it was found).
    Rows can be completed (measures, the notice) but never deleted: the ORM refuses, and so does the database
    on PostgreSQL (a trigger, migration 0019)."""

    what = models.TextField(_("what happened"), max_length=4000)
    found_at = models.DateTimeField(_("found"))
    occurred_at = models.DateTimeField(_("happened (if known)"), null=True, blank=True)
    cases = models.ManyToManyField(Case, blank=True, related_name="+", verbose_name=_("cases affected"))
    people_affected = models.PositiveIntegerField(_("people affected (estimate)"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    notified_at = models.DateTimeField(_("authority notified"), null=True, blank=True)
    notification_reference = models.CharField(_("notice reference"), max_length=200, blank=True)

    objects = UndeletableQuerySet.as_manager()

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at", "-id"]
        default_permissions = ("add", "change", "view")
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")

    def __str__(self):
        return f"{self.found_at:%Y-%m-%d} {self.what[:40]}"

    def delete(self, *args, **kwargs):
        raise RecordIsImmutable("breach records cannot be deleted")

    @property
    def notification_due_at(self):
        return self.found_at + timedelta(hours=settings.BREACH_NOTIFICATION_HOURS)

    @property
    def notification_overdue(self):
        return self.notified_at is None and self.notification_due_at < timezone.now()


class BreachMeasure(ImmutableRecord):
    """A measure taken about a breach, appended; the register keeps every one."""

    breach = models.ForeignKey(Breach, on_delete=models.PROTECT, related_name="measures")
    text = models.TextField(_("measure taken"), max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("breach measure")
        verbose_name_plural = _("breach measures")

    def __str__(self):
        return f"{self.breach_id} {self.created_at:%Y-%m-%d}"
