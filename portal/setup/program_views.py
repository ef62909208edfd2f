"""The program step: the state's policy defaults, the catalog, prompt rules."""

from flask import flash, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.users import actor, permission_required
from portal.models import CatalogItem
from portal.practice import get_settings
from portal.prompts.ruleform import DEFAULT_SCOPE
from portal.recognition import versions
from portal.recognition.versions import PolicyError
from portal.setup import bp, program, progress
from portal.setup.views import advance, render_step, skipped


def _context():
    state = get_settings().us_state
    return {
        "summary": program.state_summary(state),
        "starter": program.starter_items(state),
        "catalog_count": CatalogItem.select().count(),
        "active": versions.active_version(),
        "pending": versions.pending_version(),
        "scopes": program.prompt_scopes(),
        "default_scope": DEFAULT_SCOPE,
    }


@bp.route("/program", methods=["GET", "POST"], endpoint="program")
@permission_required("settings")
def program_step():
    error = ""
    if request.method == "POST":
        leave = skipped("program")
        if leave:
            return leave
        error = _save()
        if not error:
            progress.mark_step("program", "done", actor())
            flash(_("The program's defaults are saved."), "success")
            return advance("program")
    return render_step(
        "program",
        "setup/program.html",
        422 if error else 200,
        error=error,
        **_context(),
    )


def _save():
    """Start the policy, the catalog and the prompt rules; return an error or ""."""
    state = get_settings().us_state
    try:
        program.start_policy(state, actor(), current_user.staff)
    except PolicyError as exc:
        return str(exc)
    if request.form.get("catalog", "starter") == "starter":
        program.add_starter_catalog(state, actor())
    program.save_prompt_choices(set(request.form.getlist("prompts")), actor())
    return ""
