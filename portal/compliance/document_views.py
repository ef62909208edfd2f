"""The program document for counsel, as a page and as files."""

from flask import Response, abort, render_template

from portal import audit
from portal.accounts.users import actor, permission_required
from portal.compliance import bp, document
from portal.db import utcnow


@bp.get("/document")
@permission_required("compliance")
def document_page():
    """Show the program document inside the portal (it prints cleanly)."""
    return render_template(
        "compliance/document.html",
        body=document.scrollable_tables(document.html_body()),
    )


@bp.get("/document.<fmt>")
@permission_required("compliance")
def document_download(fmt):
    """Download the document as standalone HTML or as Markdown."""
    if fmt not in document.FORMATS:
        abort(404)
    headers = {
        "Content-Disposition": 'attachment; filename="program-document-'
        f'{utcnow():%Y%m%d}.{fmt}"',
        "Cache-Control": "no-store",
    }
    if fmt == "md":
        body, mimetype = document.markdown(), "text/markdown; charset=utf-8"
    else:
        body, style_hash = document.html_file()
        mimetype = "text/html; charset=utf-8"
        # The file carries its own styles; allow exactly that style block.
        headers["Content-Security-Policy"] = (
            f"default-src 'none'; style-src {style_hash}; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'"
        )
    audit.record(actor(), "document.exported", "", {"format": fmt})
    return Response(body, mimetype=mimetype, headers=headers)
