"""Sign-in by emailed link, sign-out, and the plain staff home page."""

import hashlib

from crawlerdetect import CrawlerDetect
from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal import audit
from portal.accounts import bp, signin
from portal.accounts import tasks as account_tasks
from portal.accounts.forms import LinkConfirmForm, LoginForm, LogoutForm
from portal.accounts.users import SignedInMember, SignedInStaff, permission_required
from portal.db import utcnow
from portal.extensions import limiter
from portal.models import StaffUser
from portal.web import safe_next

# Per address: a few links in a quarter hour is plenty for a person.
ADDRESS_LIMIT = "5 per 15 minutes"
# Per client: a front-desk computer may sign several people in.
CLIENT_LIMIT = "20 per 15 minutes"


def _address_key():
    # Hashed, so the limiter's storage holds no email addresses.
    email = signin.normalise(request.form.get("email", ""))
    return "sign-in:" + hashlib.sha256(email.encode()).hexdigest()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(CLIENT_LIMIT, methods=["POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"], key_func=_address_key)
def login():
    """Ask for an address and email a link; every address gets the same answer."""
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        next_url = safe_next(form.next.data, "")
        account_tasks.send_sign_in_link(signin.normalise(form.email.data), next_url)
        return render_template("accounts/login_sent.html")
    status = 400 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.route("/login/<token>", methods=["GET", "POST"])
def login_link(token):
    """Sign in with a link from an email; a used or expired one says so."""
    if request.method == "GET" and _is_link_preview():
        outcome = signin.peek(token)
        if outcome == "ok":
            return render_template(
                "accounts/login_confirm.html", form=LinkConfirmForm(), token=token
            )
        return _refused(outcome)
    if request.method == "POST" and not LinkConfirmForm().validate_on_submit():
        return _refused("invalid")

    redemption = signin.redeem(token)
    if redemption.outcome != "ok":
        return _refused(redemption.outcome)
    _start_session(redemption)
    flash(_("You are signed in."), "success")
    return redirect(safe_next(redemption.next_url, "") or _landing())


def _is_link_preview():
    # Mail scanners and chat previews fetch links and would use them up. A
    # headless browser is how a person automates their own sign-in, so it is
    # treated as a person.
    agent = request.headers.get("User-Agent", "")
    return "HeadlessChrome" not in agent and CrawlerDetect(user_agent=agent).isCrawler()


def _refused(outcome):
    form = LoginForm()
    status = 410 if outcome in ("used", "expired") else 400
    return render_template(
        "accounts/link_refused.html", outcome=outcome, form=form
    ), status


def _start_session(redemption):
    # A fresh session at sign-in, so nothing set before it carries over.
    session.clear()
    if redemption.kind == "staff":
        staff = redemption.person
        StaffUser.update(last_sign_in_at=utcnow()).where(
            StaffUser.id == staff.id
        ).execute()
        user = SignedInStaff(staff)
    else:
        user = SignedInMember(redemption.person)
    login_user(user)
    audit.record(user.audit_name, "account.signed_in", user.audit_name)


def _landing():
    """Where a person goes after signing in, by who they are."""
    if getattr(current_user, "is_staff", False):
        endpoint = (
            "staff.signups" if current_user.can("signups") else "accounts.staff_home"
        )
    else:
        endpoint = "members.dashboard"
    if endpoint not in current_app.view_functions:
        endpoint = "accounts.staff_home" if current_user.is_staff else "main.home"
    return url_for(endpoint)


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout_page():
    """GET shows the sign-out button; POST ends the session."""
    form = LogoutForm()
    if request.method == "POST" and form.validate_on_submit():
        logout_user()
        session.clear()
        flash(_("You are signed out."), "success")
        return redirect(url_for("main.home"))
    return render_template("accounts/logout.html", form=form)


@bp.get("/staff/")
@permission_required("staff_area")
def staff_home():
    """A plain starting page for staff, listing what their role opens."""
    return render_template("accounts/staff_home.html")
