"""Reading a members file: every row checked first, then all or nothing."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from portal.contacts import normalise_email, normalise_phone
from portal.db import database
from portal.models import Member, MembershipPlan
from portal.models.people import MEMBERSHIP_STATUSES, PAYER_CATEGORIES

COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "phone",
    "external_id",
    "preferred_language",
    "payer_category",
    "us_state",
    "household",
    "plan",
    "membership_status",
    "membership_started_on",
    "is_clinician_or_staff",
)
REQUIRED = ("email", "first_name")
TRUE_WORDS = {"1", "true", "yes", "y"}
FALSE_WORDS = {"", "0", "false", "no", "n"}


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"line {self.line}: {self.column}: {self.message}"


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self):
        return not self.errors


def read(text, mapping=None):
    """Parse and check every row of a CSV text; nothing is written."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    mapping = mapping or {h: h for h in headers if h in COLUMNS}
    missing = [c for c in REQUIRED if c not in mapping.values()]
    if missing:
        report.errors.append(RowError(1, ", ".join(missing), "column is missing"))
        return report
    plans = {p.name.lower(): p.id for p in MembershipPlan.select()}
    seen = {}
    for line, raw in enumerate(reader, start=2):
        values = {
            target: (raw.get(source) or "").strip()
            for source, target in mapping.items()
        }
        row, errors = _check_row(line, values, plans)
        email = row.get("email")
        if email and email in seen:
            errors.append(RowError(line, "email", f"repeats line {seen[email]}"))
        elif email:
            seen[email] = line
        report.errors.extend(errors)
        report.rows.append(row)
    if not report.rows and not report.errors:
        report.errors.append(RowError(2, "-", "the file has no member rows"))
    return report


def _check_row(line, values, plans):
    row, errors = {}, []

    def fail(column, message):
        errors.append(RowError(line, column, message))

    for column in REQUIRED:
        if not values.get(column):
            fail(column, "is required")
    if values.get("email"):
        try:
            row["email"] = normalise_email(values["email"])
        except ValueError as exc:
            fail("email", str(exc))
    if values.get("phone"):
        try:
            row["phone"] = normalise_phone(values["phone"])
        except ValueError as exc:
            fail("phone", str(exc))
    for column in ("first_name", "last_name", "external_id", "household"):
        if values.get(column):
            row[column] = values[column][:255]
    _check_choices(values, row, plans, fail)
    return row, errors


def _check_choices(values, row, plans, fail):
    language = (values.get("preferred_language") or "en").lower()
    if language not in ("en", "es"):
        fail("preferred_language", "must be en or es")
    row["preferred_language"] = language
    payer = (values.get("payer_category") or "unknown").lower()
    if payer not in PAYER_CATEGORIES:
        fail("payer_category", f"must be one of {', '.join(PAYER_CATEGORIES)}")
    row["payer_category"] = payer
    state = (values.get("us_state") or "").upper()
    if state and (len(state) != 2 or not state.isalpha()):
        fail("us_state", "must be a two-letter state code")
    row["us_state"] = state
    if values.get("plan"):
        plan_id = plans.get(values["plan"].lower())
        if plan_id is None:
            fail("plan", "is not a membership plan of this practice")
        row["plan"] = plan_id
    status = (values.get("membership_status") or "").lower()
    if status and status not in MEMBERSHIP_STATUSES:
        fail("membership_status", f"must be one of {', '.join(MEMBERSHIP_STATUSES)}")
    row["membership_status"] = status or None
    if values.get("membership_started_on"):
        try:
            row["membership_started_on"] = date.fromisoformat(
                values["membership_started_on"]
            )
        except ValueError:
            fail("membership_started_on", "must be a date as YYYY-MM-DD")
    flag = (values.get("is_clinician_or_staff") or "").lower()
    if flag not in TRUE_WORDS | FALSE_WORDS:
        fail("is_clinician_or_staff", "must be yes or no")
    row["is_clinician_or_staff"] = flag in TRUE_WORDS


def apply(report, progress=None):
    """Write every row of a clean report in one transaction (update by email)."""
    if not report.ok:
        raise ValueError("a report with errors cannot be imported")
    with database.atomic():
        for row in report.rows:
            member = Member.get_or_none(Member.email == row["email"])
            if member is None:
                Member.create(**row)
                report.created += 1
            else:
                Member.update(**row).where(Member.id == member.id).execute()
                report.updated += 1
            if progress:
                progress(1)
    return report
