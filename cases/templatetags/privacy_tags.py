"""The case page's consent panel, without a change to the workspace view."""

from django import template

from cases import consent, data_requests
from cases.privacy_forms import CaseDataRequestForm, ConsentRecordForm

register = template.Library()


@register.inclusion_tag("cases/_consents.html", takes_context=True)
def case_consents(context, case):
    user = context["user"]
    return {
        "case": case,
        "consents": list(consent.consents_of(case)),
        "requests": data_requests.requests_of(case),
        "form": ConsentRecordForm(initial={"age_band": case.age_band}) if user.has_perm("cases.add_consent") else None,
        "can_record": user.has_perm("cases.add_consent"),
        "request_form": CaseDataRequestForm() if user.has_perm("cases.add_datarequest") else None,
        "csrf_token": context.get("csrf_token"),
    }
