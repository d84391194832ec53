"""The operator workspace: queue, case page, actions, evidence, SLA, phone intake.

GET renders; POST binds a form, calls one service and redirects. Domain refusals become a clear message.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases import access, audit, extensions, paging, privacy, queries, roles, services
from cases.evidence import download_name
from cases.forms import (
    AssignForm,
    ClearDangerForm,
    NoteForm,
    PhoneIntakeForm,
    ProtectionLevelForm,
    QueueFilterForm,
    RejectForm,
    ReopenForm,
    ResolveForm,
    StaffMessageForm,
    TriageForm,
)
from cases.models import CannedReply, CaseState, Evidence, Priority
from cases.plumbing import REFUSALS, case_or_404, private_file_response, refusal_message, staff_required

# Evidence previews already logged in this session (see evidence_file).
PREVIEWED_SESSION_KEY = "evidence_previewed"

# Transitions a staff member may take by hand, in the order their buttons appear.
STAFF_TRANSITIONS = ["triage", "claim", "resume", "wait_for_reporter", "resolve", "close", "reopen", "reject"]


def staff_members():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[roles.OPERATOR, roles.SUPERVISOR, roles.ADMIN])
        .distinct()
        .order_by("first_name", "username")
    )


@require_GET
@staff_required("cases.view_case")
def queue(request):
    staff = list(staff_members())
    form = QueueFilterForm(request.GET or None, staff=staff)
    filters = queries.QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = queries.QueueFilters(
            state=data["state"],
            priority=data["priority"],
            category=data["category"],
            assignee=data["assignee"],
            overdue=data["overdue"],
            awaiting_approval=data["awaiting_approval"],
            q=data["q"].strip(),
        )
    after = queries.read_queue_cursor(request.GET.get("after", "")) if request.GET.get("after") else None
    now = timezone.now()
    cases, next_cursor = queries.queue_for(request.user, filters, after=after, now=now)
    params = request.GET.copy()
    params.pop("after", None)
    params.pop("fragment", None)
    context = {
        "form": form,
        "cases": cases,
        "now": now,
        "next_cursor": next_cursor,
        "filter_query": params.urlencode(),
        "is_first_page": after is None,
    }
    if request.GET.get("fragment") == "rows":
        return render(request, "cases/_queue_rows.html", context)
    return render(request, "cases/queue.html", context)


def _available_transitions(case, user):
    allowed = {t.name for t in case.get_available_user_state_transitions(user)}
    if case.assignee_id not in (None, user.pk):
        allowed.discard("claim")
    return [name for name in STAFF_TRANSITIONS if name in allowed]


def render_workspace(request, case, *, bound=None, status=200):
    """The case page; `bound` carries a form that failed validation, so what was typed stays on the page."""
    user = request.user
    forms = {
        "triage": TriageForm(
            initial={"category": case.category, "priority": case.priority, "in_danger": case.in_danger}
        ),
        "assign": AssignForm(initial={"assignee": case.assignee}, staff=staff_members()),
        "note": NoteForm(),
        "message": StaffMessageForm(),
        "resolve": ResolveForm(),
        "reopen": ReopenForm(),
        "clear_danger": ClearDangerForm(),
        "reject": RejectForm(case=case),
        "protection": ProtectionLevelForm(initial={"level": case.protection_level or None}),
    }
    if bound:
        forms.update(bound)
    revealed = privacy.is_revealed(request.session, case)
    timeline = queries.case_timeline(case)
    context = {
        "case": case,
        "forms": forms,
        "transitions": _available_transitions(case, user),
        "can_assign": user.has_perm("cases.assign_case") and case.is_open,
        "can_work": user.has_perm("cases.claim_case"),
        "can_clear_danger": user.has_perm("cases.assign_case"),
        # The chat is pinned beside the case's facts (workspace.html) while someone may write in it.
        "chat_here": user.has_perm("cases.claim_case") and case.is_open,
        "timeline": timeline,
        "notes": [entry.item for entry in reversed(timeline) if entry.kind == "note"],
        "conversation": [entry.item for entry in timeline if entry.kind == "message"],
        "canned_replies": list(CannedReply.objects.filter(active=True)),
        "article_links": extensions.chat_links_for(request, case),
        "evidence": list(case.evidence.all()),
        "links": list(case.links.all()),
        "platforms": list(case.platforms.all()),
        "contact_revealed": revealed,
        "masked_phone": privacy.mask_phone(case.contact_phone),
        "masked_email": privacy.mask_email(case.contact_email),
        "now": timezone.now(),
        "phone_receipt": request.session.pop(f"phone_receipt_{case.pk}", None),
        "CaseState": CaseState,
        "open_page": case.pages.filter(acknowledged_at__isnull=True).order_by("-round").first(),
    }
    return render(request, "cases/workspace.html", context, status=status)


@require_GET
@staff_required("cases.view_case")
def workspace(request, reference):
    case = case_or_404(reference)
    audit.record_case_view(case=case, user=request.user)  # every look at a child's report is on the record
    services.mark_seen_by_staff(case=case)
    return render_workspace(request, case)


@require_POST
@staff_required("cases.view_case")
def case_action(request, reference, action):
    """Every button and form of the case page posts here; one service call each."""
    case = case_or_404(reference)
    user = request.user
    handlers = {
        "triage": (TriageForm, _triage),
        "claim": (None, lambda c, u, d: services.claim_case(case=c, user=u)),
        "resume": (None, lambda c, u, d: services.resume_case(case=c, user=u)),
        "wait_for_reporter": (None, lambda c, u, d: services.wait_for_reporter(case=c, user=u)),
        "resolve": (ResolveForm, lambda c, u, d: services.resolve_case(case=c, user=u, **d)),
        "close": (None, lambda c, u, d: services.close_case(case=c, user=u)),
        "reopen": (ReopenForm, lambda c, u, d: services.reopen_case(case=c, user=u, reason=d["reason"])),
        "reject": (RejectForm, _reject),
        "assign": (AssignForm, lambda c, u, d: services.assign_case(case=c, user=u, assignee=d["assignee"])),
        "note": (NoteForm, lambda c, u, d: services.add_note(case=c, user=u, text=d["text"])),
        "message": (StaffMessageForm, _message),
        "reveal_contact": (None, _reveal_contact(request)),
        "protection": (
            ProtectionLevelForm,
            lambda c, u, d: services.set_protection_level(case=c, user=u, level=d["level"]),
        ),
        "acknowledge_page": (None, lambda c, u, d: paging.acknowledge_page(case=c, user=u)),
        "flag_danger": (None, lambda c, u, d: services.flag_in_danger(case=c, user=u)),
        "clear_danger": (
            ClearDangerForm,
            lambda c, u, d: services.clear_in_danger(case=c, user=u, reason=d["reason"]),
        ),
    }
    if action not in handlers:
        return HttpResponseNotAllowed(["POST"])
    form_class, handler = handlers[action]
    data = {}
    if form_class is not None:
        kwargs = {"case": case} if form_class is RejectForm else {}
        if form_class is AssignForm:
            kwargs = {"staff": staff_members()}
        form = form_class(request.POST, **kwargs)
        if not form.is_valid():
            return render_workspace(request, case, bound={action: form}, status=400)
        data = form.cleaned_data
    try:
        handler(case, user, data)
    except REFUSALS as error:
        messages.error(request, refusal_message(error))
    return redirect("cases:workspace", reference=case.reference)


def _triage(case, user, data):
    services.triage_case(
        case=case, user=user, priority=data["priority"], category=data["category"], in_danger=data["in_danger"]
    )


def _reject(case, user, data):
    services.reject_case(case=case, user=user, reason=data["reason"], merged_into=data["merged_into"])


def _message(case, user, data):
    services.post_staff_message(case=case, user=user, text=data["text"], client_id=data["client_id"] or None)


def _reveal_contact(request):
    def reveal(case, user, data):
        services.reveal_contact(case=case, user=user)
        privacy.remember_reveal(request.session, case)

    return reveal


@require_GET
@staff_required("cases.view_case")
def evidence_file(request, reference, evidence_id):
    """An evidence file, through this permission check only, each access logged. Downloads are attachments;
    an inline preview is offered for pictures only, sandboxed."""
    evidence = get_object_or_404(Evidence.objects.select_related("case"), pk=evidence_id, case__reference=reference)
    if not evidence.file:
        raise Http404("purged")  # removed by the retention schedule; the row keeps its hash and size
    how = request.GET.get("how", "download")
    inline = how == "preview" and evidence.is_image
    # A preview is logged once per session: the case page shows it on every load and the timeline drowned in
    # identical entries. Every download is logged (the file leaves the hotline).
    previewed = request.session.get(PREVIEWED_SESSION_KEY, [])
    if not inline or evidence.pk not in previewed:
        services.log_evidence_access(evidence=evidence, user=request.user, how="preview" if inline else "download")
        if inline:
            request.session[PREVIEWED_SESSION_KEY] = [*previewed, evidence.pk][-500:]
    return private_file_response(
        evidence.file.open("rb"), filename=download_name(evidence), content_type=evidence.content_type, inline=inline
    )


@require_POST
@staff_required("cases.view_case")
def evidence_reveal(request, reference, evidence_id):
    evidence = get_object_or_404(Evidence.objects.select_related("case"), pk=evidence_id, case__reference=reference)
    services.log_evidence_access(evidence=evidence, user=request.user, how="reveal")
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect("cases:workspace", reference=reference)


@require_GET
@staff_required("cases.assign_case")
def sla(request):
    """Supervisors: first responses that came late or are overdue now, and how each priority is doing."""
    now = timezone.now()
    try:
        days = max(1, min(int(request.GET.get("days", 30)), 366))
    except ValueError:
        days = 30
    since = now - timezone.timedelta(days=days)
    breaches = queries.sla_breaches(since=since, now=now)
    summary = queries.sla_summary(since=since, now=now)
    context = {
        "breaches": breaches,
        "summary": summary,
        "interventions": queries.intervention_clocks(),
        "days": days,
        "now": now,
        "Priority": Priority,
    }
    return render(request, "cases/sla.html", context)


@staff_required("cases.add_case")
def phone_intake(request):
    if request.method == "POST":
        form = PhoneIntakeForm(request.POST)
        if form.is_valid():
            case, code = services.record_phone_case(
                report=form.cleaned_data, user=request.user, consents=form.consent_grants()
            )
            # The operator reads the reference and code to the caller once, from the case page.
            request.session[f"phone_receipt_{case.pk}"] = {"code": access.format_access_code(code)}
            return redirect("cases:workspace", reference=case.reference)
        return render(request, "cases/phone_intake.html", {"form": form}, status=400)
    return render(
        request, "cases/phone_intake.html", {"form": PhoneIntakeForm(initial={"contact_preference": "phone"})}
    )
