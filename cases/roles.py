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
]
SUPERVISOR_PERMISSIONS = OPERATOR_PERMISSIONS + [
    "cases.assign_case",
    "cases.reject_case",
]
ROLE_PERMISSIONS = {
    OPERATOR: OPERATOR_PERMISSIONS,
    SUPERVISOR: SUPERVISOR_PERMISSIONS,
    ADMIN: SUPERVISOR_PERMISSIONS,
    LIAISON: [],
}


def sync_roles(Group, Permission):
    """Make each role group hold exactly its permissions (plus, for admins, whatever was added by hand)."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        if role == ADMIN:
            group.permissions.add(*permissions)
        else:
            group.permissions.set(permissions)
