"""PDFs from HTML templates, with WeasyPrint: A4, Greek, fonts vendored, no network.

WeasyPrint (and Debian's pango under it) is imported when the first PDF is rendered, not when
the portal starts: a machine without pango serves every page, and only PDFs fail, loudly.
"""

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

# Templates load fonts (and later a logo) by paths relative to the core app's static files;
# nothing else is ever fetched while rendering: no network, no other file on the machine.
PDF_ASSETS = Path(__file__).resolve().parent / "static"
# Tagged PDF for screen readers (ν.4727/2020); the template sets lang="el" and the <title>.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"


class PdfUnavailableError(RuntimeError):
    """This machine cannot render PDFs: WeasyPrint or its system libraries are missing."""


class PdfTemplateError(RuntimeError):
    """A PDF template asked for something it may not load, or that is missing."""


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    page_count: int


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data URI: vector, so it prints sharp at any size."""
    import segno  # here, like WeasyPrint: only what issues documents needs the PDF libraries

    # Level M survives a fold or a stain on paper; the default 4-module quiet zone is kept.
    return str(segno.make_qr(text, error="m").svg_data_uri())


def html_to_pdf(html: str) -> RenderedPdf:
    """Render HTML (from our own templates) to a PDF."""
    weasyprint = _weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    try:
        document = weasyprint.HTML(
            string=html, base_url=PDF_ASSETS.as_uri() + "/", url_fetcher=_fetcher()
        ).render(**PDF_OPTIONS)
    except FatalURLFetchingError as exc:  # a BaseException: turned into an ordinary error
        raise PdfTemplateError(f"{exc} ({exc.__cause__})") from exc
    return RenderedPdf(data=document.write_pdf(**PDF_OPTIONS), page_count=len(document.pages))


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: pango/harfbuzz shared libraries missing
        raise PdfUnavailableError(
            "PDF rendering is not possible on this machine: install the Python package "
            f"weasyprint and the Debian packages {DEBIAN_PACKAGES} ({exc})"
        ) from exc
    return weasyprint


@functools.cache
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class OwnAssetsOnly(URLFetcher):
        """Fetch data: URIs and files under PDF_ASSETS; refuse everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:") or _is_own_asset(url):
                return super().fetch(url, headers)
            raise ValueError(f"PDF templates may only use their own assets, not {url[:100]}")

    return OwnAssetsOnly


def _fetcher() -> Any:
    # fail_on_errors: a font or image that cannot be loaded stops the rendering instead of
    # silently printing a document that looks different from the template.
    return _fetcher_class()(allowed_protocols={"data", "file"}, fail_on_errors=True)


def _is_own_asset(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in {"", "localhost"}:
        return False
    path = Path(url2pathname(parts.path)).resolve()
    return path.is_relative_to(PDF_ASSETS) and path.is_file()
