from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cases.catalog import catalogue_changed
        from cases.models import AdministrativeUnit, Category, HotlineSettings, Platform

        # Pages built from the catalogue and the hotline settings (the report page) are cached under a version; any
        # write to these tables, from the admin, a loader or a shell, makes a new version.
        for model in (Category, Platform, AdministrativeUnit, HotlineSettings):
            post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-{model.__name__}-save")
            post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-{model.__name__}-delete")
