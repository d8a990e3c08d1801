"""Static images (PNG, SVG) of Plotly figures, drawn by Plotly.js itself in a headless
Chromium: through kaleido where it is installed, else through Playwright driving the
system's chromium (Debian's `chromium`; never a downloaded browser). Offline: Plotly.js
comes from the installed plotly package.

In the app no server-side export is needed: Plotly's own camera button saves the figure,
as SVG with `config={"toImageButtonOptions": {"format": "svg"}}`.
"""

from __future__ import annotations

import base64
import os
import shutil
import urllib.parse
from typing import Literal

import plotly.graph_objects as go

ImageFormat = Literal["png", "svg"]
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


class ImageExportError(RuntimeError):
    """No way to draw a static image here; the message says what to install."""


def figure_image(figure: go.Figure, image_format: ImageFormat = "png", scale: float = 2.0) -> bytes:
    """The figure as PNG or SVG bytes, at its layout's width and height."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return _through_chromium(figure, image_format, scale)
    return figure.to_image(format=image_format, scale=scale)


def chromium_path() -> str | None:
    """The system's chromium: $JOURNEY_CHROMIUM, else `chromium` on the PATH."""
    return os.environ.get("JOURNEY_CHROMIUM") or shutil.which("chromium")


def _through_chromium(figure: go.Figure, image_format: ImageFormat, scale: float) -> bytes:
    browser = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser = None
    if browser is None:
        raise ImageExportError(
            "a static image needs kaleido (pip install kaleido) or Playwright with the "
            "system's chromium (pip install playwright; apt-get install chromium)"
        )
    width = figure.layout.width or 1000
    height = figure.layout.height or 700
    page_html = figure.to_html(include_plotlyjs=True, full_html=True, div_id="figure")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=browser, args=CHROMIUM_FLAGS, headless=True
        )
        try:
            page = chromium.new_page()
            page.set_content(page_html, wait_until="load")
            url = page.evaluate(
                "([format, width, height, scale]) => Plotly.toImage("
                "document.getElementById('figure'), {format, width, height, scale})",
                [image_format, width, height, scale],
            )
        finally:
            chromium.close()
    header, _, data = url.partition(",")
    if header.endswith(";base64"):
        return base64.b64decode(data)
    return urllib.parse.unquote(data).encode("utf-8")
