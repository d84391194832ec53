"""Demo accounts and a few realistic cases, for trying the hotline out. Refuses to run unless DEBUG is on."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_DEVICE_NAME, DEMO_TOTP_KEY_HEX, DEMO_TOTP_SECRET
from cases import roles, rollup, services, statistics
from cases.annual_report import save_annual_text, texts_for
from cases.consent import Grant
from cases.hotline_settings import update_hotline_settings
from cases.models import (
    AdministrativeUnit,
    AgeBand,
    Case,
    Category,
    Channel,
    ConsentChannel,
    ConsentGiver,
    ConsentScope,
    ContactPreference,
    Gender,
    HotlineSettings,
    Ongoing,
    Outcome,
    Platform,
)
from cases.units import UNITS_CSV, load_units
from escalation.catalog import seed_commune_committees
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


def demo_consents(*, child, guardian, age_band):
    """The demo's consent records: the young person's own on the web form, a guardian's heard on the phone."""
    scopes = (ConsentScope.SHARE_POLICE, ConsentScope.SHARE_INFORMATION)
    grants = []
    if child:
        grants += [Grant(ConsentGiver.YOUNG_PERSON, scope, ConsentChannel.WEB_FORM, age_band) for scope in scopes]
    if guardian:
        grants += [Grant(ConsentGiver.GUARDIAN, scope, ConsentChannel.PHONE, age_band) for scope in scopes]
    return grants


DEMO_ANNUAL_TEXT = {
    "organisation": "Tỉnh đoàn giao Ban Thanh thiếu nhi trường học quản lý Tổng đài; tư vấn viên trực theo ca, giám "
    "sát viên phê duyệt các yêu cầu chuyển cơ quan chức năng. Tổng đài tiếp nhận thông tin qua trang web, điện thoại "
    "và trò chuyện trực tuyến.",
    "assessment": "Tổng đài đã tiếp nhận và xử lý kịp thời phần lớn các vụ việc; việc phối hợp với Công an tỉnh (PA05) "
    "trong gỡ bỏ nội dung xấu độc được thực hiện theo đúng quy trình.",
    "difficulties": "Số tư vấn viên trực ngoài giờ hành chính còn ít; nhiều em chưa biết đến Tổng đài.",
    "direction": "Mở rộng giờ trực; phối hợp với các trường học giới thiệu Tổng đài tới học sinh.",
    "proposals": "Đề nghị Ủy ban nhân dân tỉnh bố trí kinh phí duy trì Tổng đài và tập huấn cho tư vấn viên.",
}


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
                self.create_escalations(users)
            self.write_annual_report_draft(users["supervisor"])
        rollup.rebuild()  # demo cases are moved back in time after their services ran
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {DEMO_PASSWORD}):"))
        self.stdout.write(f"  second factor: authenticator app with the setup key {DEMO_TOTP_SECRET} (README)")
        for username, name, role, agency in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {role:<11} {name}{' · ' + agency if agency else ''}")

    def load_units(self):
        """The province's 99 communes and wards and the former districts, through the same loader as `load_units`."""
        with open(UNITS_CSV, encoding="utf-8-sig", newline="") as stream:
            load_units(stream, source=UNITS_CSV.name)
        seed_commune_committees(Agency, AdministrativeUnit)
        if not HotlineSettings.current().signer_name:
            update_hotline_settings(
                user=None,
                signer_name="Nguyễn Văn A (demo)",
                phone="1900 0000",
                hours_vi="7:30–22:00 hằng ngày",
                hours_en="7:30–22:00 every day",
            )

    def write_annual_report_draft(self, supervisor):
        """A draft of this year's narrative sections, so that the demo's annual report reads as a document."""
        period = statistics.Period.reporting_year()
        if texts_for(period) is None:
            save_annual_text(period=period, user=supervisor, **DEMO_ANNUAL_TEXT)

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
            # Every demo account signs in with the same documented authenticator secret (README, "Staff sign-in").
            TOTPDevice.objects.update_or_create(
                user=user, name=DEMO_DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True}
            )
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
            }
            consents = demo_consents(
                child=demo.get("child_consent", False),
                guardian=demo.get("guardian_consent", False),
                age_band=report["age_band"],
            )
            case, _code = services.submit_report(report=report, channel=Channel.WEB, consents=consents)
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

    def create_escalations(self, users):
        """Escalations to both agencies in several states: PA05 has the sextortion case awaiting acknowledgement and
        a scam in progress; Sở VHTTDL asked a question about a bullying page whose takedown is overdue, and has
        completed a takedown. Past clocks are set back after the fact, the packet's times with them."""
        from escalation import services as escalations
        from escalation.models import Escalation, EscalationLink, UpdateKind
        from escalation.packet import fingerprint

        operator, supervisor = users["operator"], users["supervisor"]
        police, infodept = users["police"], users["infodept"]
        pa05 = Agency.objects.get(code="ca-bac-ninh-pa05")
        vhttdl = Agency.objects.get(code="so-vhttdl-bac-ninh")
        now = timezone.now()

        def new_case(category, description, links, platforms, hours_ago, **fields):
            report = {
                "category": Category.objects.get(code=category),
                "description": description,
                "links": links,
                "platforms": list(Platform.objects.filter(code__in=platforms)),
                "in_danger": False,
                "ongoing": Ongoing.YES,
                "reporter_role": "self",
                "age_band": AgeBand.AGE_13_15,
                "gender": Gender.MALE,
                "commune": "Phường Từ Sơn",
                "contact_preference": ContactPreference.NONE,
                "contact_phone": "",
                "contact_email": "",
                **fields,
            }
            consents = demo_consents(
                child=report.pop("child_consent", False),
                guardian=report.pop("guardian_consent", False),
                age_band=report["age_band"],
            )
            case = services.submit_report(report=report, channel=Channel.WEB, consents=consents)[0]
            received = now - timedelta(hours=hours_ago)
            Case.objects.filter(pk=case.pk).update(
                created_at=received,
                first_response_due_at=services.first_response_due(received_at=received, priority=case.priority),
                first_response_at=received + timedelta(minutes=10),
            )
            case.refresh_from_db()
            return case

        def send(case, agency, **fields):
            if case.state != "in_progress":
                services.claim_case(case=case, user=operator)
            override = fields.pop("override_reason", "")
            escalation = escalations.prepare_escalation(
                case=case, user=operator, agency=agency, links=list(case.links.all()), **fields
            )
            escalations.submit_for_approval(escalation=escalation, user=operator)
            return escalations.approve_and_send(escalation=escalation, user=supervisor, override_reason=override)

        def set_back(escalation, *, sent_hours_ago, acknowledged_after=None, outcomes_after=None):
            """Demo only: as if sent that long ago. The packet gets the same times and a new fingerprint."""
            escalation.refresh_from_db()
            sent_at = now - timedelta(hours=sent_hours_ago)
            ack_due_at = sent_at + settings.ESCALATION_ACK_TARGETS[escalation.priority]
            takedown_due_at = sent_at + settings.TAKEDOWN_TARGET
            links = EscalationLink.objects.filter(escalation=escalation)
            links.exclude(takedown_due_at=None).update(takedown_due_at=takedown_due_at)
            packet = {
                **escalation.packet,
                "sent_at": timezone.localtime(sent_at).isoformat(),
                "ack_due_at": timezone.localtime(ack_due_at).isoformat(),
                "links": [
                    {
                        **link,
                        "takedown_due_at": link["takedown_due_at"] and timezone.localtime(takedown_due_at).isoformat(),
                    }
                    for link in escalation.packet["links"]
                ],
            }
            fields = {
                "sent_at": sent_at,
                "ack_due_at": ack_due_at,
                "packet": packet,
                "packet_sha256": fingerprint(packet),
            }
            escalation.updates.filter(kind=UpdateKind.SENT).update(created_at=sent_at)
            if acknowledged_after is not None:
                acknowledged_at = sent_at + timedelta(hours=acknowledged_after)
                fields["acknowledged_at"] = acknowledged_at
                escalation.updates.filter(kind__in=[UpdateKind.ACKNOWLEDGED, UpdateKind.WORK_STARTED]).update(
                    created_at=acknowledged_at
                )
            if outcomes_after is not None:
                outcome_at = sent_at + timedelta(hours=outcomes_after)
                links.exclude(outcome="pending").update(updated_at=outcome_at)
                escalation.updates.filter(kind=UpdateKind.LINK_OUTCOME).update(created_at=outcome_at)
            Escalation.objects.filter(pk=escalation.pk).update(**fields)

        # PA05: the sextortion case, imminent danger, shared without consent on a supervisor's override.
        send(
            Case.objects.filter(category__code="OSE").first(),
            pa05,
            priority=1,
            requested_actions=["protect", "investigate", "preserve"],
            reason="Trẻ 13–15 tuổi đang bị tống tiền bằng ảnh riêng tư, hạn chót tối nay.",
            summary="Một tài khoản Facebook quen qua mạng đe dọa gửi ảnh riêng tư của em cho bạn cùng lớp nếu em "
            "không chuyển 2 triệu đồng. Đối tượng nhắn qua Messenger từ tối qua.",
            incident_time="Từ tối hôm qua, vẫn đang tiếp diễn",
            reported_persons="Facebook profile.php?id=100000000000001, tên hiển thị “Tuấn Anh”",
            actions_taken="Tư vấn viên đã hướng dẫn em không chuyển tiền, không chặn đối tượng để giữ bằng chứng.",
            override_reason="Em rất hoảng sợ và nói đến chuyện tự làm hại mình: nguy cơ cho sức khỏe, tính mạng.",
        )

        # PA05: a game-items scam, acknowledged and in progress, an investigation opened on the account.
        scam = new_case(
            "SCM-GAME_ITEMS",
            "Em bị một tài khoản Zalo bán kim cương Free Fire lừa chuyển 1.200.000 đồng rồi chặn em.",
            ["https://zalo.me/0987000111"],
            ["zalo", "free_fire"],
            hours_ago=28,
            guardian_consent=True,
            child_consent=True,
        )
        working = send(
            scam,
            pa05,
            priority=3,
            requested_actions=["investigate", "freeze"],
            reason="Lừa đảo chiếm đoạt tiền của trẻ em qua giao dịch vật phẩm game.",
            summary="Tài khoản Zalo rao bán kim cương Free Fire, nhận 1.200.000 đồng qua chuyển khoản rồi chặn em.",
            money_lost_vnd=1_200_000,
            beneficiary_accounts="Ngân hàng MB, số tài khoản 0000 1111 2222, chủ tài khoản NGUYEN VAN B",
        )
        escalations.acknowledge_escalation(escalation=working, user=police, agency_reference="PA05-2025-118")
        escalations.start_work(escalation=working, user=police)
        escalations.record_link_outcome(
            link=working.links.get(), user=police, outcome="investigation_opened", note="Đã xác minh chủ tài khoản."
        )
        set_back(working, sent_hours_ago=26, acknowledged_after=3, outcomes_after=20)

        # Sở VHTTDL: a TikTok page mocking a pupil; the department asks a question, the takedown is overdue.
        bullying = new_case(
            "CBH-RUMOURS",
            "Có trang TikTok đăng ảnh chế và tin đồn về em, cả lớp đều xem. Em không dám đi học.",
            ["https://www.tiktok.com/@trang_che_demo", "https://www.tiktok.com/@trang_che_demo/video/2"],
            ["tiktok"],
            hours_ago=30,
        )
        question = send(
            bullying,
            vhttdl,
            priority=2,
            requested_actions=["takedown"],
            reason="Trang TikTok tung tin đồn, chế ảnh một học sinh THCS; em đã nghỉ học hai ngày.",
            summary="Một trang TikTok đăng ảnh chế và tin đồn về một học sinh THCS, nhiều bạn cùng trường chia sẻ.",
        )
        escalations.acknowledge_escalation(escalation=question, user=infodept, agency_reference="VHTTDL-77")
        escalations.start_work(escalation=question, user=infodept)
        escalations.request_information(
            escalation=question,
            user=infodept,
            question="Trang còn đăng lại video ở tài khoản khác không? Xin gửi thêm đường dẫn nếu có.",
        )
        set_back(question, sent_hours_ago=27, acknowledged_after=2)

        # Sở VHTTDL: a dangerous-challenge video, taken down within the day; the case is resolved.
        challenge = new_case(
            "HCE-CHALLENGES",
            "Trên YouTube có video hướng dẫn thử thách nín thở, nhiều bạn lớp em làm theo.",
            ["https://www.youtube.com/watch?v=demo-challenge"],
            ["youtube"],
            hours_ago=50,
            age_band=AgeBand.AGE_10_12,
        )
        done = send(
            challenge,
            vhttdl,
            priority=2,
            requested_actions=["takedown"],
            reason="Video thử thách nguy hiểm đang lan trong học sinh tiểu học, THCS.",
            summary="Video hướng dẫn “thử thách nín thở”, nhiều lượt xem từ tài khoản học sinh.",
        )
        escalations.acknowledge_escalation(escalation=done, user=infodept)
        escalations.record_link_outcome(link=done.links.get(), user=infodept, outcome="taken_down")
        escalations.complete_escalation(
            escalation=done, user=infodept, outcome="Đã yêu cầu YouTube gỡ video; video đã bị gỡ sau 6 giờ."
        )
        set_back(done, sent_hours_ago=48, acknowledged_after=1, outcomes_after=6)
        services.resolve_case(
            case=Case.objects.get(pk=challenge.pk),
            user=operator,
            outcome=Outcome.CONTENT_REMOVED,
            summary="Video đã được gỡ theo yêu cầu của Sở VHTTDL.",
        )
