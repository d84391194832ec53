"""Files that leave the system: the anonymised case CSV and the annual report workbook.

Both are read by spreadsheet programs, which run a cell that starts with = + - @ (or a tab or carriage return) as a
formula: every text cell is neutralised (CSV) or stored as plain text (XLSX), whatever an admin or a CSV of units
put into a label.
"""

import csv
import io
import re
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cases.statistics import local_zone, received_in

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

CSV_COLUMNS = [
    "row_id",
    "category",
    "subcategory",
    "age_band",
    "gender",
    "commune_unit",
    "channel",
    "priority",
    "state",
    "outcome",
    "created_month",
    "first_response_minutes",
]


def spreadsheet_safe(value):
    """A text cell a spreadsheet will show, never run: a leading apostrophe before a formula character."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def anonymised_rows(period):
    """One row per report received in the period, with nothing that identifies the case or the child: a random id
    that changes with every export (rows cannot be linked across exports or to the case), codes instead of text,
    the month instead of the date and time. Streams from the database in chunks."""
    zone = local_zone()
    rows = (
        received_in(period)
        .order_by("id")
        .values_list(
            "category__code",
            "category__parent__code",
            "age_band",
            "gender",
            "commune_unit__code",
            "channel",
            "priority",
            "state",
            "outcome",
            "created_at",
            "first_response_at",
        )
    )
    for (
        code,
        parent_code,
        age_band,
        gender,
        unit,
        channel,
        priority,
        state,
        outcome,
        created,
        answered,
    ) in rows.iterator(chunk_size=2000):
        minutes = "" if answered is None else round((answered - created).total_seconds() / 60)
        yield [
            secrets.token_hex(8),
            parent_code or code,
            code if parent_code else "",
            age_band,
            gender,
            unit or "",
            channel,
            priority,
            state,
            outcome,
            timezone.localtime(created, zone).strftime("%Y-%m"),
            minutes,
        ]


def csv_lines(period):
    """The CSV export, line by line (for a streaming response)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for row in anonymised_rows(period):
        yield writer.writerow([spreadsheet_safe(value) for value in row])


# --- the annual report workbook -----------------------------------------------------------------------------------

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)


def _sheet_title(title, taken):
    title = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()[:31] or "Sheet"
    candidate, n = title, 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate, n = title[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def _put(sheet, row, values, *, font=None):
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, int | float):
            cell.value = value
        else:
            cell.value = str(value)  # labels may be lazy translations
            cell.data_type = "s"  # openpyxl would store "=..." as a formula: this is text, always
        if font is not None:
            cell.font = font


def _table(sheet, start_row, header, rows):
    """A header row in bold and the rows under it; returns the row where the next table may start."""
    _put(sheet, start_row, header, font=BOLD)
    for offset, values in enumerate(rows, start=1):
        _put(sheet, start_row + offset, values)
    return start_row + len(rows) + 2


def annual_workbook(figures, *, title):
    """The annual report as an XLSX file (bytes): a summary sheet, then one sheet per table."""
    workbook = Workbook()
    taken = set()
    summary = workbook.active
    summary.title = _sheet_title(_("Summary"), taken)
    _put(summary, 1, [str(title)], font=TITLE)
    _put(summary, 2, [_("Period"), str(figures.period)])
    s = figures.summary
    rows = [
        (_("Reports received"), s.received),
        (_("Rejected (spam, tests, duplicates)"), s.rejected),
        (_("Cases"), s.cases),
        (_("of which advice and questions"), s.advice),
        (_("of which someone was in danger"), s.in_danger),
        (_("Resolved or closed"), s.done),
        (_("Still open"), s.open),
        (_("Cases whose reporter wrote again"), figures.follow_up.cases_with_reporter_messages),
        (_("Messages from reporters after their report"), figures.follow_up.reporter_messages),
        (_("Check-ins sent after resolution"), figures.follow_up.check_ins_sent),
        (_("Check-ins answered"), figures.follow_up.check_ins_answered),
        (_("of which everything was OK"), figures.follow_up.all_ok),
        (_("of which it was not OK (conversation reopened)"), figures.follow_up.not_ok),
        (_("Ratings of the help (1–5)"), figures.follow_up.ratings),
        (
            _("Average rating"),
            figures.follow_up.average_rating if figures.follow_up.average_rating is not None else "–",
        ),
    ]
    _table(summary, 4, [_("Indicator"), _("Number")], rows)
    summary.column_dimensions["A"].width = 48
    summary.column_dimensions["B"].width = 20

    time_sheet = workbook.create_sheet(_sheet_title(_("Cases over time"), taken))
    _table(
        time_sheet,
        1,
        [_("Month") if figures.over_time.unit == "month" else _("Day"), _("Cases")],
        [(point.label, point.count) for point in figures.over_time.points],
    )

    for breakdown in [*figures.breakdowns, figures.communes, figures.districts]:
        sheet = workbook.create_sheet(_sheet_title(breakdown.title, taken))
        _table(
            sheet,
            1,
            [breakdown.title, _("Cases"), _("Share (%)")],
            [(bar.label, bar.count, bar.share) for bar in breakdown.bars] + [(_("Total"), breakdown.total, 100.0)],
        )
        sheet.column_dimensions["A"].width = 48

    response = workbook.create_sheet(_sheet_title(_("First response"), taken))
    _table(
        response,
        1,
        [
            _("Priority"),
            _("Target (minutes)"),
            _("Cases"),
            _("Answered"),
            _("On time"),
            _("Late"),
            _("Overdue, not answered"),
            _("On time (%)"),
            _("Median (minutes)"),
            _("90th percentile (minutes)"),
            _("Average (minutes)"),
        ],
        [
            (
                row.label,
                row.target_minutes,
                row.cases,
                row.answered,
                row.on_time,
                row.late,
                row.overdue,
                row.on_time_share,
                row.median_minutes,
                row.p90_minutes,
                row.average_minutes,
            )
            for row in figures.response
        ],
    )
    response.column_dimensions["A"].width = 28

    escalations = figures.escalations
    if escalations.available:
        sheet = workbook.create_sheet(_sheet_title(_("Escalations"), taken))
        next_row = _table(
            sheet,
            1,
            [
                _("Agency"),
                _("Sent"),
                _("Acknowledged"),
                _("Acknowledged on time"),
                _("At the agency"),
                _("Completed"),
                _("Declined"),
                _("Retracted"),
            ],
            [
                (
                    a.name,
                    a.sent,
                    a.acknowledged,
                    a.acknowledged_on_time,
                    a.at_agency,
                    a.completed,
                    a.declined,
                    a.retracted,
                )
                for a in [*escalations.agencies, escalations.total]
            ],
        )
        t = escalations.takedowns
        _table(
            sheet,
            next_row,
            [_("Takedowns"), _("Number")],
            [
                (_("Links whose removal was requested"), t.requested),
                (_("Taken down"), t.taken_down),
                (_("Taken down within the deadline"), t.taken_down_on_time),
                (_("Still online"), t.still_online),
                (_("No answer yet"), t.pending),
            ],
        )
        sheet.column_dimensions["A"].width = 48
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=1, max_row=1):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
