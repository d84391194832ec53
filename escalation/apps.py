from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = _("Escalation")

    def ready(self):
        from cases import consent, outcomes
        from escalation.outcomes import link_results
        from escalation.services import tell_agencies_consent_withdrawn

        outcomes.register(link_results)
        consent.on_withdrawal(tell_agencies_consent_withdrawn)
