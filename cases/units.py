"""Administrative units of the province, loaded from CSV (`manage.py load_units`, and the demo data).

The CSV has a header row and these columns (UTF-8, a BOM is fine):

    code,name,kind,parent_code,valid_from,valid_until[,formed_from]

Lines starting with "#" before the header are comments (the shipped file cites its sources there).
- code: the unit's code in the national list of administrative units, e.g. 09187
- name: its full name, e.g. "Phường Kinh Bắc"
- kind: ward, commune, or district (the district level was abolished on 1 July 2025; kept for history)
- parent_code: for a ward or commune, the former district it mostly comes from; empty for a district
- valid_from, valid_until: ISO dates (YYYY-MM-DD); valid_until stays empty while the unit exists
- formed_from (optional column): the codes of every former district the unit's former communes belonged to,
  separated by spaces; a unit formed from communes of two districts lists both (parent_code is the main one)

Rows are matched by code, so loading the same file twice changes nothing and a corrected file updates names and
dates. Nothing is ever deleted: a unit that ceases to exist gets a valid_until date (cases keep pointing at it).
"""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from cases.audit import record_audit
from cases.models import AdministrativeUnit, AuditAction, UnitKind

COLUMNS = ["code", "name", "kind", "parent_code", "valid_from", "valid_until"]
OPTIONAL_COLUMNS = ["formed_from"]
# The province's 99 communes and wards since 1 July 2025 and the 18 former districts of the two former provinces
# (sources in the file's header): the default file of `load_units` and the demo data.
UNITS_CSV = Path(__file__).resolve().parent / "data" / "units.csv"


class UnitFileError(ValueError):
    """The file is not a valid list of units; the message names the line."""


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def _date(value, *, line, column, required):
    value = (value or "").strip()
    if not value:
        if required:
            raise UnitFileError(f"line {line}: {column} is required")
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise UnitFileError(f"line {line}: {column} must be a date like 2025-07-01, got {value!r}") from None


def read_units(stream):
    """Parse and check the CSV; returns a list of dicts in file order, districts first."""
    lines = stream.read().splitlines(keepends=True)
    comments = 0
    while comments < len(lines) and lines[comments].lstrip().startswith("#"):
        comments += 1
    reader = csv.DictReader(lines[comments:])
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise UnitFileError(f"the header must have the columns {','.join(COLUMNS)} (missing: {', '.join(missing)})")
    rows, seen = [], set()
    for line, raw in enumerate(reader, start=comments + 2):
        row = {key: (raw.get(key) or "").strip() for key in COLUMNS + OPTIONAL_COLUMNS}
        row["formed_from"] = row["formed_from"].split()
        if not any(row.values()):
            continue
        if not row["code"] or not row["name"]:
            raise UnitFileError(f"line {line}: code and name are required")
        if len(row["code"]) > 10 or len(row["name"]) > 100:
            raise UnitFileError(f"line {line}: code (10) or name (100 characters) is too long")
        if row["code"] in seen:
            raise UnitFileError(f"line {line}: the code {row['code']} appears twice")
        seen.add(row["code"])
        if row["kind"] not in UnitKind.values:
            raise UnitFileError(f"line {line}: kind must be one of {', '.join(UnitKind.values)}, got {row['kind']!r}")
        if row["kind"] == UnitKind.DISTRICT and (row["parent_code"] or row["formed_from"]):
            raise UnitFileError(f"line {line}: a district has no parent and is formed from nothing")
        valid_from = _date(row["valid_from"], line=line, column="valid_from", required=True)
        valid_until = _date(row["valid_until"], line=line, column="valid_until", required=False)
        if valid_until is not None and valid_until < valid_from:
            raise UnitFileError(f"line {line}: valid_until is before valid_from")
        rows.append({**row, "valid_from": valid_from, "valid_until": valid_until, "line": line})
    rows.sort(key=lambda row: row["kind"] != UnitKind.DISTRICT)
    return rows


def load_units(stream, *, actor=None, source=""):
    """Create or update the units listed in a CSV stream, all or nothing; the load is on the audit log."""
    rows = read_units(stream)
    created = updated = unchanged = 0
    with transaction.atomic():
        units = {unit.code: unit for unit in AdministrativeUnit.objects.prefetch_related("formed_from")}
        for row in rows:
            parent = None
            if row["parent_code"]:
                parent = units.get(row["parent_code"])
                if parent is None or parent.kind != UnitKind.DISTRICT:
                    raise UnitFileError(f"line {row['line']}: parent {row['parent_code']} is not a known district")
            values = {
                "name": row["name"],
                "kind": row["kind"],
                "parent": parent,
                "valid_from": row["valid_from"],
                "valid_until": row["valid_until"],
            }
            formed_from = set()
            for code in row["formed_from"]:
                district = units.get(code)
                if district is None or district.kind != UnitKind.DISTRICT:
                    raise UnitFileError(f"line {row['line']}: formed_from {code} is not a known district")
                formed_from.add(district.pk)
            if parent is not None:
                formed_from.add(parent.pk)
            unit = units.get(row["code"])
            if unit is None:
                unit = units[row["code"]] = AdministrativeUnit.objects.create(code=row["code"], **values)
                unit.formed_from.set(formed_from)
                created += 1
                continue
            changed = any(getattr(unit, name) != value for name, value in values.items())
            if changed:
                for name, value in values.items():
                    setattr(unit, name, value)
                unit.save()
            if formed_from != {district.pk for district in unit.formed_from.all()}:
                unit.formed_from.set(formed_from)
                changed = True
            if changed:
                updated += 1
            else:
                unchanged += 1
        record_audit(
            actor=actor,
            action=AuditAction.UNITS_LOADED,
            target=source[:200],
            created=created,
            updated=updated,
            unchanged=unchanged,
        )
    return LoadResult(created=created, updated=updated, unchanged=unchanged)
