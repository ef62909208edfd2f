"""The setup flow's first steps: the practice, its services and its branding."""

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from portal.accounts.users import actor, permission_required
from portal.practice import get_settings
from portal.setup import bp, checks, forms, logo, practice_data, progress
from portal.setup.facts import KINDS, MEMBERSHIP_KINDS, US_STATES

SETTINGS = "settings"


def step_nav(current):
    """The steps with their state, for the list at the top of every step."""
    settings = get_settings()
    return [
        {
            "name": name,
            "title": title,
            "state": progress.step_state(name, settings),
            "url": url_for(f"setup.{name}"),
            "current": name == current,
        }
        for name, title in progress.STEPS
    ]


def render_step(step, template, status=200, **context):
    page = render_template(
        template,
        step=step,
        steps=step_nav(step),
        skippable=step not in progress.REQUIRED_STEPS,
        **context,
    )
    return page, status


def advance(step):
    """After a step is saved or skipped: back to settings, or on to the next."""
    if request.form.get("return_to") == SETTINGS:
        return redirect(url_for("setup.settings"))
    return redirect(url_for(f"setup.{progress.step_after(step)}"))


def skipped(step):
    """Record a skip when the skip button was pressed; return the redirect."""
    if request.form.get("action") != "skip" or step in progress.REQUIRED_STEPS:
        return None
    progress.mark_step(step, "skipped", actor())
    flash(_("Skipped for now. The safe defaults stay in place."), "success")
    return advance(step)


def choices():
    return {"kinds": KINDS, "states": US_STATES, "membership_kinds": MEMBERSHIP_KINDS}


@bp.get("/")
@permission_required("settings")
def index():
    """Resume where setup was left."""
    return redirect(url_for(f"setup.{progress.next_step()}"))


@bp.route("/practice", methods=["GET", "POST"])
@permission_required("settings")
def practice():
    values, errors = practice_data.practice_values(), {}
    if request.method == "POST":
        values, errors = checks.check_practice(request.form)
        if not errors:
            practice_data.save_practice(values, actor())
            progress.mark_step("practice", "done", actor())
            flash(_("The practice's details are saved."), "success")
            return advance("practice")
    return render_step(
        "practice",
        "setup/practice.html",
        422 if errors else 200,
        values=values,
        errors=errors,
        timezones=sorted(checks.timezones()),
        **choices(),
    )


@bp.route("/services", methods=["GET", "POST"])
@permission_required("settings")
def services():
    settings = get_settings()
    line_rows = forms.line_rows(settings.practice_kind)
    place_rows = forms.place_rows(settings.practice_kind, settings.postal_address)
    failed = False
    if request.method == "POST":
        leave = skipped("services")
        if leave:
            return leave
        line_rows, lines, bad_lines = forms.read_lines(request.form)
        place_rows, places, bad_places = forms.read_places(request.form)
        failed = bad_lines or bad_places
        if not failed:
            practice_data.save_lines_and_places(lines, places, actor())
            progress.mark_step("services", "done", actor())
            flash(_("Service lines and locations are saved."), "success")
            return advance("services")
    return render_step(
        "services",
        "setup/services.html",
        422 if failed else 200,
        line_rows=line_rows,
        place_rows=place_rows,
        kind_label=_(KINDS.get(settings.practice_kind) or "Other"),
    )


@bp.route("/branding", methods=["GET", "POST"])
@permission_required("settings")
def branding():
    values, errors = practice_data.branding_values(), {}
    if request.method == "POST":
        leave = skipped("branding")
        if leave:
            return leave
        values, errors = save_branding_form()
        if not errors:
            progress.mark_step("branding", "done", actor())
            flash(_("Branding is saved."), "success")
            return advance("branding")
    return render_step(
        "branding",
        "setup/branding.html",
        422 if errors else 200,
        values=values,
        errors=errors,
    )


def save_branding_form():
    """Check and save colours, names and the logo together; return (values, errors)."""
    values, errors = checks.check_branding(request.form)
    upload = request.files.get("logo")
    stored = None
    if upload and upload.filename:
        try:
            extension, data = logo.check(upload.read(logo.MAX_BYTES + 1))
        except logo.LogoRefused as refused:
            errors["logo"] = str(refused)
        else:
            stored = (extension, data)
    if errors:
        return values, errors
    instance = current_app.instance_path
    previous = get_settings().logo_path
    current = previous
    if stored:
        current = logo.store(instance, *stored)
        practice_data.set_logo(current, actor())
    elif request.form.get("remove_logo"):
        current = ""
        practice_data.set_logo("", actor())
    practice_data.save_branding(values, actor())
    if previous and previous != current:
        logo.remove(instance, previous)
    return values, {}


@bp.route("/settings", methods=["GET", "POST"])
@permission_required("settings")
def settings():
    """The practice's settings after setup: details, branding, allowed sites."""
    section = request.form.get("section", "")
    practice_values = practice_data.practice_values()
    branding_values = practice_data.branding_values()
    origins = get_settings().allowed_origins
    errors = {}
    if request.method == "POST":
        if section == "practice":
            practice_values, errors = checks.check_practice(request.form)
            if not errors:
                practice_data.save_practice(practice_values, actor())
        elif section == "branding":
            branding_values, errors = save_branding_form()
        elif section == "origins":
            origins, errors = checks.check_origins(request.form.get("allowed_origins"))
            if not errors:
                practice_data.save_origins(origins, actor())
        else:
            abort(400)
        if not errors:
            flash(_("Settings saved."), "success")
            return redirect(url_for("setup.settings"))
    return render_template(
        "setup/settings.html",
        section=section,
        practice_values=practice_values,
        branding_values=branding_values,
        origins=origins,
        errors=errors,
        timezones=sorted(checks.timezones()),
        completed_at=get_settings().setup_completed_at,
        **choices(),
    ), (422 if errors else 200)


from portal.setup import golive_views, member_views, program_views  # noqa: E402,F401
