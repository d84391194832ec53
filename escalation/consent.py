"""The consent rule for what an escalation may disclose about the child.

The rule reads the case's Consent records (cases.consent), never booleans on the case.

From age 7 a child's own consent is needed besides the parent's to disclose the child's private information (Law
on Children; Personal Data Protection Law 91/2025, Art. 24); from 16 the young person decides alone. Silence is not
consent. Without consent a supervisor may still share when life or health is at risk, recording why. Without either,
the packet still goes (the hotline may report a crime) but carries nothing that identifies the child, and the
agency reaches the child only through the hotline.
"""

from dataclasses import dataclass

from cases.consent import active_consents
from cases.models import CONFIRMED_BY_COUNSELLOR, AgeBand, ConsentGiver, ConsentScope
from escalation.models import AgencyKind, ConsentBasis

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


def scope_for(agency):
    """What the consent must cover to identify the child to this agency: the information department has its own
    box; the police, and any other authority (or an agency not yet chosen), need "share with the police"."""
    if agency is not None and agency.kind == AgencyKind.INFORMATION:
        return ConsentScope.SHARE_INFORMATION
    return ConsentScope.SHARE_POLICE


@dataclass(frozen=True)
class ConsentOnRecord:
    """The consent records the rule read for one scope: the child's (or young person's) own and a guardian's."""

    scope: str
    age_band: str
    young_person: bool
    guardian: bool
    records: tuple


def consent_on_record(case, *, agency=None, active=None):
    """Read the case's active Consent rows for the agency's scope.

    A guardian's consent counts only when a counsellor heard it (phone or chat): a box on the anonymous web form
    saying "I am a parent" can be ticked by anyone, the child included. The age is the youngest one on record (the
    case's age band or an age under 16 a young person declared with their consent), so a child who said 16 on one screen
    and 13 on another is treated as under 16. `active`: the case's active consents of every scope, when the
    caller already read them (a page with several escalations reads them once)."""
    scope = scope_for(agency)
    if active is None:
        records = active_consents(case, scope=scope)
    else:
        records = [record for record in active if record.scope == scope and record.withdrawn_at is None]
    young = [record for record in records if record.given_by == ConsentGiver.YOUNG_PERSON]
    guardian = [
        record
        for record in records
        if record.given_by == ConsentGiver.GUARDIAN and record.channel in CONFIRMED_BY_COUNSELLOR
    ]
    age_band = case.age_band
    declared_child = [r.age_band for r in young if r.age_band in CHILD_AGE_BANDS and r.age_band != AgeBand.UNKNOWN]
    if declared_child and age_band not in CHILD_AGE_BANDS:
        age_band = declared_child[0]
    return ConsentOnRecord(
        scope=scope, age_band=age_band, young_person=bool(young), guardian=bool(guardian), records=tuple(records)
    )


def disclosure_for_case(case, *, agency=None, override_reason="", active=None):
    """The disclosure the case's consent records allow towards `agency` (None: the strictest, the police's)."""
    on_record = consent_on_record(case, agency=agency, active=active)
    return disclosure_for(
        age_band=on_record.age_band,
        child_consent=on_record.young_person,
        guardian_consent=on_record.guardian,
        override_reason=override_reason,
    )
