"""The young person's side of their personal data: the privacy notice (for children, and for parents), and on the
status page their consents (withdraw each) and their requests (see, correct, delete, object)."""

import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases import access, consent, data_requests
from cases.audit import record_audit
from cases.models import AuditAction, Case, Consent, ConsentChannel, DataRequestKind, DataRequestSource
from hotline import reporter_access
from hotline.forms import ReporterDataRequestForm


def _notice_context():
    return {
        "RETENTION_DAYS": settings.RETENTION_DAYS,
        "DATA_REQUEST_RESPONSE_DAYS": settings.DATA_REQUEST_RESPONSE_DAYS,
    }


@require_safe
def privacy_notice(request):
    """What we keep, who sees it, for how long, your rights and how to ask: for children, in plain words."""
    return render(request, "hotline/privacy_notice.html", _notice_context())


@require_safe
def privacy_parents(request):
    return render(request, "hotline/privacy_parents.html", _notice_context())


def _reporter_case(request, reference):
    """The case this browser proved it holds the code of, or None."""
    case = Case.objects.filter(reference=reference).select_related("category").first()
    if case is None or not reporter_access.has_access(request.session, case):
        return None
    return case


def _to_lookup(reference):
    return HttpResponseRedirect(reverse("status") + f"?reference={access.normalize_reference(reference)}")


@require_POST
def withdraw_consent(request, reference, consent_id):
    case = _reporter_case(request, reference)
    if case is None:
        return _to_lookup(reference)
    record = get_object_or_404(Consent, pk=consent_id, case=case)
    consent.withdraw_consent(consent=record, channel=ConsentChannel.STATUS_PAGE)
    messages.success(request, _("Done: you have withdrawn this consent. We will not use it from now on."))
    return redirect(reverse("case_status", args=[case.reference]) + "#my-privacy")


@require_POST
def data_request(request, reference):
    case = _reporter_case(request, reference)
    if case is None:
        return _to_lookup(reference)
    if request.POST.get("kind") == DataRequestKind.ACCESS:
        if case.purged_at is None:
            data_requests.file_data_request(
                case=case, kind=DataRequestKind.ACCESS, source=DataRequestSource.STATUS_PAGE
            )
        return redirect("status_my_data", reference=case.reference)
    form = ReporterDataRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("case_status", args=[case.reference]) + "#my-privacy")
    try:
        filed = data_requests.file_data_request(
            case=case,
            kind=form.cleaned_data["kind"],
            source=DataRequestSource.STATUS_PAGE,
            details=form.cleaned_data["details"],
        )
    except data_requests.RequestNotPossible:
        messages.error(request, _("Your personal data in this case has already been deleted."))
    else:
        if filed.answer:
            messages.warning(request, filed.answer)
        else:
            messages.success(
                request,
                _("We received your request. We will answer here by %(due)s.")
                % {"due": data_requests.local_due(filed)},
            )
    return redirect(reverse("case_status", args=[case.reference]) + "#my-privacy")


@require_safe
def my_data(request, reference):
    case = _reporter_case(request, reference)
    if case is None:
        return _to_lookup(reference)
    return render(request, "hotline/my_data.html", {"case": case, "data": data_requests.case_data(case)})


@require_safe
def my_data_json(request, reference):
    case = _reporter_case(request, reference)
    if case is None:
        return _to_lookup(reference)
    record_audit(actor=None, action=AuditAction.DATA_DOWNLOADED, case=case, target=case.reference)
    body = json.dumps(data_requests.case_data(case), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.json"'
    return response
