"""The agencies the hotline escalates to and notifies, seeded with their dates: the information department was
reorganised on 1 March 2025 (Sở TT&TT split between Sở KH&CN and Sở VHTTDL)."""

import datetime

AGENCIES = [
    {
        "code": "ca-bac-ninh-pa05",
        "kind": "police",
        "short_name": "CA tỉnh · PA05",
        "name_vi": "Công an tỉnh Bắc Ninh — Phòng An ninh mạng và phòng chống tội phạm sử dụng công nghệ cao (PA05)",
        "name_en": "Bắc Ninh Provincial Police — Cyber Security and High-Tech Crime Prevention Division (PA05)",
        "valid_from": datetime.date(2000, 1, 1),
    },
    {
        "code": "so-tttt-bac-ninh",
        "kind": "information",
        "short_name": "Sở TT&TT (cũ)",
        "name_vi": "Sở Thông tin và Truyền thông Bắc Ninh",
        "name_en": "Bắc Ninh Department of Information and Communications",
        "valid_from": datetime.date(2000, 1, 1),
        "valid_until": datetime.date(2025, 2, 28),
        "notes": "Merged into the Department of Science and Technology on 1 March 2025; online information "
        "and press functions moved to the Department of Culture, Sports and Tourism.",
    },
    {
        "code": "so-khcn-bac-ninh",
        "kind": "information",
        "short_name": "Sở KH&CN",
        "name_vi": "Sở Khoa học và Công nghệ Bắc Ninh",
        "name_en": "Bắc Ninh Department of Science and Technology",
        "valid_from": datetime.date(2025, 3, 1),
    },
    {
        "code": "so-vhttdl-bac-ninh",
        "kind": "information",
        "short_name": "Sở VHTTDL",
        "name_vi": "Sở Văn hóa, Thể thao và Du lịch Bắc Ninh",
        "name_en": "Bắc Ninh Department of Culture, Sports and Tourism",
        "valid_from": datetime.date(2025, 3, 1),
        "notes": "In charge of online information and press since 1 March 2025.",
    },
    {
        "code": "tinh-doan-bac-ninh",
        "kind": "youth_union",
        "short_name": "Tỉnh đoàn",
        "name_vi": "Tỉnh đoàn Bắc Ninh",
        "name_en": "Bắc Ninh Provincial Youth Union",
        "valid_from": datetime.date(2000, 1, 1),
    },
    # Children's affairs: the Ministry of Health took over child protection from the Ministry of Labour, Invalids
    # and Social Affairs on 1 March 2025 (Decree 42/2025/ND-CP); in the province the Department of Health holds it
    # (Decree 45/2025/ND-CP on provincial departments). Contact details are for the operator to fill in.
    {
        "code": "so-y-te-bac-ninh",
        "kind": "child_protection",
        "short_name": "Sở Y tế (trẻ em)",
        "name_vi": "Sở Y tế tỉnh Bắc Ninh — lĩnh vực trẻ em",
        "name_en": "Bắc Ninh Department of Health — children's affairs",
        "valid_from": datetime.date(2025, 3, 1),
        "notes": "Holds child protection since 1 March 2025 (before: Department of Labour, Invalids and Social "
        "Affairs). The province's children's-affairs office: referrals of children at risk.",
    },
]


# The national lines a counsellor notifies when a child needs protection (Decree 56/2017). The province's
# children's-affairs office and the communes' People's Committees are added with their contacts as data.
REFERRAL_AGENCIES = [
    {
        "code": "tong-dai-111",
        "kind": "child_protection",
        "short_name": "Tổng đài 111",
        "name_vi": "Tổng đài điện thoại quốc gia bảo vệ trẻ em 111",
        "name_en": "National Child Protection Hotline 111",
        "phone": "111",
        "receives_escalations": False,
        "valid_from": datetime.date(2000, 1, 1),
        "notes": "Free, 24/7. Receives notifications of children at risk of abuse or in need of protection.",
    },
    {
        "code": "cong-an-113",
        "kind": "police",
        "short_name": "Công an 113",
        "name_vi": "Cảnh sát 113 — số khẩn cấp của Công an",
        "name_en": "Police emergency line 113",
        "phone": "113",
        "receives_escalations": False,
        "valid_from": datetime.date(2000, 1, 1),
        "notes": "Free, 24/7. For a child in immediate danger.",
    },
]


def _known_fields(Agency, row):
    """The row's values for the fields this version of the model has: data migrations pass historical models,
    which lack the fields later migrations add (those migrations set them)."""
    names = {field.name for field in Agency._meta.get_fields()}
    return {name: value for name, value in row.items() if name in names}


def seed_referral_agencies(Agency):
    """Idempotent; a separate function because the historical Agency of earlier migrations has no `phone`."""
    for row in REFERRAL_AGENCIES:
        Agency.objects.get_or_create(code=row["code"], defaults=_known_fields(Agency, row))


def seed_agencies(Agency):
    for row in AGENCIES:
        Agency.objects.get_or_create(code=row["code"], defaults=_known_fields(Agency, row))
    old = Agency.objects.filter(code="so-tttt-bac-ninh", superseded_by__isnull=True).first()
    if old is not None:
        old.superseded_by = Agency.objects.filter(code="so-vhttdl-bac-ninh").first()
        old.save(update_fields=["superseded_by"])


def commune_committee(unit):
    """The People's Committee of a commune or ward, as an agency row (contact fields left for the operator)."""
    return {
        "code": f"ubnd-{unit.code}",
        "kind": "local_government",
        "short_name": f"UBND {unit.name}"[:40],
        "name_vi": f"Ủy ban nhân dân {unit.name}",
        "name_en": f"People's Committee of {unit.name}",
        "valid_from": unit.valid_from,
        "valid_until": unit.valid_until,
        "unit": unit,
        "receives_escalations": False,
    }


def seed_commune_committees(Agency, AdministrativeUnit):
    """One People's Committee per commune or ward that has none yet; returns how many were created. Idempotent:
    a row edited by the operator is left alone."""
    existing = set(Agency.objects.filter(unit__isnull=False).values_list("unit_id", flat=True))
    units = AdministrativeUnit.objects.filter(kind__in=["ward", "commune"]).exclude(pk__in=existing)
    created = 0
    for unit in units.order_by("code"):
        row = commune_committee(unit)
        _agency, made = Agency.objects.get_or_create(code=row["code"], defaults=_known_fields(Agency, row))
        created += made
    return created
