"""Reading the setup pages' forms: the practice, its rows of lines and places."""

from dataclasses import dataclass, field

from portal.models import Location, ServiceLine
from portal.setup import checks
from portal.setup.facts import looks_sensitive, suggested_lines, suggested_locations

BLANK_LINE_ROWS = 3
BLANK_PLACE_ROWS = 2


@dataclass
class Row:
    """One row of the service lines or locations form."""

    index: int
    origin: str  # existing, suggested or new
    row_id: int | None = None
    name: str = ""
    address: str = ""
    include: bool = True
    sensitive: bool = False
    errors: dict = field(default_factory=dict)


def line_rows(kind):
    """Existing service lines, then suggestions for the kind, then blank rows."""
    rows = []
    existing = list(ServiceLine.select().order_by(ServiceLine.position, ServiceLine.id))
    for line in existing:
        rows.append(
            Row(
                len(rows),
                "existing",
                line.id,
                line.name,
                "",
                line.active,
                line.sensitive,
            )
        )
    # Suggestions only to start from: once lines exist, an untick stays untick.
    for name in [] if existing else suggested_lines(kind):
        rows.append(
            Row(len(rows), "suggested", None, name, "", True, looks_sensitive(name))
        )
    rows += [Row(len(rows) + i, "new", include=True) for i in range(BLANK_LINE_ROWS)]
    return rows


def place_rows(kind, address):
    """Existing locations, or suggested ones at the practice's address, then blanks."""
    rows = []
    for place in Location.select().order_by(Location.id):
        rows.append(
            Row(
                len(rows), "existing", place.id, place.name, place.address, place.active
            )
        )
    if not rows:
        for name in suggested_locations(kind):
            rows.append(
                Row(len(rows), "suggested", None, name, address if not rows else "")
            )
    rows += [Row(len(rows) + i, "new", include=True) for i in range(BLANK_PLACE_ROWS)]
    return rows


def _posted_rows(form, prefix, count_field):
    count = form.get(count_field, "0")
    count = min(int(count), 200) if count.isdigit() else 0
    rows = []
    for index in range(count):
        key = f"{prefix}-{index}"
        raw_id = form.get(f"{key}-id", "")
        rows.append(
            Row(
                index,
                form.get(f"{key}-origin", "new"),
                int(raw_id) if raw_id.isdigit() else None,
                form.get(f"{key}-name", "").strip(),
                form.get(f"{key}-address", "").strip(),
                bool(form.get(f"{key}-include")),
                bool(form.get(f"{key}-sensitive")),
            )
        )
    return rows


def read_lines(form):
    """Return (rows as posted, [(values, id)] to keep, has_errors)."""
    rows = _posted_rows(form, "line", "line_count")
    kept = []
    for row in rows:
        if not row.name or not row.include:
            continue
        # A new row typed in by hand gets the sensitive mark its name suggests.
        sensitive = row.sensitive or None if row.origin == "new" else row.sensitive
        values, errors = checks.check_service_line(
            {"name": row.name, "sensitive": sensitive}
        )
        row.errors = errors
        kept.append((row, values))
    _repeats(kept, "slug", "name")
    has_errors = any(row.errors for row in rows)
    return rows, [(values, row.row_id) for row, values in kept], has_errors


def read_places(form):
    rows = _posted_rows(form, "place", "place_count")
    kept = []
    for row in rows:
        if not row.name or not row.include:
            continue
        values, errors = checks.check_location(
            {"name": row.name, "address": row.address}
        )
        row.errors = errors
        kept.append((row, values))
    _repeats(kept, "slug", "name")
    has_errors = any(row.errors for row in rows)
    return rows, [(values, row.row_id) for row, values in kept], has_errors


def _repeats(kept, key, field_name):
    repeats = checks.unique([values for _, values in kept], key, field_name)
    for index, _ in repeats.items():
        kept[index][0].errors.setdefault("name", "repeats another row's name")
