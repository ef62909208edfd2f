"""QR codes for referral addresses, drawn once and kept in memory."""

import hashlib
import io
from functools import lru_cache

import qrcode
import qrcode.image.svg

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


def _matrix(address):
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4
    )
    code.add_data(address)
    code.make(fit=True)
    return code


@lru_cache(maxsize=512)
def render(address, fmt):
    """Return (bytes, etag) of the QR code for an address as SVG or PNG."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    code = _matrix(address)
    out = io.BytesIO()
    if fmt == "svg":
        # A filled background keeps the code readable on dark pages and prints.
        code.make_image(image_factory=qrcode.image.svg.SvgPathFillImage).save(out)
    else:
        code.make_image(fill_color="black", back_color="white").save(out)
    body = out.getvalue()
    return body, hashlib.sha256(body).hexdigest()[:32]
