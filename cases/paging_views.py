"""The duty roster page, the link of a page's e-mail and push, and web push subscriptions (cases/paging.py)."""

import json
from datetime import timedelta

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import paging, push
from cases.forms import DutyShiftForm
from cases.models import DutyShift, Page
from cases.plumbing import staff_required

MAX_SUBSCRIPTION_BYTES = 4096


@staff_required("cases.assign_case")
def duty(request):
    """Supervisors: who is on duty now, the shifts of the coming days, and a form to add one."""
    form = DutyShiftForm(request.POST or None, supervisors=paging.supervisors())
    if request.method == "POST" and form.is_valid():
        try:
            paging.add_shift(user=request.user, **form.cleaned_data)
        except paging.ShiftNotValid:
            form.add_error(None, _("This shift cannot be saved. Check the supervisor and the times."))
        else:
            messages.success(request, _("The shift is on the roster."))
            return redirect("cases:duty")
    now = timezone.now()
    shifts = (
        DutyShift.objects.filter(ends_at__gt=now - timedelta(days=1))
        .select_related("supervisor")
        .order_by("starts_at", "id")[:200]
    )
    context = {
        "form": form,
        "on_duty": list(paging.on_duty(now=now)),
        "shifts": shifts,
        "now": now,
        "vapid_key": push.application_server_key(),
    }
    return render(request, "cases/duty.html", context, status=400 if form.errors else 200)


@require_POST
@staff_required("cases.assign_case")
def remove_shift(request, shift_id):
    shift = get_object_or_404(DutyShift, pk=shift_id)
    paging.remove_shift(user=request.user, shift=shift)
    messages.success(request, _("The shift was removed."))
    return redirect("cases:duty")


@require_GET
@staff_required("cases.view_case")
def page(request, page_id):
    """Where the e-mail's and the push notice's link lands: the case, for staff (the link names no case)."""
    found = get_object_or_404(Page.objects.select_related("case"), pk=page_id)
    return redirect("cases:workspace", reference=found.case.reference)


@require_POST
@staff_required("cases.view_case")
def push_subscribe(request):
    """Store this browser's push subscription (the Push API's JSON) for the logged-in staff member."""
    if len(request.body) > MAX_SUBSCRIPTION_BYTES:
        return HttpResponseBadRequest("too large")
    try:
        data = json.loads(request.body)
        endpoint, keys = data["endpoint"], data["keys"]
        p256dh, auth = keys["p256dh"], keys["auth"]
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest("not a push subscription")
    valid = (
        isinstance(endpoint, str)
        and endpoint.startswith("https://")
        and len(endpoint) <= 1000
        and all(isinstance(value, str) and 0 < len(value) <= 200 for value in (p256dh, auth))
    )
    if not valid:
        return HttpResponseBadRequest("not a push subscription")
    push.save_subscription(user=request.user, endpoint=endpoint, p256dh=p256dh, auth=auth)
    return HttpResponse(status=204)


@require_GET
def service_worker(request):
    """The service worker that shows push notices (served by the app, so that it may control /cases/)."""
    path = finders.find("js/push-sw.js")
    if not path:
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="application/javascript")  # noqa: SIM115
    response["Cache-Control"] = "no-cache"
    return response
