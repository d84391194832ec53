"""The machine-readable time of a <time datetime="…"> attribute: ISO 8601 in local time, whole seconds (a valid
HTML "global date and time string"; Django's |date:"c" adds microseconds, which HTML does not allow).

A builtin (settings.TEMPLATES): every template writes `<time datetime="{{ value|isoformat }}">` without a load.
"""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def isoformat(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""
