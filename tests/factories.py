"""Plain factory functions. Cases are made through the same service as real reports."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.testing import verified_login  # noqa: F401 - re-exported for the tests
from cases import services
from cases.consent import Grant
from cases.models import (
    AgeBand,
    Category,
    Channel,
    ConsentChannel,
    ConsentGiver,
    ConsentScope,
    ContactPreference,
    Gender,
    Ongoing,
    Platform,
)

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_upload(name="screenshot.png", content=PNG_BYTES):
    return SimpleUploadedFile(name, content, content_type="image/png")


def pdf_upload(name="chat.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def report_data(**overrides):
    data = {
        "category": Category.objects.get(code=overrides.pop("category_code", "CBH")),
        "description": "Có người chửi bới em trên Facebook.",
        "links": ["https://www.facebook.com/example"],
        "platforms": list(Platform.objects.filter(code="facebook")),
        "in_danger": False,
        "ongoing": Ongoing.YES,
        "reporter_role": "self",
        "age_band": AgeBand.AGE_13_15,
        "gender": Gender.FEMALE,
        "commune": "Phường Kinh Bắc",
        "contact_preference": ContactPreference.NONE,
        "contact_phone": "",
        "contact_email": "",
    }
    data.update(overrides)
    return data


AUTHORITY_SCOPES = (ConsentScope.SHARE_POLICE, ConsentScope.SHARE_INFORMATION)


def consent_grants(*, child=False, guardian=False, age_band=AgeBand.AGE_13_15, scopes=AUTHORITY_SCOPES):
    """Consent records to make a case with: the young person's own (web form) and a guardian's heard by phone."""
    grants = []
    if child:
        grants += [Grant(ConsentGiver.YOUNG_PERSON, scope, ConsentChannel.WEB_FORM, age_band) for scope in scopes]
    if guardian:
        grants += [Grant(ConsentGiver.GUARDIAN, scope, ConsentChannel.PHONE, age_band) for scope in scopes]
    return grants


def make_case(
    *, uploads=(), channel=Channel.WEB, child_consent=False, guardian_consent=False, consents=(), **overrides
):
    """A new case as a reporter would make it; returns (case, access_code). `child_consent` and `guardian_consent`
    add the young person's own consent to share with the authorities and a guardian's heard on the phone."""
    report = report_data(**overrides)
    grants = [*consents, *consent_grants(child=child_consent, guardian=guardian_consent, age_band=report["age_band"])]
    return services.submit_report(report=report, uploads=uploads, channel=channel, consents=grants)


def form_post(**overrides):
    """What a browser posts from the report form."""
    data = {
        "category": "CBH",
        "description": "Có người chửi bới em trên Facebook.",
        "links": "https://www.facebook.com/example\nzalo.me/12345",
        "platforms": ["facebook"],
        "ongoing": "yes",
        "reporter_role": "self",
        "age_band": "13_15",
        "gender": "female",
        "commune": "Phường Kinh Bắc",
        "contact_preference": "none",
        "contact_phone": "",
        "contact_email": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def big_file(size, name="big.png"):
    return SimpleUploadedFile(name, PNG_BYTES + b"\0" * (size - len(PNG_BYTES)), content_type="image/png")


def make_shift(supervisor, *, starts_at, ends_at):
    """A duty shift, as a supervisor's roster page would add it."""
    from cases.models import DutyShift

    return DutyShift.objects.create(supervisor=supervisor, starts_at=starts_at, ends_at=ends_at)


def totp_code(device, *, at=None):
    """The code the device's authenticator app shows at `at` (a timestamp; now by default)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{device.digits}d}"


def picture_upload(name="menu.png", size=(8, 6), image_format="PNG"):
    """A real, decodable picture (the tiny PNG above is only a signature for content sniffing)."""
    import io

    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", size, (30, 90, 200)).save(output, format=image_format)
    return SimpleUploadedFile(name, output.getvalue(), content_type=f"image/{image_format.lower()}")
