"""The consent rule for what an escalation may disclose about the child.

From age 7 a child's own consent is needed besides the parent's to disclose the child's private information (Law
on Children; Personal Data Protection Law 91/2025, Art. 24); from 16 the young person decides alone. Silence is not
consent. Without consent a supervisor may still share when life or health is at risk, recording why. Without either,
the packet still goes (the hotline may report a crime) but carries nothing that identifies the child, and the
agency reaches the child only through the hotline.
"""

from dataclasses import dataclass

from cases.models import AgeBand
from escalation.models import ConsentBasis

# Under 16, or we cannot tell: the guardian's consent and the child's. "Under 10" may include children under 7, who
# need only the guardian, but the band cannot tell them apart from 7–9 year-olds: we ask for both.
CHILD_AGE_BANDS = {AgeBand.UNDER_10, AgeBand.AGE_10_12, AgeBand.AGE_13_15, AgeBand.UNKNOWN}


@dataclass(frozen=True)
class Disclosure:
    basis: str  # a ConsentBasis
    may_identify: bool  # contact details and names may go to the agency

    @property
    def has_consent(self):
        return self.basis in (ConsentBasis.OWN, ConsentBasis.GUARDIAN_AND_CHILD)


def disclosure_for(*, age_band, child_consent, guardian_consent, override_reason=""):
    """What may be disclosed: consent first; else a supervisor's override with a reason; else nothing identifying."""
    if age_band in CHILD_AGE_BANDS:
        if child_consent and guardian_consent:
            return Disclosure(ConsentBasis.GUARDIAN_AND_CHILD, may_identify=True)
    elif child_consent:
        return Disclosure(ConsentBasis.OWN, may_identify=True)
    if override_reason.strip():
        return Disclosure(ConsentBasis.OVERRIDE, may_identify=True)
    return Disclosure(ConsentBasis.NONE, may_identify=False)


def disclosure_for_case(case, *, override_reason=""):
    return disclosure_for(
        age_band=case.age_band,
        child_consent=case.child_consent,
        guardian_consent=case.guardian_consent,
        override_reason=override_reason,
    )
