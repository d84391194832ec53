"""The admin's "reset second factor" action on user accounts (audited)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import StaffSession

User = get_user_model()


@admin.action(description=_("Reset the second factor (the person enrols again at the next sign-in)"))
def reset_second_factor(modeladmin, request, queryset):
    for user in queryset:
        services.reset_second_factor(actor=request.user, user=user)
    count = len(queryset)
    modeladmin.message_user(
        request,
        ngettext(
            "The second factor of %(count)d account was reset; its sessions are signed out.",
            "The second factors of %(count)d accounts were reset; their sessions are signed out.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


class StaffUserAdmin(UserAdmin):
    actions = [*UserAdmin.actions, reset_second_factor]


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)


@admin.register(StaffSession)
class StaffSessionAdmin(admin.ModelAdmin):
    list_display = ["user", "browser", "network", "started_at", "last_seen_at"]
    exclude = ["session_key"]
    readonly_fields = ["user", "browser", "network", "started_at", "last_seen_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
