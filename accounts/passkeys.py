"""Passkeys (django-otp-webauthn). In production they belong to SITE_URL's host (OTP_WEBAUTHN_RP_ID and
OTP_WEBAUTHN_ALLOWED_ORIGINS, set from it); without SITE_URL (development, tests on a random port) to the host the
request came to, which ALLOWED_HOSTS has already checked."""

from django.conf import settings
from django.http.request import split_domain_port
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
