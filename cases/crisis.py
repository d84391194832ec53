"""What a child at risk should do right now: the crisis panel of the receipt, the status page and the API.

The hotline's own number and hours come from the hotline settings (one row, edited in the admin).
"""

from django.utils.translation import gettext as _

from cases.models import HotlineSettings, Priority


def shows_crisis_panel(case):
    """P1 reports, and any report flagged as a risk of self-harm, show what to do right now before anything else."""
    return case.priority == Priority.P1 or case.risk_flagged


def crisis_contacts():
    """The numbers to call now, most important first; the hotline's own number and hours last.

    Each contact: {"number", "name", "description", "free", "hours", "kind"}; `kind` is "national" or "hotline".
    """
    contacts = [
        {
            "number": "111",
            "name": _("National child protection hotline"),
            "description": _("If you are hurt, afraid or thinking of hurting yourself: talk to someone now."),
            "free": True,
            "hours": _("24/7"),
            "kind": "national",
        },
        {
            "number": "113",
            "name": _("Police"),
            "description": _("If someone is threatening you or you are in danger right now."),
            "free": True,
            "hours": _("24/7"),
            "kind": "national",
        },
        {
            "number": "115",
            "name": _("Ambulance"),
            "description": _("If you or someone else is injured or has taken something dangerous."),
            "free": True,
            "hours": _("24/7"),
            "kind": "national",
        },
    ]
    hotline = HotlineSettings.current()
    if hotline.phone:
        contacts.append(
            {
                "number": hotline.phone,
                "name": _("This hotline"),
                "description": _("Talk to one of our counsellors."),
                "free": False,
                "hours": hotline.hours,
                "kind": "hotline",
            }
        )
    return contacts


def crisis_panel():
    """The panel's content, the same for the web pages and the API's `crisis` object."""
    return {
        "title": _("If you are in danger or thinking of hurting yourself, call now"),
        "message": _(
            "You do not have to wait for our answer. These numbers answer right away; the calls to 111, 113 and "
            "115 are free."
        ),
        "contacts": crisis_contacts(),
    }
