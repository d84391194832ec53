"""The liaison portal (/liaison/) and the escalation actions of the case page (/cases/<reference>/escalations/).

GET renders; POST binds a form, calls one service and redirects. Refusals become a clear message. A liaison reaches
only their own agency's escalations: anything else is a 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases.models import Evidence
from cases.plumbing import (
    CASE_REFUSALS,
    REFUSALS,
    Refusals,
    case_or_404,
    private_file_response,
    refusal_message,
    staff_required,
)
from cases.services import log_evidence_access
from cases.views import render_workspace
from escalation import forms, queries, services
from escalation.forms import form_prefix
from escalation.models import Escalation, EscalationLink, Referral

ESCALATION_REFUSALS = Refusals(
    concurrent=gettext_lazy("Someone else changed this escalation a moment ago. The page now shows its current state."),
    not_allowed=gettext_lazy("You are not allowed to do this on this escalation."),
    not_possible=gettext_lazy("This step is not possible in the escalation's current state."),
    other=(
        (
            services.InvalidEscalation,
            gettext_lazy("This escalation cannot be saved as it is. Check the agency, the actions, links and files."),
        ),
    ),
)
ESCALATION_ERRORS = (*REFUSALS, services.InvalidEscalation)

# A notification is recorded on the case: the case's words, and one of its own for a notification that does not hold.
REFERRAL_REFUSALS = Refusals(
    concurrent=CASE_REFUSALS.not_possible,
    not_allowed=CASE_REFUSALS.not_allowed,
    not_possible=CASE_REFUSALS.not_possible,
    other=(
        (
            services.InvalidReferral,
            gettext_lazy("This notification cannot be recorded as it is. Check the body notified and the time."),
        ),
    ),
)


@login_required
def staff_home(request):
    """Where login sends everyone: counsellors to the queue, liaisons to their portal."""
    if request.user.has_perm("cases.view_case"):
        return redirect("cases:queue")
    if request.user.has_perm("escalation.act_as_liaison"):
        return redirect("escalation:portal")
    raise PermissionDenied


def liaison_required(view):
    """Login, the liaison permission and a liaison membership; the view gets the user's agency."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("escalation.act_as_liaison"):
            raise PermissionDenied
        agency = queries.agency_of(request.user)
        if agency is None:
            raise PermissionDenied
        return view(request, agency, *args, **kwargs)

    return wrapped


# --- the liaison portal ---


@require_GET
@liaison_required
def portal(request, agency):
    show = "finished" if request.GET.get("show") == "finished" else "open"
    now = timezone.now()
    context = {"agency": agency, "escalations": queries.portal_escalations(agency, show=show, now=now), "now": now}
    context["show"] = show
    if request.GET.get("fragment") == "rows":
        return render(request, "escalation/_portal_rows.html", context)
    return render(request, "escalation/portal.html", context)


PORTAL_ACTIONS = {
    "acknowledge": (
        forms.AcknowledgeForm,
        lambda e, u, d: services.acknowledge_escalation(escalation=e, user=u, agency_reference=d["agency_reference"]),
    ),
    "agency_reference": (
        forms.AgencyReferenceForm,
        lambda e, u, d: services.record_agency_reference(escalation=e, user=u, agency_reference=d["agency_reference"]),
    ),
    "start_work": (None, lambda e, u, d: services.start_work(escalation=e, user=u)),
    "request_information": (
        forms.QuestionForm,
        lambda e, u, d: services.request_information(escalation=e, user=u, question=d["question"]),
    ),
    "complete": (forms.CompleteForm, lambda e, u, d: services.complete_escalation(escalation=e, user=u, **d)),
    "decline": (forms.DeclineForm, lambda e, u, d: services.decline_escalation(escalation=e, user=u, **d)),
}


def _render_detail(request, agency, pk, *, bound=None, status=200):
    escalation = queries.portal_escalation(agency, pk)
    packet = escalation.packet
    rows = {link.pk: link for link in escalation.links.all()}
    link_forms = {}
    for link in rows.values():
        prefix = f"link{link.pk}"
        link_forms[link.pk] = (bound or {}).get(prefix) or forms.LinkOutcomeForm(prefix=prefix)
    page_forms = {
        "acknowledge": forms.AcknowledgeForm(),
        "agency_reference": forms.AgencyReferenceForm(initial={"agency_reference": escalation.agency_reference}),
        "request_information": forms.QuestionForm(),
        "complete": forms.CompleteForm(),
        "decline": forms.DeclineForm(),
    }
    page_forms.update({key: form for key, form in (bound or {}).items() if key in page_forms})
    context = {
        "agency": agency,
        "escalation": escalation,
        "packet": packet,
        "links": [(item, rows.get(item["id"]), link_forms.get(item["id"])) for item in packet["links"]],
        "updates": list(escalation.updates.all()),
        "forms": page_forms,
        "can_record_outcomes": escalation.state in services.AGENCY_WORKING_STATES,
        "now": timezone.now(),
    }
    return render(request, "escalation/detail.html", context, status=status)


@require_GET
@liaison_required
def detail(request, agency, pk):
    return _render_detail(request, agency, pk)


def _agency_escalation(agency, pk):
    return get_object_or_404(Escalation.objects.select_related("agency"), pk=pk, agency=agency, sent_at__isnull=False)


@require_POST
@liaison_required
def portal_action(request, agency, pk, action):
    escalation = _agency_escalation(agency, pk)
    if action not in PORTAL_ACTIONS:
        return HttpResponseNotAllowed(["POST"])
    form_class, handler = PORTAL_ACTIONS[action]
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            return _render_detail(request, agency, pk, bound={action: form}, status=400)
        data = form.cleaned_data
    try:
        handler(escalation, request.user, data)
    except ESCALATION_ERRORS as error:
        messages.error(request, refusal_message(error, ESCALATION_REFUSALS))
    return redirect("escalation:detail", pk=pk)


@require_POST
@liaison_required
def link_outcome(request, agency, pk, link_id):
    escalation = _agency_escalation(agency, pk)
    link = get_object_or_404(EscalationLink, pk=link_id, escalation=escalation)
    link.escalation = escalation
    prefix = f"link{link.pk}"
    form = forms.LinkOutcomeForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _render_detail(request, agency, pk, bound={prefix: form}, status=400)
    try:
        services.record_link_outcome(link=link, user=request.user, **form.cleaned_data)
    except ESCALATION_ERRORS as error:
        messages.error(request, refusal_message(error, ESCALATION_REFUSALS))
    return redirect(reverse("escalation:detail", args=[pk]) + f"#link-{link.pk}")


@require_GET
@liaison_required
def evidence_file(request, agency, pk, evidence_id):
    """An evidence file the packet includes, for the agency's liaison only, each download logged on the case."""
    escalation = get_object_or_404(
        Escalation.objects.only("pk", "agency_id", "packet"), pk=pk, agency=agency, sent_at__isnull=False
    )
    if evidence_id not in {item["id"] for item in escalation.packet["evidence"]}:
        raise Http404
    evidence = get_object_or_404(
        Evidence.objects.select_related("case"), pk=evidence_id, escalations=escalation, case_id=escalation.case_id
    )
    log_evidence_access(evidence=evidence, user=request.user, how="liaison_download")
    return private_file_response(
        evidence.file.open("rb"),
        filename=f"{evidence.case.reference}-{evidence.pk}-{evidence.sha256[:12]}",
        content_type=evidence.content_type,
    )


# --- the case page's escalation panel ---


def _back_to_case(case, escalation=None):
    anchor = f"#escalation-{escalation.pk}" if escalation else "#escalations"
    return redirect(reverse("cases:workspace", args=[case.reference]) + anchor)


def _draft_arguments(data):
    fields = {name: data[name] for name in services.DRAFT_FIELDS if name in data}
    return {
        **fields,
        "links": list(data["links"]),
        "extra_targets": data["extra_targets"],
        "evidence": list(data["evidence"]),
    }


@require_POST
@staff_required("escalation.prepare_escalation")
def prepare(request, reference):
    case = case_or_404(reference)
    form = forms.EscalationForm(request.POST, case=case, prefix=form_prefix(None, "new"))
    if not form.is_valid():
        return render_workspace(request, case, bound={form_prefix(None, "new"): form}, status=400)
    try:
        escalation = services.prepare_escalation(case=case, user=request.user, **_draft_arguments(form.cleaned_data))
    except ESCALATION_ERRORS as error:
        messages.error(request, refusal_message(error, ESCALATION_REFUSALS))
        return _back_to_case(case)
    return _back_to_case(case, escalation)


CASE_ACTIONS = {
    "edit": None,  # the draft form, bound with the case
    "submit": (None, lambda e, u, d: services.submit_for_approval(escalation=e, user=u)),
    "approve": (forms.ApproveForm, lambda e, u, d: services.approve_and_send(escalation=e, user=u, **d)),
    "return": (forms.ReasonForm, lambda e, u, d: services.return_to_draft(escalation=e, user=u, **d)),
    "retract": (forms.ReasonForm, lambda e, u, d: services.retract_escalation(escalation=e, user=u, **d)),
    "answer": (forms.AnswerForm, lambda e, u, d: services.answer_information_request(escalation=e, user=u, **d)),
}


@require_POST
@staff_required("cases.view_case")
def case_action(request, reference, pk, action):
    case = case_or_404(reference)
    escalation = get_object_or_404(Escalation.objects.select_related("agency"), pk=pk, case=case)
    if action not in CASE_ACTIONS:
        return HttpResponseNotAllowed(["POST"])
    prefix = form_prefix(escalation.pk, action)
    if action == "edit":
        form = forms.EscalationForm(request.POST, case=case, prefix=prefix)
        handler = lambda e, u, d: services.update_draft(escalation=e, user=u, **_draft_arguments(d))  # noqa: E731
    else:
        form_class, handler = CASE_ACTIONS[action]
        form = form_class(request.POST, prefix=prefix) if form_class else None
    data = {}
    if form is not None:
        if not form.is_valid():
            return render_workspace(request, case, bound={prefix: form}, status=400)
        data = form.cleaned_data
    try:
        handler(escalation, request.user, data)
    except ESCALATION_ERRORS as error:
        messages.error(request, refusal_message(error, ESCALATION_REFUSALS))
    return _back_to_case(case, escalation)


# --- child-protection notifications (Decree 56/2017) on the case page ---


def _back_to_referrals(case):
    return redirect(reverse("cases:workspace", args=[case.reference]) + "#referrals")


@require_POST
@staff_required("escalation.prepare_escalation")
def record_referral(request, reference):
    case = case_or_404(reference)
    form = forms.ReferralForm(request.POST)
    if not form.is_valid():
        return render_workspace(request, case, bound={forms.REFERRAL_PREFIX: form}, status=400)
    try:
        services.record_referral(case=case, user=request.user, **form.cleaned_data)
    except (*REFUSALS, services.InvalidReferral) as error:
        messages.error(request, refusal_message(error, REFERRAL_REFUSALS))
        return render_workspace(request, case, bound={forms.REFERRAL_PREFIX: form}, status=400)
    messages.success(request, _("The notification is recorded. The intervention clock is running."))
    return _back_to_referrals(case)


@require_POST
@staff_required("escalation.approve_escalation")
def approve_referral(request, reference, pk):
    case = case_or_404(reference)
    referral = get_object_or_404(Referral.objects.select_related("agency"), pk=pk, case=case)
    try:
        services.approve_referral(referral=referral, user=request.user)
    except REFUSALS as error:
        messages.error(request, refusal_message(error, REFERRAL_REFUSALS))
    return _back_to_referrals(case)
