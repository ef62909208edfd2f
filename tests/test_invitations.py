"""Member-get-member: limits, exclusions, joining, the window, and escaping."""

from datetime import date, timedelta

import pytest

from portal import events
from portal.db import utcnow
from portal.invitations import rules, service, stats
from portal.models import (
    Invitation,
    Member,
    MembershipPlan,
    OutboxMessage,
    PracticeSettings,
    SignUp,
    Suppression,
)
from portal.practice import get_settings, practice_today
from portal.reports.period import Month
from tests.conftest import sign_in

NOTE = '<script>alert("x")</script> & see you "soon"'


def facts(**changes):
    base = dict(
        invitee_email="sis@example.com",
        sent_this_month=0,
        monthly_limit=10,
        days_since_last_to_address=None,
        address_window_days=90,
        suppressed=False,
        existing_member=False,
        inviter_is_member_of_program=True,
        note="",
    )
    base.update(changes)
    return rules.InviteFacts(**base)


def codes(problems):
    return [code for _, code, _ in problems]


def test_rules_allow_a_plain_invitation():
    assert rules.invitation_problems(facts()) == []


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"sent_this_month": 10}, "monthly_limit"),
        ({"days_since_last_to_address": 89}, "recently_invited"),
        ({"suppressed": True}, "suppressed"),
        ({"existing_member": True}, "existing_member"),
        ({"inviter_is_member_of_program": False}, "not_a_member"),
        ({"note": "x" * 301}, "note_too_long"),
    ],
)
def test_rules_name_each_exclusion(changes, code):
    assert codes(rules.invitation_problems(facts(**changes))) == [code]


def test_rules_allow_the_same_address_after_the_window():
    assert rules.invitation_problems(facts(days_since_last_to_address=90)) == []


def test_retention_counts_only_active_members_past_the_window():
    start = date(2026, 1, 1)
    assert not rules.is_retained(start, 30, "active", date(2026, 1, 30))
    assert rules.is_retained(start, 30, "active", date(2026, 1, 31))
    assert not rules.is_retained(start, 30, "cancelled", date(2026, 3, 1))
    assert not rules.is_retained(None, 30, "active", date(2026, 3, 1))


@pytest.fixture
def program(app):
    settings = get_settings()
    settings.name = "Maple Grove"
    settings.postal_address = "1 Main St, Raleigh, NC 27601"
    settings.membership_enabled = True
    settings.save()
    plan = MembershipPlan.create(
        name="Individual", monthly_fee_cents=8900, cancellation_window_days=30
    )
    inviter = Member.create(
        email="ana@example.com",
        first_name="Ana",
        last_name="Lopez",
        plan=plan,
        membership_status="active",
        membership_started_on=date(2025, 1, 1),
    )
    return plan, inviter


def _invite(client, inviter, **form):
    sign_in(client, f"m:{inviter.id}")
    data = {
        "first_name": "Rosa",
        "email": "rosa@example.com",
        "relationship": "family",
        "note": NOTE,
        "named": "yes",
    }
    data.update(form)
    return client.post("/me/invitations", data=data)


def test_member_invites_and_the_email_has_every_sender_element(client, program):
    _, inviter = program
    response = _invite(client, inviter)
    assert response.status_code == 302
    invitation = Invitation.get()
    assert (invitation.email, invitation.inviter_id) == ("rosa@example.com", inviter.id)
    message = OutboxMessage.get(OutboxMessage.kind == "invitation")
    assert message.to_email == "rosa@example.com" and message.marketing
    assert message.subject == "Ana invites you to join Maple Grove"
    for part in (message.text_body, message.html_body):
        assert "1 Main St, Raleigh, NC 27601" in part
        assert f"/invite/{invitation.token}" in part
        assert "nsubscribe" in part
    assert NOTE in message.text_body  # plain text is shown as typed
    assert "<script>" not in message.html_body
    assert "&lt;script&gt;alert(" in message.html_body
    assert "List-Unsubscribe" in message.headers


def test_anonymous_invite_hides_the_member_name(client, program):
    _, inviter = program
    _invite(client, inviter, named="no")
    message = OutboxMessage.get(OutboxMessage.kind == "invitation")
    assert message.subject == "A member of Maple Grove invites you to join"
    assert "Ana" not in message.text_body and "Ana" not in message.html_body


@pytest.mark.parametrize(
    "setup, field_message",
    [
        (lambda: Suppression.create(email="rosa@example.com"), "asked not to get"),
        (lambda: Member.create(email="rosa@example.com"), "already a member"),
        (
            lambda: Invitation.create(
                inviter=Member.get(),
                token="t0",
                first_name="R",
                email="rosa@example.com",
            ),
            "invited in the last 90 days",
        ),
    ],
)
def test_excluded_addresses_are_refused_and_nothing_is_sent(
    client, program, setup, field_message
):
    _, inviter = program
    setup()
    before = Invitation.select().count()
    response = _invite(client, inviter)
    assert response.status_code == 422
    assert field_message in response.get_data(as_text=True)
    assert Invitation.select().count() == before
    assert not OutboxMessage.select().where(OutboxMessage.kind == "invitation").exists()


def test_monthly_limit_holds(client, program):
    _, inviter = program
    settings = PracticeSettings.get_by_id(1)
    settings.invitation_monthly_limit = 2
    settings.save()
    for n in range(2):
        assert _invite(client, inviter, email=f"f{n}@example.com").status_code == 302
    refused = _invite(client, inviter, email="f3@example.com")
    assert refused.status_code == 422
    assert "most allowed" in refused.get_data(as_text=True)
    assert Invitation.select().count() == 2


def test_the_monthly_limit_follows_the_practices_calendar(client, program):
    _, inviter = program
    settings = PracticeSettings.get_by_id(1)
    settings.invitation_monthly_limit = 1
    settings.save()
    assert _invite(client, inviter, email="f0@example.com").status_code == 302
    # An hour before this month began in New York: still this month in UTC.
    zone = settings.timezone
    began, _ = Month.containing(utcnow(), zone).bounds(zone)
    Invitation.update(created_at=began - timedelta(hours=1)).execute()
    assert _invite(client, inviter, email="f1@example.com").status_code == 302
    assert _invite(client, inviter, email="f2@example.com").status_code == 422


def test_invitation_page_escapes_the_note_and_marks_it_opened(client, program):
    _, inviter = program
    _invite(client, inviter)
    invitation = Invitation.get()
    page = client.get(f"/invite/{invitation.token}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page
    assert "Ana invited you" in page and "Individual" in page
    assert Invitation.get().status == "opened" and Invitation.get().opened_at


def _join(client, invitation, **form):
    friend = client.application.test_client()  # the invitee's own browser
    data = {
        "first_name": "Rosa",
        "last_name": "Diaz",
        "email": "rosa@example.com",
        "plan": str(MembershipPlan.get().id),
        "email_consent": "on",
    }
    data.update(form)
    return friend.post(f"/invite/{invitation.token}", data=data)


def test_joining_creates_a_membership_signup_credited_to_the_inviter(client, program):
    _, inviter = program
    _invite(client, inviter)
    invitation = Invitation.get()
    accepted = []

    def receiver(sender, **kw):
        accepted.append(kw["signup"])

    with events.invitation_accepted.connected_to(receiver):
        response = _join(client, invitation, share_name="on")
    assert response.status_code == 200
    signup = SignUp.get()
    assert (signup.kind, signup.ambassador_id, signup.invitation_id) == (
        "membership",
        inviter.id,
        invitation.id,
    )
    assert signup.channel == "invitation" and signup.share_name_with_inviter
    assert [s.id for s in accepted] == [signup.id]
    assert Invitation.get().status == "joined"
    sign_in(client, f"m:{inviter.id}")
    mine = client.get("/me/invitations").get_data(as_text=True)
    assert "Joined" in mine and "Rosa" in mine


def test_inviter_does_not_learn_the_name_without_agreement(client, program):
    _, inviter = program
    _invite(client, inviter)
    _join(client, Invitation.get())
    sign_in(client, f"m:{inviter.id}")
    mine = client.get("/me/invitations").get_data(as_text=True)
    assert "Joined" in mine and "Rosa" not in mine


def test_join_form_errors_store_nothing(client, program):
    _, inviter = program
    _invite(client, inviter)
    response = _join(client, Invitation.get(), email="not-an-email", plan="999")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please enter an email address" in page
    assert "Please choose one of the plans" in page
    assert SignUp.select().count() == 0


def test_household_addon_is_not_a_referral(client, program):
    _, inviter = program
    _invite(client, inviter)
    _join(client, Invitation.get(), household_addon="on")
    signup = SignUp.get()
    assert signup.kind == "household_addon" and signup.ambassador_id is None


def test_existing_member_joining_is_flagged(client, program):
    _, inviter = program
    _invite(client, inviter)
    Member.create(email="rosa@example.com", first_name="Rosa")
    _join(client, Invitation.get())
    assert SignUp.get().existing_patient


def test_referral_counts_only_after_the_cancellation_window(client, program):
    plan, inviter = program
    _invite(client, inviter)
    _join(client, Invitation.get())
    signup = SignUp.get()
    events.signup_status_changed.send(
        signup, old_status="scheduled", new_status="became_patient"
    )
    member = Member.get(Member.email == "rosa@example.com")
    assert (member.plan_id, member.membership_status) == (plan.id, "active")
    assert SignUp.get().member_id == member.id
    retained = []

    def receiver(sender, **kw):
        retained.append(sender.id)

    today = practice_today()
    assert member.membership_started_on == today
    with events.membership_retained.connected_to(receiver):
        assert service.retention_sweep(today + timedelta(days=29)) == 0
        assert SignUp.get().retained_at is None
        assert service.retention_sweep(today + timedelta(days=30)) == 1
        assert service.retention_sweep(today + timedelta(days=31)) == 0
    assert retained == [signup.id] and SignUp.get().retained_at is not None
    sign_in(client, f"m:{inviter.id}")
    mine = client.get("/me/invitations").get_data(as_text=True)
    assert "Joined and stayed" in mine
    assert "1 sent, 1 joined, 1 stayed past the trial period." in mine


def test_a_membership_starts_on_the_practices_day_not_the_servers(client, program):
    settings = get_settings()
    settings.timezone = "Pacific/Kiritimati"  # UTC+14
    settings.save()
    ahead = practice_today()
    settings.timezone = "Pacific/Pago_Pago"  # UTC-11: always a day or two behind
    settings.save()
    assert practice_today() < ahead
    _, inviter = program
    _invite(client, inviter)
    _join(client, Invitation.get())
    events.signup_status_changed.send(
        SignUp.get(), old_status="scheduled", new_status="became_patient"
    )
    member = Member.get(Member.email == "rosa@example.com")
    assert member.membership_started_on == practice_today()


def test_cancelled_member_never_counts(client, program):
    _, inviter = program
    _invite(client, inviter)
    _join(client, Invitation.get())
    signup = SignUp.get()
    events.signup_status_changed.send(signup, new_status="became_patient")
    Member.update(membership_status="cancelled").where(
        Member.email == "rosa@example.com"
    ).execute()
    assert service.retention_sweep(date.today() + timedelta(days=60)) == 0


def test_personal_link_join_is_credited_through_the_code(client, program):
    from portal.referrals.links import primary_link

    _, inviter = program
    code = primary_link(inviter).code
    response = client.post(
        f"/invite/m/{code}",
        data={
            "first_name": "Leo",
            "email": "leo@example.com",
            "plan": str(MembershipPlan.get().id),
        },
    )
    assert response.status_code == 200
    signup = SignUp.get()
    assert signup.ambassador_id == inviter.id and signup.attribution_method == "code"


def test_manager_keeps_plans_and_bad_fees_change_nothing(client, program):
    from portal.models import StaffUser

    manager = StaffUser.create(email="m@practice.example", role="manager")
    sign_in(client, f"s:{manager.id}:1")
    bad = client.post(
        "/staff/membership",
        data={"plan_id": "", "name": "Family", "monthly_fee": "lots"},
    )
    assert bad.status_code == 422
    assert "Enter the monthly fee" in bad.get_data(as_text=True)
    assert MembershipPlan.select().count() == 1
    good = client.post(
        "/staff/membership",
        data={
            "plan_id": "",
            "name": "Family",
            "monthly_fee": "199.50",
            "cancellation_window_days": "45",
            "active": "on",
        },
    )
    assert good.status_code == 302
    family = MembershipPlan.get(MembershipPlan.name == "Family")
    assert (family.monthly_fee_cents, family.cancellation_window_days) == (19950, 45)


def test_staff_overview_counts_by_month_and_inviter(client, program):
    from portal.models import StaffUser

    _, inviter = program
    _invite(client, inviter)
    _join(client, Invitation.get())
    manager = StaffUser.create(email="m@practice.example", role="manager")
    staff_client = client.application.test_client()
    sign_in(staff_client, f"s:{manager.id}:1")
    response = staff_client.get("/staff/invitations")
    assert response.status_code == 200, response.get_data(as_text=True)[-3000:]
    page = response.get_data(as_text=True)
    month = practice_today().strftime("%Y-%m")
    assert month in page and "Ana Lopez" in page
    assert staff_client.get("/staff/membership").status_code == 200


def test_invitations_are_counted_in_the_practices_month(client, program):
    _, inviter = program
    _invite(client, inviter)
    # 03:00 UTC on the first of this month is still last month in New York.
    first = utcnow().replace(day=1, hour=3, minute=0, second=0, microsecond=0)
    Invitation.update(created_at=first).execute()
    last_month = (first - timedelta(days=1)).strftime("%Y-%m")
    assert stats.by_month() == [
        (last_month, {"sent": 1, "opened": 0, "joined": 0, "retained": 0})
    ]


def test_members_cannot_open_staff_invitation_pages(client, program):
    _, inviter = program
    sign_in(client, f"m:{inviter.id}")
    assert client.get("/staff/invitations").status_code == 403
    assert client.get("/staff/membership").status_code == 403
