"""The self-help library: sanitising, search with and without diacritics, pages, editing, links from cases."""

import datetime

import pytest
from django.db import connection
from django.utils import translation

from cases.models import Category, HotlineSettings
from cases.statistics import Period
from hotline import library
from hotline.models import Article, ArticleMonthlyViews, ArticleState
from tests.conftest import make_user
from tests.factories import form_post, make_case, verified_login

pytestmark = pytest.mark.django_db


def article_data(**overrides):
    data = {
        "slug": "bi-lua-mua-kim-cuong",
        "situation": "scammed",
        "audience": "young",
        "category": Category.objects.get(code="SCM"),
        "title_vi": "Bị lừa khi mua kim cương",
        "title_en": "Scammed when buying diamonds",
        "summary_vi": "Dừng chuyển tiền, lưu bằng chứng.",
        "summary_en": "",
        "body_vi": "## Việc cần làm\n\n1. Đừng chuyển thêm tiền.\n2. Lưu **biên lai** chuyển khoản.",
        "body_en": "",
        "state": ArticleState.PUBLISHED,
        "sort_order": 0,
    }
    data.update(overrides)
    return data


def make_article(by=None, **overrides):
    return library.save_article(data=article_data(**overrides), by=by, reviewed=True)


def test_it_removes_scripts_and_unsafe_links_from_markdown():
    html = library.render_markdown(
        "Xin chào <script>alert('x')</script>\n\n[bấm](javascript:alert(1)) <img src=https://evil.example/a.png "
        'onerror="alert(1)"> [ok](https://www.tiktok.com/) <a href="/" onclick="x()">home</a>'
    )
    assert "<script" not in html and "alert('x')" not in html
    assert 'href="javascript' not in html and "onerror" not in html and "onclick" not in html
    assert "<img" not in html  # no picture from another host
    assert '<a href="https://www.tiktok.com/" rel="noopener noreferrer nofollow">ok</a>' in html


def test_it_stores_sanitised_html_and_a_version_per_save(supervisor):
    article = make_article(by=supervisor, body_vi="Trước <script>steal()</script> sau")
    assert "<script" not in article.html_vi and "steal" not in article.html_vi
    library.save_article(article=article, data={"title_vi": "Tiêu đề mới"}, by=supervisor, note="sửa tiêu đề")
    versions = list(article.versions.all())
    assert [v.number for v in versions] == [2, 1]
    assert versions[0].content["title_vi"] == "Tiêu đề mới" and versions[0].note == "sửa tiêu đề"
    assert versions[1].content["title_vi"] == "Bị lừa khi mua kim cương"
    assert article.reviewed_by == supervisor and article.reviewed_on is not None


@pytest.mark.parametrize("query", ["kim cương", "kim cuong", "KIM CUONG", "biên lai", "bien lai", "lừa"])
def test_it_finds_articles_with_and_without_diacritics(query):
    make_article()
    slugs = [card["slug"] for card in library.search(query)]
    assert "bi-lua-mua-kim-cuong" in slugs


def test_search_finds_d_with_stroke_and_skips_drafts_and_misses():
    make_article(slug="nhap", title_vi="Xoài chín", state=ArticleState.DRAFT, body_vi="xoài")
    make_article(slug="dang", title_vi="Đèn kéo quân", body_vi="x")
    assert [c["slug"] for c in library.search("den keo quan")] == ["dang"]
    assert library.search("xoai") == []
    assert library.search("zzzz khong co") == []
    assert library.search("   ") == []


def test_the_search_runs_on_this_database_engine():
    # The same tests run on SQLite (accent-free column) and on PostgreSQL (unaccent full-text search).
    make_article()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT unaccent('lừa đảo')")
            assert cursor.fetchone()[0] == "lua dao"
    assert library.search("lua dao")


def test_the_seeded_library_holds_useful_vietnamese_articles(client):
    published = Article.objects.filter(state=ArticleState.PUBLISHED)
    assert published.count() >= 12
    slugs = set(published.values_list("slug", flat=True))
    for needed in [
        "bi-de-doa-tung-anh",
        "lay-lai-tai-khoan-bi-hack",
        "lua-dao-bat-coc-online",
        "bao-cao-zalo",
        "bao-cao-tiktok",
        "bao-cao-roblox-free-fire",
        "huong-dan-cho-cha-me",
        "khi-nao-goi-111-113",
    ]:
        assert needed in slugs
    sextortion = published.get(slug="bi-de-doa-tung-anh")
    assert "Đừng trả tiền" in sextortion.html_vi and "111" in sextortion.html_vi
    # Two taps: the report form links to the library, whose home links to the article.
    assert '/tro-giup/"' in client.get("/").content.decode()
    home = client.get("/tro-giup/").content.decode()
    assert 'href="/tro-giup/bai/bi-de-doa-tung-anh/"' in home


def test_article_pages_show_talk_to_us_safety_numbers_and_quick_exit(client):
    html = client.get("/tro-giup/bai/bi-de-doa-tung-anh/").content.decode()
    assert "Nói chuyện với chúng mình" in html
    assert 'href="/"' in html and 'href="/status/"' in html
    assert 'href="tel:113"' in html and 'href="tel:111"' in html and 'id="quick-exit"' in html
    assert "<script>" not in html  # no inline script, no tracker


def test_english_readers_see_the_english_text_and_the_vietnamese_one_where_none_was_written(client, supervisor):
    assert all(article.body_en.strip() for article in Article.objects.all())  # every seeded article
    client.cookies["hotline_lang"] = "en"
    html = client.get("/tro-giup/bai/bi-de-doa-tung-anh/").content.decode()
    assert "Someone threatens to share my photos" in html and "Do not pay and do not send more pictures." in html
    assert '<article class="library library-article" lang="en">' in html
    assert "Talk to us" in html
    make_article(by=supervisor, body_en="")
    html = client.get("/tro-giup/bai/bi-lua-mua-kim-cuong/").content.decode()
    assert '<article class="library library-article" lang="vi">' in html and "Đừng chuyển thêm tiền." in html


def test_drafts_and_unknown_articles_are_not_public(client):
    make_article(slug="ban-nhap", state=ArticleState.DRAFT)
    assert client.get("/tro-giup/bai/ban-nhap/").status_code == 404
    assert client.get("/tro-giup/bai/khong-co/").status_code == 404


def test_search_page_works_without_javascript(client):
    make_article()
    response = client.get("/tro-giup/tim-kiem/", {"q": "kim cuong"})
    assert response.status_code == 200
    assert 'href="/tro-giup/bai/bi-lua-mua-kim-cuong/"' in response.content.decode()
    assert client.get("/tro-giup/tim-kiem/", {"q": "x" * 500}).status_code == 200


def only(count):
    Article.objects.all().delete()
    for number in range(count):
        make_article(slug=f"bai-{number}", situation=["scammed", "hacked", "bullied"][number % 3])


@pytest.mark.parametrize("count", [1, 12])
def test_library_pages_take_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    only(count)
    library.count_view(Article.objects.get(slug="bai-0").pk)  # this month's counter exists
    HotlineSettings.current()  # the layout's safety numbers: one cached row, read once per process
    with django_assert_num_queries(1):
        assert client.get("/tro-giup/").status_code == 200
    with django_assert_num_queries(0):  # cached
        client.get("/tro-giup/")
    with django_assert_num_queries(3):  # the article, its neighbours, the counter
        assert client.get("/tro-giup/bai/bai-0/").status_code == 200
    with django_assert_num_queries(1):  # cached: only the counter
        client.get("/tro-giup/bai/bai-0/")
    with django_assert_num_queries(1):
        assert client.get("/tro-giup/tim-kiem/", {"q": "kim cuong"}).status_code == 200


def test_saving_an_article_refreshes_the_cached_pages(client, supervisor, django_capture_on_commit_callbacks):
    article = make_article()
    assert "Bị lừa khi mua kim cương" in client.get("/tro-giup/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        library.save_article(article=article, data={"title_vi": "Tiêu đề đã sửa"}, by=supervisor)
    assert "Tiêu đề đã sửa" in client.get("/tro-giup/").content.decode()


def test_views_are_counted_per_article_and_month_without_visitor_data(client):
    article = make_article()
    for _ in range(3):
        client.get("/tro-giup/bai/bi-lua-mua-kim-cuong/")
    client.head("/tro-giup/bai/bi-lua-mua-kim-cuong/")
    counter = ArticleMonthlyViews.objects.get(article=article)
    assert counter.views == 3 and counter.month.day == 1
    assert {f.name for f in ArticleMonthlyViews._meta.fields} == {"id", "article", "month", "views"}
    library.count_view(article.pk, today=datetime.date(2026, 1, 15))
    assert ArticleMonthlyViews.objects.filter(article=article).count() == 2


def test_the_statistics_page_shows_article_views(client, supervisor):
    article = make_article()
    library.count_view(article.pk)
    library.count_view(article.pk)
    verified_login(client, supervisor)
    html = client.get("/reports/").content.decode()
    assert "Bị lừa khi mua kim cương" in html and 'id="library-views-total">2<' in html
    assert library.views_by_article(Period.year(2001)) == []


def test_the_receipt_and_the_status_page_link_articles_of_the_reports_category(client):
    make_article(slug="mot-bai-khac", title_vi="Bài về lừa đảo", category=Category.objects.get(code="SCM"))
    client.post("/", form_post(category="SCM"))
    receipt = client.get("/receipt/").content.decode()
    assert 'href="/tro-giup/bai/mot-bai-khac/"' in receipt
    assert 'href="/tro-giup/bai/bi-de-doa-tung-anh/"' not in receipt  # another category
    from cases.models import Case

    status = client.get(f"/status/{Case.objects.get().reference}/").content.decode()
    assert 'href="/tro-giup/bai/mot-bai-khac/"' in status


def test_counsellors_can_insert_article_links_in_the_chat(client, operator):
    case, _code = make_case(category_code="OSE")
    verified_login(client, operator)
    response = client.get(f"/cases/{case.reference}/")
    links = response.context["article_links"]
    assert links[0]["text"].endswith("/tro-giup/bai/bi-de-doa-tung-anh/")  # the case's category first
    assert "Self-help articles" in response.content.decode() or "Bài tự trợ giúp" in response.content.decode()


def test_supervisors_write_review_and_publish_in_the_app(client, supervisor):
    verified_login(client, supervisor)
    assert client.get("/tro-giup/bien-tap/").status_code == 200
    post = {**article_data(), "category": Category.objects.get(code="SCM").pk, "note": "bài mới"}
    refused = client.post("/tro-giup/bien-tap/moi/", post)
    assert refused.status_code == 400 and "Bị lừa khi mua kim cương" in refused.content.decode()  # nothing lost
    assert not Article.objects.filter(slug="bi-lua-mua-kim-cuong").exists()
    saved = client.post("/tro-giup/bien-tap/moi/", {**post, "reviewed": "on"})
    article = Article.objects.get(slug="bi-lua-mua-kim-cuong")
    assert saved["Location"] == f"/tro-giup/bien-tap/{article.pk}/"
    assert article.reviewed_by == supervisor and article.is_published
    history = client.get(f"/tro-giup/bien-tap/{article.pk}/lich-su/").content.decode()
    assert "bài mới" in history
    assert client.get("/tro-giup/bai/bi-lua-mua-kim-cuong/").status_code == 200


def test_operators_and_outsiders_cannot_edit_the_library(client, operator):
    verified_login(client, operator)
    assert client.get("/tro-giup/bien-tap/").status_code == 403
    verified_login(client, make_user("liaison-x", "liaison"))
    assert client.post("/tro-giup/bien-tap/moi/", article_data()).status_code == 403


def test_english_titles_follow_the_language_switch():
    article = make_article(title_en="Diamonds scam")
    with translation.override("en"):
        assert article.title == "Diamonds scam"
        assert article.summary == "Dừng chuyển tiền, lưu bằng chứng."  # no English summary: Vietnamese
    with translation.override("vi"):
        assert article.title == "Bị lừa khi mua kim cương"


PLATFORM_ARTICLES = {
    "bao-cao-facebook-messenger": ["facebook.com/help/1380418588640631", "Tìm hỗ trợ hoặc báo cáo trang cá nhân"],
    "bao-cao-tiktok": ["support.tiktok.com/vi/safety-hc/report-a-problem/report-a-video", "Báo cáo tài khoản"],
    "bao-cao-zalo": ["chưa tìm được trang trợ giúp chính thức của Zalo", "Báo xấu"],
    "bao-cao-instagram-youtube": ["help.instagram.com/519598734752872", "support.google.com/youtube/answer/2802027"],
    "bao-cao-roblox-free-fire": ["en.help.roblox.com/hc/en-us/articles/203314270", "ff.garena.com"],
}


@pytest.mark.parametrize("slug", PLATFORM_ARTICLES)
def test_platform_articles_name_their_sources_and_when_they_were_checked(client, slug):
    article = Article.objects.get(slug=slug)
    assert article.reviewed_on == datetime.date(2026, 11, 29)
    for expected in PLATFORM_ARTICLES[slug]:
        assert expected in article.body_vi
    assert "menu names may differ by version" in article.body_en.lower()  # English too, with the same caveats
    page = client.get(f"/tro-giup/bai/{slug}/").content.decode()
    assert "29/11/2026" in page


def test_steps_that_could_not_be_checked_say_so():
    for slug in ["bao-cao-facebook-messenger", "bao-cao-tiktok", "bao-cao-zalo", "bao-cao-instagram-youtube",
                 "bao-cao-roblox-free-fire"]:  # fmt: skip
        assert "tên các mục có thể khác theo phiên bản" in Article.objects.get(slug=slug).body_vi.lower()


def test_checked_steps_reach_an_older_library_but_never_a_supervisors_edit(supervisor):
    from hotline.library_seed import apply_checked_platform_steps
    from hotline.models import ArticleVersion

    untouched = Article.objects.get(slug="bao-cao-tiktok")
    Article.objects.filter(pk=untouched.pk).update(body_vi="Bản cũ", body_en="", reviewed_on=None)
    edited = Article.objects.get(slug="bao-cao-zalo")
    library.save_article(article=edited, data={"body_vi": "Bản của giám sát viên"}, by=supervisor)

    apply_checked_platform_steps(Article, ArticleVersion)

    untouched.refresh_from_db()
    assert "support.tiktok.com" in untouched.body_vi and "support.tiktok.com" in untouched.html_vi
    assert untouched.reviewed_on == datetime.date(2026, 11, 29) and untouched.versions.count() == 2
    edited.refresh_from_db()
    assert edited.body_vi == "Bản của giám sát viên"
