"""What the reporter allows and answers on their status page: notices (text channel, web push), the callback's
safety note, the check-in. Each view needs the access proven in this session (hotline.reporter_access) and calls
one service; the words sent are in cases.notices."""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import access, callbacks, check_ins, notices
from cases.models import Case
from hotline import reporter_access
from hotline.forms import CheckInForm, NoticeChannelForm, SafetyNoteForm
from hotline.views import PUSH_SESSION_KEY

MAX_SUBSCRIPTION_BYTES = 4096


def _reporter_case(request, reference):
    case = Case.objects.filter(reference=reference).first()
    if case is None or not reporter_access.has_access(request.session, case):
        return None
    return case


def _back_to_lookup(reference):
    return HttpResponseRedirect(reverse("status") + f"?reference={access.normalize_reference(reference)}")


def _back_to_case(case, anchor):
    return HttpResponseRedirect(reverse("case_status", args=[case.reference]) + f"#{anchor}")


@require_POST
def notice_channel(request, reference):
    case = _reporter_case(request, reference)
    if case is None:
        return _back_to_lookup(reference)
    form = NoticeChannelForm(request.POST, case=case)
    if form.is_valid():
        notices.choose_text_channel(case=case, channel=form.cleaned_data["notify_by"])
        messages.success(request, _("Saved. We will tell you this way when there is something new."))
    else:
        messages.error(request, _("Choose one of the ways listed."))
    return _back_to_case(case, "notices")


def known_push_service(endpoint):
    """Whether the endpoint is at one of settings.REPORTER_PUSH_SERVICES (scheme and host, "*." for subdomains)."""
    try:
        parts = urlsplit(endpoint)
    except ValueError:
        return False
    if parts.username or parts.password or not parts.netloc:
        return False
    netloc = parts.netloc.lower()
    for service in settings.REPORTER_PUSH_SERVICES:
        scheme, _sep, host = service.lower().partition("://")
        if parts.scheme != scheme:
            continue
        if netloc == host or (host.startswith("*.") and netloc.endswith(host[1:]) and ":" not in netloc):
            return True
    return False


def _subscription(request):
    """(endpoint, p256dh, auth, title) from the page's JSON, or None."""
    if len(request.body) > MAX_SUBSCRIPTION_BYTES:
        return None
    try:
        data = json.loads(request.body)
        endpoint, keys, title = data["endpoint"], data["keys"], data.get("title", "")
        p256dh, auth = keys["p256dh"], keys["auth"]
    except (ValueError, KeyError, TypeError):
        return None
    valid = (
        isinstance(endpoint, str)
        and len(endpoint) <= 1000
        and known_push_service(endpoint)
        and all(isinstance(value, str) and 0 < len(value) <= 200 for value in (p256dh, auth))
        and isinstance(title, str)
    )
    return (endpoint, p256dh, auth, title) if valid else None


@require_POST
def push_subscribe(request, reference):
    """This browser's push subscription (the Push API's JSON plus the chosen neutral `title`)."""
    case = _reporter_case(request, reference)
    if case is None:
        return HttpResponse(status=403)
    subscription = _subscription(request)
    if subscription is None:
        return HttpResponseBadRequest("not a push subscription")
    endpoint, p256dh, auth, title = subscription
    try:
        notices.save_push_subscription(case=case, endpoint=endpoint, p256dh=p256dh, auth=auth, title=title)
    except ValueError:
        return HttpResponseBadRequest("not a neutral title")
    # Remembered in the session, so that leaving (quick exit, "close my case on this device") stops the pushes.
    endpoints = [known for known in request.session.get(PUSH_SESSION_KEY, []) if known != endpoint]
    request.session[PUSH_SESSION_KEY] = ([endpoint] + endpoints)[:10]
    return HttpResponse(status=204)


@require_POST
def push_unsubscribe(request, reference):
    """Stop web push: this browser's (JSON with its endpoint, from the page's script) or, from the plain form,
    every browser's for this case."""
    case = _reporter_case(request, reference)
    if case is None:
        return _back_to_lookup(reference)
    if request.content_type == "application/json":
        subscription = _subscription(request)
        endpoint = subscription[0] if subscription else ""
        if not endpoint:
            return HttpResponseBadRequest("no endpoint")
        notices.remove_push_subscriptions(case=case, endpoint=endpoint)
        return HttpResponse(status=204)
    notices.remove_push_subscriptions(case=case)
    messages.success(request, _("Notifications on this case are off."))
    return _back_to_case(case, "notices")


@require_POST
def safety_note(request, reference):
    case = _reporter_case(request, reference)
    if case is None:
        return _back_to_lookup(reference)
    form = SafetyNoteForm(request.POST)
    if form.is_valid() and callbacks.set_safety_note(case=case, note=form.cleaned_data["note"]):
        messages.success(request, _("Thank you. The counsellor will read this before calling you."))
    return _back_to_case(case, "callback")


@require_POST
def answer_check_in(request, reference):
    case = _reporter_case(request, reference)
    if case is None:
        return _back_to_lookup(reference)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say whether everything is OK now."))
        return _back_to_case(case, "check-in")
    data = form.cleaned_data
    try:
        check_ins.answer_check_in(
            case=case,
            all_ok=data["all_ok"] == "yes",
            rating=int(data["rating"]) if data["rating"] else None,
            comment=data["comment"],
            message=data["message"],
        )
    except check_ins.CheckInError:
        return redirect("case_status", reference=case.reference)
    if data["all_ok"] == "yes":
        messages.success(request, _("Thank you for telling us. You can always write to us again here."))
    else:
        messages.success(request, _("Thank you. A counsellor will read your message and answer here."))
    return redirect("case_status", reference=case.reference)


@require_GET
def service_worker(request):
    """The reporter's service worker, served from /status/ so that it controls only the status pages."""
    path = finders.find("js/status-sw.js")
    if not path:
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="application/javascript")  # noqa: SIM115
    response["Cache-Control"] = "no-cache"
    return response
