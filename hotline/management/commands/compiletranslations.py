"""Compile locale/*/LC_MESSAGES/*.po (django.po, and djangojs.po for scripts) into .mo files with polib.

Django's own compilemessages shells out to GNU msgfmt, which CI and most contributors' machines do not have.
The compiled catalogues are committed, so running the hotline never needs gettext; only re-extracting strings
(makemessages) does.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every .po under LOCALE_PATHS into the .mo beside it (fuzzy entries are left out)."

    def handle(self, *args, **options):
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                # polib writes only translated entries: fuzzy (unchecked guesses), obsolete and empty ones are
                # left out, as msgfmt does by default.
                mo_path = po_path.with_suffix(".mo")
                catalogue.save_as_mofile(str(mo_path))
                self.stdout.write(f"Wrote {mo_path} ({len(catalogue.translated_entries())} translated)")
