"""Staff sign-in, second step: verify with a code or a passkey, enrol on first sign-in, recovery codes, one's
devices and sessions.

GET renders; POST binds a form, calls one service and redirects. A signed-in but unverified session reaches only
these pages (accounts.middleware.staff_sign_in).
"""

from functools import wraps
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import queries, services
from accounts.forms import EnrolTotpForm, RecoveryCodesSavedForm, TokenForm
from cases.forms import login_failures


def _next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _to(route, next_url):
    """A redirect to one of the sign-in steps, carrying where the person was going."""
    url = resolve_url(route)
    return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


def _continue(request):
    return redirect(_next_url(request) or resolve_url(settings.LOGIN_REDIRECT_URL))


def verified_required(view):
    """Login and the second factor (the middleware already sends unverified sessions away; this says so here)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not services.is_verified(request.user):
            return redirect("accounts:verify")
        return view(request, *args, **kwargs)

    return wrapped


def _throttled(request):
    username = request.user.get_username()[:150].lower()
    return login_failures.blocked(request) or login_failures.blocked(request, extra=username)


def _count_failure(request):
    # The same counters as the password step: per address and per user name.
    login_failures.hit(request)
    login_failures.hit(request, extra=request.user.get_username()[:150].lower())


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: a code from the authenticator app, a recovery code, or a passkey."""
    user = request.user
    if services.is_verified(user):
        return _continue(request)
    if not services.has_second_factor(user):
        return _to("accounts:enrol", _next_url(request))
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _throttled(request):
            form.add_error(None, _("Too many failed attempts. Wait 15 minutes or ask an administrator."))
            status = 429
        else:
            try:
                device = services.verify_second_factor(request=request, token=form.cleaned_data["token"])
            except services.TokenRefused:
                _count_failure(request)
                form.add_error("token", _("This code is not right, or it was already used. Try the newest code."))
            else:
                if not isinstance(device, TOTPDevice):
                    left = services.remaining_recovery_codes(user)
                    messages.warning(
                        request,
                        _("You signed in with a recovery code. %(left)s codes are left: make new ones soon.")
                        % {"left": left},
                    )
                return _continue(request)
    context = {
        "form": form,
        "next": _next_url(request),
        "has_passkey": WebAuthnCredential.objects.filter(user=user, confirmed=True).exists(),
    }
    return render(request, "accounts/verify.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """First sign-in (or after an administrator reset the devices): add an authenticator app or a passkey."""
    user = request.user
    if services.has_second_factor(user) and not services.is_verified(user):
        return _to("accounts:verify", _next_url(request))
    device = services.pending_totp_device(user=user)
    if device is None:
        device = services.start_totp_enrolment(user=user)
    form = EnrolTotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled(request):
            form.add_error(None, _("Too many failed attempts. Wait 15 minutes or ask an administrator."))
        else:
            try:
                services.confirm_totp_enrolment(request=request, device=device, token=form.cleaned_data["token"])
            except services.TokenRefused:
                _count_failure(request)
                form.add_error("token", _("This code is not right. Check the app's clock and type the newest code."))
            else:
                return _after_enrolment(request)
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": _next_url(request),
        "secret": services.totp_secret(device),
        "qr_svg": qr.svg_inline(scale=4, dark="#000", light="#fff", omitsize=False),
        "first_device": not services.has_second_factor(user),
    }
    return render(request, "accounts/enrol.html", context)


def _after_enrolment(request):
    """The first device: recovery codes next, shown once. Another device: back to one's security page."""
    if services.remaining_recovery_codes(request.user) == 0:
        request.session[services.RECOVERY_CODES_KEY] = services.issue_recovery_codes(user=request.user)
        next_url = _next_url(request)
        return redirect(
            f"{resolve_url('accounts:recovery_codes')}?next={next_url}" if next_url else "accounts:recovery_codes"
        )
    messages.success(request, _("The device is added."))
    return redirect("accounts:security")


@require_POST
@verified_required
def enrolled(request):
    """A passkey was just registered (by the passkey script): recovery codes if this was the first device."""
    return _after_enrolment(request)


@verified_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """The new recovery codes, on this page only, until their owner says they kept them."""
    codes = request.session.get(services.RECOVERY_CODES_KEY)
    if not codes:
        return redirect("accounts:security")
    form = RecoveryCodesSavedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        del request.session[services.RECOVERY_CODES_KEY]
        messages.success(request, _("Your second factor is set up."))
        return _continue(request)
    return render(request, "accounts/recovery_codes.html", {"form": form, "codes": codes, "next": _next_url(request)})


@require_POST
@verified_required
def new_recovery_codes(request):
    request.session[services.RECOVERY_CODES_KEY] = services.issue_recovery_codes(user=request.user)
    return redirect("accounts:recovery_codes")


@verified_required
def security(request):
    """One's own devices, recovery codes and sessions."""
    user = request.user
    context = {
        "totp_devices": TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"),
        "passkeys": WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk"),
        "recovery_left": services.remaining_recovery_codes(user),
    }
    return render(request, "accounts/security.html", context)


@verified_required
@require_http_methods(["GET", "POST"])
def sessions(request):
    """Where one is signed in; end one session, or every session (this one too)."""
    if request.method == "POST":
        if request.POST.get("everywhere"):
            services.end_sessions(user=request.user)
            logout(request)
            messages.success(request, _("You are signed out everywhere."))
            return redirect("login")
        try:
            session_id = int(request.POST.get("session", ""))
        except ValueError:
            session_id = 0
        if services.end_session(user=request.user, session_id=session_id):
            messages.success(request, _("That session is signed out."))
        return redirect("accounts:sessions")
    services.prune_sessions(user=request.user)
    context = {
        "staff_sessions": queries.sessions_of(request.user),
        "current_key": request.session.session_key,
        "idle_minutes": settings.STAFF_IDLE_TIMEOUT_MINUTES,
    }
    return render(request, "accounts/sessions.html", context)


@require_POST
def sign_out(request):
    services.forget_session(session_key=request.session.session_key)
    logout(request)
    return redirect("login")
