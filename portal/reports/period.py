"""Calendar months in the practice's timezone, as UTC bounds for queries."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def to_utc(local, timezone):
    """Turn a naive local time in the timezone into naive UTC, as stored."""
    aware = local.replace(tzinfo=ZoneInfo(timezone))
    return aware.astimezone(UTC).replace(tzinfo=None)


def to_local(moment, timezone):
    """Turn a stored naive UTC time into naive local time in the timezone."""
    if moment is None:
        return None
    aware = moment.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))
    return aware.replace(tzinfo=None)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text):
        """Read YYYY-MM; raise ValueError for anything else."""
        match = MONTH.match((text or "").strip())
        if not match:
            raise ValueError("Use the form YYYY-MM, for example 2026-03.")
        year, month = int(match[1]), int(match[2])
        if not (1 <= month <= 12 and 2000 <= year <= 2999):
            raise ValueError("That month does not exist.")
        return cls(year, month)

    @classmethod
    def containing(cls, moment, timezone):
        """The month a stored UTC time falls in, in the practice's timezone."""
        local = to_local(moment, timezone)
        return cls(local.year, local.month)

    def __str__(self):
        return f"{self.year:04d}-{self.month:02d}"

    def shift(self, months):
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def first_day(self):
        return datetime(self.year, self.month, 1)

    def bounds(self, timezone):
        """(start, end) of the month as naive UTC; end is exclusive."""
        return (
            to_utc(self.first_day(), timezone),
            to_utc(self.shift(1).first_day(), timezone),
        )

    def trailing(self, count):
        """This month and the count - 1 months before it, oldest first."""
        return [self.shift(n) for n in range(1 - count, 1)]


def edges(months, timezone):
    """The UTC boundaries of consecutive months: len(months) + 1 values."""
    return [m.bounds(timezone)[0] for m in months] + [months[-1].bounds(timezone)[1]]
