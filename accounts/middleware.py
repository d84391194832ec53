"""Every signed-in request passes here: a session idle too long is signed out, and a session that has not passed
the second factor reaches nothing but the sign-in steps (every staff, liaison, report and admin page, whatever its
view's decorators say)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services

# What a session that has passed the password but not the second factor may open.
UNVERIFIED_ROUTES = (
    "accounts:verify",
    "accounts:enrol",
    "accounts:enrolled",
    "login",
    "logout",
    "set_language",
)
UNVERIFIED_PREFIXES = ("/static/", "/accounts/passkeys/")


def _allowed_unverified(path):
    return path.startswith(UNVERIFIED_PREFIXES) or path in {reverse(name) for name in UNVERIFIED_ROUTES}


def _is_background(request):
    # The queue's and portal's refreshes are not someone at the keyboard: they must not keep a session alive.
    return request.method == "GET" and request.headers.get("X-Requested-With") == "fetch"


def staff_sign_in(get_response):
    def middleware(request):
        user = request.user
        if not user.is_authenticated:
            return get_response(request)
        now = timezone.now()
        if services.is_idle(request=request, now=now):
            services.forget_session(session_key=request.session.session_key)
            logout(request)
            messages.info(request, _("You were signed out after a while without activity. Please sign in again."))
            return redirect_to_login(request.get_full_path())
        if not user.is_verified():
            if _allowed_unverified(request.path):
                return get_response(request)
            step = "accounts:verify" if services.has_second_factor(user) else "accounts:enrol"
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return redirect(f"{reverse(step)}?{query}" if query else reverse(step))
        if not _is_background(request):
            services.touch_session(request=request, user=user, now=now)
        return get_response(request)

    return middleware
