"""Reading and saving the prompt rules managers edit, one per service line."""

from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from portal import audit
from portal.db import utcnow, write_transaction
from portal.models import PromptRule, ServiceLine
from portal.prompts import rules

DEFAULT_SCOPE = "default"
# (field, label, lowest, highest): the detractor cut-offs are fixed, so a
# promoter threshold can never reach down into them.
NUMBERS = (
    ("nps_min", _l("NPS promoter from"), 7, 10),
    ("csat_min", _l("CSAT promoter from"), 3, 5),
    ("stars_min", _l("Stars promoter from"), 3, 5),
    ("cooldown_days", _l("Cooldown (days)"), 1, 3650),
    ("lifetime_limit", _l("Lifetime limit"), 1, 100),
    ("delay_minutes", _l("Delay after the visit (minutes)"), 0, 7 * 24 * 60),
)
CLOCKS = (
    ("quiet_start", _l("Quiet hours from")),
    ("quiet_end", _l("Quiet hours until")),
)
FIELDS = ("enabled",) + tuple(n[0] for n in NUMBERS) + tuple(c[0] for c in CLOCKS)


@dataclass
class Scope:
    """One editable rule: the practice default or a service line's own."""

    key: str
    label: str
    line: ServiceLine | None
    row: PromptRule | None
    sensitive: bool = False

    @property
    def values(self):
        source = self.row or PromptRule()
        return {name: getattr(source, name) for name in FIELDS}


def scopes():
    """The default rule, then every service line with its own rule or none."""
    rows = {row.service_line_id: row for row in PromptRule.select()}
    found = [Scope(DEFAULT_SCOPE, _l("Practice default"), None, rows.get(None))]
    for line in ServiceLine.select().order_by(ServiceLine.position, ServiceLine.name):
        found.append(
            Scope(line.slug, line.name, line, rows.get(line.id), line.sensitive)
        )
    return found


def find_scope(key):
    for scope in scopes():
        if scope.key == key:
            return scope
    return None


def read(form):
    """Check a submitted rule; return (values, {field: message})."""
    values, errors = {"enabled": form.get("enabled") == "1"}, {}
    for name, label, low, high in NUMBERS:
        raw = (form.get(name) or "").strip()
        if not raw.isdigit() or not low <= int(raw) <= high:
            errors[name] = gettext(
                "%(label)s must be a whole number from %(low)s to %(high)s.",
                label=label,
                low=low,
                high=high,
            )
            continue
        values[name] = int(raw)
    for name, label in CLOCKS:
        raw = (form.get(name) or "").strip()
        try:
            clock = rules.parse_clock(raw)
        except ValueError:
            errors[name] = gettext(
                "%(label)s must be a time of day like 21:00.", label=label
            )
            continue
        values[name] = clock.strftime("%H:%M")
    return values, errors


def save(scope, values, actor):
    """Create or update the scope's rule and record the change in the audit log."""
    with write_transaction():
        before = scope.values if scope.row else None
        if scope.row is None:
            row = PromptRule.create(
                service_line=scope.line, updated_at=utcnow(), **values
            )
        else:
            PromptRule.update(updated_at=utcnow(), **values).where(
                PromptRule.id == scope.row.id
            ).execute()
            row = PromptRule.get_by_id(scope.row.id)
        audit.record(
            actor,
            "prompt_rule.saved",
            f"prompt_rule:{row.id}",
            {"scope": scope.key, "before": before, "after": values},
        )
    return row


def reset(scope, actor):
    """Drop a service line's own rule so the practice default applies again."""
    if scope.row is None or scope.line is None:
        return False
    with write_transaction():
        PromptRule.delete().where(PromptRule.id == scope.row.id).execute()
        audit.record(
            actor,
            "prompt_rule.reset",
            f"prompt_rule:{scope.row.id}",
            {"scope": scope.key, "before": scope.values},
        )
    return True
