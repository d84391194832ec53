import math

import pytest

from cases import access


def test_it_makes_readable_unique_references():
    references = {access.new_reference() for _ in range(2000)}
    assert len(references) == 2000
    for reference in references:
        assert len(reference) == 9 and reference[4] == "-"
        assert not set(reference.replace("-", "")) & set("01OIL")


def test_access_code_has_at_least_80_bits():
    assert len(access.CODE_ALPHABET) ** access.CODE_LENGTH >= 2**80
    assert math.log2(len(access.CODE_ALPHABET)) * access.CODE_LENGTH >= 80
    code = access.new_access_code()
    assert len(code) == access.CODE_LENGTH and set(code) <= set(access.CODE_ALPHABET)


def test_it_stores_only_a_hash_and_forgives_reading_mistakes():
    code = "0123456789ABCDEF"
    stored = access.hash_access_code(code)
    assert code not in stored and len(stored) == 64
    assert access.access_code_matches("o123-4567-89ab-cdef", stored)  # O for 0, lower case, dashes
    assert access.access_code_matches("0I23 4567 89AB CDEF", stored)  # I for 1, spaces
    assert not access.access_code_matches("0123456789ABCDEE", stored)
    assert not access.access_code_matches("", stored)


def test_it_normalizes_references():
    assert access.normalize_reference(" abcd-2345 ") == "ABCD-2345"
    assert access.normalize_reference("abcd2345") == "ABCD-2345"
    assert access.normalize_reference("abc") == ""
    assert access.format_access_code("0123456789ABCDEF") == "0123-4567-89AB-CDEF"


@pytest.mark.django_db
def test_a_reference_already_taken_is_drawn_again_and_the_report_is_stored_once(monkeypatch):
    """References are checked by their unique constraint (no query before each report): a clash, however unlikely,
    rolls the report's rows back and draws another reference."""
    from cases.models import Case, CaseEvent
    from tests.factories import make_case

    taken, _code = make_case()
    draws = iter([taken.reference, "WXYZ-2345"])
    monkeypatch.setattr(access, "new_reference", lambda: next(draws))
    case, _code = make_case()
    assert case.reference == "WXYZ-2345"
    assert Case.objects.count() == 2
    assert CaseEvent.objects.filter(kind="created").count() == 2  # nothing of the first attempt is left
