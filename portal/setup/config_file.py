"""``portal setup --config FILE.toml``: a whole practice described in one file.

Everything is checked before anything is written, and every problem is named
by its key (``practice.postal_address: is required``,
``service_lines[2].name: is required``, entries numbered from 1). Then the
whole description is applied in one transaction. See portal/setup/example.toml.
"""

import csv
import io
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from portal import audit
from portal.db import write_transaction
from portal.members import importer
from portal.prompts.ruleform import DEFAULT_SCOPE
from portal.setup import checks, practice_data, program, progress

SECTIONS = {
    "practice": (
        "name",
        "postal_address",
        "timezone",
        "us_state",
        "kind",
        "membership_enabled",
        "help_phone",
        "help_email",
    ),
    "branding": ("primary", "accent", "sender_name", "reply_to"),
    "program": ("policy", "catalog", "prompts", "no_prompts"),
    "members": ("csv", "columns"),
}
LISTS = {
    "service_lines": ("name", "slug", "description", "sensitive", "referral_enabled"),
    "locations": ("name", "slug", "address"),
    "membership_plans": (
        "name", "monthly_fee", "includes", "cancellation_window_days", "active",
    ),
}  # fmt: skip


@dataclass
class Plan:
    """A checked description, ready to apply."""

    practice: dict
    branding: dict | None = None
    lines: list | None = None
    places: list | None = None
    plans: list = field(default_factory=list)
    program: dict | None = None
    members_text: str | None = None
    members_mapping: dict | None = None


class ConfigError(Exception):
    """The file has problems: ``errors`` is a list of (key, message)."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


def read(path):
    """Parse and check a file; return its Plan or raise ConfigError."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([("file", f"is not valid TOML: {exc}")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([("file", f"cannot be read: {exc}")]) from exc
    return check(data, path.parent)


def check(data, folder):
    """Check a parsed description; return its Plan or raise ConfigError."""
    errors = _unknown_keys(data)
    if "practice" not in data:
        errors.append(("practice", "is required"))
    practice, problems = checks.check_practice(_table(data, "practice", errors))
    errors += _named("practice", problems)
    plan = Plan(practice=practice)
    if "branding" in data:
        plan.branding, problems = checks.check_branding(
            _table(data, "branding", errors)
        )
        errors += _named("branding", problems)
    if "service_lines" in data or "locations" in data:
        plan.lines = _entries(data, "service_lines", checks.check_service_line, errors)
        plan.places = _entries(data, "locations", checks.check_location, errors)
        _check_slugs(plan.lines, "service_lines", errors)
        _check_slugs(plan.places, "locations", errors)
    plan.plans = _entries(data, "membership_plans", checks.check_plan, errors)
    for index, message in checks.unique(plan.plans, "name", "name").items():
        errors.append((f"membership_plans[{index + 1}].name", message))
    if "program" in data:
        plan.program = _check_program(_table(data, "program", errors), plan, errors)
    if "members" in data:
        _check_members(_table(data, "members", errors), folder, plan, errors)
    if errors:
        raise ConfigError(errors)
    return plan


def _unknown_keys(data):
    errors = []
    for key, value in data.items():
        if key in SECTIONS:
            allowed = SECTIONS[key]
        elif key in LISTS:
            allowed = LISTS[key]
        else:
            errors.append((key, "is not a known section"))
            continue
        entries = value if isinstance(value, list) else [value]
        for index, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                continue
            where = f"{key}[{index}]" if isinstance(value, list) else key
            errors += [
                (f"{where}.{k}", "is not a known key")
                for k in entry
                if k not in allowed
            ]
    return errors


def _table(data, key, errors):
    value = data.get(key, {})
    if not isinstance(value, dict):
        errors.append((key, "must be a table ([" + key + "])"))
        return {}
    return value


def _named(prefix, problems):
    return [(f"{prefix}.{key}", message) for key, message in problems.items()]


def _entries(data, key, check_one, errors):
    raw = data.get(key, [])
    if not isinstance(raw, list):
        errors.append((key, f"must be a list of tables ([[{key}]])"))
        return []
    values = []
    for index, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            errors.append((f"{key}[{index}]", "must be a table"))
            continue
        clean, problems = check_one(entry)
        errors += _named(f"{key}[{index}]", problems)
        values.append(clean)
    return values


def _check_slugs(items, key, errors):
    for index, message in checks.unique(items, "slug", "slug").items():
        errors.append((f"{key}[{index + 1}].slug", message))


def _check_program(table, plan, errors):
    options = {
        "policy": checks.flag(table.get("policy"), True),
        "catalog": table.get("catalog", "starter"),
        "prompts": checks.flag(table.get("prompts"), True),
        "no_prompts": table.get("no_prompts", []),
    }
    for key in ("policy", "prompts"):
        if key in table and not isinstance(table[key], bool):
            errors.append((f"program.{key}", "must be true or false"))
    if options["catalog"] not in program.CATALOG_CHOICES:
        choices = " or ".join(program.CATALOG_CHOICES)
        errors.append(("program.catalog", f"must be {choices}"))
    slugs = {line["slug"] for line in plan.lines or []}
    if not isinstance(options["no_prompts"], list):
        errors.append(("program.no_prompts", "must be a list of service line slugs"))
        options["no_prompts"] = []
    for slug in options["no_prompts"]:
        if slug not in slugs and not practice_data.has_service_line(slug):
            errors.append(("program.no_prompts", f"{slug!r} is not a service line"))
    return options


def _check_members(table, folder, plan, errors):
    name = table.get("csv")
    if not isinstance(name, str) or not name:
        errors.append(("members.csv", "is required: the path of the members file"))
        return
    path = Path(folder) / name
    if not path.is_file():
        errors.append(("members.csv", f"{path} does not exist"))
        return
    columns = table.get("columns", {})
    if not isinstance(columns, dict) or not all(
        isinstance(v, str) for v in columns.values()
    ):
        errors.append(("members.columns", "must map portal fields to column names"))
        return
    unknown = sorted(set(columns) - set(importer.COLUMNS))
    if unknown:
        errors.append(("members.columns", f"unknown field(s): {', '.join(unknown)}"))
        return
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    mapping = {header: target for target, header in columns.items()} or None
    new_plans = {p["name"].lower() for p in plan.plans}
    for problem in _member_problems(text, mapping, new_plans):
        errors.append(("members.csv", str(problem)))
    plan.members_text, plan.members_mapping = text, mapping


def _member_problems(text, mapping, new_plans):
    """Every bad row, except plans that this same file is about to create."""
    report = importer.read(text, mapping)
    plan_column = next((h for h, t in (mapping or {}).items() if t == "plan"), "plan")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    problems = []
    for error in report.errors:
        if error.column == "plan" and 2 <= error.line < len(rows) + 2:
            value = (rows[error.line - 2].get(plan_column) or "").strip().lower()
            if value in new_plans:
                continue
        problems.append(error)
    return problems


def apply(plan, actor):
    """Write the whole description in one transaction; return what was done."""
    done = []
    with write_transaction():
        practice_data.save_practice(plan.practice, actor)
        progress.mark_step("practice", "done", actor)
        done.append(f"practice: {plan.practice['name']}")
        if plan.branding is not None:
            practice_data.save_branding(plan.branding, actor)
            progress.mark_step("branding", "done", actor)
            done.append("branding: colours, sender and reply-to saved")
        if plan.lines is not None:
            practice_data.save_lines_and_places(
                [(values, None) for values in plan.lines],
                [(values, None) for values in plan.places],
                actor,
            )
            progress.mark_step("services", "done", actor)
            done.append(
                f"services: {len(plan.lines)} service line(s), "
                f"{len(plan.places)} location(s)"
            )
        for values in plan.plans:
            practice_data.upsert_plan(values)
        if plan.plans:
            done.append(f"membership plans: {len(plan.plans)}")
        if plan.program is not None:
            done += _apply_program(plan, actor)
        if plan.members_text is not None:
            done.append(_apply_members(plan, actor))
    return done


def _apply_program(plan, actor):
    options, state = plan.program, plan.practice["us_state"]
    done = []
    if options["policy"]:
        version = program.start_policy(state, actor)
        done.append(
            f"policy: version {version.number} awaits sign-off by compliance"
            if version
            else "policy: kept the existing policy"
        )
    if options["catalog"] == "starter":
        done.append(
            f"catalog: {program.add_starter_catalog(state, actor)} item(s) added"
        )
    enabled = set()
    if options["prompts"]:
        enabled = {DEFAULT_SCOPE} | {
            scope.key
            for scope in program.prompt_scopes()
            if scope.line is not None and scope.key not in options["no_prompts"]
        }
    program.save_prompt_choices(enabled, actor)
    done.append(f"prompts: {'on' if options['prompts'] else 'off'}")
    progress.mark_step("program", "done", actor)
    return done


def _apply_members(plan, actor):
    report = importer.read(plan.members_text, plan.members_mapping)
    if not report.ok:
        # Checked before the transaction; a change since then undoes it all.
        raise ConfigError([("members.csv", str(e)) for e in report.errors])
    importer.apply(report)
    audit.record(
        actor,
        "members.imported",
        "",
        {"created": report.created, "updated": report.updated, "via": "config"},
    )
    progress.mark_step("members", "done", actor)
    return f"members: {report.created} new, {report.updated} updated"
