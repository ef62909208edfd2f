"""Which other sites may post the sign-up form (static referral pages)."""

from urllib.parse import urlsplit

from flask import current_app

from portal.practice import get_settings


def origin_of(url):
    """Return scheme://host[:port] of an address, lower-cased, or ''."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def _split(text):
    for item in (text or "").replace("\n", ",").split(","):
        origin = origin_of(item)
        if origin:
            yield origin


def static_origins():
    """The practice's allowed origins plus those in ALLOWED_ORIGINS."""
    allowed = set(_split(get_settings().allowed_origins))
    allowed.update(_split(current_app.config.get("ALLOWED_ORIGINS", "")))
    return allowed


def own_origin(request):
    return {origin_of(current_app.config["PUBLIC_BASE_URL"]), origin_of(request.url)}


def classify(request):
    """Return 'same' (or no origin known), 'static' (allowed) or 'foreign'.

    'same' still has to pass the CSRF check; only 'static' goes without.
    """
    origin = (request.headers.get("Origin") or "").strip().lower()
    # Pages under a no-referrer policy (the portal's own) send "null".
    if not origin or origin == "null":
        return "same"
    if origin in own_origin(request):
        return "same"
    if origin in static_origins():
        return "static"
    return "foreign"
