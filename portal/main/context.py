"""Values every template can use: the practice, the language, the menu."""

from datetime import UTC

from flask import current_app, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user

from portal.i18n_marks import N_
from portal.practice import get_settings, practice_zone

# (endpoint, label, who sees it): "member", or the staff permission needed.
NAV = [
    ("members.dashboard", N_("My referral link"), "member"),
    ("invitations.mine", N_("Invite family and friends"), "member"),
    ("staff.signups", N_("Sign-ups"), "signups"),
    ("recognition.queue", N_("Approvals"), "approve"),
    ("prompts.overview", N_("Prompts"), "signups"),
    ("reports.monthly", N_("Reports"), "reports"),
    ("invitations.staff_overview", N_("Invitations"), "reports"),
    ("invitations.plans", N_("Membership"), "settings"),
    ("setup.settings", N_("Settings"), "settings"),
    ("compliance.overview", N_("Compliance"), "compliance"),
    ("accounts.staff_list", N_("Staff"), "admin"),
    ("accounts.outbox", N_("Email outbox"), "mail"),
    ("accounts.logout_page", N_("Sign out"), "any"),
]


def nav_items():
    """Return the menu entries the signed-in person may open, in order."""
    items = []
    for endpoint, label, audience in NAV:
        if endpoint not in current_app.view_functions:
            continue
        if not _may_see(audience):
            continue
        items.append({"url": url_for(endpoint), "label": gettext(label)})
    return items


def _may_see(audience):
    if audience == "any":
        return True
    if audience == "member":
        return getattr(current_user, "is_member", False)
    can = getattr(current_user, "can", None)
    return bool(can and can(audience))


ERROR_TITLES = {
    400: N_("That request could not be understood"),
    403: N_("You do not have access to this page"),
    404: N_("We could not find that page"),
    405: N_("That action is not allowed here"),
    413: N_("That file is too large"),
    429: N_("Too many requests"),
    500: N_("Something went wrong on our side"),
}
ERROR_MESSAGES = {
    400: N_("Please go back, check what you entered and try again."),
    403: N_(
        "If you think you should, sign in with the right account or ask the practice."
    ),
    404: N_("The address may be mistyped, or the page may have moved."),
    405: N_("Please go back and use the buttons on the page."),
    413: N_("Please choose a smaller file and try again."),
    429: N_("Please wait a minute and try again."),
    500: N_("We have been told about it. Please try again in a few minutes."),
}


def error_title(status, name):
    title = ERROR_TITLES.get(status)
    return gettext(title) if title else name


def error_message(status, description):
    message = ERROR_MESSAGES.get(status)
    return gettext(message) if message else description


def practice_time(moment):
    """Turn a stored UTC time into the practice's own clock, for display."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(practice_zone())


def init_app(app):
    @app.context_processor
    def _inject():
        return {"practice": get_settings()}

    app.jinja_env.filters["local"] = practice_time
    app.jinja_env.globals.update(
        current_locale=lambda: str(get_locale() or "en"),
        nav_items=nav_items,
        error_title=error_title,
        error_message=error_message,
    )
