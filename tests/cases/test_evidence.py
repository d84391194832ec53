import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.evidence import detect_type, inspect_upload
from tests.factories import PDF_BYTES, PNG_BYTES, big_file


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PNG_BYTES, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a....", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"),
        (PDF_BYTES, "application/pdf"),
        (b"MZ\x90\x00\x03\x00", None),  # Windows executable
        (b"PK\x03\x04\x14\x00", None),  # zip archive
        (b"\x7fELF\x02\x01\x01", None),
        (b"<html><script>", None),
    ],
)
def test_it_detects_type_from_content(head, expected):
    assert detect_type(head) == expected


def test_it_records_sha256_and_ignores_the_claimed_type():
    upload = SimpleUploadedFile("photo.pdf", PNG_BYTES, content_type="application/pdf")
    content_type, size, sha256 = inspect_upload(upload)
    assert content_type == "image/png"
    assert size == len(PNG_BYTES)
    assert sha256 == hashlib.sha256(PNG_BYTES).hexdigest()


def test_it_refuses_an_executable_renamed_as_a_picture():
    upload = SimpleUploadedFile("cute.png", b"MZ\x90\x00" + b"\0" * 100, content_type="image/png")
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload)
    assert error.value.code == "wrong_type"


def test_it_refuses_oversized_and_empty_files(settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        inspect_upload(big_file(1001))
    assert error.value.code == "too_large"
    with pytest.raises(ValidationError) as error:
        inspect_upload(SimpleUploadedFile("empty.png", b""))
    assert error.value.code == "empty"
