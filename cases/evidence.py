"""Evidence files: what we accept, detected from the bytes, never from the name or the browser's claim."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# (content type, test on the first bytes). Screenshots and PDFs only: no archives, no executables, no video.
_SIGNATURES = [
    ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ("image/gif", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    ("image/webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    ("image/heic", lambda head: head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1")),
    ("application/pdf", lambda head: head.startswith(b"%PDF-")),
]
ALLOWED_TYPES = [content_type for content_type, _test in _SIGNATURES]
# The extension a download gets, from the detected type: never the name the sender gave it.
EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/pdf": "pdf",
}


def download_name(evidence):
    """A safe file name for a download: reference, id, hash prefix and the extension of the detected type."""
    stem = f"{evidence.case.reference}-{evidence.pk}-{evidence.sha256[:12]}"
    extension = EXTENSIONS.get(evidence.content_type)
    return f"{stem}.{extension}" if extension else stem


def detect_type(head):
    for content_type, test in _SIGNATURES:
        if test(head):
            return content_type
    return None


def inspect_upload(upload):
    """Check one uploaded file; return (content_type, size, sha256) or raise ValidationError in plain words."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s). Each file can be at most %(limit)s.")
            % {
                "name": upload.name[:80],
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES),
            },
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name[:80]}, code="empty")
    upload.seek(0)
    content_type = detect_type(upload.read(16))
    if content_type is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a picture or a PDF. "
                "You can send screenshots (PNG, JPEG, WebP, GIF, HEIC) and PDF files."
            )
            % {"name": upload.name[:80]},
            code="wrong_type",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, upload.size, digest.hexdigest()
