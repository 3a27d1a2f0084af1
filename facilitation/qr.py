"""QR codes rendered on the server (qrcode + Pillow): PNG for screens and print, SVG for print."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def _code(url: str, box_size: int, border: int) -> qrcode.QRCode:
    # Level M survives a creased or partly glared table card; a URL this short stays small.
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    qr.add_data(url)
    qr.make(fit=True)
    return qr


def qr_png(url: str, box_size: int = 10, border: int = 4) -> bytes:
    """The QR code of url as PNG bytes (black on white)."""
    img = _code(url, box_size, border).make_image(fill_color="black", back_color="white")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def qr_image(url: str, box_size: int = 10, border: int = 4):
    """The QR code of url as a Pillow image (for composing printed cards)."""
    img = _code(url, box_size, border).make_image(fill_color="black", back_color="white")
    return img.get_image()


def qr_svg(url: str, border: int = 4) -> bytes:
    """The QR code of url as a standalone SVG document."""
    img = _code(url, 10, border).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue()
