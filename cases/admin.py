"""Admin: the controlled lists are editable; audit records are read-only for everyone, superusers included."""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cases.hotline_settings import EDITABLE_FIELDS, update_hotline_settings
from cases.models import (
    AdministrativeUnit,
    AuditEntry,
    Breach,
    CannedReply,
    CaseEvent,
    Category,
    DangerPhrase,
    DutyShift,
    HotlineSettings,
    Page,
    Platform,
    PushSubscription,
)
from cases.risk import forget_danger_phrases


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en", "parent", "sort_order", "active"]
    list_filter = ["active", "parent"]
    list_editable = ["sort_order", "active"]
    search_fields = ["code", "name_vi", "name_en"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "sort_order", "active"]
    list_filter = ["active", "kind"]
    list_editable = ["sort_order", "active"]
    search_fields = ["code", "name"]


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "language", "category", "sort_order", "active"]
    list_editable = ["sort_order", "active"]
    list_filter = ["language", "active"]
    search_fields = ["title", "text"]


@admin.register(DangerPhrase)
class DangerPhraseAdmin(admin.ModelAdmin):
    """Phrases that flag a report as a risk of self-harm (cases/risk.py). Intake caches the list: every change
    here clears that cache."""

    list_display = ["phrase", "active", "notes", "updated_at"]
    list_editable = ["active"]
    list_filter = ["active"]
    search_fields = ["phrase", "notes"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(forget_danger_phrases)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(forget_danger_phrases)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(forget_danger_phrases)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    """Loaded by `manage.py load_units`; corrections here are possible, deletions are not (cases point at units)."""

    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_until"]
    list_filter = ["kind", "parent"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HotlineSettings)
class HotlineSettingsAdmin(admin.ModelAdmin):
    """One row, changed through the audited service; it cannot be added twice or deleted."""

    fieldsets = [
        (None, {"fields": ["phone", "zalo", "hours_vi", "hours_en", "safety_numbers"]}),
        (
            _("Annual report"),
            {"fields": ["report_number_pattern", "signer_title", "signer_position", "signer_name", "recipients"]},
        ),
    ]

    def changelist_view(self, request, extra_context=None):
        row = HotlineSettings.current()
        return self.change_view(request, str(row.pk), extra_context=extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        update_hotline_settings(user=request.user, **{name: form.cleaned_data[name] for name in EDITABLE_FIELDS})


class ReadOnlyAdmin(admin.ModelAdmin):
    """Look, never touch: no add, change or delete, whatever the user's permissions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "target"]
    list_filter = ["action"]
    search_fields = ["target", "actor__username"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]


@admin.register(Breach)
class BreachAdmin(ReadOnlyAdmin):
    """The register is kept in the staff pages (cases/privacy/breaches/); here it is read-only, never deleted."""

    list_display = ["found_at", "what", "notified_at", "recorded_by"]
    date_hierarchy = "found_at"
    list_select_related = ["recorded_by"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "case", "kind", "transition", "actor"]
    list_filter = ["kind"]
    search_fields = ["case__reference", "actor__username"]
    date_hierarchy = "created_at"
    list_select_related = ["case", "actor"]
    # A note's text is internal; the admin shows what happened, not what was written.
    exclude = ["text"]


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    """The duty roster (also on /cases/duty/ for supervisors)."""

    list_display = ["supervisor", "starts_at", "ends_at"]
    list_filter = ["supervisor"]
    date_hierarchy = "starts_at"


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """Pages are written by the paging task and acknowledged on the case page: read-only here."""

    list_display = ["case", "round", "audience", "created_at", "acknowledged_at", "acknowledged_by"]
    list_filter = ["audience"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False
