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
    Ongoing,
    Platform,
    ReporterRole,
    SafetyAnswer,
)
from cases.outcomes import reporter_outcome
from cases.plumbing import MAX_DESCRIPTION, MAX_LINKS
from hotline import reporter_access
from hotline.forms import ReportForm
from hotline.status_text import reporter_status
from hotline.throttle import report_submissions, status_lookup_failures

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
    if report_submissions.blocked(request):
        return JsonResponse(
            {"errors": {"__all__": [_("Too many reports from this connection; try later.")]}}, status=429
        )
    errors = _schema_errors(body, *report_request_validator())
    if errors:
        return _bad_request(errors)
    data = _form_data(body)
    form = ReportForm(data)
    if not form.is_valid():
        return _bad_request({field: [str(message) for message in messages] for field, messages in form.errors.items()})
    report_submissions.hit(request)
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


@require_GET
def report_status(request, reference):
    not_found = JsonResponse({"errors": {"__all__": [_("No case with this reference and access code.")]}}, status=404)
    if status_lookup_failures.blocked(request, reference):
        return JsonResponse({"errors": {"__all__": [_("Too many attempts. Try again in 15 minutes.")]}}, status=429)
    case = reporter_access.find_case(reference, request.headers.get("X-Access-Code", ""))
    if case is None:
        status_lookup_failures.hit(request, reference)
        return not_found
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
                        "201": {
                            "description": "Created",
                            "content": {"application/json": {"schema": created}},
                        },
                        "400": {**error, "description": "Invalid report"},
                        "429": {**error, "description": "Too many reports from this client"},
                    },
                }
            },
            reverse("api_create_report") + "/{reference}": {
                "get": {
                    "operationId": "getReport",
                    "summary": "Follow a report",
                    "parameters": [
                        {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}},
                        {
                            "name": "X-Access-Code",
                            "in": "header",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The case",
                            "content": {"application/json": {"schema": status}},
                        },
                        "404": {**error, "description": "Unknown reference or wrong access code"},
                        "429": {**error, "description": "Too many failed look-ups from this client"},
                    },
                }
            },
        },
        "components": {
            "schemas": {"ReportRequest": report_request_schema(), "Errors": ERRORS_SCHEMA, "Crisis": CRISIS_SCHEMA}
        },
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
