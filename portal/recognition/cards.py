"""What the approval queue shows for each recognition, judged as of now."""

from portal.models import Approval, StaffUser
from portal.recognition import ledger, workflow
from portal.recognition.policy import effective_caps
from portal.recognition.versions import active_version


def build(recognitions, staff=None):
    """Return one card dict per recognition, with live checks for open ones."""
    version = active_version()
    totals = ledger.year_totals({r.member_id for r in recognitions})
    approvals = _approvals({r.id for r in recognitions})
    return [
        _card(r, version, totals.get(r.member_id, 0), approvals.get(r.id, []), staff)
        for r in recognitions
    ]


def one(recognition, staff=None):
    return build([recognition], staff)[0]


def _card(recognition, version, ytd, approvers, staff):
    facts = ledger.member_facts(recognition.member)
    if recognition.status == "proposed":
        decision = workflow.current_decision(recognition, version, ytd)
        checks, required = decision.as_list(), decision.approvals_required
    else:
        checks, required = recognition.checks, max(len(approvers), 1)
    per_item, annual = effective_caps(version.rules, facts) if version else (0, 0)
    return {
        "r": recognition,
        "checks": checks,
        "allowed": all(check["passed"] for check in checks),
        "required": required,
        "approvers": approvers,
        "approved_by_me": bool(staff and staff.id in {a.id for a in approvers}),
        "ytd": ytd,
        "per_item_cap": per_item,
        "annual_cap": annual,
        "policy_number": version.number if version else None,
    }


def _approvals(recognition_ids):
    if not recognition_ids:
        return {}
    query = (
        Approval.select(Approval, StaffUser)
        .join(StaffUser)
        .where(Approval.recognition.in_(list(recognition_ids)))
        .order_by(Approval.approved_at)
    )
    found = {}
    for approval in query:
        found.setdefault(approval.recognition_id, []).append(approval.staff)
    return found
