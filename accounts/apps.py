from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff sign-in: the second factor (authenticator app, passkeys, recovery codes) and staff sessions."""

    name = "accounts"
    verbose_name = _("Staff sign-in")

    def ready(self):
        from accounts import checks  # noqa: F401 - registers the system checks
