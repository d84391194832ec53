"""The consent rule: one function, every age band, with and without a supervisor's override."""

import pytest

from cases.models import AgeBand
from escalation.consent import disclosure_for
from escalation.models import ConsentBasis

CHILD_BANDS = [AgeBand.UNDER_10, AgeBand.AGE_10_12, AgeBand.AGE_13_15, AgeBand.UNKNOWN]
OLDER_BANDS = [AgeBand.AGE_16_17, AgeBand.AGE_18_24, AgeBand.AGE_25_PLUS]


@pytest.mark.parametrize("age_band", CHILD_BANDS)
@pytest.mark.parametrize(
    ("child", "guardian", "basis"),
    [
        (True, True, ConsentBasis.GUARDIAN_AND_CHILD),
        # From 7 the child's own consent is needed besides the parent's; silence is not consent.
        (False, True, ConsentBasis.NONE),
        (True, False, ConsentBasis.NONE),
        (False, False, ConsentBasis.NONE),
    ],
)
def test_a_child_under_16_or_of_unknown_age_needs_both_consents(age_band, child, guardian, basis):
    disclosure = disclosure_for(age_band=age_band, child_consent=child, guardian_consent=guardian)
    assert disclosure.basis == basis
    assert disclosure.may_identify == (basis != ConsentBasis.NONE)


@pytest.mark.parametrize("age_band", OLDER_BANDS)
@pytest.mark.parametrize(
    ("own", "guardian", "basis"),
    [
        (True, False, ConsentBasis.OWN),
        (True, True, ConsentBasis.OWN),
        (False, True, ConsentBasis.NONE),  # a guardian cannot consent for a young person of 16 or more
        (False, False, ConsentBasis.NONE),
    ],
)
def test_from_16_the_young_person_decides(age_band, own, guardian, basis):
    disclosure = disclosure_for(age_band=age_band, child_consent=own, guardian_consent=guardian)
    assert disclosure.basis == basis


@pytest.mark.parametrize("age_band", CHILD_BANDS + OLDER_BANDS)
def test_without_consent_a_supervisor_s_reason_allows_identifying_data(age_band):
    disclosure = disclosure_for(
        age_band=age_band, child_consent=False, guardian_consent=False, override_reason="Em có ý định tự tử tối nay."
    )
    assert disclosure.basis == ConsentBasis.OVERRIDE and disclosure.may_identify and not disclosure.has_consent


def test_an_empty_reason_is_no_override():
    disclosure = disclosure_for(
        age_band=AgeBand.AGE_13_15, child_consent=False, guardian_consent=False, override_reason="  "
    )
    assert disclosure.basis == ConsentBasis.NONE and not disclosure.may_identify


def test_consent_on_record_makes_an_override_unnecessary():
    disclosure = disclosure_for(
        age_band=AgeBand.AGE_13_15, child_consent=True, guardian_consent=True, override_reason="Nguy hiểm."
    )
    assert disclosure.basis == ConsentBasis.GUARDIAN_AND_CHILD and disclosure.has_consent
