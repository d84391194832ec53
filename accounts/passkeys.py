"""Passkeys (django-otp-webauthn). In production they belong to SITE_URL's host (OTP_WEBAUTHN_RP_ID and
OTP_WEBAUTHN_ALLOWED_ORIGINS, set from it); without SITE_URL (development, tests on a random port) to the host the
request came to, which ALLOWED_HOSTS has already checked."""

from django.conf import settings
from django.http.request import split_domain_port
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn.helpers import WebAuthnHelper


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
