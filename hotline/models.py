"""The self-help library: articles young people, parents and teachers read without a counsellor.

Written in Markdown by supervisors in the app; hotline/library.py is the one place that saves them (rendering,
sanitising, the accent-free search text, the version history) and reads them for the public pages.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.models import private_storage


class Audience(models.TextChoices):
    YOUNG = "young", _("Young people")
    PARENTS = "parents", _("Parents")
    TEACHERS = "teachers", _("Teachers")


class Situation(models.TextChoices):
    """The situations the library's home page starts from, in the order it shows them."""

    THREATENED = "threatened", _("Someone is threatening to share my photos")
    BULLIED = "bullied", _("I am being bullied or harassed online")
    HACKED = "hacked", _("My account was hacked")
    SCAMMED = "scammed", _("I was scammed or someone asks for money")
    REPORT_ACCOUNT = "report", _("I want to report an account or a post")
    STAY_SAFE = "safe", _("Staying safe online")
    PARENTS = "parents", _("For parents and teachers")


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Article(models.Model):
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.YOUNG)
    category = models.ForeignKey(
        "cases.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_vi = models.CharField(_("summary (Vietnamese)"), max_length=300)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    body_vi = models.TextField(_("text (Vietnamese, Markdown)"), max_length=30000)
    body_en = models.TextField(_("text (English, Markdown)"), max_length=30000, blank=True)
    # Written by library.save_article only: the sanitised HTML and the lower-case, accent-free search text.
    html_vi = models.TextField(editable=False, default="")
    html_en = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    state = models.CharField(_("state"), max_length=20, choices=ArticleState.choices, default=ArticleState.DRAFT)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("library article")
        verbose_name_plural = _("library articles")
        permissions = [("edit_library", "Can write, publish and review library articles")]
        indexes = [models.Index(fields=["state", "situation", "sort_order"], name="article_home")]

    def __str__(self):
        return self.title_vi

    def _localized(self, field):
        """The English text when the reader chose English and it exists; the Vietnamese one otherwise."""
        if (get_language() or "vi")[:2] == "en" and getattr(self, f"{field}_en"):
            return getattr(self, f"{field}_en")
        return getattr(self, f"{field}_vi")

    @property
    def title(self):
        return self._localized("title")

    @property
    def summary(self):
        return self._localized("summary")

    @property
    def html(self):
        return self._localized("html")

    @property
    def text_language(self):
        """The language the body is shown in (for the lang attribute)."""
        return "en" if (get_language() or "vi")[:2] == "en" and self.html_en else "vi"

    @property
    def is_published(self):
        return self.state == ArticleState.PUBLISHED


class ArticleVersion(models.Model):
    """Every save of an article, as it was written: the history supervisors can read back."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="article_version_unique")]

    def __str__(self):
        return f"{self.article_id} v{self.number}"


class ArticleMonthlyViews(models.Model):
    """One counter per article and month: how often it was opened. Nothing about who opened it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="monthly_views")
    month = models.DateField()  # the first day of the month
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "month"], name="article_month_unique")]

    def __str__(self):
        return f"{self.article_id} {self.month:%Y-%m}: {self.views}"


class ChatTicket(models.Model):
    """A short-lived, single-use pass to a case's chat socket for an app that proved the access code over the API
    (it has no browser session). Only the SHA-256 of the ticket is stored; the ticket itself exists only in the
    API's answer. See hotline.reporter_access.issue_chat_ticket / redeem_chat_ticket and docs/chat-protocol.md."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    ticket_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"chat ticket {self.pk}"


def article_image_path(instance, filename):
    # Stored beside the other uploads (the private storage), under a random name that says nothing of the file.
    return f"library/{instance.name}"


class ArticleImage(models.Model):
    """A picture in an article. Uploaded by a supervisor in the editor, checked by its content, re-encoded without
    its metadata (EXIF, GPS), kept with the app's other uploads and served by the app itself at
    /tro-giup/anh/<name>: an article never shows a picture from another host."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    name = models.CharField(max_length=64, unique=True)  # "<32 hex>.<ext>": the public address's last part
    file = models.FileField(upload_to=article_image_path, storage=private_storage, max_length=200)
    content_type = models.CharField(max_length=30)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    alt = models.CharField(_("description of the picture"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("library picture")
        verbose_name_plural = _("library pictures")

    def __str__(self):
        return self.name
