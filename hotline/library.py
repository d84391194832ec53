"""The self-help library: the one service that saves articles, and the reads behind the public pages.

save_article renders the Markdown once (markdown-it-py), sanitises the HTML (nh3), stores an accent-free search
text, writes a version, and on commit makes the cached pages stale. The public reads are cached per language, so
a page costs a fixed, small number of queries whatever the size of the library.
"""

import contextlib
import io
import re
import unicodedata
import uuid
from dataclasses import dataclass

import nh3
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Func, Q, Sum, TextField, Value
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from PIL import Image, ImageOps, UnidentifiedImageError

from cases.evidence import detect_type
from cases.extensions import DashboardSection
from hotline.models import Article, ArticleImage, ArticleMonthlyViews, ArticleState, ArticleVersion, Situation

CACHE_SECONDS = 10 * 60
VERSION_KEY = "library:version"
MAX_QUERY_LENGTH = 100
MAX_RESULTS = 20
EDITABLE_FIELDS = [
    "slug",
    "situation",
    "audience",
    "category",
    "title_vi",
    "title_en",
    "summary_vi",
    "summary_en",
    "body_vi",
    "body_en",
    "state",
    "sort_order",
]

# Raw HTML is parsed so that the sanitiser can drop it (a <script> disappears with its content).
_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")
_ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "hr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


# Pictures: only ours, at the address library_views.image serves; anything else (another host, data:, javascript:)
# is dropped with its tag, so an article never makes a reader's phone contact another server.
IMAGE_PREFIX = "/tro-giup/anh/"
_OWN_IMAGE = re.compile(r"^/tro-giup/anh/([0-9a-f]{32}\.(?:png|jpg|webp))$")
# nh3 (html5ever) writes every attribute double-quoted with '"' escaped inside, so this matches a whole <img> tag.
_IMG_TAG = re.compile(r'<img((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*/?>')
_SIZE = re.compile(r"^[0-9]{1,5}$")


def _keep_attribute(element, attribute, value):
    if element == "img":
        if attribute == "src":
            return value if _OWN_IMAGE.match(value) else None
        if attribute in ("width", "height"):
            return value if _SIZE.match(value) else None
    return value


def render_markdown(text, *, sizes=None):
    """Markdown → HTML that is safe to show: only the tags above, links to http(s), tel and mailto only, pictures
    only from our own upload path (with their width and height when `sizes` knows them: name → (w, h))."""
    html = _markdown.render(text or "")
    html = nh3.clean(
        html,
        tags=_ALLOWED_TAGS | {"img"},
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}},
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "tel", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    sizes = sizes or {}

    def one_image(match):
        attributes = match.group(1)
        source = re.search(r' src="([^"]*)"', attributes)
        if source is None:  # its address was not ours: the sanitiser removed it, so the tag goes too
            return ""
        if ' alt="' not in attributes:
            attributes += ' alt=""'
        name = _OWN_IMAGE.match(source.group(1)).group(1)
        if name in sizes and " width=" not in attributes and " height=" not in attributes:
            width, height = sizes[name]
            attributes += f' width="{width}" height="{height}"'
        return f"<img{attributes}>"

    return _IMG_TAG.sub(one_image, html)


def image_names(text):
    """The names of our own pictures that a Markdown text refers to."""
    return set(re.findall(r"/tro-giup/anh/([0-9a-f]{32}\.(?:png|jpg|webp))", text or ""))


def _markdown_images(text):
    """(alt text, address) of every Markdown picture in a text: ![alt](address)."""
    return re.findall(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)", text or "")


def check_images_in_text(text):
    """Plain-words problems with the pictures a supervisor wrote into the Markdown (empty when none)."""
    problems = []
    for alt, address in _markdown_images(text):
        if not _OWN_IMAGE.match(address):
            problems.append(
                _("The picture “%(address)s” is not one uploaded here: it would not be shown. Upload it below.")
                % {"address": address[:80]}
            )
        elif not alt.strip():
            problems.append(
                _("Describe each picture in words between the square brackets: ![what it shows](%(address)s).")
                % {"address": address}
            )
    return problems


@dataclass(frozen=True)
class CheckedImage:
    """An uploaded picture after checking: re-encoded bytes without metadata, and what we know of it."""

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


_IMAGE_FORMATS = {"image/png": ("PNG", "png"), "image/jpeg": ("JPEG", "jpg"), "image/webp": ("WEBP", "webp")}


def check_image(upload):
    """Check an uploaded picture by its content and re-encode it without its metadata (EXIF, GPS, comments).

    Raises ValidationError in plain words: too large, not a PNG/JPEG/WebP picture, or unreadable.
    """
    name = (upload.name or "")[:80]
    if upload.size > settings.LIBRARY_IMAGE_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s). A picture can be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.LIBRARY_IMAGE_MAX_BYTES),
            },
            code="too_large",
        )
    upload.seek(0)
    content_type = detect_type(upload.read(16))
    if content_type not in _IMAGE_FORMATS:
        raise ValidationError(
            _("“%(name)s” is not a PNG, JPEG or WebP picture. Save it in one of these formats and try again.")
            % {"name": name},
            code="wrong_type",
        )
    upload.seek(0)
    unreadable = ValidationError(
        _("“%(name)s” could not be read as a picture. It may be damaged: try saving it again.") % {"name": name},
        code="unreadable",
    )
    try:
        with Image.open(upload) as picture:
            if picture.width * picture.height > settings.LIBRARY_IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("“%(name)s” is %(width)d × %(height)d pixels: make it smaller (at most 4000 × 4000).")
                    % {"name": name, "width": picture.width, "height": picture.height},
                    code="too_many_pixels",
                )
            picture.load()
            # Turn it the way the camera meant, then write only the pixels: no EXIF, no GPS, no comments.
            upright = ImageOps.exif_transpose(picture)
            image_format, extension = _IMAGE_FORMATS[content_type]
            if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            output = io.BytesIO()
            upright.save(output, format=image_format, **({"quality": 88} if image_format != "PNG" else {}))
            width, height = upright.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise unreadable from None
    return CheckedImage(output.getvalue(), content_type, extension, width, height)


def store_image(*, article, image, alt, by):
    """Keep a checked picture for an article (inside the caller's transaction) and return its record."""
    name = f"{uuid.uuid4().hex}.{image.extension}"
    record = ArticleImage(
        article=article,
        name=name,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        size=len(image.content),
        alt=alt[:200],
        uploaded_by=by,
    )
    # Storage is not transactional: if the transaction rolls back, an unreferenced file stays behind, never a
    # row without its file.
    record.file.save(name, ContentFile(image.content), save=False)
    record.save()
    return record


def image_url(record):
    return IMAGE_PREFIX + record.name


def _sizes_for(*texts):
    names = set().union(*(image_names(text) for text in texts))
    if not names:
        return {}
    return {
        row["name"]: (row["width"], row["height"])
        for row in ArticleImage.objects.filter(name__in=names).values("name", "width", "height")
    }


def fold(text):
    """Lower case without Vietnamese diacritics: "Lừa đảo" → "lua dao"."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def _snapshot(article):
    content = {name: getattr(article, name) for name in EDITABLE_FIELDS if name != "category"}
    content["category"] = article.category.code if article.category_id else None
    return content


def save_article(*, article=None, data, by, reviewed=False, note="", image=None, image_alt=""):
    """Create or change an article from cleaned form data, with at most one new picture (a CheckedImage).

    Guarantees: the stored HTML is sanitised; a new picture is stored with the uploads and its Markdown line is
    added at the end of the Vietnamese text; the search text matches the text; a version holding exactly what
    was saved is written in the same transaction; a review stamps who and when; public pages change on commit.
    """
    article = article or Article()
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(article, name, data[name])
    if reviewed:
        article.reviewed_by = by
        article.reviewed_on = timezone.localdate()
    with transaction.atomic():
        if image is not None:
            if article.pk is None:
                article.save()
            record = store_image(article=article, image=image, alt=image_alt, by=by)
            alt = " ".join(image_alt.replace("[", "(").replace("]", ")").split())
            article.body_vi = f"{article.body_vi.rstrip()}\n\n![{alt}]({image_url(record)})"
        sizes = _sizes_for(article.body_vi, article.body_en)
        article.html_vi = render_markdown(article.body_vi, sizes=sizes)
        article.html_en = render_markdown(article.body_en, sizes=sizes) if article.body_en.strip() else ""
        article.search_text = fold(
            " ".join([article.title_vi, article.summary_vi, article.body_vi, article.title_en, article.summary_en,
                      article.body_en])
        )  # fmt: skip
        article.save()
        last = article.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ArticleVersion.objects.create(
            article=article, number=last + 1, content=_snapshot(article), saved_by=by, note=note[:200]
        )
        transaction.on_commit(forget_cached_pages)
    return article


def forget_cached_pages():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def version():
    """The token the library's cached pieces (and pages that show articles) are kept under: it changes with every
    published change of an article. None when the cache is down (the articles are then read from the database)."""
    try:
        current = cache.get(VERSION_KEY)
        if current is None:
            candidate = uuid.uuid4().hex
            cache.add(VERSION_KEY, candidate, None)
            current = cache.get(VERSION_KEY, candidate)
    except Exception:  # noqa: BLE001 - a cache outage must not take the self-help pages (or a receipt) down
        return None
    return current


def _key(*parts):
    current = version()
    if current is None:
        return None
    lang = (get_language() or "vi")[:2]
    return ":".join(["library", current, lang, *map(str, parts)])


def _cached(key, compute):
    if key is None:
        return compute()
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - see version()
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(Exception):
            cache.set(key, value, CACHE_SECONDS)
    return value


def _card(article):
    return {
        "slug": article.slug,
        "title": article.title,
        "summary": article.summary,
        "audience": article.get_audience_display(),
        "audience_code": article.audience,
    }


def published():
    return Article.objects.filter(state=ArticleState.PUBLISHED)


def home_sections():
    """The home page: each situation with its published articles. Cached; one query when not."""

    def compute():
        by_situation = {value: [] for value in Situation.values}
        for article in published().order_by("sort_order", "slug"):
            by_situation[article.situation].append(_card(article))
        return [
            {"code": value, "label": str(label), "articles": by_situation[value]}
            for value, label in Situation.choices
            if by_situation[value]
        ]

    return _cached(_key("home"), compute)


def article_page(slug):
    """What an article's public page shows, or None. Cached; two queries when not (the article, its neighbours)."""

    def compute():
        article = published().filter(slug=slug).first()
        if article is None:
            return False
        related = published().filter(situation=article.situation).exclude(pk=article.pk)[:5]
        return {
            "id": article.pk,
            "slug": article.slug,
            "title": article.title,
            "summary": article.summary,
            "html": article.html,
            "text_language": article.text_language,
            "situation": article.get_situation_display(),
            "audience": article.get_audience_display(),
            "reviewed_on": article.reviewed_on,
            "related": [_card(other) for other in related],
        }

    return _cached(_key("article", slug), compute) or None


def articles_for_category(category):
    """Published articles of a report's category (a sub-category counts as its parent); cached, one query."""
    return articles_for_top_category(top_category_id(category))


def top_category_id(category):
    """The id of a category's top-level category (a sub-category counts as its parent); None for none."""
    return None if category is None else category.parent_id or category.pk


def articles_for_top_category(top_id):
    """The same by the top-level category's id (None: none)."""
    if top_id is None:
        return []

    def compute():
        return [_card(article) for article in published().filter(category_id=top_id)[:4]]

    return _cached(_key("category", top_id), compute)


class Unaccent(Func):
    function = "unaccent"
    output_field = TextField()


def search(query):
    """Published articles matching the words of `query`, with or without diacritics.

    PostgreSQL: full-text search over unaccent()ed text, best matches first. Elsewhere (SQLite): every word must
    appear in the stored accent-free text.
    """
    query = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    if not fold(query):
        return []
    if connection.vendor == "postgresql":
        vector = (
            SearchVector(Unaccent(F("title_vi")), Unaccent(F("title_en")), weight="A", config="simple")
            + SearchVector(Unaccent(F("summary_vi")), Unaccent(F("summary_en")), weight="B", config="simple")
            + SearchVector(Unaccent(F("body_vi")), Unaccent(F("body_en")), weight="C", config="simple")
        )
        terms = SearchQuery(Unaccent(Value(query)), config="simple", search_type="plain")
        found = (
            published()
            .annotate(document=vector, rank=SearchRank(vector, terms))
            .filter(document=terms)
            .order_by("-rank", "sort_order")
        )
    else:
        words = fold(query).split()
        condition = Q()
        for word in words:
            condition &= Q(search_text__contains=word)
        found = published().filter(condition).order_by("sort_order", "slug")
    return [_card(article) for article in found[:MAX_RESULTS]]


def count_view(article_id, *, today=None):
    """Add one to the article's counter for this month: one UPDATE, an INSERT on the month's first view."""
    month = (today or timezone.localdate()).replace(day=1)
    counters = ArticleMonthlyViews.objects.filter(article_id=article_id, month=month)
    if counters.update(views=F("views") + 1):
        return
    try:
        with transaction.atomic():
            ArticleMonthlyViews.objects.create(article_id=article_id, month=month, views=1)
    except IntegrityError:  # another request created it first
        counters.update(views=F("views") + 1)


def views_by_article(period):
    """Article views in the months that overlap the period, most read first (for the statistics page)."""
    first_month = period.first_day.replace(day=1)
    rows = (
        ArticleMonthlyViews.objects.filter(month__gte=first_month, month__lte=period.last_day)
        .values("article__title_vi")
        .annotate(total=Sum("views"))
        .order_by("-total", "article__title_vi")
    )
    return [(row["article__title_vi"], row["total"]) for row in rows]


def chat_links(request, case):
    """Links a counsellor may paste into the chat: the case's category first, then the rest of the library."""
    top_id = case.category.parent_id or case.category_id if case.category_id else None
    articles = list(published().only("slug", "title_vi", "title_en", "category_id").order_by("sort_order", "slug"))
    articles.sort(key=lambda article: article.category_id != top_id)
    return [
        {
            "title": article.title,
            "text": f"{article.title}: "
            + request.build_absolute_uri(reverse("library_article", kwargs={"slug": article.slug})),
        }
        for article in articles
    ]


def dashboard_section(period):
    rows = views_by_article(period)
    return DashboardSection(
        key="library",
        title=_("Self-help library: article views"),
        template="hotline/library/_dashboard.html",
        context={"rows": rows, "total": sum(views for _title, views in rows)},
    )
