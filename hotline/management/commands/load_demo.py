"""Demo accounts and a few realistic cases, for trying the hotline out. Refuses to run unless DEBUG is on."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases import roles, services
from cases.models import (
    AdministrativeUnit,
    AgeBand,
    Case,
    Category,
    Channel,
    ContactPreference,
    Gender,
    Ongoing,
    Outcome,
    Platform,
)
from cases.units import SAMPLE_CSV, load_units
from escalation.models import Agency, Liaison

DEMO_PASSWORD = "hotline-demo"  # noqa: S105 (demo accounts exist only with DEBUG on)

# username, first name, role, agency code
DEMO_USERS = [
    ("operator", "Tư vấn viên Lan", roles.OPERATOR, None),
    ("supervisor", "Giám sát viên Hùng", roles.SUPERVISOR, None),
    ("police", "Cán bộ PA05 Minh", roles.LIAISON, "ca-bac-ninh-pa05"),
    ("infodept", "Cán bộ Sở VHTTDL Hà", roles.LIAISON, "so-vhttdl-bac-ninh"),
    ("admin", "Quản trị", roles.ADMIN, None),
]

DEMO_REPORTS = [
    {
        "category": "OSE",
        "description": "Một người quen trên mạng dọa sẽ gửi ảnh riêng tư của em cho bạn bè trong lớp nếu em "
        "không chuyển 2 triệu đồng. Người đó nhắn qua Messenger từ tối qua.",
        "links": ["https://www.facebook.com/profile.php?id=100000000000001"],
        "platforms": ["facebook", "messenger"],
        "in_danger": True,
        "ongoing": Ongoing.YES,
        "reporter_role": "self",
        "age_band": AgeBand.AGE_13_15,
        "gender": Gender.FEMALE,
        "commune": "Phường Kinh Bắc",
        "hours_ago": 0.2,
        "story": [],
    },
    {
        "category": "CBH",
        "description": "Có một nhóm lập trang TikTok chế ảnh bạn em và viết bình luận xúc phạm. Bạn ấy không "
        "dám đi học.",
        "links": ["https://www.tiktok.com/@example_page", "https://www.tiktok.com/@example_page/video/1"],
        "platforms": ["tiktok"],
        "ongoing": Ongoing.YES,
        "reporter_role": "friend",
        "age_band": AgeBand.AGE_13_15,
        "gender": Gender.MALE,
        "commune": "Phường Từ Sơn",
        "hours_ago": 3,
        "story": ["triage"],
    },
    {
        "category": "SCM",
        "description": "Con tôi bị lừa nạp 500.000 đồng để mua vật phẩm Free Fire từ một tài khoản trên Zalo.",
        "links": [],
        "platforms": ["zalo", "free_fire"],
        "ongoing": Ongoing.NO,
        "reporter_role": "parent",
        "age_band": AgeBand.AGE_10_12,
        "gender": Gender.MALE,
        "commune": "Xã Yên Phong",
        "contact_preference": ContactPreference.PHONE,
        "contact_phone": "0912345678",
        "guardian_consent": True,
        "hours_ago": 20,
        "story": ["claim", "message", "wait"],
    },
    {
        "category": "ACC",
        "description": "Tài khoản Facebook của em bị hack sau khi em bấm vào link nhận quà, giờ nó đang nhắn "
        "tin vay tiền bạn bè em.",
        "links": ["facebook.com/some.hacked.account"],
        "platforms": ["facebook"],
        "ongoing": Ongoing.YES,
        "reporter_role": "self",
        "age_band": AgeBand.AGE_16_17,
        "gender": Gender.FEMALE,
        "child_consent": True,
        "hours_ago": 50,
        "story": ["claim", "message", "resolve"],
    },
    {
        "category": "INF",
        "description": "Test thử xem tổng đài có hoạt động không.",
        "links": [],
        "platforms": [],
        "hours_ago": 30,
        "story": ["reject"],
    },
]


class Command(BaseCommand):
    help = "Create the demo staff accounts and a few demo cases (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is only loaded when DEBUG is on.")
        with transaction.atomic():
            self.load_units()
            users = self.create_users()
            if not Case.objects.exists():
                self.create_cases(users)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {DEMO_PASSWORD}):"))
        for username, name, role, agency in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {role:<11} {name}{' · ' + agency if agency else ''}")

    def load_units(self):
        """A few real wards and communes and the former districts, through the same loader as `load_units`."""
        with open(SAMPLE_CSV, encoding="utf-8-sig", newline="") as stream:
            load_units(stream, source=SAMPLE_CSV.name)

    def create_users(self):
        users = {}
        for username, name, role, agency_code in DEMO_USERS:
            user, _created = User.objects.get_or_create(username=username, defaults={"first_name": name})
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role in (roles.ADMIN,)
            user.is_superuser = role == roles.ADMIN
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            if agency_code:
                Liaison.objects.update_or_create(user=user, defaults={"agency": Agency.objects.get(code=agency_code)})
            users[username] = user
        return users

    def create_cases(self, users):
        operator = users["operator"]
        supervisor = users["supervisor"]
        now = timezone.now()
        for demo in DEMO_REPORTS:
            report = {
                "category": Category.objects.get(code=demo["category"]),
                "description": demo["description"],
                "links": demo["links"],
                "platforms": list(Platform.objects.filter(code__in=demo["platforms"])),
                "in_danger": demo.get("in_danger", False),
                "ongoing": demo.get("ongoing", Ongoing.UNKNOWN),
                "reporter_role": demo.get("reporter_role", ""),
                "age_band": demo.get("age_band", AgeBand.UNKNOWN),
                "gender": demo.get("gender", Gender.UNKNOWN),
                "commune": demo.get("commune", ""),
                "commune_unit": AdministrativeUnit.objects.filter(name=demo.get("commune", "")).first(),
                "contact_preference": demo.get("contact_preference", ContactPreference.NONE),
                "contact_phone": demo.get("contact_phone", ""),
                "contact_email": "",
                "child_consent": demo.get("child_consent", False),
                "guardian_consent": demo.get("guardian_consent", False),
            }
            case, _code = services.submit_report(report=report, channel=Channel.WEB)
            received = now - timedelta(hours=demo["hours_ago"])
            Case.objects.filter(pk=case.pk).update(
                created_at=received,
                first_response_due_at=services.first_response_due(received_at=received, priority=case.priority),
            )
            case.refresh_from_db()
            for step in demo["story"]:
                if step == "triage":
                    services.triage_case(case=case, user=operator, priority=case.priority, category=case.category)
                elif step == "claim":
                    services.claim_case(case=case, user=operator)
                elif step == "message":
                    services.post_staff_message(
                        case=case,
                        user=operator,
                        text="Chào bạn, mình là tư vấn viên của Tổng đài. Mình đã đọc báo cáo của bạn. Bạn đừng "
                        "xóa tin nhắn nhé, chụp màn hình lại giúp mình.",
                    )
                elif step == "wait":
                    services.wait_for_reporter(case=case, user=operator)
                elif step == "resolve":
                    services.resolve_case(
                        case=case,
                        user=operator,
                        outcome=Outcome.ACCOUNT_RECOVERED,
                        summary="Hướng dẫn khôi phục tài khoản qua Facebook, bật xác thực hai lớp.",
                    )
                elif step == "reject":
                    services.reject_case(case=case, user=supervisor, reason="test")
