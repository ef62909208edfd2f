"""Staff user pages for administrators: list, add, change role, deactivate."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts import bp, staffing
from portal.accounts.forms import ActiveForm, RoleForm, StaffAddForm
from portal.accounts.users import actor, permission_required
from portal.models import StaffUser


@bp.get("/staff/users")
@permission_required("admin")
def staff_list():
    return _render_list(StaffAddForm())


def _render_list(add_form, status=200):
    users = list(StaffUser.select().order_by(StaffUser.active.desc(), StaffUser.email))
    role_forms = {
        user.id: RoleForm(role=user.role, prefix=f"u{user.id}") for user in users
    }
    page = render_template(
        "accounts/staff_list.html",
        users=users,
        add_form=add_form,
        role_forms=role_forms,
        active_form=ActiveForm(),
    )
    return page, status


@bp.post("/staff/users")
@permission_required("admin")
def staff_add():
    form = StaffAddForm()
    if not form.validate_on_submit():
        return _render_list(form, 400)
    try:
        user = staffing.add(
            actor(),
            form.email.data,
            form.role.data,
            name=form.name.data or "",
            clinician=form.clinician.data,
        )
    except staffing.StaffChangeRefused as exc:
        form.email.errors.append(str(exc))
        return _render_list(form, 400)
    flash(_("Staff user %(email)s added.", email=user.email), "success")
    return redirect(url_for("accounts.staff_list"))


@bp.post("/staff/users/<int:staff_id>/role")
@permission_required("admin")
def staff_role(staff_id):
    user = StaffUser.get_or_none(StaffUser.id == staff_id) or abort(404)
    form = RoleForm(prefix=f"u{user.id}")
    if not form.validate_on_submit():
        flash(_("Choose one of the roles listed."), "error")
        return redirect(url_for("accounts.staff_list"))
    try:
        staffing.change_role(actor(), user.id, form.role.data)
    except staffing.StaffChangeRefused as exc:
        flash(str(exc), "error")
    else:
        flash(_("Role of %(email)s changed.", email=user.email), "success")
    return redirect(url_for("accounts.staff_list"))


@bp.post("/staff/users/<int:staff_id>/deactivate")
@permission_required("admin")
def staff_deactivate(staff_id):
    return _set_active(staff_id, False)


@bp.post("/staff/users/<int:staff_id>/reactivate")
@permission_required("admin")
def staff_reactivate(staff_id):
    return _set_active(staff_id, True)


def _set_active(staff_id, active):
    user = StaffUser.get_or_none(StaffUser.id == staff_id) or abort(404)
    if not ActiveForm().validate_on_submit():
        abort(400)
    if not active and user.id == current_user.staff.id:
        flash(_("You cannot deactivate yourself; ask another administrator."), "error")
        return redirect(url_for("accounts.staff_list"))
    try:
        staffing.set_active(actor(), user.id, active)
    except staffing.StaffChangeRefused as exc:
        flash(str(exc), "error")
        return redirect(url_for("accounts.staff_list"))
    if active:
        flash(_("%(email)s can sign in again.", email=user.email), "success")
    else:
        flash(
            _("%(email)s is deactivated and signed out.", email=user.email), "success"
        )
    return redirect(url_for("accounts.staff_list"))
