"""Agencies and liaisons are edited here; escalations are only looked at (their changes go through services)."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from escalation.models import Agency, Escalation, EscalationLink, EscalationUpdate, Liaison


class LiaisonInline(admin.TabularInline):
    model = Liaison
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = [
        "short_name",
        "code",
        "kind",
        "receives_escalations",
        "email",
        "valid_from",
        "valid_until",
        "superseded_by",
    ]
    list_filter = ["kind", "receives_escalations"]
    search_fields = ["code", "short_name", "name_vi", "name_en"]
    raw_id_fields = ["unit"]
    inlines = [LiaisonInline]


@admin.register(Liaison)
class LiaisonAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "phone"]
    list_filter = ["agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__short_name"]
    autocomplete_fields = ["user"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EscalationLinkInline(ReadOnlyInline):
    model = EscalationLink
    fields = ["target", "takedown_due_at", "outcome", "outcome_note", "updated_by", "updated_at"]


class EscalationUpdateInline(ReadOnlyInline):
    model = EscalationUpdate
    fields = ["created_at", "kind", "author", "link", "text"]


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "case", "agency", "state", "priority", "sent_at", "acknowledged_at"]
    list_filter = ["state", "agency", "priority"]
    search_fields = ["case__reference", "agency_reference"]
    list_select_related = ["case", "agency"]
    inlines = [EscalationLinkInline, EscalationUpdateInline]
    exclude = ["packet"]
    readonly_fields = ["created_at", "packet_sha256", "packet_as_sent"]

    @admin.display(description=_("packet as sent"))
    def packet_as_sent(self, obj):
        if obj.packet is None:
            return "—"
        return format_html("<pre>{}</pre>", json.dumps(obj.packet, ensure_ascii=False, indent=2))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
