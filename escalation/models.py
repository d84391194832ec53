"""Agencies that receive escalations, and the liaison users who act for them."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import LocalizedNameMixin


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police")
    INFORMATION = "information", _("Online information authority")
    YOUTH_UNION = "youth_union", _("Youth Union")
    LOCAL_GOVERNMENT = "local_government", _("Commune or ward People's Committee")
    SCHOOL = "school", _("School")
    CHILD_PROTECTION = "child_protection", _("Child protection service")
    OTHER = "other", _("Other")


class AgencyQuerySet(models.QuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day)))


class Agency(LocalizedNameMixin, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    email = models.EmailField(_("e-mail for escalations"), blank=True)
    valid_from = models.DateField(_("valid from"), default=datetime.date(2000, 1, 1))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("superseded by"),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["valid_until", "short_name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.short_name

    @property
    def is_current(self):
        today = timezone.localdate()
        return self.valid_from <= today and (self.valid_until is None or self.valid_until >= today)


class Liaison(models.Model):
    """A user who receives and answers escalations for exactly one agency."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="liaison")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="liaisons")
    phone = models.CharField(_("work phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")

    def __str__(self):
        return f"{self.user} · {self.agency}"
