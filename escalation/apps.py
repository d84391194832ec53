from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = _("Escalation")

    def ready(self) -> None:
        # What escalations add to cases (cases imports nothing of ours): the takedown result of each reported link
        # shown to the reporter, the figures of the statistics and the annual report, the purge of their copies.
        from cases import consent, extensions, outcomes
        from escalation.outcomes import link_results
        from escalation.retention import purge_cases
        from escalation.services import tell_agencies_consent_withdrawn
        from escalation.statistics import ROLLUP_SOURCE, escalation_figures

        outcomes.register(link_results)
        extensions.add_escalation_figures(escalation_figures)
        extensions.add_rollup_source(ROLLUP_SOURCE)
        extensions.add_purge_hook(purge_cases)
        # A withdrawn consent is shown to every agency that already received the case.
        consent.on_withdrawal(tell_agencies_consent_withdrawn)
