from django.conf import settings


def hotline(request):
    return {
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "SAFETY_NUMBERS": settings.SAFETY_NUMBERS,
        "EVIDENCE_MAX_FILES": settings.EVIDENCE_MAX_FILES,
        "INTERVENTION_HOURS": settings.INTERVENTION_HOURS,
    }
