"""What escalations add to the statistics page, the annual report and its downloads (cases.statistics shows them;
registered in EscalationConfig.ready())."""

from django.db.models import Count, F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.statistics import AgencyRow, EscalationFigures, Period, Takedowns
from escalation.models import AT_AGENCY_STATES, Escalation, EscalationLink, EscalationState, LinkOutcome


def escalation_figures(period: Period) -> EscalationFigures:
    """Escalations sent in the period, by agency and outcome, and the takedowns they asked for (two queries).
    Registered with cases.extensions in EscalationConfig.ready()."""
    counts = {
        "sent": Count("id"),
        "acknowledged": Count("id", filter=Q(acknowledged_at__isnull=False)),
        "acknowledged_on_time": Count("id", filter=Q(acknowledged_at__lte=F("ack_due_at"))),
        "at_agency": Count("id", filter=Q(state__in=AT_AGENCY_STATES)),
        "completed": Count("id", filter=Q(state=EscalationState.COMPLETED)),
        "declined": Count("id", filter=Q(state=EscalationState.DECLINED)),
        "retracted": Count("id", filter=Q(state=EscalationState.RETRACTED)),
    }
    sent = Escalation.objects.filter(sent_at__gte=period.start, sent_at__lt=period.end)
    name_field = "agency__name_en" if (get_language() or "").startswith("en") else "agency__name_vi"
    rows = sent.values("agency__code", "agency__short_name", name_field).annotate(**counts).order_by("agency__code")
    agencies = [
        AgencyRow(
            code=row["agency__code"],
            name=row[name_field] or row["agency__short_name"],
            **{key: row[key] for key in counts},
        )
        for row in rows
    ]
    total = AgencyRow(
        code="",
        name=str(_("All agencies")),
        **{key: sum(getattr(agency, key) for agency in agencies) for key in counts},
    )
    taken_down = Q(outcome=LinkOutcome.TAKEN_DOWN)
    links = EscalationLink.objects.filter(
        escalation__sent_at__gte=period.start, escalation__sent_at__lt=period.end, takedown_due_at__isnull=False
    ).aggregate(
        requested=Count("id"),
        taken_down=Count("id", filter=taken_down),
        taken_down_on_time=Count("id", filter=taken_down & Q(updated_at__lte=F("takedown_due_at"))),
        still_online=Count("id", filter=Q(outcome=LinkOutcome.STILL_ONLINE)),
        pending=Count("id", filter=Q(outcome=LinkOutcome.PENDING)),
    )
    return EscalationFigures(available=True, agencies=agencies, total=total, takedowns=Takedowns(**links))
