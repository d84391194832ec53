"""Statistics, the annual report, the exports, the audit trail and the legal hold: views for supervisors and admins.

Every figure comes from cases.statistics (SQL aggregates, a fixed number of queries); every export and every
opening of the annual report is written to the audit log before the data leaves.
"""

import datetime

from asgiref.sync import sync_to_async
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases import annual_report as annual_document
from cases import audit, bounds, exports, extensions, retention, statistics
from cases.access import normalize_reference
from cases.models import ANNUAL_REPORT_SECTIONS, AuditAction, Case, HotlineSettings
from cases.plumbing import NotAllowed, staff_required

MAX_PERIOD_DAYS = 5 * 366
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    start = bounds.DateField(label=gettext_lazy("From"), widget=DATE_WIDGET)
    end = bounds.DateField(label=gettext_lazy("To"), widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(gettext_lazy("The end of the period is before its start."))
            if (end - start).days >= MAX_PERIOD_DAYS:
                raise forms.ValidationError(gettext_lazy("Choose a period of at most five years."))
        return data


def period_from(request, default=None):
    """The period asked for in the query string, or the default (the current year); (form, period)."""
    default = default or statistics.Period.current_year()
    if "start" not in request.GET and "end" not in request.GET:
        initial = {"start": default.first_day, "end": default.last_day}
        return PeriodForm(initial=initial), default
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form, statistics.Period(form.cleaned_data["start"], form.cleaned_data["end"])
    return form, default


def _period_query(period):
    return f"start={period.first_day.isoformat()}&end={period.last_day.isoformat()}"


@require_GET
@staff_required("cases.view_reports")
def dashboard(request):
    form, period = period_from(request)
    return render(
        request,
        "cases/reports/dashboard.html",
        {
            "form": form,
            "figures": statistics.figures(period),
            "period_query": _period_query(period),
            "extra_sections": extensions.sections_for(period),
        },
    )


def _report_language(request):
    """The annual report goes to the People's Committee in Vietnamese, whatever the reader's own language;
    ?lang=en gives the English version."""
    lang = request.GET.get("lang", "vi")
    return lang if lang in dict(settings.LANGUAGES) else "vi"


def _narrative(text):
    """[(section title, text)] of the supervisors' sections, for the printable page; empty without any text."""
    if text is None:
        return []
    return [(label, getattr(text, name)) for name, label in ANNUAL_REPORT_SECTIONS if getattr(text, name).strip()]


@require_GET
@staff_required("cases.view_reports")
def annual_report(request):
    _form, period = period_from(request, statistics.Period.reporting_year())
    lang = _report_language(request)
    audit.record_audit(
        actor=request.user,
        action=AuditAction.VIEW_ANNUAL_REPORT,
        target=f"annual report {period}",
        start=period.first_day,
        end=period.last_day,
        lang=lang,
    )
    with translation.override(lang):
        return render(
            request,
            "cases/reports/annual.html",
            {
                "figures": statistics.figures(period, all_units=True),
                "period_query": _period_query(period),
                "today": timezone.localdate(),
                "report_lang": lang,
                "narrative": _narrative(annual_document.texts_for(period)),
            },
        )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _annual_download(request, *, extension, content_type, action, build):
    """The annual report as a file: the download is on the audit log, `build(period)` runs in the report's language."""
    _form, period = period_from(request, statistics.Period.reporting_year())
    lang = _report_language(request)
    filename = f"hotline-annual-report-{period.slug}.{extension}"
    audit.record_audit(
        actor=request.user, action=action, target=filename, start=period.first_day, end=period.last_day, lang=lang
    )
    with translation.override(lang):
        content = build(period)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


def _workbook(period):
    title = _("Results of the youth cyber support hotline, %(period)s") % {"period": period}
    return exports.annual_workbook(statistics.figures(period, all_units=True), title=title)


def _document(period):
    return annual_document.annual_docx(
        period=period, hotline_settings=HotlineSettings.current(), text=annual_document.texts_for(period)
    )


@require_GET
@staff_required("cases.view_reports")
def annual_report_xlsx(request):
    return _annual_download(
        request, extension="xlsx", content_type=XLSX, action=AuditAction.EXPORT_XLSX, build=_workbook
    )


@require_GET
@staff_required("cases.view_reports")
def annual_report_docx(request):
    return _annual_download(
        request, extension="docx", content_type=DOCX, action=AuditAction.EXPORT_DOCX, build=_document
    )


class AnnualTextForm(forms.Form):
    organisation = forms.CharField(
        label=gettext_lazy("I. How the work was organised"), required=False, widget=forms.Textarea
    )
    assessment = forms.CharField(label=gettext_lazy("III. Assessment"), required=False, widget=forms.Textarea)
    difficulties = forms.CharField(
        label=gettext_lazy("IV. Difficulties and shortcomings"), required=False, widget=forms.Textarea
    )
    direction = forms.CharField(label=gettext_lazy("V. Direction for next year"), required=False, widget=forms.Textarea)
    proposals = forms.CharField(label=gettext_lazy("VI. Proposals"), required=False, widget=forms.Textarea)


@staff_required("cases.view_reports")
def annual_text(request):
    """The narrative sections of the annual report: supervisors save drafts, then make one version final."""
    _form, period = period_from(request, statistics.Period.reporting_year())
    text = annual_document.texts_for(period)
    if request.method == "POST":
        form = AnnualTextForm(request.POST)
        if form.is_valid():
            try:
                if "finalise" in request.POST:
                    annual_document.save_annual_text(period=period, user=request.user, **form.cleaned_data)
                    annual_document.finalise_annual_text(period=period, user=request.user)
                    messages.success(request, _("The report is final; its figures and SHA-256 are recorded."))
                else:
                    annual_document.save_annual_text(period=period, user=request.user, **form.cleaned_data)
                    messages.success(request, _("Draft saved."))
                return redirect(f"{request.path}?{_period_query(period)}")
            except NotAllowed as error:
                messages.error(request, str(error))
    else:
        form = AnnualTextForm(
            initial={name: getattr(text, name) for name, _label in ANNUAL_REPORT_SECTIONS} if text else None
        )
    return render(
        request,
        "cases/reports/annual_text.html",
        {"form": form, "period": period, "period_query": _period_query(period), "text": text},
    )


@require_GET
@staff_required("cases.view_reports")
def cases_csv(request):
    _form, period = period_from(request)
    filename = f"hotline-cases-{period.slug}.csv"
    audit.record_audit(
        actor=request.user,
        action=AuditAction.EXPORT_CSV,
        target=filename,
        start=period.first_day,
        end=period.last_day,
        columns=exports.CSV_COLUMNS,
    )
    chunks = _chunks(exports.csv_lines(period))
    if isinstance(request, ASGIRequest):
        chunks = _async_chunks(chunks)
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


def _chunks(lines, size=1000):
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


async def _async_chunks(chunks):
    """Under ASGI (Daphne) Django would read a synchronous iterator whole into memory before sending anything;
    this streams it, chunk by chunk, reading the database in the request's worker thread."""
    iterator = iter(chunks)
    next_chunk = sync_to_async(lambda: next(iterator, None), thread_sensitive=True)
    while (chunk := await next_chunk()) is not None:
        yield chunk


# --- the audit trail ----------------------------------------------------------------------------------------------


class AuditFilterForm(forms.Form):
    actor = forms.TypedChoiceField(label=gettext_lazy("Who"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=gettext_lazy("What"), required=False)
    start = bounds.DateField(label=gettext_lazy("From"), required=False, widget=DATE_WIDGET)
    end = bounds.DateField(label=gettext_lazy("To"), required=False, widget=DATE_WIDGET)
    reference = forms.CharField(label=gettext_lazy("Case reference"), required=False, max_length=20)

    def __init__(self, *args, actors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Anyone"))] + [
            (user.pk, user.get_full_name() or user.username) for user in actors
        ]
        self.fields["kind"].choices = [("", _("Everything"))] + audit.kind_choices()

    def filters(self):
        data = self.cleaned_data
        zone = statistics.local_zone()
        start = data.get("start")
        end = data.get("end")
        reference = (data.get("reference") or "").strip()
        return audit.AuditFilters(
            actor_id=data.get("actor"),
            kind=data.get("kind") or "",
            start=datetime.datetime.combine(start, datetime.time.min, zone) if start else None,
            end=datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone) if end else None,
            reference=(normalize_reference(reference) or reference.upper()) if reference else "",
        )


@require_GET
@staff_required("cases.view_reports")
def audit_trail(request):
    """Who looked at personal data or evidence, who exported what, every transition: newest first, filtered."""
    form = AuditFilterForm(request.GET or None, actors=list(audit.audit_actors()))
    filters = form.filters() if form.is_bound and form.is_valid() else audit.AuditFilters()
    after = audit.read_audit_cursor(request.GET["after"]) if request.GET.get("after") else None
    rows, next_cursor = audit.audit_trail(filters, after=after)
    params = request.GET.copy()
    params.pop("after", None)
    return render(
        request,
        "cases/reports/audit.html",
        {
            "form": form,
            "rows": rows,
            "next_cursor": next_cursor,
            "filter_query": params.urlencode(),
            "is_first_page": after is None,
        },
    )


# --- legal hold (a small form on the case page) ------------------------------------------------------------------


class LegalHoldForm(forms.Form):
    action = forms.ChoiceField(choices=[("set", "set"), ("release", "release")])
    reason = forms.CharField(required=False, max_length=1000)

    def clean(self):
        data = super().clean()
        if data.get("action") == "set" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the data must be kept (for example the police's request)."))
        return data


@require_POST
@staff_required("cases.set_legal_hold")
def legal_hold(request, reference):
    case = get_object_or_404(Case, reference=reference)
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("cases:workspace", reference=case.reference)
    try:
        if form.cleaned_data["action"] == "release":
            retention.release_legal_hold(case=case, user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The legal hold is released; the retention schedule applies again."))
        else:
            retention.set_legal_hold(case=case, user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The case is on legal hold: its personal data is kept until released."))
    except NotAllowed:
        messages.error(request, _("You are not allowed to do this on this case."))
    except retention.HoldNotPossible:
        messages.error(request, _("The personal data of this case has already been removed."))
    return redirect("cases:workspace", reference=case.reference)
