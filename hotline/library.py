"""The self-help library: the one service that saves articles, and the reads behind the public pages.

save_article renders the Markdown once (markdown-it-py), sanitises the HTML (nh3), stores an accent-free search
text, writes a version, and on commit makes the cached pages stale. The public reads are cached per language, so
a page costs a fixed, small number of queries whatever the size of the library.
"""

import unicodedata
import uuid

import nh3
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Func, Q, Sum, TextField, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from cases.extensions import DashboardSection
from hotline.models import Article, ArticleMonthlyViews, ArticleState, ArticleVersion, Situation

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


def render_markdown(text):
    """Markdown → HTML that is safe to show: only the tags above, links to http(s), tel and mailto only."""
    html = _markdown.render(text or "")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "tel", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def fold(text):
    """Lower case without Vietnamese diacritics: "Lừa đảo" → "lua dao"."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def _snapshot(article):
    content = {name: getattr(article, name) for name in EDITABLE_FIELDS if name != "category"}
    content["category"] = article.category.code if article.category_id else None
    return content


def save_article(*, article=None, data, by, reviewed=False, note=""):
    """Create or change an article from cleaned form data.

    Guarantees: the stored HTML is sanitised; the search text matches the text; a version holding exactly what
    was saved is written in the same transaction; a review stamps who and when; public pages change on commit.
    """
    article = article or Article()
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(article, name, data[name])
    article.html_vi = render_markdown(article.body_vi)
    article.html_en = render_markdown(article.body_en) if article.body_en.strip() else ""
    article.search_text = fold(
        " ".join([article.title_vi, article.summary_vi, article.body_vi, article.title_en, article.summary_en,
                  article.body_en])
    )  # fmt: skip
    if reviewed:
        article.reviewed_by = by
        article.reviewed_on = timezone.localdate()
    with transaction.atomic():
        article.save()
        last = article.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ArticleVersion.objects.create(
            article=article, number=last + 1, content=_snapshot(article), saved_by=by, note=note[:200]
        )
        transaction.on_commit(forget_cached_pages)
    return article


def forget_cached_pages():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _key(*parts):
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    lang = (get_language() or "vi")[:2]
    return ":".join(["library", version, lang, *map(str, parts)])


def _cached(key, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
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
    if category is None:
        return []
    top_id = category.parent_id or category.pk

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
