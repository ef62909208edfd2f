"""The practice's logo: PNG or JPEG only, checked by decoding it, kept small.

SVG is refused because an SVG file can carry scripts. An accepted image is
decoded and saved again by Pillow, which also drops its metadata (a phone
photo's location, for one).
"""

import hashlib
import io
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MAX_BYTES = 1024 * 1024
MAX_SIDE = 4000
FORMATS = {"PNG": "png", "JPEG": "jpg"}
FOLDER = "branding"


class LogoRefused(ValueError):
    """The file is not a logo the portal will serve; the message says why."""


def check(data):
    """Return (format, re-encoded bytes) for an acceptable logo, else raise."""
    if not data:
        raise LogoRefused("Choose an image file.")
    if len(data) > MAX_BYTES:
        raise LogoRefused(
            f"The logo is {len(data) / 1024 / 1024:.1f} MB; it must be at most 1 MB."
        )
    if data.lstrip()[:5].lower() in (b"<?xml", b"<svg "):
        raise LogoRefused("SVG files can carry scripts; upload a PNG or JPEG.")
    image = _decode(data)
    out = io.BytesIO()
    image.save(out, format=image.format)
    return FORMATS[image.format], out.getvalue()


def _decode(data):
    # A small file can still claim billions of pixels; refuse it unread.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise LogoRefused(
                    f"{image.format} images are not accepted; upload a PNG or JPEG."
                )
            if max(image.size) > MAX_SIDE:
                raise LogoRefused(f"The logo must be at most {MAX_SIDE} pixels wide.")
            image.load()
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            Image.DecompressionBombWarning,
            Image.DecompressionBombError,
        ) as exc:
            raise LogoRefused("That file is not a PNG or JPEG image.") from exc
    return image


def store(instance_path, extension, data):
    """Write the logo under the instance folder; return its relative path."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    relative = f"{FOLDER}/logo-{digest}.{extension}"
    target = Path(instance_path) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return relative


def remove(instance_path, relative):
    """Delete a logo file that is no longer the practice's (only under branding/)."""
    if not relative or not relative.startswith(f"{FOLDER}/"):
        return
    path = Path(instance_path) / relative
    if path.is_file():
        path.unlink()
