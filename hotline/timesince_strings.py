"""Django's own "3 hours", "2 days" (used by the |timesince filter) have no Vietnamese in Django's catalogue.

Listing the same msgids here puts them in ours (makemessages picks them up), where Django's timesince finds them.
Nothing imports this module at run time.
"""

from django.utils.translation import ngettext_lazy

TIMESINCE_CHUNKS = [
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
]
