"""Seed data for the controlled lists: categories (what happened to the young person) and platforms.

Loaded by a data migration and editable in the admin afterwards; the migration never overwrites an edited row.
Each category: code, Vietnamese name, English name, child-friendly Vietnamese label, child-friendly English label,
and its sub-categories as (code suffix, vi, en).
"""

import contextlib
import uuid
from typing import Any

CATEGORIES = [
    (
        "OSE",
        "Xâm hại, bóc lột tình dục trên mạng",
        "Online sexual exploitation",
        "Ai đó đe dọa, dụ dỗ hoặc gửi/đòi ảnh nhạy cảm",
        "Someone threatens me, grooms me, or sends or asks for intimate pictures",
        [
            ("SEXTORTION", "Bị đe dọa tung ảnh/clip nhạy cảm (tống tiền tình dục)", "Sextortion"),
            ("GROOMING", "Bị người lạ dụ dỗ, làm quen có ý đồ", "Grooming"),
            ("CSAM", "Hình ảnh tình dục trẻ em", "Sexual images of children"),
            ("NCII", "Ảnh riêng tư bị phát tán không được đồng ý", "Intimate images shared without consent"),
            ("DEEPFAKE", "Ảnh/clip nhạy cảm giả mạo bằng AI", "AI/deepfake sexual images"),
            ("HARASSMENT", "Quấy rối tình dục trên mạng", "Online sexual harassment"),
            (
                "LIVESTREAM",
                "Bóc lột qua livestream, dụ dỗ mua bán người",
                "Live-streamed exploitation or trafficking recruitment",
            ),
            (
                "MEETING",
                "Hẹn gặp ngoài đời với người quen trên mạng",
                "Planned meeting with an online contact",
            ),
        ],
    ),
    (
        "CBH",
        "Bắt nạt, quấy rối trên mạng",
        "Cyberbullying & harassment",
        "Bị bắt nạt, chửi bới, đe dọa hoặc bêu riếu trên mạng",
        "I am bullied, insulted, threatened or mocked online",
        [
            ("INSULTS", "Lăng mạ, chửi bới", "Insults"),
            ("THREATS", "Đe dọa", "Threats"),
            ("EXCLUSION", "Cô lập, tẩy chay", "Exclusion"),
            ("RUMOURS", "Tung tin đồn", "Rumours"),
            ("IMPERSONATION", "Giả mạo danh tính", "Impersonation"),
            ("STALKING", "Theo dõi, đeo bám", "Stalking"),
            ("HATE", "Phát ngôn thù ghét", "Hate speech"),
            ("VIOLENCE_CLIP", "Clip bạo lực học đường", "School-violence clips"),
        ],
    ),
    (
        "PRV",
        "Xâm phạm quyền riêng tư",
        "Privacy violations & doxxing",
        "Thông tin hoặc ảnh của mình bị đăng lên mà không được phép",
        "My details or photos were posted without my permission",
        [
            ("DOXXING", "Bị công khai thông tin cá nhân", "Personal details published"),
            ("PHOTOS", "Ảnh bị đăng không được đồng ý", "Photos posted without consent"),
            ("LEAK", "Lộ, lọt dữ liệu", "Data leak"),
            ("OUTING", "Bị tiết lộ bí mật đời tư", "Outing"),
            ("TRACKING", "Bị theo dõi vị trí", "Location tracking"),
        ],
    ),
    (
        "ACC",
        "Tài khoản bị chiếm đoạt",
        "Hacked or stolen accounts",
        "Tài khoản của mình bị hack hoặc bị lấy mất",
        "My account was hacked or taken",
        [
            ("SOCIAL", "Tài khoản mạng xã hội, nhắn tin", "Social or chat account"),
            ("GAME", "Tài khoản game", "Game account"),
            ("PHISHING", "Bị lừa lấy mật khẩu, mã OTP", "Phishing or OTP theft"),
            ("MISUSED", "Tài khoản bị dùng để hại người khác", "Account used to harm others"),
        ],
    ),
    (
        "SCM",
        "Lừa đảo trực tuyến",
        "Scams & fraud",
        "Bị lừa mất tiền, đồ trong game hoặc tài khoản",
        "I was tricked out of money, game items or an account",
        [
            ("GAME_ITEMS", "Lừa bán vật phẩm game, nạp thẻ", "Game items or top-up"),
            ("SHOPPING", "Lừa đảo mua bán online", "Shopping"),
            ("JOB_TASKS", "Việc nhẹ lương cao, làm nhiệm vụ", "'Easy job, high pay' tasks"),
            (
                "IMPERSONATION",
                "Giả danh công an, nhà trường, người thân",
                "Impersonating police, school or relatives",
            ),
            ("GAMBLING_LOANS", "Cờ bạc, vay tiền qua ứng dụng", "Gambling and loan apps"),
            ("INVESTMENT", "Đầu tư, trúng thưởng", "Investment or prizes"),
            ("ROMANCE", "Lừa đảo tình cảm", "Romance"),
        ],
    ),
    (
        "HCE",
        "Nội dung độc hại",
        "Harmful content",
        "Mình thấy nội dung đáng sợ, bạo lực hoặc nguy hiểm",
        "I saw frightening, violent or dangerous content",
        [
            ("PORN", "Nội dung khiêu dâm", "Pornography"),
            ("GORE", "Bạo lực, máu me", "Violence or gore"),
            ("CHALLENGES", "Thử thách nguy hiểm", "Dangerous challenges"),
            ("SELF_HARM", "Cổ vũ tự gây hại", "Pro-self-harm"),
            ("DRUGS_WEAPONS", "Ma túy, vũ khí", "Drugs or weapons"),
            ("EXTREMIST", "Cực đoan", "Extremist"),
            (
                "DISGUISED",
                "Nội dung độc hại trá hình cho trẻ em",
                "Disturbing content disguised for children",
            ),
        ],
    ),
    (
        "MIS",
        "Tin giả, thông tin sai lệch",
        "Fake news & misinformation",
        "Có tin giả hoặc tin sai về mình hay người khác",
        "There is fake or false news about me or others",
        [
            ("RUMOURS", "Tin đồn thất thiệt", "Rumours"),
            ("HEALTH", "Tin sai về sức khỏe, an toàn", "Health or safety misinformation"),
            ("ABOUT_CHILD", "Thông tin sai về trẻ em", "False information about the child"),
        ],
    ),
    (
        "GAM",
        "Trò chơi trực tuyến, sử dụng mạng quá mức",
        "Games & excessive use",
        "Chuyện về game hoặc dùng mạng quá nhiều",
        "Something about games or spending too much time online",
        [
            (
                "AGE_INAPPROPRIATE",
                "Game bạo lực, không phù hợp lứa tuổi",
                "Violent or age-inappropriate games",
            ),
            ("OVERUSE", "Nghiện game, dùng mạng quá mức", "Over-use"),
            ("SPENDING", "Tiêu tiền trong game", "In-game spending"),
            ("HARASSMENT", "Bị quấy rối trong game", "Harassment inside games"),
        ],
    ),
    (
        "MHR",
        "Khủng hoảng tâm lý, nguy cơ tự hại",
        "Mental-health crisis, self-harm risk",
        "Mình đang rất buồn, sợ hãi hoặc muốn làm hại bản thân",
        "I feel very sad or scared, or I want to hurt myself",
        [
            ("SUICIDAL", "Có ý nghĩ tự tử", "Suicidal thoughts"),
            ("SELF_HARM", "Tự gây thương tích", "Self-harm"),
            ("DISTRESS", "Căng thẳng nặng sau sự việc trên mạng", "Severe distress after an online incident"),
        ],
    ),
    (
        "INF",
        "Tư vấn, hỏi đáp",
        "Advice and questions",
        "Mình muốn hỏi hoặc xin lời khuyên",
        "I have a question or want advice",
        [
            ("SAFETY_ADVICE", "Tư vấn an toàn trên mạng", "Digital-safety advice"),
            ("GUIDANCE", "Hướng dẫn cho cha mẹ, thầy cô", "Parent or teacher guidance"),
            ("SERVICE", "Hỏi về tổng đài", "Questions about the service"),
            ("SILENT", "Liên hệ im lặng, trêu đùa, thử", "Silent, prank or test contact"),
        ],
    ),
]

# (code, name, kind)
PLATFORMS = [
    ("facebook", "Facebook", "social"),
    ("messenger", "Messenger", "chat"),
    ("zalo", "Zalo", "chat"),
    ("tiktok", "TikTok", "social"),
    ("youtube", "YouTube", "social"),
    ("instagram", "Instagram", "social"),
    ("threads", "Threads", "social"),
    ("x", "X (Twitter)", "social"),
    ("telegram", "Telegram", "chat"),
    ("discord", "Discord", "chat"),
    ("snapchat", "Snapchat", "social"),
    ("roblox", "Roblox", "game"),
    ("free_fire", "Free Fire", "game"),
    ("lien_quan", "Liên Quân Mobile", "game"),
    ("pubg_mobile", "PUBG Mobile", "game"),
    ("minecraft", "Minecraft", "game"),
    ("other_game", "Trò chơi khác / Other game", "game"),
    ("website", "Trang web / Website", "web"),
    ("sms_phone", "Tin nhắn SMS, cuộc gọi / SMS or phone call", "phone"),
    ("email", "Email", "web"),
    ("other", "Khác / Other", "other"),
]


def seed_catalog(Category, Platform):
    """Create the seeded rows that are missing; never touch rows an admin may have edited."""
    for order, (code, name_vi, name_en, child_vi, child_en, subs) in enumerate(CATEGORIES):
        parent, _ = Category.objects.get_or_create(
            code=code,
            defaults={
                "name_vi": name_vi,
                "name_en": name_en,
                "child_label_vi": child_vi,
                "child_label_en": child_en,
                "sort_order": order * 100,
            },
        )
        for sub_order, (suffix, sub_vi, sub_en) in enumerate(subs, start=1):
            Category.objects.get_or_create(
                code=f"{code}-{suffix}",
                defaults={
                    "parent": parent,
                    "name_vi": sub_vi,
                    "name_en": sub_en,
                    "child_label_vi": sub_vi,
                    "child_label_en": sub_en,
                    "sort_order": order * 100 + sub_order,
                },
            )
    for order, (code, name, kind) in enumerate(PLATFORMS):
        Platform.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "sort_order": order})


# --- The catalogue's version: what pages built from the catalogue are cached under ------------------------------

CATALOGUE_VERSION_KEY = "catalogue-version"


def catalogue_version():
    """An opaque token that changes whenever a category, a platform, an administrative unit or the hotline settings
    change: what the public pages built from them are cached under.

    Kept in the shared cache, so that an edit in the admin of one process reaches every process. None when the
    cache cannot be reached: callers then build what they need from the database, as without a cache.
    """
    from django.core.cache import cache

    try:
        version = cache.get(CATALOGUE_VERSION_KEY)
        if version is None:
            cache.add(CATALOGUE_VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(CATALOGUE_VERSION_KEY)
    except Exception:  # noqa: BLE001 - a cache outage must not stop a report; the page is built without it
        return None
    return version


# (catalogue version, day) -> what a report may choose, by code: the active top-level categories, the active platforms
# and the units in force. Intake's validation looks the chosen codes up here instead of querying for each report
# (two to three round trips and their ORM work per report). Kept in this process's memory; the model instances are
# only read, never changed, so the threads of the process can share them.
_choosable: dict[str, Any] = {}


def choosable():
    """{"category": {code: Category}, "platforms": {code: Platform}, "commune_unit": {code: AdministrativeUnit}} for
    the catalogue version and day of now; None when the cache that versions the catalogue is down (the form then
    queries the database as usual)."""
    from django.utils import timezone

    from cases.models import AdministrativeUnit, Category, Platform

    version = catalogue_version()
    if version is None:
        return None
    key = (version, timezone.localdate())
    cached = _choosable.get("rows")
    if cached is None or cached[0] != key:
        rows = {
            "category": {row.code: row for row in Category.objects.filter(parent__isnull=True, active=True)},
            "platforms": {row.code: row for row in Platform.objects.filter(active=True)},
            "commune_unit": {row.code: row for row in AdministrativeUnit.objects.current()},
        }
        cached = (key, rows)
        _choosable["rows"] = cached
    return cached[1]


def catalogue_changed(**kwargs):
    """Receiver for every write to the catalogue's tables (admin, loaders, shell alike). The new version is set
    after commit: a page built meanwhile from the old rows must not be cached under the new version."""
    from django.core.cache import cache
    from django.db import transaction

    def bump():
        with contextlib.suppress(Exception):  # the cache may be down; entries then expire with the process
            cache.set(CATALOGUE_VERSION_KEY, uuid.uuid4().hex, timeout=None)

    transaction.on_commit(bump)


# Phrases that flag a report as a risk of self-harm (cases/risk.py), edited in the admin afterwards. Each phrase
# written with its diacritics also matches the same words typed without them ("tự tử" matches "tu tu"); the few
# entered without diacritics are common spellings that have no single accented form.
DANGER_PHRASES = [
    ("không muốn sống", "suicidal thoughts"),
    ("ko muốn sống", "suicidal thoughts, short spelling of không"),
    ("k muốn sống", "suicidal thoughts, short spelling of không"),
    ("chán sống", "suicidal thoughts"),
    ("muốn chết", "suicidal thoughts"),
    ("chết cho xong", "suicidal thoughts"),
    ("chết đi cho rồi", "suicidal thoughts"),
    ("tự tử", "suicide"),
    ("tu tu", "suicide, written without diacritics"),
    ("tự sát", "suicide"),
    ("tự vẫn", "suicide"),
    ("kết thúc tất cả", "suicidal thoughts"),
    ("kết thúc cuộc đời", "suicidal thoughts"),
    ("không muốn tồn tại", "suicidal thoughts"),
    ("biến mất mãi mãi", "suicidal thoughts"),
    ("nhảy lầu", "suicide method"),
    ("uống thuốc ngủ", "suicide method"),
    ("cắt tay", "self-harm"),
    ("rạch tay", "self-harm"),
    ("tự làm hại bản thân", "self-harm"),
    ("tự hại", "self-harm"),
]


def seed_danger_phrases(DangerPhrase):
    for phrase, notes in DANGER_PHRASES:
        DangerPhrase.objects.get_or_create(phrase=phrase, defaults={"notes": notes})
