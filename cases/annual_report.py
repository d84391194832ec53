"""The annual report as the Youth Union's document: the narrative sections supervisors write (drafts, then one
final version frozen with its figures and SHA-256), the DOCX, and the mid-November reminder.

The report goes to the provincial People's Committee before 5 December (plan 435/KH-UBND); its period runs from
1 December to 30 November (statistics.Period.reporting_year).
"""

import dataclasses
import hashlib
import io
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import roles, statistics
from cases.audit import record_audit
from cases.models import ANNUAL_REPORT_SECTIONS, AgeBand, AnnualReportText, AuditAction
from cases.plumbing import NotAllowed

SECTION_FIELDS = [name for name, _label in ANNUAL_REPORT_SECTIONS]


def texts_for(period):
    """The version to show for a period: its final one, else its latest draft, else None."""
    versions = AnnualReportText.objects.filter(first_day=period.first_day, last_day=period.last_day)
    return versions.filter(final=True).first() or versions.first()


def save_annual_text(*, period, user, **sections):
    """Save the narrative sections as a new draft; refused once the period's report is final."""
    unknown = set(sections) - set(SECTION_FIELDS)
    if unknown:
        raise ValueError(f"not a section: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        if AnnualReportText.objects.filter(first_day=period.first_day, last_day=period.last_day, final=True).exists():
            raise NotAllowed(_("This period's report is final: it can no longer be changed."))
        return AnnualReportText.objects.create(
            first_day=period.first_day, last_day=period.last_day, author=user, **sections
        )


def figures_snapshot(figures):
    """The figures a final report is frozen with, as plain JSON."""
    return {
        "period": [figures.period.first_day.isoformat(), figures.period.last_day.isoformat()],
        "summary": dataclasses.asdict(figures.summary),
        "categories": {bar.key: bar.count for bar in figures.breakdown("category").bars},
        "age_bands": {bar.key: bar.count for bar in figures.breakdown("age_band").bars},
        "response": {str(row.priority or "all"): [row.cases, row.answered, row.on_time] for row in figures.response},
        "escalations": dataclasses.asdict(figures.escalations.total) if figures.escalations.total else None,
        "takedowns": dataclasses.asdict(figures.escalations.takedowns) if figures.escalations.takedowns else None,
    }


def fingerprint(text, snapshot):
    payload = {"sections": {name: getattr(text, name) for name in SECTION_FIELDS}, "figures": snapshot}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def finalise_annual_text(*, period, user, now=None):
    """Make the latest draft the period's final version: its figures are computed now and frozen with it, and the
    SHA-256 of sections and figures is recorded (and written to the audit log)."""
    with transaction.atomic():
        draft = (
            AnnualReportText.objects.select_for_update()
            .filter(first_day=period.first_day, last_day=period.last_day)
            .first()
        )
        if draft is None:
            raise NotAllowed(_("Save the sections first."))
        if draft.final:
            raise NotAllowed(_("This period's report is final: it can no longer be changed."))
        snapshot = figures_snapshot(statistics.figures(period, now=now))
        draft.final, draft.figures, draft.sha256 = True, snapshot, fingerprint(draft, snapshot)
        try:
            with transaction.atomic():
                draft.save(update_fields=["final", "figures", "sha256"])
        except IntegrityError:
            raise NotAllowed(_("This period's report is final: it can no longer be changed.")) from None
        record_audit(
            actor=user,
            action=AuditAction.ANNUAL_REPORT_FINAL,
            target=f"annual report {period}",
            start=period.first_day,
            end=period.last_day,
            sha256=draft.sha256,
        )
    return draft


def remind_supervisors(*, today=None):
    """Remind every active supervisor with an e-mail address that the annual report is due before 5 December,
    unless this year's report is already final. Meant to run once in mid-November (a periodic task or the
    `remind_annual_report` command). Returns how many were reminded. The e-mail carries no case content."""
    period = statistics.Period.reporting_year(today)
    if AnnualReportText.objects.filter(first_day=period.first_day, last_day=period.last_day, final=True).exists():
        return 0
    supervisors = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.SUPERVISOR)
        .exclude(email="")
        .distinct()
        .values_list("email", flat=True)
    )
    recipients = sorted(supervisors)
    if not recipients:
        return 0
    link = f"{settings.SITE_URL}{reverse('reports:annual_text')}"
    body = _(
        "The annual report for %(period)s is due at the provincial People's Committee before 5 December.\n\n"
        "Please write or review its narrative sections and make it final: %(link)s\n"
    ) % {"period": period, "link": link}
    for address in recipients:  # one message each: supervisors do not see each other's addresses
        EmailMessage(subject=_("Annual report due before 5 December"), body=body, to=[address]).send()
    return len(recipients)


# --- the DOCX -----------------------------------------------------------------------------------------------------


def hours_and_minutes(minutes):
    """ "2 giờ 15 phút" / "2 hours 15 minutes", as people say them; None → "—"."""
    if minutes is None:
        return "—"
    total = round(minutes)
    hours, rest = divmod(total, 60)
    if hours and rest:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": rest}


def _table(document, header, rows):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
    return table


def _narrative(document, text, field):
    body = getattr(text, field, "") if text else ""
    if not body.strip():
        document.add_paragraph(_("(To be written by the supervisors.)"))
        return
    for paragraph in body.splitlines():
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())


def annual_docx(*, period, hotline_settings, text=None, today=None, now=None):
    """The annual report as a Word document (bytes), in the active language: the Youth Union's heading and number,
    the sections, the figures with last year beside them, the recipients and the signer's block."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    today = today or timezone.localdate()
    figures = statistics.figures(period, now=now, all_units=True)
    previous_period = period.year_before()
    previous = statistics.figures(previous_period, now=now)
    details = statistics.category_details(period)

    document = Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)

    heading = document.add_table(rows=1, cols=2)
    issuer, motto = heading.rows[0].cells
    issuer.text = _("EXECUTIVE COMMITTEE OF THE BẮC NINH PROVINCIAL YOUTH UNION")
    issuer.add_paragraph("***")
    issuer.add_paragraph(_("No.: %(number)s") % {"number": hotline_settings.report_number()})
    motto.text = _("HO CHI MINH COMMUNIST YOUTH UNION")
    motto.add_paragraph(
        _("Bắc Ninh, %(day)s/%(month)s/%(year)s") % {"day": f"{today:%d}", "month": f"{today:%m}", "year": today.year}
    )
    for cell in (issuer, motto):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    title = document.add_heading(_("REPORT"), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = document.add_paragraph(
        _("Results of the youth cyber support hotline from %(start)s to %(end)s")
        % {"start": f"{period.first_day:%d/%m/%Y}", "end": f"{period.last_day:%d/%m/%Y}"}
    )
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    addressee = document.add_paragraph(_("To: the People's Committee of Bắc Ninh province"))
    addressee.alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading(_("I. How the work was organised"), level=1)
    _narrative(document, text, "organisation")

    document.add_heading(_("II. Results of the tasks of plan 435/KH-UBND"), level=1)
    document.add_heading(_("1. Receiving and handling reports of harm to young people online"), level=2)
    this, last = figures.summary, previous.summary
    this_year, last_year = str(period), str(previous_period)
    _table(
        document,
        [_("Figure"), this_year, last_year],
        [
            (_("Reports received (all contacts)"), this.received, last.received),
            (_("Cases"), this.cases, last.cases),
            (_("of which someone was in danger"), this.in_danger, last.in_danger),
            (_("of which advice and questions"), this.advice, last.advice),
            (_("Resolved or closed"), this.done, last.done),
            (_("Rejected as spam, tests or duplicates"), this.rejected, last.rejected),
        ],
    )
    document.add_heading(_("2. Cases by category"), level=2)
    last_categories = {bar.key: bar.count for bar in previous.breakdown("category").bars}
    rows = []
    for detail in details:
        rows.append((detail.name, detail.cases, last_categories.get(detail.code, 0)))
        rows.extend((f"  – {name}", count, "") for _code, name, count in detail.sub_categories)
    _table(document, [_("Category"), this_year, last_year], rows)
    document.add_heading(_("3. Age of the young people, by category"), level=2)
    _table(
        document,
        [_("Category"), *[label for _value, label in AgeBand.choices]],
        [(detail.name, *detail.ages) for detail in details],
    )
    document.add_heading(_("4. Response times"), level=2)
    _table(
        document,
        [_("Priority"), _("Cases"), _("Answered on time"), _("Median"), _("90% answered within")],
        [
            (
                row.label,
                row.cases,
                row.on_time,
                hours_and_minutes(row.median_minutes),
                hours_and_minutes(row.p90_minutes),
            )
            for row in figures.response
        ],
    )
    document.add_heading(_("5. Escalations to the authorities and takedowns"), level=2)
    escalations = figures.escalations
    if escalations.available and escalations.total is not None:
        _table(
            document,
            [_("Agency"), _("Sent"), _("Acknowledged"), _("Completed"), _("Declined")],
            [
                (row.name, row.sent, row.acknowledged, row.completed, row.declined)
                for row in [*escalations.agencies, escalations.total]
            ],
        )
        takedowns = escalations.takedowns
        document.add_paragraph(
            _("Takedowns requested: %(requested)s; taken down: %(taken_down)s; still online: %(still_online)s.")
            % {
                "requested": takedowns.requested,
                "taken_down": takedowns.taken_down,
                "still_online": takedowns.still_online,
            }
        )
    else:
        document.add_paragraph(_("No escalation was sent in this period."))

    for number, field, label in [
        ("III", "assessment", _("Assessment")),
        ("IV", "difficulties", _("Difficulties and shortcomings")),
        ("V", "direction", _("Direction for next year")),
        ("VI", "proposals", _("Proposals")),
    ]:
        document.add_heading(f"{number}. {label}", level=1)
        _narrative(document, text, field)

    if text is not None and text.final:
        document.add_paragraph(_("Final version, SHA-256 %(sha256)s") % {"sha256": text.sha256})

    signature = document.add_table(rows=1, cols=2)
    recipients, signer = signature.rows[0].cells
    recipients.text = _("Recipients:")
    for line in hotline_settings.recipient_list():
        recipients.add_paragraph(f"- {line}")
    signer.text = hotline_settings.signer_title
    if hotline_settings.signer_position:
        signer.add_paragraph(hotline_settings.signer_position)
    signer.add_paragraph(_("(signature and seal)"))
    signer.add_paragraph("")
    signer.add_paragraph(hotline_settings.signer_name)
    for paragraph in signer.paragraphs:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()
