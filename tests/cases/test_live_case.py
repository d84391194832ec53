"""Issue 12, live everywhere: the case's pages hear of every change over the chat socket, and supervisors' staff
pages keep a live count of escalations awaiting approval."""

import pytest
from channels.db import database_sync_to_async

from cases import services
from escalation.models import EscalationState
from tests.cases.test_chat import connected, new_case, reporter_cookie, staff_cookie
from tests.cases.test_staff_socket import logged_in, staff_socket
from tests.escalation.conftest import make_liaison
from tests.escalation.factories import POLICE, make_escalation, walk

pytestmark = [pytest.mark.usefixtures("reference_data"), pytest.mark.asyncio]


async def next_of_type(socket, frame_type):
    while True:
        frame = await socket.receive_json_from(timeout=5)
        if frame["type"] == frame_type:
            return frame


async def test_a_claim_and_an_assignment_reach_the_reporters_and_the_counsellors_open_pages():
    case, code = await new_case()
    reporter = await connected(case.reference, await reporter_cookie(case, code))
    operator, cookie = await staff_cookie("op-live-case")
    counsellor = await connected(case.reference, cookie)
    await database_sync_to_async(services.claim_case)(case=case, user=operator)
    # The frame says only that the case changed: the page reads it again with its own permissions.
    assert await next_of_type(reporter, "case") == {"type": "case"}
    assert await next_of_type(counsellor, "case") == {"type": "case"}
    supervisor, _ = await staff_cookie("sup-live-case", "supervisor")
    await database_sync_to_async(services.assign_case)(case=case, user=supervisor, assignee=supervisor)
    assert await next_of_type(reporter, "case") == {"type": "case"}
    await reporter.disconnect()
    await counsellor.disconnect()


async def test_the_polices_question_reaches_the_counsellors_open_page():
    operator, cookie = await staff_cookie("op-live-police")
    supervisor, _ = await staff_cookie("sup-live-police", "supervisor")
    liaison = await database_sync_to_async(make_liaison)("police-live", POLICE)
    escalation = await database_sync_to_async(make_escalation)(
        EscalationState.IN_PROGRESS, operator=operator, supervisor=supervisor, liaison=liaison
    )
    reference = await database_sync_to_async(lambda: escalation.case.reference)()
    counsellor = await connected(reference, cookie)
    await database_sync_to_async(walk)(
        escalation, ["request_information"], operator=operator, supervisor=supervisor, liaison=liaison
    )
    assert await next_of_type(counsellor, "case") == {"type": "case"}
    await counsellor.disconnect()


async def test_supervisors_see_the_count_of_escalations_awaiting_approval_change_live():
    supervisor, cookie = await logged_in("sup-count", "supervisor")
    operator, _ = await logged_in("op-count", "operator")
    socket = staff_socket(cookie)
    assert (await socket.connect())[0]
    await next_of_type(socket, "pages")
    escalation = await database_sync_to_async(make_escalation)(
        EscalationState.PENDING_APPROVAL, operator=operator, supervisor=supervisor
    )
    assert await next_of_type(socket, "count") == {"type": "count", "name": "approvals", "count": 1}
    await database_sync_to_async(walk)(escalation, ["approve"], operator=operator, supervisor=supervisor, liaison=None)
    assert await next_of_type(socket, "count") == {"type": "count", "name": "approvals", "count": 0}
    await socket.disconnect()


async def test_an_operators_staff_socket_gets_no_count():
    supervisor, _ = await logged_in("sup-nocount", "supervisor")
    operator, cookie = await logged_in("op-nocount", "operator")
    socket = staff_socket(cookie)
    assert (await socket.connect())[0]
    await next_of_type(socket, "pages")
    await database_sync_to_async(make_escalation)(
        EscalationState.PENDING_APPROVAL, operator=operator, supervisor=supervisor
    )
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()
