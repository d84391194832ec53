"""The public front desk: report, receipt, status. Function views; each POST calls one service."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases import access, callbacks, check_ins, notices, push, services
from cases.crisis import crisis_panel, shows_crisis_panel
from cases.models import Case, CaseState, Channel, NeutralTitle
from cases.outcomes import reporter_outcome
from hotline import form_tokens, library, page_cache, reporter_access
from hotline.forms import (
    AddInformationForm,
    CheckInForm,
    NoticeChannelForm,
    ReportForm,
    SafetyNoteForm,
    StatusLookupForm,
)
from hotline.status_text import reporter_status
from hotline.throttle import report_submissions, status_lookup_failures

RECEIPT_SESSION_KEY = "receipt"
PUSH_SESSION_KEY = "push_endpoints"  # the push subscriptions this browser made (hotline.reaching_views)
HONEYPOT_FIELD = "leave_empty"


def empty_report_page(request):
    """The empty report page for this request from the rendered page (hotline.page_cache), or None when it must be
    rendered as usual (another address of the page, messages to show, the cache that versions the catalogue down).
    The visitor's own CSRF token and a new one-time form token are put in on every request: a token baked into the
    rendered page would make every visitor's report a "repeat" of the first one's."""
    if request.path != reverse("report"):
        return None
    values = {"csrf_token": get_token(request), "form_token": form_tokens.new_token()}
    return page_cache.page(request, "hotline/report.html", _empty_report_context, values=values)


def _empty_report_context():
    return {"form": ReportForm(), "honeypot": HONEYPOT_FIELD, "files_lost": False}


def render_report(request, form=None, status=200):
    """The report page: with a bound form (what the visitor typed and its errors), or empty."""
    if form is None:
        page = empty_report_page(request)
        if page is not None:
            return HttpResponse(page)
        form = ReportForm()
    context = {
        "form": form,
        "honeypot": HONEYPOT_FIELD,
        # Every rendering gets its own one-time token (never in a cached page: see empty_report_page).
        "form_token": form_tokens.new_token(),
        # Files chosen are not kept across an error: the error summary says so first.
        "files_lost": bool(request.FILES.getlist("evidence")),
    }
    return render(request, "hotline/report.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def report(request):
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if request.POST.get(HONEYPOT_FIELD):
            # Only naive bots fill the field people never see; a person who somehow did is told plainly.
            report_submissions.hit(request)
            form.is_valid()
            form.add_error(None, _("Please leave the field “Leave this empty” empty and send again."))
            return render_report(request, form, status=400)
        if form.is_valid():
            token = form_tokens.posted_token(request)
            session_key = reporter_access.session_key_for_new_case(request) if token else None
            # Claimed (with the session the case will be in), counted and checked in one round trip.
            first, over_limit = form_tokens.claim_and_count(token, session_key, report_submissions, request)
            if not first:
                # A second tap on "Send": the first one makes the case; show its receipt, in its session when this
                # browser never got the first answer.
                first_session = form_tokens.wait_for_first(token)
                if first_session and first_session != request.session.session_key:
                    reporter_access.adopt_session(request, first_session)
                return redirect("receipt")
            if over_limit:
                form_tokens.release(token)
                form.add_error(
                    None,
                    _(
                        "Too many reports were sent from this connection. Please wait a little and "
                        "send again; what you wrote is still here. In danger now? Call 113."
                    ),
                )
                return render_report(request, form, status=429)
            try:
                case, code = services.submit_report(
                    report=form.cleaned_data,
                    uploads=form.cleaned_data["evidence"],
                    channel=Channel.WEB,
                    consents=form.consent_grants(),
                )
            except BaseException:
                form_tokens.release(token)
                raise
            reporter_access.grant(request, case, fresh=session_key is not None)
            request.session[RECEIPT_SESSION_KEY] = {
                "reference": case.reference,
                "code": code,
                "crisis": shows_crisis_panel(case),
                "category": library.top_category_id(case.category),
            }
            return redirect("receipt")
        return render_report(request, form, status=400)
    return render_report(request)


def receipt(request):
    """Shown once: the code exists in this session only until this page is rendered (a HEAD leaves it there)."""
    if request.method == "HEAD":
        shown = request.session.get(RECEIPT_SESSION_KEY)
    else:
        shown = request.session.pop(RECEIPT_SESSION_KEY, None)
    if shown is None:
        return render(request, "hotline/receipt_gone.html")
    values = {
        "reference": shown["reference"],
        "code": access.format_access_code(shown["code"]),
        "link": reporter_access.status_link(request, shown["reference"], shown["code"]),
        "case_url": reverse("case_status", args=[shown["reference"]]),
        "csrf_token": get_token(request),  # the language switch
    }
    crisis, category = bool(shown.get("crisis")), shown.get("category")

    def context():
        return {
            "crisis": crisis_panel() if crisis else None,
            "library_articles": library.articles_for_top_category(category),
        }

    # The same page for every report of a category, but for the reference, the code and the links.
    articles_version = library.version()
    rendered = articles_version and page_cache.page(
        request, "hotline/receipt.html", context, values=values, key=(crisis, category, articles_version)
    )
    if rendered:
        return HttpResponse(rendered)
    return render(request, "hotline/receipt.html", {**context(), **values})


@require_http_methods(["GET", "HEAD", "POST"])
def status_lookup(request):
    if request.method == "POST":
        form = StatusLookupForm(request.POST)
        if status_lookup_failures.blocked(request, request.POST.get("reference", "")):
            form.is_valid()
            form.add_error(None, _("Too many attempts. Please wait 15 minutes and try again."))
            return render(request, "hotline/status_lookup.html", {"form": form}, status=429)
        if form.is_valid():
            case = reporter_access.find_case(form.cleaned_data["reference"], form.cleaned_data["access_code"])
            if case is not None:
                reporter_access.grant(request, case)
                return redirect("case_status", reference=case.reference)
            status_lookup_failures.hit(request, form.cleaned_data["reference"])
            form.add_error(None, _("We could not find a case with this reference and code. Check both and try again."))
        return render(request, "hotline/status_lookup.html", {"form": form}, status=400)
    initial = {"reference": request.GET.get("reference", "")[:20]}
    return render(request, "hotline/status_lookup.html", {"form": StatusLookupForm(initial=initial)})


@require_http_methods(["GET", "HEAD", "POST"])
def case_status(request, reference):
    case = Case.objects.filter(reference=reference).select_related("category").first()
    if case is None or not reporter_access.has_access(request.session, case):
        return HttpResponseRedirect(reverse("status") + f"?reference={access.normalize_reference(reference)}")
    form = AddInformationForm()
    status = 200
    if request.method == "POST":
        form = AddInformationForm(request.POST, request.FILES)
        if form.is_valid():
            before = case.state
            services.add_reporter_information(
                case=case,
                text=form.cleaned_data["text"].strip(),
                uploads=form.cleaned_data["evidence"],
                client_id=form.cleaned_data["client_id"] or None,
            )
            messages.success(request, reporter_thanks(case, before))
            return redirect("case_status", reference=case.reference)
        status = 400
    context = {
        "case": case,
        "status": reporter_status(case),
        "outcome": reporter_outcome(case),
        "conversation": case.messages.order_by("seq"),
        "form": form,
        "crisis": crisis_panel() if shows_crisis_panel(case) else None,
        "library_articles": library.articles_for_category(case.category),
        **reaching_context(case),
    }
    return render(request, "hotline/case_status.html", context, status=status)


def reaching_context(case):
    """The status page's notices, callback and check-in parts (templates/hotline/_reaching.html)."""
    return {
        "notice_form": NoticeChannelForm(case=case),
        "push_titles": NeutralTitle.choices,
        "push_key": push.application_server_key(),
        "push_count": case.reporter_push_subscriptions.count(),
        "callback": callbacks.open_callback(case),
        "safety_form": SafetyNoteForm(),
        "check_in": check_ins.open_check_in(case),
        "check_in_form": CheckInForm(),
    }


# Sent with every "forget": the browser drops what this site kept in its cache and storage on this device.
CLEAR_SITE_DATA = '"cache", "storage"'


def forget_reporter(request):
    """This browser loses access to every case it opened and to a receipt not yet shown, and gets no more push
    notices for them (a shared phone: the next person must not be told "you have a new message")."""
    notices.forget_push_endpoints(endpoints=request.session.get(PUSH_SESSION_KEY, []))
    request.session.pop(PUSH_SESSION_KEY, None)
    reporter_access.forget(request)
    request.session.pop(RECEIPT_SESSION_KEY, None)


def reporter_thanks(case, before):
    """What the young person is told after writing, truthfully for the state their case was in."""
    if before == CaseState.CLOSED:
        return _("Thank you. Your case is open again: a counsellor will read your message and answer here.")
    if before == CaseState.REJECTED and case.merged_into_id:
        return _(
            "Thank you. Your report was joined to another report about the same thing: we have passed your "
            "message to the counsellor who looks after it."
        )
    if before == CaseState.REJECTED:
        return _("Thank you. A counsellor will look at your report again and answer here.")
    return _("Thank you. We have added this to your case.")


@require_POST
def leave(request):
    """Forget every case this browser opened: for a shared or borrowed phone."""
    forget_reporter(request)
    messages.info(request, _("This browser no longer has access to your case. Keep your code safe."))
    response = redirect("status")
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def quick_exit(request):
    """The quick-exit link goes through here (no case data in its URL), so it works without JavaScript: the session
    forgets the reporter's cases, the browser is asked to drop this site's cache and storage, and we leave for
    QUICK_EXIT_URL. Back then finds only pages that need the code again (every page is no-store). A GET that
    changes the session is deliberate: the worst a forged link can do is make someone type their code again."""
    if request.method != "HEAD":
        forget_reporter(request)
    response = HttpResponseRedirect(settings.QUICK_EXIT_URL)
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def csrf_failure(request, reason=""):
    """A report that took long to write may outlive its session: show it again instead of losing it."""
    if request.method == "POST" and request.path == reverse("report"):
        form = ReportForm(request.POST)
        form.is_valid()
        form.add_error(
            None,
            _(
                "Your page was open for a long time, so we need you to press “Send” once more. "
                "Everything you wrote is still here; files must be chosen again."
            ),
        )
        return render_report(request, form, status=403)
    return render(request, "403_csrf.html", status=403)


FAVICON = settings.BASE_DIR / "static" / "img" / "favicon.ico"


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to: the same icon as static/img/favicon.ico."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# Staff pages' errors in the staff layout: no quick exit and no emergency numbers meant for children.
STAFF_PATH_PREFIXES = ("/cases/", "/reports/", "/liaison/", "/staff/", "/accounts/")


def is_staff_path(path):
    return path.startswith(STAFF_PATH_PREFIXES)


def page_not_found(request, exception):
    template = "staff/404.html" if is_staff_path(request.path) else "404.html"
    return defaults.page_not_found(request, exception, template_name=template)


def permission_denied(request, exception):
    template = "staff/403.html" if is_staff_path(request.path) else "403.html"
    return defaults.permission_denied(request, exception, template_name=template)


def server_error(request):
    template = "staff/500.html" if is_staff_path(request.path) else "500.html"
    return defaults.server_error(request, template_name=template)
