"""POST /api/v1/signups: sign-ups from other systems, validated like the form."""

from flask import jsonify
from pydantic import BaseModel

from portal.api import bp
from portal.api.keys import ApiError, key_required
from portal.api.schema import operation, parse
from portal.extensions import limiter
from portal.referrals import intake, notify
from portal.referrals.forms import SignupIn, finish


class SignupCreated(BaseModel):
    """The stored sign-up, as the practice will see it."""

    id: int
    status: str
    credited: bool
    channel: str | None
    attribution_method: str
    self_referral: bool
    existing_patient: bool


@bp.post("/signups")
@limiter.limit("120 per minute")
@key_required("ingest")
@operation(
    "POST",
    "/api/v1/signups",
    "Create a sign-up, credited to the referral code when one is given",
    scope="ingest",
    body=SignupIn,
    responses={201: SignupCreated},
    tag="signups",
)
def create_signup():
    data = parse(SignupIn)
    resolved, problems = finish(data)
    if problems:
        raise ApiError(
            422, "invalid_request", "The request has invalid fields.", problems
        )
    signup = intake.create(resolved, origin="api", language=data.language or "en")
    notify.confirm(signup)
    body = SignupCreated(
        id=signup.id,
        status=signup.status,
        credited=signup.ambassador_id is not None,
        channel=signup.channel,
        attribution_method=signup.attribution_method,
        self_referral=signup.self_referral,
        existing_patient=signup.existing_patient,
    )
    return jsonify(body.model_dump()), 201
