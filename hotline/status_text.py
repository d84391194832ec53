"""What a case's state means for the young person who reported it, in plain words."""

from django.utils.translation import gettext_lazy as _

from cases.crisis import shows_crisis_panel
from cases.models import CaseState

REPORTER_STATUS = {
    CaseState.NEW: (
        _("Received"),
        _("We have received your report. A counsellor will read it soon."),
        _("You do not need to do anything now. Come back here with your code to see our answer."),
    ),
    CaseState.TRIAGED: (
        _("Being reviewed"),
        _("A counsellor has read your report and it is waiting for the next free counsellor."),
        _("If something new happens, add it below: it helps us help you faster."),
    ),
    CaseState.IN_PROGRESS: (
        _("A counsellor is working on it"),
        _("A counsellor is looking after your case."),
        _("Read our messages below and write back when you can."),
    ),
    CaseState.WAITING_REPORTER: (
        _("Waiting for your answer"),
        _("We asked you something and need your answer to continue."),
        _("Please read our last message below and write back."),
    ),
    CaseState.ESCALATED: (
        _("Passed to the authorities"),
        _("We have asked the police or the competent authority to act. We stay with you while they do."),
        _("We will tell you here what they did. Do not delete the evidence you still have."),
    ),
    CaseState.RESOLVED: (
        _("Resolved"),
        _("We think we have done what we could for this report."),
        _("If something is still wrong, write to us below and a counsellor will pick it up again."),
    ),
    CaseState.CLOSED: (
        _("Closed"),
        _("This case is closed."),
        _("If something new happens, write to us below: your case opens again and a counsellor will answer."),
    ),
    CaseState.REJECTED: (
        _("Closed"),
        _("This report was closed without further action, or joined to another report about the same thing."),
        _("If you still need help, write to us below: a counsellor will read it."),
    ),
}


# A child at risk is never told there is nothing to do: the crisis panel comes first, and this is the next step.
CRISIS_NEXT_STEP = _(
    "If you are in danger or thinking of hurting yourself, call one of the numbers above now. "
    "A counsellor reads reports like yours first and will answer here."
)


def reporter_status(case):
    label, meaning, next_step = REPORTER_STATUS[case.state]
    if shows_crisis_panel(case) and case.is_open:
        next_step = CRISIS_NEXT_STEP
    return {"code": case.state, "label": label, "meaning": meaning, "next_step": next_step}
