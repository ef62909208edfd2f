"""The monthly report's figures computed again in plain Python, row by row.

Deliberately independent of portal.reports: every stored time is converted
to the practice's timezone here with zoneinfo and compared by (year, month).
"""

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from portal.models import Click, Member, Recognition, SignUp, Visit

RECOGNISED = ("approved", "fulfilled")


class Expected:
    def __init__(self, year, month, timezone):
        self.zone = ZoneInfo(timezone)
        self.key = (year, month)
        self.months = []
        y, m = year, month
        for _ in range(12):
            self.months.insert(0, (y, m))
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        nxt = (year, month + 1) if month < 12 else (year + 1, 1)
        local_end = datetime(*nxt, 1, tzinfo=self.zone)
        self.end = local_end.astimezone(UTC).replace(tzinfo=None)
        self.signups = list(SignUp.select())
        self.clicks = [c.clicked_at for c in Click.select(Click.clicked_at)]
        self.visits = list(Visit.select())
        self.recognitions = list(Recognition.select())
        self.erased = {
            m.id for m in Member.select().where(Member.erased_at.is_null(False))
        }

    def month_of(self, moment):
        if moment is None:
            return None
        local = moment.replace(tzinfo=UTC).astimezone(self.zone)
        return (local.year, local.month)

    def in_month(self, moment):
        return self.month_of(moment) == self.key

    def counts(self, key, referred_only=False):
        result = defaultdict(lambda: [0, 0])
        for s in self.signups:
            if referred_only and s.ambassador_id is None:
                continue
            if self.in_month(s.created_at):
                result[key(s)][0] += 1
            if self.in_month(s.became_patient_at):
                result[key(s)][1] += 1
        return {k: tuple(v) for k, v in result.items() if v != [0, 0]}

    def funnel(self):
        month = [
            s for s in self.signups if s.ambassador_id and self.in_month(s.created_at)
        ]
        # A sign-up counts at the furthest step it reached, even if closed since.
        order = ["new", "contacted", "scheduled", "seen", "became_patient"]
        rank = [order.index(s.reached_status) for s in month]
        return {
            "clicks": sum(1 for c in self.clicks if self.in_month(c)),
            "signups": len(month),
            "scheduled": sum(r >= 2 for r in rank),
            "seen": sum(r >= 3 for r in rank),
            "became_patient": sum(r == 4 for r in rank),
        }

    def revenue(self):
        acquired = [
            s
            for s in self.signups
            if s.member_id and s.became_patient_at and s.became_patient_at < self.end
        ]
        source_of = {s.member_id: s.how_heard for s in acquired}
        patients = Counter(s.how_heard for s in acquired)
        month, twelve = Counter(), Counter()
        for v in self.visits:
            source = source_of.get(v.member_id)
            if source is None or v.amount_cents is None:
                continue
            if self.in_month(v.visited_at):
                month[source] += v.amount_cents
            if self.month_of(v.visited_at) in self.months:
                twelve[source] += v.amount_cents
        return patients, month, twelve

    def recognition(self):
        per_month = defaultdict(lambda: [0, 0])
        ytd = Counter()
        for r in self.recognitions:
            if r.status not in RECOGNISED or r.decided_at is None:
                continue
            month = self.month_of(r.decided_at)
            if month in self.months:
                per_month[month][0] += r.value_cents
                per_month[month][1] += 1
            if r.year == self.key[0] and r.decided_at < self.end:
                ytd[r.member_id] += r.value_cents
        return per_month, ytd

    def dormant(self):
        last = {}
        for s in self.signups:
            if s.ambassador_id and s.created_at < self.end:
                last[s.ambassador_id] = max(
                    last.get(s.ambassador_id, s.created_at), s.created_at
                )
        cutoff = self.end - timedelta(days=90)
        return {
            member
            for member, when in last.items()
            if when < cutoff and member not in self.erased
        }

    def trend(self):
        rows = []
        for month in self.months:
            signups = [s for s in self.signups if self.month_of(s.created_at) == month]
            patients = [
                s for s in self.signups if self.month_of(s.became_patient_at) == month
            ]
            rows.append(
                {
                    "month": f"{month[0]:04d}-{month[1]:02d}",
                    "clicks": sum(1 for c in self.clicks if self.month_of(c) == month),
                    "signups": len(signups),
                    "referred_signups": sum(1 for s in signups if s.ambassador_id),
                    "new_patients": len(patients),
                    "referred_new_patients": sum(
                        1 for s in patients if s.ambassador_id
                    ),
                }
            )
        return rows
