"""Go live: the counsel document, the static pages, the card sheet, the checklist."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import audit
from portal.accounts.users import actor, permission_required
from portal.compliance import document
from portal.db import utcnow
from portal.practice import get_settings
from portal.recognition import versions
from portal.referrals import qr
from portal.setup import bp, golive, member_files, progress
from portal.setup.views import render_step


@bp.get("/golive", endpoint="golive")
@permission_required("settings")
def golive_step():
    return render_step(
        "golive",
        "setup/golive.html",
        checklist=progress.checklist(),
        active=versions.active_version(),
        pending=versions.pending_version(),
        may_sign=current_user.can("compliance"),
        completed_at=get_settings().setup_completed_at,
        public_base=golive.public_base(),
    )


@bp.get("/document.html")
@permission_required("settings")
def document_file():
    """The program document for counsel, as the compliance pages export it."""
    body, style_hash = document.html_file()
    audit.record(actor(), "document.exported", "", {"format": "html", "via": "setup"})
    progress.mark_done("document")
    return Response(
        body,
        mimetype="text/html; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="program-document-'
            f'{utcnow():%Y%m%d}.html"',
            "Cache-Control": "no-store",
            # The file carries its own styles; allow exactly that style block.
            "Content-Security-Policy": f"default-src 'none'; style-src {style_hash}; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        },
    )


@bp.get("/referral-pages.zip")
@permission_required("settings")
def landing_zip():
    """The static referral pages, built by the landing builder, as one zip."""
    data, pages = golive.landing_zip()
    audit.record(actor(), "landing.built", "", {"pages": pages, "via": "setup"})
    progress.mark_done("landing")
    return Response(
        data,
        mimetype="application/zip",
        headers={
            "Content-Disposition": 'attachment; filename="referral-pages.zip"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/cards")
@permission_required("settings")
def cards():
    """Choose members (or the practice's own card), then print a sheet of cards."""
    member_ids = [int(v) for v in request.args.getlist("member") if v.isdigit()]
    raw = request.args.get("practice", "")
    copies = int(raw) if raw.isdigit() else 0
    if not member_ids and not copies:
        query = request.args.get("q", "").strip()[:80]
        return render_template(
            "setup/cards_choose.html",
            query=query,
            members=golive.find_members(query),
            nothing_chosen="practice" in request.args,
        )
    sheet = golive.member_cards(
        member_ids,
        lambda code: url_for("referrals.qr_image", code=code, fmt="svg", c="print"),
    )
    if copies:
        sheet += golive.practice_cards(copies, url_for("setup.practice_qr"))
    progress.mark_done("cards")
    audit.record(
        actor(), "cards.printed", "", {"members": member_ids, "practice": copies}
    )
    return render_template(
        "setup/cards.html", sheet=sheet, join_url=golive.public_base() + "/join"
    )


@bp.get("/cards/practice-qr.svg")
@permission_required("settings")
def practice_qr():
    body, etag = qr.render(golive.practice_address(), "svg")
    response = Response(body, mimetype=qr.FORMATS["svg"])
    response.set_etag(etag)
    return response


@bp.post("/finish")
@permission_required("settings")
def finish():
    try:
        progress.complete(actor())
    except ValueError:
        flash(_("Enter the practice's name and postal address first."), "error")
        return redirect(url_for("setup.practice"))
    member_files.discard_waiting()
    flash(_("Setup is finished. The program is live."), "success")
    return redirect(url_for("setup.golive"))
