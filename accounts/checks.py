"""The demo accounts' authenticator secret is published in the README: outside DEBUG it must not exist."""

from django.conf import settings
from django.core.checks import Error, register
from django.db import DatabaseError


@register()
def demo_secret_outside_debug(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.demo import DEMO_TOTP_KEY_HEX

    try:
        found = TOTPDevice.objects.filter(key=DEMO_TOTP_KEY_HEX).exists()
    except DatabaseError:  # no database yet (before the first migrate): nothing to find
        return []
    if not found:
        return []
    return [
        Error(
            "An account signs in with the demo authenticator secret, which the README publishes.",
            hint="DEBUG is off: reset that account's second factor in the admin (or delete the demo accounts).",
            id="accounts.E001",
        )
    ]
