"""The status page's "My data and my consent" section, kept out of the status view (its own include)."""

from django import template

from cases import consent, data_requests
from hotline.forms import ReporterDataRequestForm

register = template.Library()


@register.inclusion_tag("hotline/_privacy_status.html", takes_context=True)
def reporter_privacy(context, case):
    return {
        "case": case,
        "consents": list(consent.consents_of(case)),
        "requests": data_requests.requests_of(case),
        "form": ReporterDataRequestForm(),
        "csrf_token": context.get("csrf_token"),
    }
