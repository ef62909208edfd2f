"""What each attribution event says: ids, categories and times, never contact data.

A payload names the ambassador and the new patient by member id only. The
free-text how-heard detail is left out on purpose: people type names into it.
"""

from portal.models import Location, PolicyVersion, ServiceLine, Visit


def iso(moment):
    """Write a stored (naive UTC) time as ISO 8601 with a Z."""
    if moment is None:
        return None
    return moment.replace(microsecond=0).isoformat() + "Z"


def _slug(model, row_id):
    if row_id is None:
        return None
    row = model.get_or_none(model.id == row_id)
    return row.slug if row else None


def signup_facts(signup):
    """The attribution of one sign-up as the destination needs it."""
    return {
        "signup_id": signup.id,
        "kind": signup.kind,
        "status": signup.status,
        "source": signup.how_heard,
        "how_heard": signup.how_heard,
        "channel": signup.channel,
        "attribution_method": signup.attribution_method,
        "ambassador_member_id": signup.ambassador_id,
        "invitation_id": signup.invitation_id,
        "service_line": _slug(ServiceLine, signup.service_line_id),
        "location": _slug(Location, signup.location_id),
        "plan_id": signup.plan_id,
        "utm": {
            "source": signup.utm_source,
            "medium": signup.utm_medium,
            "campaign": signup.utm_campaign,
            "term": signup.utm_term,
            "content": signup.utm_content,
        },
        "origin": signup.origin,
        "self_referral": signup.self_referral,
        "existing_patient": signup.existing_patient,
        "patient_member_id": signup.member_id,
        "created_at": iso(signup.created_at),
        "became_patient_at": iso(signup.became_patient_at),
    }


def status_change(signup, old_status, new_status):
    facts = signup_facts(signup)
    facts.update(old_status=old_status, new_status=new_status)
    return facts


def prompt_sent(prompt):
    visit = Visit.get_or_none(Visit.id == prompt.visit_id)
    return {
        "prompt_id": prompt.id,
        "ambassador_member_id": prompt.member_id,
        "service_line": _slug(ServiceLine, visit.service_line_id) if visit else None,
        "location": _slug(Location, visit.location_id) if visit else None,
        "sent_at": iso(prompt.sent_at),
    }


def recognition_approved(recognition):
    policy = None
    if recognition.policy_version_id:
        policy = PolicyVersion.get_or_none(
            PolicyVersion.id == recognition.policy_version_id
        )
    return {
        "recognition_id": recognition.id,
        "ambassador_member_id": recognition.member_id,
        "signup_id": recognition.signup_id,
        "trigger": recognition.trigger,
        "item_kind": recognition.item.kind,
        "value_cents": recognition.value_cents,
        "policy_version": policy.number if policy else None,
        "approved_at": iso(recognition.decided_at),
    }


def invitation_accepted(invitation, signup):
    facts = signup_facts(signup) if signup is not None else {}
    facts.update(
        invitation_id=invitation.id,
        ambassador_member_id=invitation.inviter_id,
        relationship=invitation.relationship,
        joined_at=iso(invitation.joined_at),
    )
    return facts
