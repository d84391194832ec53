"""Staff roles as Django groups. The migration creates them; load_demo and tests use the same definitions."""

OPERATOR = "operator"
SUPERVISOR = "supervisor"
ADMIN = "admin"
LIAISON = "liaison"

OPERATOR_PERMISSIONS = [
    "cases.view_case",
    "cases.triage_case",
    "cases.claim_case",
    "cases.reveal_contact",
    "cases.add_case",
    "cases.add_consent",  # a consent (or its withdrawal) heard on the phone or in the chat
    "cases.add_datarequest",  # a request about personal data made by phone, chat or letter
    "escalation.prepare_escalation",
]
SUPERVISOR_PERMISSIONS = OPERATOR_PERMISSIONS + [
    "cases.assign_case",
    "cases.reject_case",
    "cases.set_legal_hold",
    "cases.view_reports",
    "escalation.approve_escalation",
    "hotline.edit_library",
    "cases.view_datarequest",
    "cases.change_datarequest",
    "cases.view_breach",
    "cases.add_breach",
    "cases.change_breach",
]
ROLE_PERMISSIONS = {
    OPERATOR: OPERATOR_PERMISSIONS,
    SUPERVISOR: SUPERVISOR_PERMISSIONS,
    ADMIN: SUPERVISOR_PERMISSIONS,
    # Liaisons see their agency's escalations only, never cases.
    LIAISON: ["escalation.act_as_liaison"],
}


def sync_roles(Group, Permission):
    """Make each role group hold exactly its permissions (plus, for admins, whatever was added by hand).

    A permission whose model a later migration creates does not exist yet when an earlier migration calls this:
    it is skipped then, and that later migration calls this again (tests check every name exists in the end).
    """
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                permissions.append(permission)
        if role == ADMIN:
            group.permissions.add(*permissions)
        else:
            group.permissions.set(permissions)


def sync_roles_in_migration(apps, schema_editor):
    """RunPython body for migrations that add permissions to the roles. Permissions are normally created after
    all migrations have run; the role groups need them now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
