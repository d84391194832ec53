"""Passkeys (django-otp-webauthn). In production they belong to SITE_URL's host (OTP_WEBAUTHN_RP_ID and
OTP_WEBAUTHN_ALLOWED_ORIGINS, set from it); without SITE_URL (development, tests on a random port) to the host the
request came to, which ALLOWED_HOSTS has already checked."""

from django.conf import settings
from django.http.request import split_domain_port
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.views import CompleteCredentialAuthenticationView, CompleteCredentialRegistrationView


class PasskeyHelper(WebAuthnHelper):
    def get_relying_party_domain(self) -> str:
        if settings.SITE_URL:
            return super().get_relying_party_domain()
        domain, _port = split_domain_port(self.request.get_host())
        return domain

    def get_allowed_origins(self) -> list[str]:
        if settings.SITE_URL:
            return super().get_allowed_origins()
        return [f"{self.request.scheme}://{self.request.get_host()}"]


class PasskeyScriptCatalog(JavaScriptCatalog):
    """The passkey script's messages (django-otp-webauthn's JavaScript catalogue), with the Vietnamese the package
    does not ship: locale/vi/LC_MESSAGES/djangojs.po."""

    def get_paths(self, packages):
        return [*super().get_paths(packages), *(str(path) for path in settings.LOCALE_PATHS)]


class CompletePasskeyVerification(CompleteCredentialAuthenticationView):
    """The package's last step of signing in with a passkey, then a new session key, as after a code."""

    def complete_auth(self, device):
        super().complete_auth(device)
        self.request.session.cycle_key()


class CompletePasskeyRegistration(CompleteCredentialRegistrationView):
    """The package's last step of adding a passkey; a first passkey verifies the session: a new session key."""

    def post(self, *args, **kwargs):
        was_verified = self.request.user.is_verified()
        response = super().post(*args, **kwargs)
        if not was_verified and self.request.user.is_verified():
            self.request.session.cycle_key()
        return response
