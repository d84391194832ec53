"""Each report form gets fields of its own, though the fixed options of its choice fields are shared between forms
(cases.intake_forms.FixedChoiceField): a change to one form's field never reaches another form."""

import pytest

from cases.forms import PhoneIntakeForm
from cases.intake_forms import FixedChoiceField
from cases.models import AgeBand, ReporterRole
from hotline.forms import ReportForm

pytestmark = pytest.mark.django_db


def test_two_forms_have_their_own_fields_and_widgets_with_the_same_options():
    first, second = ReportForm(), ReportForm()
    for name, field in first.fields.items():
        assert field is not second.fields[name] and field.widget is not second.fields[name].widget
        assert field.widget.attrs is not second.fields[name].widget.attrs
    assert isinstance(first.fields["age_band"], FixedChoiceField)
    assert [value for value, _label in first.fields["age_band"].choices] == list(AgeBand.values)
    assert list(first.fields["age_band"].widget.choices) == list(first.fields["age_band"].choices)

    first.fields["age_band"].widget.attrs["data-test"] = "one form"
    first.fields["age_band"].error_messages["required"] = "one form"
    assert "data-test" not in second.fields["age_band"].widget.attrs
    assert second.fields["age_band"].error_messages["required"] != "one form"
    assert "data-test" not in ReportForm().fields["age_band"].widget.attrs


def test_the_phone_intakes_own_options_do_not_reach_the_report_form():
    phone = PhoneIntakeForm()
    assert phone.fields["reporter_role"].choices[0][1] != ReportForm().fields["reporter_role"].choices[0][1]
    report_roles = [value for value, _label in ReportForm().fields["reporter_role"].choices]
    assert report_roles == list(ReporterRole.values)
    assert [value for value, _label in ReportForm().fields["reporter_role"].widget.choices] == report_roles


def test_a_choice_outside_the_options_is_still_refused():
    form = ReportForm({"age_band": "200_plus", "category": "", "gender": "x"})
    assert not form.is_valid()
    assert {"age_band", "gender"} <= set(form.errors)
