"""Pages a member opens from an email: the survey answer and the share page.

They need no sign-in: the signed token in the address is the permission.
Neither the score nor the member appears in the address, and the request log
writes only the route pattern.
"""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import force_locale

from portal.db import write_transaction
from portal.extensions import htmx
from portal.models import Member, Prompt
from portal.prompts import bp, sharing, surveys, tokens
from portal.referrals.clicks import is_countable

REFUSED_STATUS = {"used": 409, "expired": 410, "invalid": 404}


def _a_person():
    # Mail scanners and link previews open links too; they must not answer.
    agent = request.headers.get("User-Agent", "")
    return is_countable("GET", agent, request.headers)


@bp.route("/survey/<token>", methods=["GET", "POST"])
def survey_answer(token):
    """Record the tapped score once and show what follows from it."""
    if request.method == "GET" and not _a_person():
        return render_template("prompts/survey_confirm.html", token=token)
    try:
        answer = surveys.answer(token)
    except tokens.TokenError as exc:
        page = render_template("prompts/survey_refused.html", reason=exc.reason)
        return page, REFUSED_STATUS[exc.reason]
    values = {"outcome": answer.outcome}
    if answer.outcome == "share":
        values["share"] = sharing.context(answer.prompt, answer.member)
    if answer.outcome == "sorry" and answer.alert is not None:
        values["contact_token"] = tokens.contact_token(answer.alert.id)
    with force_locale(answer.member.preferred_language):
        return render_template("prompts/survey_done.html", **values)


@bp.post("/survey/contact")
def survey_contact():
    """A detractor asked to be contacted: flag their service-recovery alert."""
    try:
        alert_id = tokens.read_contact_token(request.form.get("token", ""))
    except tokens.TokenError:
        abort(404)
    alert = surveys.ask_to_be_contacted(alert_id)
    if alert is None:
        abort(404)
    member = Member.get_by_id(alert.member_id)
    with force_locale(member.preferred_language):
        return render_template("prompts/survey_done.html", outcome="contact")


def _prompt(token):
    try:
        prompt_id = tokens.read_share_token(token)
    except tokens.TokenError:
        abort(404)
    prompt = Prompt.get_or_none(Prompt.id == prompt_id, Prompt.status == "sent")
    member = Member.get_or_none(Member.id == prompt.member_id) if prompt else None
    if member is None or member.erased_at is not None:
        abort(404)
    return prompt, member


@bp.get("/share/<token>")
def share(token):
    """The page a prompt email opens: link, QR code and share buttons."""
    prompt, member = _prompt(token)
    if _a_person():
        sharing.mark_opened(prompt.id)
    with force_locale(member.preferred_language):
        return render_template(
            "prompts/share.html", share=sharing.context(prompt, member)
        )


@bp.get("/share/<token>/<channel>")
def share_via(token, channel):
    """Record a share from a prompt, then open the member's own app."""
    if channel not in sharing.SHARE_CHANNELS:
        abort(404)
    prompt, member = _prompt(token)
    if _a_person():
        with write_transaction():
            sharing.mark_shared(prompt.id)
    with force_locale(member.preferred_language):
        address = sharing.context(prompt, member)["address"]
        target = sharing.share_targets(address)[channel]
    response = redirect(target, 302)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/share/<token>/stop")
def stop(token):
    """Never ask this member to share after a visit again."""
    _, member = _prompt(token)
    sharing.stop_prompts(member)
    with force_locale(member.preferred_language):
        if htmx:
            return render_template("prompts/_stopped.html")
        return render_template("prompts/stopped.html")


@bp.post("/share/<token>/dismiss")
def dismiss(token):
    """Hide the prompt card: the member said not now."""
    prompt, _ = _prompt(token)
    sharing.dismiss(prompt.id)
    if htmx:
        return ""
    return redirect(url_for("members.dashboard"), 303)
