"""Reads of the staff sign-in."""

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import StaffSession


def sessions_of(user: User, *, now: datetime.datetime | None = None) -> QuerySet[StaffSession]:
    """The user's sessions still alive: active within the idle timeout (older ones are signed out at their next
    request anyway). Newest activity first."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.STAFF_IDLE_TIMEOUT_MINUTES)
    return StaffSession.objects.filter(user=user, last_seen_at__gte=cutoff).order_by("-last_seen_at")
