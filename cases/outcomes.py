"""What a young person is told about the outcome of their case, in plain words.

Never internal notes, the resolution summary, officer names, agency references or an agency's own text: only a
fixed child-friendly sentence per outcome, and per reported link one of a few fixed results. The escalation app
knows the links' takedown results; it registers a provider here in its AppConfig.ready(), so that cases (and
hotline) never import escalation.
"""

from django.utils.translation import gettext_lazy as _

from cases.models import CaseState, Outcome

OUTCOME_TEXT = {
    Outcome.ADVICE_GIVEN: _("A counsellor gave you advice and support."),
    Outcome.CONTENT_REMOVED: _("The harmful content was removed."),
    Outcome.ACCOUNT_RECOVERED: _("Your account is back in your hands."),
    Outcome.REFERRED: _("We passed your case to another service that can help you."),
    Outcome.AGENCY_HANDLED: _("The police or a competent authority dealt with it."),
    Outcome.NO_CONTACT: _("We did not hear back from you. Write to us any time if you still need help."),
    Outcome.OTHER: _("We did what we could for this report."),
}

# A link's result, most decisive first: when several escalations cover one link, the first that applies is shown.
REMOVED, REFUSED, INVESTIGATING, PENDING = "removed", "refused", "investigating", "pending"
LINK_RESULT_TEXT = {
    REMOVED: _("removed"),
    REFUSED: _("the platform refused to remove it"),
    INVESTIGATING: _("the authorities are looking into it"),
    PENDING: _("waiting for an answer"),
}
RESULT_ORDER = [REMOVED, REFUSED, INVESTIGATING, PENDING]

_link_result_providers = []


def register(provider):
    """`provider(case)` returns {reported link id: [result, ...]} with results from LINK_RESULT_TEXT's keys.
    Registering the same provider twice (a second ready()) keeps one."""
    if provider not in _link_result_providers:
        _link_result_providers.append(provider)
    return provider


def link_results(case):
    found = {}
    for provider in _link_result_providers:
        for link_id, results in provider(case).items():
            found.setdefault(link_id, set()).update(results)
    return {
        link_id: next(result for result in RESULT_ORDER if result in results)
        for link_id, results in found.items()
        if results & set(RESULT_ORDER)
    }


def reporter_outcome(case):
    """{"outcome", "text", "links": [{"url", "result", "text"}]}: what the reporter may see, nothing more."""
    # The outcome of a case reopened since is no longer the outcome: shown only while resolved or closed.
    finished = case.state in (CaseState.RESOLVED, CaseState.CLOSED) and case.outcome
    text = OUTCOME_TEXT.get(case.outcome) if finished else None
    results = link_results(case)
    links = [
        {"url": link.url, "result": results[link.pk], "text": LINK_RESULT_TEXT[results[link.pk]]}
        for link in case.links.all()
        if link.pk in results
    ]
    return {"outcome": case.outcome if finished else None, "text": text, "links": links}
