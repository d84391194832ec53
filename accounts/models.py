"""A staff member's signed-in sessions, so that they can see them and sign out everywhere."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffSession(models.Model):
    """One signed-in browser of a staff member or liaison.

    Holds only what is safe to show back to its owner: the browser and system family (never the full user agent)
    and a masked address (the first half of an IPv4 address, the first 32 bits of IPv6). The session key is what
    lets "sign out everywhere" end the session; it never leaves the server.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last activity"))
    browser = models.CharField(_("browser"), max_length=80, blank=True)
    network = models.CharField(_("network"), max_length=40, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("staff session")
        verbose_name_plural = _("staff sessions")

    def __str__(self):
        return f"{self.user_id}: {self.browser}"
