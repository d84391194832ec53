"""Risk at intake: self-harm category, the safety question and danger phrases make a report P1 and flag it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import risk, services
from cases.models import CaseEvent, Category, DangerPhrase, EventKind, Priority, SafetyAnswer
from tests.conftest import make_user
from tests.factories import form_post, make_case, verified_login

pytestmark = pytest.mark.django_db

# Real-looking texts that must be flagged, with and without diacritics, in any case.
MUST_MATCH = [
    "em không muốn sống nữa",
    "Em KHÔNG MUỐN SỐNG nữa, mọi người ghét em",
    "em khong muon song nua",
    "e ko muốn sống nữa đâu",
    "chắc em tự tử quá",
    "nhiều lúc em nghĩ đến chuyện tu tu",
    "em muốn tự tử.",
    "Tự Tử",
    "bị lộ ảnh rồi, chết cho xong",
    "chet cho xong",
    "em muốn chết",
    "muon chet lam roi",
    "em đã từng cắt tay",
    "cat tay",
    "em chỉ muốn kết thúc tất cả",
    "ket thuc tat ca di",
    "bạn em nói sẽ tự sát",
    "tu sat",
    "em tự tử!!!",
    "(tự tử)",
    "em mún... không muốn sống",
    "em tự tu",  # diacritics on one word only
]

# Texts that must NOT be flagged: other words that look alike once diacritics are gone, and parts of words.
MUST_NOT_MATCH = [
    "em có tư tưởng tiêu cực về bạn ấy",
    "cái tủ tủ của em bị hỏng",
    "ngày tựu trường em bị bắt nạt",
    "em đi từ từ thôi",
    "tu tuong cua em",
    "nó lấy trộm đồ trong tủ",
    "em bị tụt tụt điểm",
    "em muốn chếtt",
    "cắt tóc tay",
    "em chatting với bạn",
    "tututu",
    "ket thuc tat",
    "em muốn sống khác đi",
    "Bạn ấy tự tin quá",
]


def seeded_phrases():
    return {phrase for _pk, phrase, _words in risk.danger_phrases()}


@pytest.mark.parametrize("text", MUST_MATCH)
def test_it_finds_danger_phrases_with_and_without_diacritics(text):
    assert risk.matching_phrases(text), text


@pytest.mark.parametrize("text", MUST_NOT_MATCH)
def test_it_does_not_match_look_alike_words(text):
    assert risk.matching_phrases(text) == [], text


def test_the_seeded_list_has_real_vietnamese_phrases():
    assert {"không muốn sống", "tự tử", "tu tu", "chết cho xong", "muốn chết", "tự sát", "cắt tay"} <= (
        seeded_phrases()
    )


def test_it_matches_on_whole_words_and_reports_which_phrase():
    matched = {phrase: pk for pk, phrase in risk.matching_phrases("Em không muốn sống. Muốn chết.")}
    assert set(matched) == {"không muốn sống", "muốn chết"}
    assert matched["muốn chết"] == DangerPhrase.objects.get(phrase="muốn chết").pk


def test_both_tone_placements_are_the_same_word():
    DangerPhrase.objects.create(phrase="hoà tan")
    risk.forget_danger_phrases()
    assert risk.matching_phrases("muốn hòa tan vào hư không")
    assert risk.matching_phrases("muon hoa tan")


def test_a_phrase_entered_without_diacritics_matches_only_text_without_them():
    # "tu tu" is in the list; "tủ tủ" (cupboards) has diacritics that are not those of "tự tử".
    assert sorted(phrase for _pk, phrase in risk.matching_phrases("tu tu")) == ["tu tu", "tự tử"]
    assert risk.matching_phrases("tủ tủ") == []


def test_an_inactive_phrase_does_not_match():
    DangerPhrase.objects.filter(phrase="cắt tay").update(active=False)
    risk.forget_danger_phrases()
    assert risk.matching_phrases("em cắt tay") == []


@pytest.mark.parametrize("code", ["MHR", "MHR-SUICIDAL", "MHR-SELF_HARM", "MHR-DISTRESS"])
def test_the_self_harm_category_and_its_subcategories_are_p1_whatever_box_was_ticked(code):
    category = Category.objects.get(code=code)
    case, _code = make_case(category=category, description="Dạo này em buồn lắm.", in_danger=False)
    assert case.priority == Priority.P1
    assert case.risk_reasons == [{"kind": "category", "code": "MHR"}]


def test_a_yes_to_the_safety_question_is_p1():
    case, _code = make_case(safety_answer=SafetyAnswer.YES)
    assert case.priority == Priority.P1 and case.safety_answer == "yes"
    assert {"kind": "safety_question", "answer": "yes"} in case.risk_reasons


@pytest.mark.parametrize("answer", ["", SafetyAnswer.NO, SafetyAnswer.PREFER_NOT_TO_SAY])
def test_no_answer_or_no_keeps_the_usual_priority(answer):
    case, _code = make_case(safety_answer=answer)
    assert case.priority == Priority.P3 and not case.risk_flagged


def test_a_danger_phrase_in_a_bullying_report_is_p1_and_flagged_without_copying_the_text():
    text = "Bạn trong lớp đăng ảnh em lên nhóm, em khong muon song nua"
    case, _code = make_case(category_code="CBH", description=text)
    assert case.priority == Priority.P1
    phrase = DangerPhrase.objects.get(phrase="không muốn sống")
    assert case.risk_reasons == [{"kind": "phrase", "id": phrase.pk, "label": "không muốn sống"}]
    event = CaseEvent.objects.get(case=case, kind=EventKind.RISK_FLAGGED)
    assert event.data == {"reasons": case.risk_reasons}
    assert event.text == "cụm từ nguy hiểm “không muốn sống”"
    for stored in CaseEvent.objects.filter(case=case):
        assert "khong muon song" not in str(stored.data) and "Bạn trong lớp" not in str(stored.data) + stored.text


def test_an_ordinary_report_is_not_flagged():
    case, _code = make_case()
    assert case.priority == Priority.P3 and case.risk_reasons == []
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.RISK_FLAGGED).exists()


def test_initial_priority_is_one_rule():
    cbh = Category.objects.get(code="CBH")
    assert services.initial_priority(category=cbh, in_danger=False) == Priority.P3
    assert services.initial_priority(category=cbh, in_danger=True) == Priority.P1
    assert services.initial_priority(category=cbh, in_danger=False, risk_reasons=[{"kind": "phrase"}]) == Priority.P1


def test_intake_reads_the_phrase_list_once_then_from_the_cache():
    make_case(description="lần đầu")
    with CaptureQueriesContext(connection) as queries:
        make_case(description="lần hai")
    assert not [q for q in queries.captured_queries if "dangerphrase" in q["sql"].lower()]


def test_an_admin_edit_is_used_by_the_next_report(client, django_capture_on_commit_callbacks):
    admin = make_user("root", is_staff=True, is_superuser=True)
    make_case(description="em muốn biến thành mây")  # the list is cached now
    verified_login(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/cases/dangerphrase/add/", {"phrase": "biến thành mây", "active": "on", "notes": ""}
        )
    assert response.status_code == 302
    case, _code = make_case(description="em muốn biến thành mây")
    assert case.priority == Priority.P1


def test_the_phone_intake_asks_the_safety_question_too(client, operator):
    verified_login(client, operator)
    response = client.get("/cases/new/phone/")
    assert 'name="safety_answer"' in response.content.decode()
    response = client.post("/cases/new/phone/", form_post(safety_answer="yes", contact_preference="none"))
    assert response.status_code == 302
    case = operator.assigned_cases.get()
    assert case.priority == Priority.P1 and case.risk_flagged


def test_the_phrases_are_read_once_per_version_of_the_list(django_assert_num_queries):
    risk.forget_danger_phrases()
    risk.matching_phrases("em muốn chết")
    with django_assert_num_queries(0):  # the next reports: the version token only, from the cache
        assert risk.matching_phrases("em muốn chết")
    DangerPhrase.objects.create(phrase="trốn khỏi thế giới này")
    risk.forget_danger_phrases()  # what the admin does on save: every process reads the list again
    with django_assert_num_queries(1):
        assert risk.matching_phrases("em muốn trốn khỏi thế giới này")
