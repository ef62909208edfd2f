from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal import audit
from portal.accounts.users import actor, member_required, permission_required
from portal.extensions import htmx
from portal.invitations import bp, forms, service, stats
from portal.models import MembershipPlan
from portal.practice import get_settings
from portal.referrals.links import find_active, primary_link
from portal.web import external_url


@bp.route("/me/invitations", methods=["GET", "POST"])
@member_required
def mine():
    """The member's invitation form, their invitations and a personal link."""
    member = current_user.member
    errors, values, sent = {}, {}, False
    if request.method == "POST":
        values = request.form
        try:
            service.invite(
                member,
                values.get("first_name"),
                values.get("email"),
                values.get("relationship"),
                values.get("note"),
                values.get("named") == "yes",
            )
        except service.InvitationRefused as refused:
            errors = {
                field or "form": message for field, _, message in refused.problems
            }
        else:
            if not htmx:
                flash(_("Your invitation is on its way."), "success")
                return redirect(url_for("invitations.mine"))
            values, sent = {}, True
    context = {
        "sent": sent,
        "errors": errors,
        "values": values,
        "invitations": [
            (inv, *service.outcome(inv)) for inv in service.invitations_of(member)
        ],
        "open": service.program_open() and service.inviter_active(member),
        "personal_url": external_url(
            "invitations.personal", code=primary_link(member).code
        ),
    }
    if htmx:
        return render_template("invitations/_mine.html", **context)
    status = 422 if errors else 200
    return render_template("invitations/mine.html", **context), status


@bp.route("/invite/<token>", methods=["GET", "POST"])
def page(token):
    """The page an invitation email opens: the plans and a join form."""
    invitation = service.open_invitation(token)
    if invitation is None or not service.program_open():
        abort(404)
    inviter_name = invitation.inviter.first_name if invitation.inviter_named else ""
    return _plans_and_join(invitation=invitation, inviter_name=inviter_name)


@bp.route("/invite/m/<code>", methods=["GET", "POST"])
def personal(code):
    """A member's personal invitation link, shared from their own phone."""
    link = find_active(code)
    if link is None or not service.program_open():
        abort(404)
    return _plans_and_join(link=link, inviter_name="")


def _plans_and_join(invitation=None, link=None, inviter_name=""):
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form
        data, errors = forms.check(request.form)
        if data:
            data["language"] = str(get_locale() or "en")
            signup = service.join(data, invitation=invitation, link=link)
            audit.record("anonymous", "invitation.joined", f"signup:{signup.id}")
            return render_template("invitations/joined.html", signup=signup)
    return render_template(
        "invitations/page.html",
        plans=service.active_plans(),
        invitation=invitation,
        inviter_name=inviter_name,
        errors=errors,
        values=values,
    ), (422 if errors else 200)


@bp.get("/staff/invitations")
@permission_required("reports")
def staff_overview():
    return render_template(
        "invitations/staff.html",
        months=stats.by_month(),
        retention=stats.retention(),
        top=stats.top_inviters(),
    )


@bp.route("/staff/membership", methods=["GET", "POST"])
@permission_required("settings")
def plans():
    """Turn the membership program on or off and keep its plans."""
    settings = get_settings()
    errors = {}
    if request.method == "POST":
        errors = _save_plans(settings)
        if not errors:
            flash(_("Membership settings saved."), "success")
            return redirect(url_for("invitations.plans"))
    return render_template(
        "invitations/plans.html",
        settings=settings,
        plans=list(MembershipPlan.select().order_by(MembershipPlan.id)),
        errors=errors,
        values=request.form,
    ), (422 if errors else 200)


def _save_plans(settings):
    form = request.form
    if form.get("action") == "program":
        settings.membership_enabled = form.get("membership_enabled") == "on"
        settings.save()
        audit.record(
            actor(),
            "settings.membership",
            "practice:1",
            {"membership_enabled": settings.membership_enabled},
        )
        return {}
    plan, errors = forms.plan_from_form(form)
    if errors:
        return errors
    plan.save()
    audit.record(actor(), "settings.plan_saved", f"plan:{plan.id}")
    return {}
