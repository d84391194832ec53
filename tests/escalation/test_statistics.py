"""The escalation figures of the statistics page come from a small rollup (escalation.statistics), recounted with
the cases' rollup: after every step through the services they equal the figures counted from the escalations."""

import pytest
from django.utils import timezone

from cases import rollup
from cases.models import StatisticsDirtyDay
from cases.statistics import Period
from escalation import services
from escalation import statistics as escalation_statistics
from escalation.models import EscalationRollup
from escalation.models import EscalationState as S
from tests.escalation.factories import INFO_DEPT, make_escalation, walk

pytestmark = pytest.mark.django_db


def figures_agree(period):
    rolled = escalation_statistics.escalation_figures(period)
    assert rolled == escalation_statistics.escalation_figures(period, source="escalations")
    return rolled


def test_each_step_through_the_services_is_counted_on_the_day_it_was_sent(operator, supervisor, police, infodept):
    period = Period.current_year(timezone.localdate())
    escalation = make_escalation(S.SENT, operator=operator, supervisor=supervisor, liaison=police)
    assert StatisticsDirtyDay.objects.filter(day=rollup.day_of(escalation.sent_at)).exists()
    figures = figures_agree(period)
    assert (figures.total.sent, figures.total.acknowledged, figures.takedowns.requested) == (1, 0, 1)

    walk(escalation, ["acknowledge", "start_work"], operator=None, supervisor=None, liaison=police)
    services.record_link_outcome(link=escalation.links.get(), user=police, outcome="taken_down")
    figures = figures_agree(period)
    assert (figures.total.acknowledged, figures.total.at_agency, figures.takedowns.taken_down) == (1, 1, 1)

    walk(escalation, ["complete"], operator=None, supervisor=None, liaison=police)
    other = make_escalation(S.SENT, operator=operator, supervisor=supervisor, agency_code=INFO_DEPT)
    services.retract_escalation(escalation=other, user=supervisor, reason="Nhầm cơ quan.")
    figures = figures_agree(period)
    assert [(row.code, row.sent, row.completed, row.retracted) for row in figures.agencies] == [
        ("ca-bac-ninh-pa05", 1, 1, 0),
        ("so-vhttdl-bac-ninh", 1, 0, 1),
    ]
    assert EscalationRollup.objects.filter(span="day").count() == 2  # one day, two agencies


def test_the_rebuild_recounts_the_escalation_rollup(operator, supervisor, police):
    from django.core.management import call_command

    period = Period.current_year(timezone.localdate())
    make_escalation(S.ACKNOWLEDGED, operator=operator, supervisor=supervisor, liaison=police)
    rollup.refresh_dirty()
    EscalationRollup.objects.all().delete()
    assert escalation_statistics.escalation_figures(period).total.sent == 0  # the rollup was lost
    call_command("rebuild_statistics")
    assert figures_agree(period).total.acknowledged == 1
