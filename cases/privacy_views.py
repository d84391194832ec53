"""Staff pages for personal data: consents heard by a counsellor, the requests list, the breach register.

GET renders; POST binds a form, calls one service and redirects. Domain refusals become a clear message.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import breaches, consent, data_requests
from cases.models import Case, Consent, ConsentChannel, DataRequest, DataRequestSource
from cases.plumbing import NotAllowed, staff_required
from cases.privacy_forms import (
    AnswerDataRequestForm,
    BreachForm,
    CaseDataRequestForm,
    ConsentRecordForm,
    MeasureForm,
    NotificationForm,
    StaffDataRequestForm,
)


def _form_errors_as_messages(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
@staff_required("cases.add_consent")
def record_consent(request, reference):
    case = get_object_or_404(Case, reference=reference)
    form = ConsentRecordForm(request.POST)
    if not form.is_valid():
        _form_errors_as_messages(request, form)
        return redirect("cases:workspace", reference=case.reference)
    data = form.cleaned_data
    try:
        consent.record_consent(
            case=case,
            user=request.user,
            given_by=data["given_by"],
            scopes=data["scopes"],
            channel=data["channel"],
            age_band=data["age_band"],
        )
        messages.success(request, _("The consent is recorded, with your name."))
    except consent.ConsentNotPossible:
        messages.error(request, _("The personal data of this case has been removed: no consent can be recorded."))
    return redirect("cases:workspace", reference=case.reference)


@require_POST
@staff_required("cases.add_consent")
def withdraw_consent(request, reference, consent_id):
    """A withdrawal told to a counsellor (on the phone or in the chat)."""
    case = get_object_or_404(Case, reference=reference)
    record = get_object_or_404(Consent, pk=consent_id, case=case)
    channel = request.POST.get("channel", ConsentChannel.PHONE)
    if channel not in (ConsentChannel.PHONE, ConsentChannel.CHAT):
        channel = ConsentChannel.PHONE
    consent.withdraw_consent(consent=record, channel=channel, user=request.user)
    messages.success(request, _("The consent is withdrawn. Agencies that already received the case are told."))
    return redirect("cases:workspace", reference=case.reference)


@require_POST
@staff_required("cases.add_datarequest")
def record_data_request(request, reference):
    """A request about personal data heard by a counsellor (phone, chat), recorded from the case's page."""
    case = get_object_or_404(Case, reference=reference)
    form = CaseDataRequestForm(request.POST)
    if not form.is_valid():
        _form_errors_as_messages(request, form)
        return redirect("cases:workspace", reference=case.reference)
    try:
        filed = data_requests.file_data_request(
            case=case,
            kind=form.cleaned_data["kind"],
            source=DataRequestSource.STAFF,
            details=form.cleaned_data["details"],
            user=request.user,
        )
    except data_requests.RequestNotPossible:
        messages.error(request, _("The personal data of this case has already been removed."))
    else:
        messages.success(request, _("The request is recorded; it is due %(due)s.") % {"due": _due(filed)})
    return redirect("cases:workspace", reference=case.reference)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required("cases.change_datarequest")
def data_request_list(request):
    form = StaffDataRequestForm()
    status = 200
    if request.method == "POST":
        form = StaffDataRequestForm(request.POST)
        if form.is_valid():
            try:
                filed = data_requests.file_data_request(
                    case=form.cleaned_data["case"],
                    kind=form.cleaned_data["kind"],
                    source=DataRequestSource.STAFF,
                    details=form.cleaned_data["details"],
                    user=request.user,
                )
            except data_requests.RequestNotPossible:
                form.add_error(None, _("The personal data of this case has already been removed."))
            else:
                messages.success(request, _("The request is recorded; it is due %(due)s.") % {"due": _due(filed)})
                return redirect("cases:data_requests")
        status = 400
    open_requests = list(data_requests.open_requests())
    for filed in open_requests:
        filed.answer_form = AnswerDataRequestForm(prefix=f"r{filed.pk}")
    context = {
        "open_requests": open_requests,
        "answered": data_requests.answered_requests(),
        "form": form,
        "now": timezone.now(),
        "DATA_REQUEST_RESPONSE_DAYS": settings.DATA_REQUEST_RESPONSE_DAYS,
    }
    return render(request, "cases/data_requests.html", context, status=status)


def _due(request):
    return timezone.localtime(request.due_at).strftime("%H:%M %d/%m/%Y")


@require_POST
@staff_required("cases.change_datarequest")
def answer_data_request(request, request_id):
    filed = get_object_or_404(DataRequest, pk=request_id)
    form = AnswerDataRequestForm(request.POST, prefix=f"r{filed.pk}")
    if not form.is_valid():
        _form_errors_as_messages(request, form)
        return redirect("cases:data_requests")
    try:
        answered = data_requests.answer_data_request(
            request=filed, user=request.user, state=form.cleaned_data["state"], answer=form.cleaned_data["answer"]
        )
    except data_requests.RequestNotPossible:
        messages.error(request, _("This request has already been answered."))
    except NotAllowed:
        messages.error(request, _("You are not allowed to do this."))
    else:
        if answered.state != form.cleaned_data["state"]:
            messages.warning(
                request, _("The case is on legal hold: the deletion was refused and the reporter told why.")
            )
        else:
            messages.success(request, _("The request is answered; the reporter sees the answer on their status page."))
    return redirect("cases:data_requests")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required("cases.view_breach")
def breach_list(request):
    form = BreachForm()
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("cases.add_breach"):
            raise PermissionDenied
        form = BreachForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                breach = breaches.record_breach(
                    user=request.user,
                    what=data["what"],
                    found_at=data["found_at"],
                    occurred_at=data["occurred_at"],
                    cases=data["cases"],
                    people_affected=data["people_affected"],
                    measures=data["measures"],
                )
            except breaches.BreachNotPossible:
                form.add_error("found_at", _("A breach cannot be found in the future."))
            else:
                messages.success(
                    request, _("The breach is on the register. Notify the authority before the clock runs out.")
                )
                return redirect("cases:breach", breach_id=breach.pk)
        status = 400
    context = {
        "breaches": list(breaches.breach_register()),
        "form": form,
        "now": timezone.now(),
        "BREACH_NOTIFICATION_HOURS": settings.BREACH_NOTIFICATION_HOURS,
    }
    return render(request, "cases/breaches.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required("cases.view_breach")
def breach_detail(request, breach_id):
    breach = get_object_or_404(breaches.breach_register(), pk=breach_id)
    measure_form, notice_form, status = MeasureForm(), NotificationForm(), 200
    if request.method == "POST":
        if not request.user.has_perm("cases.change_breach"):
            raise PermissionDenied
        if request.POST.get("action") == "notified":
            notice_form = NotificationForm(request.POST)
            if notice_form.is_valid():
                try:
                    breaches.record_notification(
                        breach=breach,
                        user=request.user,
                        notified_at=notice_form.cleaned_data["notified_at"],
                        reference=notice_form.cleaned_data["reference"],
                    )
                except breaches.BreachNotPossible:
                    notice_form.add_error(
                        "notified_at",
                        _("The notice is recorded once, after the breach was found and not in the future."),
                    )
                else:
                    messages.success(request, _("The notice to the authority is on the register."))
                    return redirect("cases:breach", breach_id=breach.pk)
        else:
            measure_form = MeasureForm(request.POST)
            if measure_form.is_valid():
                breaches.add_measure(breach=breach, user=request.user, text=measure_form.cleaned_data["text"])
                messages.success(request, _("The measure is on the register."))
                return redirect("cases:breach", breach_id=breach.pk)
        status = 400
    context = {"breach": breach, "measure_form": measure_form, "notice_form": notice_form, "now": timezone.now()}
    return render(request, "cases/breach.html", context, status=status)
