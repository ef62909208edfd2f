"""Twenty staff approving at once for one member never pass the annual cap."""

import threading

from portal.db import database
from portal.models import Approval, AuditEvent, Recognition
from portal.recognition import ledger, workflow
from tests import recognition_support as support

THREADS = 20


def _run_at_once(app, work):
    """Run work(n) in THREADS threads, each on its own connection; return results."""
    barrier = threading.Barrier(THREADS)
    results, errors = [None] * THREADS, []

    def body(n):
        with app.app_context():
            database.connect(reuse_if_open=True)
            try:
                barrier.wait()
                results[n] = work(n)
            except Exception as exc:  # collected and asserted on below
                errors.append(exc)
            finally:
                database.close()

    threads = [threading.Thread(target=body, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def test_twenty_parallel_approvals_stay_within_the_annual_cap(app):
    support.signed_policy()
    bottle = support.catalog()["bottle"]  # $12.00; the cap of $75.00 fits six
    member = support.member()
    staff = [support.staff() for _ in range(THREADS)]
    proposals = [
        workflow.propose(member, "first_visit", support.signup(member))
        for _ in range(THREADS)
    ]
    assert all(p.item_id == bottle.id for p in proposals)
    database.close()  # every thread, this one included, uses its own connection

    results, errors = _run_at_once(
        app, lambda n: workflow.approve(proposals[n].id, staff[n]).status
    )

    database.connect(reuse_if_open=True)
    assert errors == []
    assert sorted(results).count("approved") == 6
    assert sorted(results).count("denied") == THREADS - 6
    assert ledger.year_to_date(member.id) == 7200
    approved = Recognition.select().where(Recognition.status == "approved")
    assert approved.count() == 6 and Approval.select().count() == 6
    for denied in Recognition.select().where(Recognition.status == "denied"):
        assert denied.denial_reason.startswith("annual_cap:")
    actions = AuditEvent.select().where(AuditEvent.action.startswith("recognition."))
    assert actions.where(AuditEvent.action == "recognition.approved").count() == 6
    assert actions.where(AuditEvent.action == "recognition.denied").count() == 14


def test_two_staff_giving_both_approvals_at_once_approve_exactly_once(app):
    support.signed_policy()
    support.catalog()
    member = support.member()
    signup = support.signup(member, kind="membership")
    donation = workflow.propose(member, "membership_retained", signup)
    approvers = [support.staff() for _ in range(THREADS)]
    database.close()

    results, errors = _run_at_once(
        app, lambda n: workflow.approve(donation.id, approvers[n]).status
    )

    database.connect(reuse_if_open=True)
    # Two approvals complete it; everyone after them finds it decided.
    assert sorted(r for r in results if r) == ["approved", "awaiting_second"]
    assert {e.code for e in errors} == {"wrong_status"} and len(errors) == THREADS - 2
    assert Recognition.get_by_id(donation.id).status == "approved"
    assert Approval.select().count() == 2
    assert ledger.year_to_date(member.id) == 1500
