"""Pictures in library articles: only our own uploads are shown, uploads are checked by content and lose their
metadata, and a refused upload loses nothing the supervisor typed."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.models import Category
from hotline import library
from hotline.models import Article, ArticleImage
from tests.factories import png_upload, verified_login
from tests.hotline.test_library import article_data

pytestmark = pytest.mark.django_db

OWN = "/tro-giup/anh/" + "a" * 32 + ".png"


def jpeg_with_gps(width=40, height=30):
    """A JPEG as a phone writes it: EXIF with the camera's make and a GPS position."""
    picture = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 11.0, 0.0), 3: "E", 4: (106.0, 4.0, 0.0)}  # GPSInfo: Bắc Ninh
    output = io.BytesIO()
    picture.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def edit_post(**overrides):
    return {**article_data(), "category": Category.objects.get(code="SCM").pk, "reviewed": "on", **overrides}


def test_it_drops_pictures_from_other_hosts_data_uris_and_javascript():
    html = library.render_markdown(
        "![a](https://evil.example/x.png) ![b](//evil.example/y.png) "
        '![c](data:image/png;base64,iVBORw0KGgo=) <img src="javascript:alert(1)" alt="x > y"> '
        '<img src="/tro-giup/anh/../../etc/passwd">'
    )
    assert "<img" not in html
    assert "evil.example" not in html and "data:" not in html and "javascript" not in html


def test_it_keeps_our_own_pictures_with_their_description_and_size():
    html = library.render_markdown(
        f'![Nút ba chấm ở góc bài viết]({OWN}) <img src="{OWN}" onerror="alert(1)" width="99%">',
        sizes={"a" * 32 + ".png": (360, 200)},
    )
    assert html.count("<img") == 2 and "onerror" not in html and "99%" not in html
    assert f'<img src="{OWN}" alt="Nút ba chấm ở góc bài viết" width="360" height="200">' in html


def test_a_supervisor_adds_a_picture_without_its_location_and_readers_see_it(client, supervisor):
    verified_login(client, supervisor)
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(
        "/tro-giup/bien-tap/moi/", edit_post(image=upload, image_alt="Nút Báo cáo [ảnh chụp màn hình]")
    )
    article = Article.objects.get(slug="bi-lua-mua-kim-cuong")
    assert response.status_code == 302
    picture = ArticleImage.objects.get(article=article)
    assert picture.content_type == "image/jpeg" and (picture.width, picture.height) == (40, 30)
    address = f"/tro-giup/anh/{picture.name}"
    assert article.body_vi.endswith(f"![Nút Báo cáo (ảnh chụp màn hình)]({address})")
    assert f'<img src="{address}" alt="Nút Báo cáo (ảnh chụp màn hình)" width="40" height="30">' in article.html_vi

    page = client.get("/tro-giup/bai/bi-lua-mua-kim-cuong/").content.decode()
    assert f'src="{address}"' in page
    served = client.get(address)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "immutable" in served["Cache-Control"] and served["X-Content-Type-Options"] == "nosniff"
    stored = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert not stored.getexif(), "EXIF (camera, GPS) must be gone"
    assert b"PhoneMaker" not in picture.file.open("rb").read()


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_typed_is_lost(client, supervisor):
    verified_login(client, supervisor)
    fake = SimpleUploadedFile("meme.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client.post(
        "/tro-giup/bien-tap/moi/", edit_post(title_vi="Bài về kim cương giả", image=fake, image_alt="Ảnh")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "is not a PNG, JPEG or WebP picture" in page or "không phải ảnh PNG, JPEG hay WebP" in page
    assert "Bài về kim cương giả" in page and "Lưu **biên lai** chuyển khoản." in page  # what was typed
    assert not Article.objects.filter(title_vi="Bài về kim cương giả").exists()
    assert not ArticleImage.objects.exists()


def test_a_picture_too_large_or_without_a_description_is_refused(client, supervisor, settings):
    verified_login(client, supervisor)
    settings.LIBRARY_IMAGE_MAX_BYTES = 100
    big = SimpleUploadedFile("big.jpg", jpeg_with_gps(200, 200), content_type="image/jpeg")
    too_large = client.post("/tro-giup/bien-tap/moi/", edit_post(image=big, image_alt="Ảnh to"))
    assert too_large.status_code == 400 and "big.jpg" in too_large.content.decode()

    settings.LIBRARY_IMAGE_MAX_BYTES = 3 * 1024 * 1024
    small = SimpleUploadedFile("small.jpg", jpeg_with_gps(), content_type="image/jpeg")
    undescribed = client.post("/tro-giup/bien-tap/moi/", edit_post(image=small, image_alt=""))
    assert undescribed.status_code == 400
    assert undescribed.context["form"].errors["image_alt"]
    assert not ArticleImage.objects.exists()


def test_a_picture_from_another_site_in_the_text_is_refused_with_the_text_kept(client, supervisor):
    verified_login(client, supervisor)
    body = "Xem ảnh:\n\n![nút báo cáo](https://cdn.example.com/report.png)"
    response = client.post("/tro-giup/bien-tap/moi/", edit_post(body_vi=body))
    assert response.status_code == 400
    assert response.context["form"].errors["body_vi"]
    assert "https://cdn.example.com/report.png" in response.content.decode()
    assert not Article.objects.filter(slug="bi-lua-mua-kim-cuong").exists()


def test_an_unknown_picture_is_404(client):
    assert client.get("/tro-giup/anh/" + "f" * 32 + ".png").status_code == 404


def test_a_damaged_picture_is_refused_in_words():
    with pytest.raises(ValidationError, match="could not be read as a picture|Không đọc được"):
        library.check_image(png_upload("broken.png"))  # a PNG signature, but pixels Pillow cannot decode
