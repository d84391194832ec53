"""Version 1 of the JSON intake API, for the youth mobile app and other front ends.

The OpenAPI document is built from the same schema that validates each request body, so the two cannot drift;
after the schema, the request goes through the very ReportForm the web page uses.
"""

import json

from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_fsm import TransitionNotAllowed
from jsonschema import Draft202012Validator

from cases import services
from cases.catalog import catalogue_version
from cases.crisis import crisis_panel, shows_crisis_panel
from cases.models import (
    AdministrativeUnit,
    AgeBand,
    Category,
    Channel,
    ConsentChannel,
    ContactPreference,
    Gender,
    Message,
    Ongoing,
    Platform,
    ReporterRole,
    SafetyAnswer,
)
from cases.outcomes import reporter_outcome
from cases.plumbing import MAX_DESCRIPTION, MAX_LINKS, MAX_MESSAGE, NotAllowed
from hotline import reporter_access
from hotline.forms import ReportForm
from hotline.status_text import reporter_status
from hotline.throttle import api_messages, report_submissions, status_lookup_failures

API_VERSION = "1.0.0"


def report_request_schema():
    """JSON Schema of POST /api/v1/reports: the form's fields, with today's categories and platforms."""
    categories = list(Category.objects.filter(parent__isnull=True, active=True).values_list("code", flat=True))
    platforms = list(Platform.objects.filter(active=True).values_list("code", flat=True))
    units = list(AdministrativeUnit.objects.current().order_by("name").values_list("code", flat=True))
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["category"],
        "anyOf": [
            {"required": ["description"], "properties": {"description": {"pattern": r"\S"}}},
            {"required": ["links"], "properties": {"links": {"minItems": 1}}},
        ],
        "properties": {
            "category": {"type": "string", "enum": categories, "description": "Top-level category code."},
            "description": {"type": "string", "maxLength": MAX_DESCRIPTION, "description": "What happened."},
            "links": {
                "type": "array",
                "maxItems": MAX_LINKS,
                "items": {"type": "string", "minLength": 1, "maxLength": 2000},
                "description": "Links to the posts, chats or accounts; https:// is added when missing.",
            },
            "platforms": {
                "type": "array",
                "uniqueItems": True,
                "items": {"type": "string", "enum": platforms},
            },
            "in_danger": {
                "type": "boolean",
                "default": False,
                "description": "Someone is in danger right now.",
            },
            "safety_answer": {
                "type": "string",
                "enum": SafetyAnswer.values,
                "description": "Optional answer to “Are you thinking about hurting yourself?” (“Bạn có đang nghĩ "
                "đến việc làm hại bản thân không?”). Leave it out when the young person skipped it; never pre-select "
                "an answer. `yes` makes the report P1 and the response carries the `crisis` object.",
            },
            "ongoing": {"type": "string", "enum": Ongoing.values, "default": Ongoing.UNKNOWN},
            "reporter_role": {"type": "string", "enum": ReporterRole.values},
            "age_band": {"type": "string", "enum": AgeBand.values, "default": AgeBand.UNKNOWN},
            "gender": {"type": "string", "enum": Gender.values, "default": Gender.UNKNOWN},
            "commune_unit": {
                "type": "string",
                "enum": units,
                "description": "Code of the commune or ward (the province's current list of units).",
            },
            "contact_preference": {
                "type": "string",
                "enum": ContactPreference.values,
                "default": ContactPreference.NONE,
            },
            "contact_phone": {
                "type": "string",
                "maxLength": 30,
                "description": "Vietnamese number; required for phone.",
            },
            "contact_email": {"type": "string", "maxLength": 254, "description": "Required for email."},
            "consent_share_police": {"type": "boolean", "default": False},
            "consent_share_information": {"type": "boolean", "default": False},
            "consent_keep_evidence": {"type": "boolean", "default": False},
            # Older clients: either box is the reporter's own consent to share with both authorities (whose
            # consent it is comes from reporter_role, as on the web form).
            "child_consent": {"type": "boolean", "default": False, "deprecated": True},
            "guardian_consent": {"type": "boolean", "default": False, "deprecated": True},
        },
    }


# (catalogue version, day) -> (schema, validator): building them read three tables and compiled the schema for every
# report. Kept in this process's memory; a new catalogue version (cases.catalog) or a new day builds them again.
_report_validator = {}


def report_request_validator():
    """The schema of a report and its validator, built once per catalogue version and day."""
    version = catalogue_version()
    key = (version, timezone.localdate())
    cached = _report_validator.get("report")
    if version is None or cached is None or cached[0] != key:
        schema = report_request_schema()
        cached = (key, schema, Draft202012Validator(schema))
        if version is not None:
            _report_validator["report"] = cached
    return cached[1], cached[2]


def _schema_errors(body, schema, validator):
    errors = {}
    for error in validator.iter_errors(body):
        if error.validator == "required" and not error.path:
            missing = error.message.split("'")[1] if "'" in error.message else "__all__"
            errors.setdefault(missing, []).append(_("This field is required."))
        elif error.validator == "additionalProperties":
            for name in sorted(set(body) - set(schema["properties"])):
                errors.setdefault(name[:40], []).append(_("Unknown field."))
        elif error.validator == "anyOf":
            errors.setdefault("description", []).append(
                _("Please give us a link or tell us in a few words what happened.")
            )
        else:
            field = str(error.path[0]) if error.path else "__all__"
            errors.setdefault(field, []).append(_("Invalid value (%(problem)s).") % {"problem": error.validator})
    return errors


def _form_data(body):
    data = dict(body)
    legacy = body.get("child_consent") or body.get("guardian_consent")
    for key in ("in_danger", "consent_share_police", "consent_share_information", "consent_keep_evidence"):
        data[key] = "on" if body.get(key) or (legacy and key.startswith("consent_share")) else ""
    data.pop("child_consent", None)
    data.pop("guardian_consent", None)
    data.setdefault("ongoing", Ongoing.UNKNOWN)
    data.setdefault("age_band", AgeBand.UNKNOWN)
    data.setdefault("gender", Gender.UNKNOWN)
    data.setdefault("contact_preference", ContactPreference.NONE)
    return data


def _outcome(case):
    """What happened, in the reporter's words: never internal notes or agency details (cases.outcomes)."""
    outcome = reporter_outcome(case)
    return {
        "outcome": outcome["outcome"],
        "text": str(outcome["text"]) if outcome["text"] else None,
        "links": [
            {"url": link["url"], "result": link["result"], "text": str(link["text"])} for link in outcome["links"]
        ],
    }


def _crisis(case):
    """The crisis panel for a report at risk (P1 or flagged), else None: the app shows it before anything else."""
    return crisis_panel() if shows_crisis_panel(case) else None


def _bad_request(errors):
    return JsonResponse({"errors": errors}, status=400)


@csrf_exempt
@require_http_methods(["POST"])
def create_report(request):
    if request.content_type != "application/json":
        return _bad_request({"__all__": [_("Send the report as JSON (Content-Type: application/json).")]})
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _bad_request({"__all__": [_("The request body is not valid JSON.")]})
    if not isinstance(body, dict):
        return _bad_request({"__all__": [_("The request body must be a JSON object.")]})
    errors = _schema_errors(body, *report_request_validator())
    if errors:
        return _bad_request(errors)
    data = _form_data(body)
    form = ReportForm(data)
    if not form.is_valid():
        return _bad_request({field: [str(message) for message in messages] for field, messages in form.errors.items()})
    if report_submissions.hit(request):  # counted and checked in one round trip; a report with errors is not
        return JsonResponse(
            {"errors": {"__all__": [_("Too many reports from this connection; try later.")]}}, status=429
        )
    case, code = services.submit_report(
        report=form.cleaned_data, channel=Channel.API, consents=form.consent_grants(channel=ConsentChannel.WEB_FORM)
    )
    return JsonResponse(
        {
            "reference": case.reference,
            "access_code": code,
            "status_url": reporter_access.status_link(request, case.reference, code),
            "crisis": _crisis(case),
        },
        status=201,
    )


def _proven_case(request, reference):
    """(case, None) when the request carries this case's access code in X-Access-Code, else (None, the 404 or 429
    answer). Failures count towards the status look-up throttle, as on the status page."""
    if status_lookup_failures.blocked(request, reference):
        return None, JsonResponse(
            {"errors": {"__all__": [_("Too many attempts. Try again in 15 minutes.")]}}, status=429
        )
    case = reporter_access.find_case(reference, request.headers.get("X-Access-Code", ""))
    if case is None:
        status_lookup_failures.hit(request, reference)
        return None, JsonResponse(
            {"errors": {"__all__": [_("No case with this reference and access code.")]}}, status=404
        )
    return case, None


@require_GET
def report_status(request, reference):
    case, refusal = _proven_case(request, reference)
    if refusal:
        return refusal
    status = reporter_status(case)
    return JsonResponse(
        {
            "reference": case.reference,
            "status": status["code"],
            "status_label": str(status["label"]),
            "meaning": str(status["meaning"]),
            "next_step": str(status["next_step"]),
            "received_at": case.created_at.isoformat(),
            "updated_at": case.updated_at.isoformat(),
            "crisis": _crisis(case),
            "outcome": _outcome(case),
            "messages": [
                {"seq": m.seq, "sender": m.sender, "text": m.text, "sent_at": m.sent_at.isoformat()}
                for m in case.messages.order_by("seq")
            ],
        }
    )


@csrf_exempt
@require_http_methods(["POST"])
def chat_ticket(request, reference):
    """A single-use ticket, valid CHAT_TICKET_SECONDS, to open this case's chat socket once (`?ticket=`)."""
    case, refusal = _proven_case(request, reference)
    if refusal:
        return refusal
    ticket, expires_at = reporter_access.issue_chat_ticket(case=case)
    response = JsonResponse(
        {
            "ticket": ticket,
            "expires_at": expires_at.isoformat(),
            "websocket_path": f"/ws/cases/{case.reference}/chat/",
        },
        status=201,
    )
    response["Cache-Control"] = "no-store"
    return response


MESSAGES_PAGE = 100  # as the socket's resync: at most this many in one answer, `more` says whether to ask again


@csrf_exempt
@require_http_methods(["GET", "POST"])
def report_messages(request, reference):
    """The conversation over plain HTTP, for an app without websockets: GET ?after_seq=N, POST {client_id, text}."""
    case, refusal = _proven_case(request, reference)
    if refusal:
        return refusal
    if request.method == "POST":
        return _post_message(request, case)
    raw = request.GET.get("after_seq", "0")
    after = int(raw) if raw.isdigit() and len(raw) <= 10 else None
    if after is None or after > 2**31 - 1:
        return _bad_request({"after_seq": [_("A whole number from 0.")]})
    rows = list(Message.objects.filter(case=case, seq__gt=after).order_by("seq")[: MESSAGES_PAGE + 1])
    frames = [_message(message) for message in rows[:MESSAGES_PAGE]]
    return JsonResponse(
        {"messages": frames, "last_seq": frames[-1]["seq"] if frames else after, "more": len(rows) > MESSAGES_PAGE}
    )


def _message(message):
    return {
        "seq": message.seq,
        "client_id": message.client_id,
        "sender": message.sender,
        "text": message.text,
        "sent_at": message.sent_at.isoformat(),
    }


def _post_message(request, case):
    if request.content_type != "application/json":
        return _bad_request({"__all__": [_("Send the message as JSON (Content-Type: application/json).")]})
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _bad_request({"__all__": [_("The request body is not valid JSON.")]})
    if not isinstance(body, dict):
        return _bad_request({"__all__": [_("The request body must be a JSON object.")]})
    text, client_id = body.get("text"), body.get("client_id")
    errors = {}
    if not isinstance(text, str) or not text.strip():
        errors["text"] = [_("Write something first.")]
    elif len(text) > MAX_MESSAGE:
        errors["text"] = [_("At most %(limit)d characters.") % {"limit": MAX_MESSAGE}]
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= 64:
        errors["client_id"] = [_("1 to 64 characters, unique per message (a UUID).")]
    if errors:
        return _bad_request(errors)
    if api_messages.blocked(request, case.reference):
        return JsonResponse({"errors": {"__all__": [_("Too many messages; wait a moment.")]}}, status=429)
    api_messages.hit(request, case.reference)
    try:
        message = services.add_reporter_information(case=case, text=text.strip(), client_id=client_id)
    except (NotAllowed, TransitionNotAllowed):
        return JsonResponse({"errors": {"__all__": [_("You cannot write on this case now.")]}}, status=409)
    return JsonResponse(_message(message), status=201)


CRISIS_SCHEMA = {
    "type": ["object", "null"],
    "description": "Present (not null) when the report is P1 or at risk of self-harm: what to do right now. Show it "
    "first, before anything else, with each number callable.",
    "required": ["title", "message", "contacts"],
    "properties": {
        "title": {"type": "string"},
        "message": {"type": "string"},
        "contacts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["number", "name", "description", "free", "hours", "kind"],
                "properties": {
                    "number": {"type": "string", "example": "111"},
                    "name": {"type": "string"},
                    "description": {"type": "string"},
                    "free": {"type": "boolean", "description": "The call costs nothing."},
                    "hours": {"type": "string", "example": "24/7"},
                    "kind": {"type": "string", "enum": ["national", "hotline"]},
                },
            },
        },
    },
}

MESSAGE_SCHEMA = {
    "type": "object",
    "required": ["seq", "client_id", "sender", "text", "sent_at"],
    "properties": {
        "seq": {"type": "integer"},
        "client_id": {"type": "string"},
        "sender": {"type": "string", "enum": ["reporter", "staff", "system"]},
        "text": {"type": "string", "description": "Show it as text, never as HTML."},
        "sent_at": {"type": "string", "format": "date-time"},
    },
}

ERRORS_SCHEMA = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "object",
            "description": "Messages per field; `__all__` for the request as a whole.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    },
}


@require_GET
def openapi(request):
    created = {
        "type": "object",
        "required": ["reference", "access_code", "status_url", "crisis"],
        "properties": {
            "crisis": {"$ref": "#/components/schemas/Crisis"},
            "reference": {"type": "string", "example": "ABCD-2345"},
            "access_code": {"type": "string", "description": "Shown once; 80 bits; keep it secret."},
            "status_url": {"type": "string", "format": "uri"},
        },
    }
    status = {
        "type": "object",
        "properties": {
            "reference": {"type": "string"},
            "status": {"type": "string"},
            "status_label": {"type": "string"},
            "meaning": {"type": "string"},
            "next_step": {"type": "string"},
            "received_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "crisis": {"$ref": "#/components/schemas/Crisis"},
            "outcome": {
                "type": "object",
                "description": "What happened, in plain words for the young person; never notes or agency details.",
                "properties": {
                    "outcome": {"type": ["string", "null"], "description": "Set while the case is resolved or closed."},
                    "text": {"type": ["string", "null"]},
                    "links": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "url": {"type": "string"},
                                "result": {
                                    "type": "string",
                                    "enum": ["removed", "refused", "investigating", "pending"],
                                },
                                "text": {"type": "string"},
                            },
                        },
                    },
                },
            },
            "messages": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "seq": {"type": "integer"},
                        "sender": {"type": "string", "enum": ["reporter", "staff", "system"]},
                        "text": {"type": "string"},
                        "sent_at": {"type": "string", "format": "date-time"},
                    },
                },
            },
        },
    }
    error = {
        "description": "",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
    }
    access_parameters = [
        {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": "X-Access-Code", "in": "header", "required": True, "schema": {"type": "string"}},
    ]

    def answer(description, schema):
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    def refusal(description):
        return {**error, "description": description}

    not_found = refusal("Unknown reference or wrong access code")
    too_many_lookups = refusal("Too many failed look-ups from this client")
    ticket = {
        "type": "object",
        "required": ["ticket", "expires_at", "websocket_path"],
        "properties": {
            "ticket": {"type": "string", "description": "Single use; never log it."},
            "expires_at": {"type": "string", "format": "date-time"},
            "websocket_path": {"type": "string", "example": "/ws/cases/ABCD-2345/chat/"},
        },
    }
    message_page = {
        "type": "object",
        "required": ["messages", "last_seq", "more"],
        "properties": {
            "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
            "last_seq": {"type": "integer"},
            "more": {"type": "boolean"},
        },
    }
    new_message = {
        "type": "object",
        "required": ["client_id", "text"],
        "properties": {
            "client_id": {"type": "string", "minLength": 1, "maxLength": 64, "description": "A UUID per message."},
            "text": {"type": "string", "minLength": 1, "maxLength": MAX_MESSAGE},
        },
    }
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "Hotline intake API",
            "version": API_VERSION,
            "description": "Reports to the Bắc Ninh youth cyber support hotline. Messages follow Accept-Language "
            "(vi by default, en).",
        },
        "servers": [{"url": request.build_absolute_uri("/").rstrip("/")}],
        "paths": {
            reverse("api_create_report"): {
                "post": {
                    "operationId": "createReport",
                    "summary": "Make a report",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReportRequest"}}},
                    },
                    "responses": {
                        "201": answer("Created", created),
                        "400": refusal("Invalid report"),
                        "429": refusal("Too many reports from this client"),
                    },
                }
            },
            reverse("api_create_report") + "/{reference}": {
                "get": {
                    "operationId": "getReport",
                    "summary": "Follow a report",
                    "parameters": access_parameters,
                    "responses": {
                        "200": answer("The case", status),
                        "404": not_found,
                        "429": too_many_lookups,
                    },
                }
            },
            reverse("api_chat_ticket", args=["REF"]).replace("REF", "{reference}"): {
                "post": {
                    "operationId": "createChatTicket",
                    "summary": "Get a ticket to open the chat websocket once",
                    "description": "The app has no browser session: it proves the access code here and opens "
                    "`wss://HOST{websocket_path}?ticket={ticket}` within the ticket's lifetime (60 s by default). "
                    "A ticket opens one connection; expired, used or presented for another case it is refused "
                    "with close code 4403 and nothing else. Ask for a new ticket for every (re)connection. See "
                    "docs/chat-protocol.md.",
                    "parameters": access_parameters,
                    "responses": {
                        "201": answer("The ticket", ticket),
                        "404": not_found,
                        "429": too_many_lookups,
                    },
                }
            },
            reverse("api_report_messages", args=["REF"]).replace("REF", "{reference}"): {
                "get": {
                    "operationId": "listMessages",
                    "summary": "The conversation after a sequence number (for an app without websockets)",
                    "parameters": [
                        *access_parameters,
                        {
                            "name": "after_seq",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 0, "default": 0},
                        },
                    ],
                    "responses": {
                        "200": answer(
                            "At most 100 messages; while `more` is true, ask again from `last_seq`", message_page
                        ),
                        "400": refusal("after_seq is not a whole number"),
                        "404": not_found,
                        "429": too_many_lookups,
                    },
                },
                "post": {
                    "operationId": "postMessage",
                    "summary": "Write to the counsellor (stored once per client_id: resending is safe)",
                    "parameters": access_parameters,
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": new_message}},
                    },
                    "responses": {
                        "201": answer(
                            "The stored message (the stored copy again for a resent client_id)",
                            {"$ref": "#/components/schemas/Message"},
                        ),
                        "400": refusal("Invalid message"),
                        "404": not_found,
                        "409": refusal("The case takes no messages now"),
                        "429": refusal("Too many messages or failed look-ups"),
                    },
                },
            },
        },
        "components": {
            "schemas": {
                "ReportRequest": report_request_schema(),
                "Errors": ERRORS_SCHEMA,
                "Crisis": CRISIS_SCHEMA,
                "Message": MESSAGE_SCHEMA,
            }
        },
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
