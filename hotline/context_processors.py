from django.conf import settings
from django.utils.functional import SimpleLazyObject

from cases.models import HotlineSettings
from escalation.queries import approvals_waiting


def hotline(request):
    """What every page may show. The hotline's own settings (one cached row, edited in the admin) are read only by
    the pages that show them."""
    hotline_settings = SimpleLazyObject(HotlineSettings.current)
    return {
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "HOTLINE_SETTINGS": hotline_settings,
        "SAFETY_NUMBERS": lambda: hotline_settings.safety_number_list(),
        "EVIDENCE_MAX_FILES": settings.EVIDENCE_MAX_FILES,
        "INTERVENTION_HOURS": settings.INTERVENTION_HOURS,
        # Shown on supervisors' staff pages only (staff_base.html), counted only when a page shows it.
        "APPROVALS_WAITING": approvals_waiting,
    }
