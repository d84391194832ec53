"""Realistic cases in bulk, for benchmarks and for trying the hotline at scale (`manage.py seed_demo --cases N`).

Cases spread over about three years (more of them recently), with the catalogue's categories and sub-categories,
priorities as intake sets them, states that follow the case's age (old cases are mostly closed or rejected),
timestamps that agree with the state, links, platforms, conversations, the timeline events the services would have
written, and a modest number of escalations.

What intake decides comes from intake's own rules (`cases.services.initial_priority` and `first_response_due`,
`cases.risk.risk_reasons`), references and code hashes from `cases.access`; tests/bench/test_smoke.py checks that
the rows agree with them. Rows are written without per-row queries: PostgreSQL COPY in batches (SQLite:
bulk_create). Case ids are allocated here so that the rows that point to a case can be written in the same batch;
the id sequences are moved past them at the end. References are unique by construction (a set of the references
already in the database, loaded once). Each case gets the hash of a random access code nobody knows.
"""

import hashlib
import itertools
import json
import math
import multiprocessing
import random
import uuid
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from cases import access, risk, roles, services
from cases.models import (
    OPEN_STATES,
    AgeBand,
    Case,
    CaseEvent,
    CaseState,
    Category,
    Channel,
    ContactPreference,
    EventKind,
    Gender,
    Message,
    Ongoing,
    Outcome,
    RejectReason,
    ReportedLink,
    ReporterRole,
    Sender,
)
from escalation.models import Agency, Escalation, EscalationLink, EscalationState, LinkOutcome

YEARS = 3
REFERENCE_MULTIPLIER = 608_266_336_877  # prime to 31: n → n·M mod 31^8 is a bijection
REFERENCE_SLOTS = 16
PURGED_TEXT = "[removed after the retention period]"  # what cases.retention writes
SEED_COUNSELLORS = 12

# How often each top-level category is reported (the catalogue's codes; unknown codes weigh 1).
CATEGORY_WEIGHTS = {"CBH": 30, "SCM": 18, "ACC": 14, "OSE": 12, "PRV": 9, "HRM": 6, "MHR": 4, "INF": 7}
CHANNELS = [(Channel.WEB, 55), (Channel.API, 28), (Channel.PHONE, 14), (Channel.CHAT, 3)]
AGE_BANDS = [
    (AgeBand.UNDER_10, 3),
    (AgeBand.AGE_10_12, 14),
    (AgeBand.AGE_13_15, 34),
    (AgeBand.AGE_16_17, 22),
    (AgeBand.AGE_18_24, 9),
    (AgeBand.AGE_25_PLUS, 3),
    (AgeBand.UNKNOWN, 15),
]
GENDERS = [(Gender.FEMALE, 52), (Gender.MALE, 36), (Gender.OTHER, 2), (Gender.UNKNOWN, 10)]
REPORTER_ROLES = [
    (ReporterRole.SELF, 55),
    (ReporterRole.FRIEND, 12),
    (ReporterRole.PARENT, 20),
    (ReporterRole.TEACHER, 6),
    (ReporterRole.OTHER_ADULT, 3),
    ("", 4),
]
ONGOING = [(Ongoing.YES, 50), (Ongoing.NO, 25), (Ongoing.UNKNOWN, 25)]
CONTACT = [(ContactPreference.NONE, 78), (ContactPreference.PHONE, 16), (ContactPreference.EMAIL, 6)]
OUTCOMES = [
    (Outcome.ADVICE_GIVEN, 45),
    (Outcome.CONTENT_REMOVED, 14),
    (Outcome.ACCOUNT_RECOVERED, 9),
    (Outcome.REFERRED, 8),
    (Outcome.AGENCY_HANDLED, 7),
    (Outcome.NO_CONTACT, 14),
    (Outcome.OTHER, 3),
]
REJECT_REASONS = [(RejectReason.SPAM, 50), (RejectReason.TEST, 30), (RejectReason.DUPLICATE, 20)]
# Hour of day (local time) when reports arrive: after school and in the evening.
HOURS = [1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 5, 5, 5, 6, 7, 8, 9, 10, 10, 9, 6, 3]
# States by the case's age in days: (upper bound of age, [(state, weight), ...]).
STATES_BY_AGE = [
    (
        1,
        [(CaseState.NEW, 45), (CaseState.TRIAGED, 20), (CaseState.IN_PROGRESS, 30), (CaseState.WAITING_REPORTER, 5)],
    ),
    (
        14,
        [
            (CaseState.NEW, 4),
            (CaseState.TRIAGED, 5),
            (CaseState.IN_PROGRESS, 30),
            (CaseState.WAITING_REPORTER, 15),
            (CaseState.ESCALATED, 6),
            (CaseState.RESOLVED, 20),
            (CaseState.CLOSED, 12),
            (CaseState.REJECTED, 8),
        ],
    ),
    (
        45,
        [
            (CaseState.IN_PROGRESS, 10),
            (CaseState.WAITING_REPORTER, 10),
            (CaseState.ESCALATED, 6),
            (CaseState.RESOLVED, 9),
            (CaseState.CLOSED, 55),
            (CaseState.REJECTED, 10),
        ],
    ),
    (
        math.inf,
        [
            (CaseState.IN_PROGRESS, 1.5),
            (CaseState.WAITING_REPORTER, 1.5),
            (CaseState.ESCALATED, 1),
            (CaseState.RESOLVED, 1),
            (CaseState.CLOSED, 83),
            (CaseState.REJECTED, 12),
        ],
    ),
]
DESCRIPTIONS = [
    "Có người lập nhóm trên Facebook để chửi bới và chế ảnh em. Các bạn trong lớp đều vào xem.",
    "Một người quen qua game dọa tung ảnh riêng tư của em nếu em không chuyển tiền.",
    "Tài khoản Zalo của em bị người khác đăng nhập, họ nhắn tin vay tiền bạn bè của em.",
    "Em bị lừa nạp thẻ để nhận quà trong game, mất 500.000 đồng.",
    "Con tôi nhận được tin nhắn lạ hẹn gặp ngoài đời, tôi rất lo.",
    "Có clip bạo lực học đường quay cảnh bạn em bị đánh đang lan truyền trên TikTok.",
    "Ai đó đăng số điện thoại và địa chỉ nhà em lên mạng kèm lời lẽ xúc phạm.",
    "Em thấy một trang đăng ảnh nhạy cảm của học sinh trường em.",
    "Em muốn hỏi cách bảo vệ tài khoản mạng xã hội và cài đặt quyền riêng tư.",
    "Bạn em đăng status nói muốn tự tử, em không biết phải làm gì.",
    "Có người giả mạo tài khoản của cô giáo để nhắn tin xin tiền phụ huynh.",
    "Em bị nhắn tin quấy rối liên tục dù đã chặn nhiều tài khoản.",
    "Trang web bán hàng online lừa đảo, em đã chuyển khoản nhưng không nhận được hàng.",
    "Một nhóm chat lớp cô lập và tẩy chay em, đăng ảnh em kèm biệt danh xấu.",
    "",
]
MESSAGES_REPORTER = [
    "Em chào anh chị ạ.",
    "Họ lại nhắn tin cho em tối qua.",
    "Em đã chụp màn hình rồi ạ.",
    "Em sợ bố mẹ biết.",
    "Cảm ơn anh chị, em đã đổi mật khẩu.",
    "Trang đó vẫn còn ạ.",
    "Em phải làm gì tiếp theo?",
    "Họ xóa bài rồi ạ.",
]
MESSAGES_STAFF = [
    "Chào em, chị là tư vấn viên của tổng đài. Em đang an toàn chứ?",
    "Em đừng chuyển tiền và đừng trả lời người đó nữa nhé.",
    "Em giữ lại ảnh chụp màn hình, không xóa tin nhắn.",
    "Tổng đài đã gửi yêu cầu gỡ nội dung tới nền tảng.",
    "Em có muốn nói chuyện với bố mẹ cùng chị không?",
    "Chị đã ghi nhận. Có gì mới em nhắn ngay nhé.",
    "Em đổi mật khẩu và bật xác thực hai lớp theo hướng dẫn nhé.",
]
LINK_HOSTS = [
    "https://www.facebook.com/profile.php?id={n}",
    "https://www.tiktok.com/@user{n}/video/{m}",
    "https://zalo.me/{n}",
    "https://www.youtube.com/watch?v=v{n}",
    "https://www.instagram.com/p/{n}/",
    "https://t.me/group{n}",
]


def _weighted(pairs):
    values = [value for value, _weight in pairs]
    cumulative, total = [], 0
    for _value, weight in pairs:
        total += weight
        cumulative.append(total)
    return values, cumulative


class Generator:
    """Makes the rows of one batch of cases at a time; knows nothing about how they are written."""

    def __init__(self, *, seed, now, total, staff_ids, platform_ids, unit_ids, existing_references, first_id):
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.total = max(total, 1)
        self.made = 0
        self.now = now
        self.staff_ids = staff_ids
        self.platform_ids = platform_ids
        self.unit_ids = unit_ids
        self.references = existing_references
        self.first_id = self.next_id = first_id
        self.retention = timedelta(days=settings.RETENTION_DAYS)
        self.targets = {int(p): t for p, t in settings.FIRST_RESPONSE_TARGETS.items()}
        local_now = timezone.localtime(now)
        self.local_midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
        self.escalated_case_ids = []  # (case id, priority, state, created_at, escalated_at, closed_at, assignee)
        categories = list(Category.objects.select_related("parent").filter(active=True))
        top = [c for c in categories if c.parent_id is None]
        children = {c.pk: [child for child in categories if child.parent_id == c.pk] for c in top}
        self.categories = [(c, children[c.pk]) for c in top]
        # What intake flags (cases.risk) for each category and text, worked out here once: the descriptions are a
        # short fixed list, and the worker processes that make rows never touch the database or the cache.
        self.risk_reasons = {
            (category.pk, text): risk.risk_reasons(category=category, text=text)
            for category in categories
            for text in DESCRIPTIONS
        }
        self.category_choice = _weighted([(index, CATEGORY_WEIGHTS.get(c.code, 1)) for index, c in enumerate(top)])
        self.channel = _weighted(CHANNELS)
        self.age_band = _weighted(AGE_BANDS)
        self.gender = _weighted(GENDERS)
        self.reporter_role = _weighted(REPORTER_ROLES)
        self.ongoing = _weighted(ONGOING)
        self.contact = _weighted(CONTACT)
        self.outcome = _weighted(OUTCOMES)
        self.reject_reason = _weighted(REJECT_REASONS)
        self.states = [(bound, _weighted(pairs)) for bound, pairs in STATES_BY_AGE]
        self.hours = _weighted(list(enumerate(HOURS)))

    def _risk_reasons(self, category, description):
        return self.risk_reasons[(category.pk, description)]

    def _pick(self, weighted, k):
        values, cumulative = weighted
        return self.rng.choices(values, cum_weights=cumulative, k=k)

    def _reference(self, case_id):
        """A reference that looks random but is unique by construction: a bijection of the case id onto the
        31^8 references (multiplication by a number prime to 31). One that a real case already holds is moved to
        another slot, far above any case id, so it cannot meet another generated one."""
        alphabet, length = access.REFERENCE_ALPHABET, access.REFERENCE_LENGTH
        space = len(alphabet) ** length
        for slot in range(REFERENCE_SLOTS):
            number = ((case_id + slot * (space // REFERENCE_SLOTS)) * REFERENCE_MULTIPLIER + 12345) % space
            body = []
            for _ in range(length):
                number, digit = divmod(number, len(alphabet))
                body.append(alphabet[digit])
            reference = f"{''.join(body[:4])}-{''.join(body[4:])}"
            if reference not in self.references:
                return reference
        raise RuntimeError("no free reference")  # 16 slots taken by real cases: never in practice

    def _created_at(self, u, hour):
        # More reports recently: the density of the age falls linearly over the span. `u` grows with the case's
        # number, so ids follow time as in a real database (and indexes are appended to, not scattered into).
        days = int(YEARS * 365 * (1 - math.sqrt(u)))
        created = self.local_midnight - timedelta(days=days, hours=-hour, seconds=-self.rng.randrange(3600))
        if created >= self.now:
            created -= timedelta(days=1)
        return created.astimezone(UTC)

    def batch(self, index, start, n):
        """Rows for cases start … start+n-1 of this run (batch `index`): dict of table key → list of tuples, in
        the order of TABLES' columns. Batches are independent (own random stream, own ids), so any process can
        make any batch and the data depends only on the seed."""
        self.rng = rng = random.Random(f"{self.seed}:{index}")  # noqa: S311
        self.made = start
        self.next_id = self.first_id + start
        self.escalated_case_ids = []
        rows = {"case": [], "platforms": [], "link": [], "message": [], "event": []}
        picks = {
            "category": self._pick(self.category_choice, n),
            "channel": self._pick(self.channel, n),
            "age_band": self._pick(self.age_band, n),
            "gender": self._pick(self.gender, n),
            "role": self._pick(self.reporter_role, n),
            "ongoing": self._pick(self.ongoing, n),
            "contact": self._pick(self.contact, n),
            "hour": self._pick(self.hours, n),
        }
        for i in range(n):
            self._case(i, picks, rows, rng)
        rows["escalated"] = self.escalated_case_ids
        return rows

    def _case(self, i, picks, rows, rng):
        case_id = self.next_id
        self.next_id += 1
        now = self.now
        created = self._created_at((self.made + rng.random()) / self.total, picks["hour"][i])
        self.made += 1
        age_days = (now - created).total_seconds() / 86400
        top, children = self.categories[picks["category"][i]]
        category = rng.choice(children) if children and rng.random() < 0.6 else top
        in_danger = rng.random() < 0.03
        description = rng.choice(DESCRIPTIONS)
        reasons = self._risk_reasons(category, description)
        priority = int(services.initial_priority(category=category, in_danger=in_danger, risk_reasons=reasons))
        due = services.first_response_due(received_at=created, priority=priority)
        channel = picks["channel"][i]
        state = next(self._pick(weighted, 1)[0] for bound, weighted in self.states if age_days < bound)

        span = now - created
        triaged_at = first_response_at = resolved_at = closed_at = None
        assignee = outcome = None
        reject_reason = ""
        path = []  # transitions taken: (name, from, to, at)
        if state != CaseState.NEW:
            triaged_at = created + min(span * 0.5, timedelta(minutes=rng.uniform(2, 180)))
        if state == CaseState.REJECTED:
            reject_reason = self._pick(self.reject_reason, 1)[0]
            closed_at = created + min(span * 0.9, timedelta(minutes=rng.uniform(5, 2880)))
            if rng.random() < 0.5:
                path.append(("triage", CaseState.NEW, CaseState.TRIAGED, triaged_at))
                path.append(("reject", CaseState.TRIAGED, CaseState.REJECTED, closed_at))
            else:
                triaged_at = None
                path.append(("reject", CaseState.NEW, CaseState.REJECTED, closed_at))
        elif state == CaseState.TRIAGED:
            path.append(("triage", CaseState.NEW, CaseState.TRIAGED, triaged_at))
        elif state != CaseState.NEW:
            assignee = rng.choice(self.staff_ids)
            target = self.targets[priority]
            if channel == Channel.PHONE:
                # Phone intake (services.record_phone_case): the call is the first response, claimed as it is made.
                first_response_at = triaged_at = created
                path.append(("claim", CaseState.NEW, CaseState.IN_PROGRESS, first_response_at))
            else:
                # Mostly on time; about one in six late. Triaged before it was claimed.
                first_response_at = created + min(span * 0.6, target * rng.uniform(0.05, 1.2))
                triaged_at = min(triaged_at, created + (first_response_at - created) / 2)
                path.append(("triage", CaseState.NEW, CaseState.TRIAGED, triaged_at))
                path.append(("claim", CaseState.TRIAGED, CaseState.IN_PROGRESS, first_response_at))
            if state == CaseState.WAITING_REPORTER:
                path.append(("wait_for_reporter", CaseState.IN_PROGRESS, state, created + span * 0.7))
            elif state == CaseState.ESCALATED:
                # After the first response (the case is claimed before it is escalated), before now.
                escalated_at = first_response_at + (now - first_response_at) * rng.uniform(0.3, 0.8)
                path.append(("escalate", CaseState.IN_PROGRESS, state, escalated_at))
                self.escalated_case_ids.append((case_id, priority, state, created, escalated_at, None, assignee))
            elif state in (CaseState.RESOLVED, CaseState.CLOSED):
                outcome = self._pick(self.outcome, 1)[0]
                resolved_at = first_response_at + (now - first_response_at) * rng.uniform(0.05, 0.5)
                resolved_at = min(resolved_at, first_response_at + timedelta(days=rng.uniform(0.1, 30)))
                if outcome == Outcome.AGENCY_HANDLED:
                    escalated_at = first_response_at + (resolved_at - first_response_at) * 0.3
                    path.append(("escalate", CaseState.IN_PROGRESS, CaseState.ESCALATED, escalated_at))
                    # Back from the agency shortly before it is resolved: two events at one instant would leave
                    # the timeline's order to the database.
                    returned_at = escalated_at + (resolved_at - escalated_at) * 0.9
                    path.append(("return_from_escalation", CaseState.ESCALATED, CaseState.IN_PROGRESS, returned_at))
                    self.escalated_case_ids.append(
                        (case_id, priority, state, created, escalated_at, returned_at, assignee)
                    )
                path.append(("resolve", CaseState.IN_PROGRESS, CaseState.RESOLVED, resolved_at))
                if state == CaseState.CLOSED:
                    closed_at = resolved_at + min(timedelta(days=7), (now - resolved_at) * 0.9)
                    path.append(("close", CaseState.RESOLVED, CaseState.CLOSED, closed_at))

        purged_at = None
        legal_hold = False
        if closed_at is not None and closed_at < now - self.retention:
            if rng.random() < 0.001:
                legal_hold = True
            else:
                purged_at = min(closed_at + self.retention + timedelta(days=1), now)

        contact = picks["contact"][i]
        phone = email = ""
        if contact == ContactPreference.PHONE:
            phone = f"+849{rng.randrange(10_000_000, 99_999_999)}"
        elif contact == ContactPreference.EMAIL:
            email = f"phuhuynh{case_id}@example.vn"
        unit = rng.choice(self.unit_ids) if self.unit_ids and rng.random() < 0.7 else None
        code = "".join(rng.choices(access.CODE_ALPHABET, k=access.CODE_LENGTH))
        access_hash = access.hash_access_code(code)
        summary = "Đã tư vấn và hướng dẫn em các bước tiếp theo." if outcome else ""
        if purged_at:
            description = summary = phone = email = access_hash = ""

        # Links and platforms.
        n_links = rng.choices((0, 1, 2, 3), cum_weights=(40, 80, 93, 100))[0]
        for _ in range(n_links):
            url = rng.choice(LINK_HOSTS).format(n=rng.randrange(10**9), m=rng.randrange(10**9))
            rows["link"].append((case_id, "" if purged_at else url, created))
        if rng.random() < 0.75:
            for platform_id in rng.sample(self.platform_ids, rng.choice((1, 1, 1, 2))):
                rows["platforms"].append((case_id, platform_id))

        # Timeline: the report, then each transition.
        event = rows["event"]
        event.append(
            (
                case_id,
                EventKind.CREATED,
                None,
                "",
                "",
                "",
                "",
                json.dumps({"channel": channel, "priority": priority, "links": n_links, "evidence": 0}),
                created,
            )
        )
        if reasons:
            event.append(
                (case_id, EventKind.RISK_FLAGGED, None, "", "", "", "", json.dumps({"reasons": reasons}), created)
            )
        actor_for = {"triage": assignee or rng.choice(self.staff_ids), "reject": rng.choice(self.staff_ids)}
        for name, from_state, to_state, at in path:
            actor = None if name in ("escalate", "return_from_escalation") else actor_for.get(name, assignee)
            event.append((case_id, EventKind.TRANSITION, actor, "", from_state, to_state, name, "{}", at))

        # A conversation for about a third of the cases someone worked on.
        message_seq = unread = 0
        if first_response_at is not None and rng.random() < 0.35:
            end = closed_at or resolved_at or now
            count = rng.randint(1, 10)
            step = (end - first_response_at) / (count + 1)
            sender = Sender.STAFF
            for seq in range(1, count + 1):
                sent_at = first_response_at + step * seq
                if sender == Sender.STAFF:
                    text, author = rng.choice(MESSAGES_STAFF), assignee
                    unread = 0
                else:
                    text, author = rng.choice(MESSAGES_REPORTER), None
                    unread += 1
                    event.append(
                        (case_id, EventKind.INFO_ADDED, None, "", "", "", "", json.dumps({"seq": seq}), sent_at)
                    )
                client_id = uuid.UUID(int=rng.getrandbits(128), version=4).hex
                rows["message"].append(
                    (case_id, seq, client_id, sender, author, PURGED_TEXT if purged_at else text, sent_at)
                )
                if rng.random() < 0.6:
                    sender = Sender.REPORTER if sender == Sender.STAFF else Sender.STAFF
            message_seq = count
        if state not in OPEN_STATES:
            unread = 0

        updated_at = max(at for _name, _from, _to, at in path) if path else created
        # Two draws the case's former consent flags took (consent is now a record): the same seed gives the same data.
        rng.random(), rng.random()
        rows["case"].append(
            (
                case_id,
                self._reference(case_id),
                access_hash,
                state,
                channel,
                priority,
                category.pk,
                description,
                in_danger,
                picks["ongoing"][i],
                picks["role"][i],
                picks["age_band"][i],
                picks["gender"][i],
                "",
                contact,
                phone,
                email,
                assignee,
                outcome or "",
                summary,
                reject_reason,
                message_seq,
                unread,
                created,
                purged_at or updated_at,
                due,
                first_response_at,
                triaged_at,
                resolved_at,
                closed_at,
                unit,
                legal_hold,
                "Yêu cầu của cơ quan công an." if legal_hold else "",
                None,
                closed_at if legal_hold else None,
                purged_at,
                "",  # safety_answer
                json.dumps(reasons),  # risk_reasons
                "",  # protection_level
                None,  # intervention_due_at
                "",  # notify_by: demo reporters asked for no notices
            )
        )


CASE_COLUMNS = [
    "id",
    "reference",
    "access_code_hash",
    "state",
    "channel",
    "priority",
    "category_id",
    "description",
    "in_danger",
    "ongoing",
    "reporter_role",
    "age_band",
    "gender",
    "commune",
    "contact_preference",
    "contact_phone",
    "contact_email",
    "assignee_id",
    "outcome",
    "resolution_summary",
    "reject_reason",
    "message_seq",
    "unread_by_staff",
    "created_at",
    "updated_at",
    "first_response_due_at",
    "first_response_at",
    "triaged_at",
    "resolved_at",
    "closed_at",
    "commune_unit_id",
    "legal_hold",
    "legal_hold_reason",
    "legal_hold_by_id",
    "legal_hold_at",
    "purged_at",
    "safety_answer",
    "risk_reasons",
    "protection_level",
    "intervention_due_at",
    "notify_by",
]
TABLES = {
    # key: (model, columns); each row is a tuple in the order of its columns.
    "case": (Case, CASE_COLUMNS),
    "platforms": (Case.platforms.through, ["case_id", "platform_id"]),
    "link": (ReportedLink, ["case_id", "url", "added_at"]),
    "message": (Message, ["case_id", "seq", "client_id", "sender", "author_id", "text", "sent_at"]),
    "event": (
        CaseEvent,
        ["case_id", "kind", "actor_id", "text", "from_state", "to_state", "transition", "data", "created_at"],
    ),
}

# COPY's text format: a tab between values, \N for NULL, backslash escapes in text.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    return str(value).translate(_COPY_ESCAPES)  # a TextChoices member gives its plain value


def _copy_boolean(value):
    return "t" if value else "f"


def _copy_datetime(value):
    return value.isoformat()


def copy_formats(model, columns):
    """How each column's values are written for COPY, read from the model's field: booleans as t/f, dates and times
    in ISO 8601, numbers as they are, everything else (text, JSON text) escaped."""
    formats = []
    for column in columns:
        field = model._meta.get_field(column)  # a foreign key by its column name too ("category_id")
        if isinstance(field, models.BooleanField):
            formats.append(_copy_boolean)
        elif isinstance(field, models.DateTimeField | models.DateField):
            formats.append(_copy_datetime)
        elif isinstance(field, models.IntegerField | models.AutoField | models.ForeignKey):
            formats.append(str)
        else:
            formats.append(_copy_text)
    return formats


def copy_payloads(rows):
    """The rows of one batch as PostgreSQL COPY text, per table."""
    payloads = {}
    for key, (model, columns) in TABLES.items():
        if rows[key]:
            formats = copy_formats(model, columns)
            lines = [
                "\t".join("\\N" if value is None else write(value) for write, value in zip(formats, row, strict=True))
                for row in rows[key]
            ]
            payloads[key] = ("\n".join(lines) + "\n").encode()
    return payloads


def write_copy(payloads):
    """PostgreSQL: one COPY per table (psycopg 3), from text made by the workers."""
    with connection.cursor() as cursor:
        for key, payload in payloads.items():
            model, columns = TABLES[key]
            table = connection.ops.quote_name(model._meta.db_table)
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                copy.write(payload)


def skip_row_triggers():
    """Within this batch's transaction on PostgreSQL: no per-row foreign-key triggers, no waiting for the disk.

    Every id a generated row points to exists (catalogue, staff, or a case of the same batch), so the deferred
    foreign-key checks would only cost time: about half of it. Skipping them needs a superuser; anyone else gets
    the checks, just more slowly.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            pass


def write_bulk(rows):
    """Other databases: bulk_create of model instances built from the same rows."""
    for key, (model, columns) in TABLES.items():
        json_columns = {"data"} if model is CaseEvent else {"risk_reasons"} if model is Case else set()
        objects = []
        for row in rows[key]:
            values = dict(zip(columns, row, strict=True))
            for column in json_columns:
                values[column] = json.loads(values[column])
            objects.append(model(**values))
        model.objects.bulk_create(objects, batch_size=500)


# The generator of this run, inherited by the worker processes (fork): they make rows, never touch the database.
_generator = None


def _make_copy_batch(spec):
    return rows_and_counts(_generator.batch(*spec), True)


def rows_and_counts(rows, postgres):
    counts = {key: len(rows[key]) for key in TABLES}
    return (copy_payloads(rows) if postgres else rows), counts, rows["escalated"]


def batches_in_workers(generator, specs, jobs):
    """Yields each batch's (payloads, counts, escalated) in order, made by `jobs` processes, a few ahead. The
    processes are forked from this one and inherit `generator`; they make rows and never touch the database."""
    global _generator
    _generator = generator
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending = deque()
        specs = iter(specs)
        for spec in itertools.islice(specs, jobs + 2):
            pending.append(pool.submit(_make_copy_batch, spec))
        while pending:
            result = pending.popleft().result()
            for spec in itertools.islice(specs, 1):
                pending.append(pool.submit(_make_copy_batch, spec))
            yield result


def seed_counsellors():
    """The counsellors cases are assigned to: the operator group's members, or a dozen made here."""
    group, _created = Group.objects.get_or_create(name=roles.OPERATOR)
    ids = list(group.user_set.filter(is_active=True).order_by("id").values_list("id", flat=True))
    if ids:
        return ids
    for n in range(1, SEED_COUNSELLORS + 1):
        user = User(username=f"seed-counsellor-{n}", first_name=f"Tư vấn viên {n}")
        user.set_unusable_password()
        user.save()
        user.groups.add(group)
        ids.append(user.pk)
    return ids


def seed_escalations(chosen, *, now, rng, staff_ids, limit):
    """A modest number of escalations for cases that went to an agency: open ones at the agency, finished ones
    completed or declined. Written with bulk_create (a few thousand rows)."""
    state_names = EscalationState
    agencies = list(Agency.objects.filter(superseded_by__isnull=True).order_by("id"))
    if not agencies:
        return 0
    ack_targets = {int(p): t for p, t in settings.ESCALATION_ACK_TARGETS.items()}
    if len(chosen) > limit:
        chosen = rng.sample(chosen, limit)
    escalations = []
    for case_id, priority, case_state, _created, escalated_at, finished_at, assignee in chosen:
        agency = agencies[0] if rng.random() < 0.6 else rng.choice(agencies)
        acknowledged_at = escalated_at + timedelta(hours=rng.uniform(0.5, 30))
        if case_state == CaseState.ESCALATED:
            state = rng.choice(
                [state_names.SENT, state_names.ACKNOWLEDGED, state_names.IN_PROGRESS, state_names.INFO_REQUESTED]
            )
            finished = None
            if state == state_names.SENT or acknowledged_at > now:
                state, acknowledged_at = state_names.SENT, None
        else:
            state = state_names.COMPLETED if rng.random() < 0.85 else state_names.DECLINED
            finished = finished_at
            acknowledged_at = min(acknowledged_at, finished_at)
        packet = {"case": case_id, "summary": "Tóm tắt vụ việc", "links": 1}
        escalations.append(
            Escalation(
                case_id=case_id,
                agency=agency,
                state=state,
                priority=priority,
                reason="Cần cơ quan chức năng xác minh và xử lý.",
                requested_actions=["investigate", "takedown"],
                summary="Em bị đối tượng đe dọa qua mạng xã hội; đã lưu bằng chứng.",
                consent_basis="none",
                packet=packet,
                packet_sha256=hashlib.sha256(json.dumps(packet).encode()).hexdigest(),
                created_by_id=assignee or rng.choice(staff_ids),
                approved_by_id=rng.choice(staff_ids),
                created_at=escalated_at - timedelta(minutes=30),
                sent_at=escalated_at,
                ack_due_at=escalated_at + ack_targets.get(priority, timedelta(days=1)),
                acknowledged_at=acknowledged_at,
                finished_at=finished,
                outcome="Đã xác minh, yêu cầu nền tảng gỡ nội dung." if state == state_names.COMPLETED else "",
                decline_reason="Không thuộc thẩm quyền." if state == state_names.DECLINED else "",
            )
        )
    Escalation.objects.bulk_create(escalations, batch_size=1000)
    if escalations and escalations[0].pk is not None:
        outcome = LinkOutcome
        takedown = settings.TAKEDOWN_TARGET
        EscalationLink.objects.bulk_create(
            [
                EscalationLink(
                    escalation=escalation,
                    target=f"https://www.facebook.com/profile.php?id={rng.randrange(10**9)}",
                    takedown_due_at=escalation.sent_at + takedown,
                    outcome=outcome.TAKEN_DOWN if escalation.state == state_names.COMPLETED else outcome.PENDING,
                    updated_at=escalation.finished_at,
                )
                for escalation in escalations
            ],
            batch_size=1000,
        )
    return len(escalations)
