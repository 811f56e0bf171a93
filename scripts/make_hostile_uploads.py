"""Write the hostile upload samples into dimos/core/tests/hostile_uploads/.

Run it again after changing a sample: `.venv/bin/python scripts/make_hostile_uploads.py`.
Its output is committed so that the set can be reviewed; the tests read the committed files.
Not written here, but made in the tests: the over-limit file (10 MB need not live in git) and
the EICAR test string (so that virus scanners on developers' machines leave the checkout alone).
"""

import io
import zipfile
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

OUT = Path(__file__).resolve().parent.parent / "dimos" / "core" / "tests" / "hostile_uploads"

# A minimal Windows program header: "MZ", the DOS stub's message, then the PE signature.
WINDOWS_PROGRAM = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\xb8"
    + b"\x00" * 43
    + b"\x40\x00\x00\x00"
    + b"This program cannot be run in DOS mode.\r\r\n$"
    + b"\x00" * 8
    + b"PE\x00\x00\x4c\x01"
    + b"\x00" * 64
)
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"


def pdf(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def pdf_with_javascript() -> bytes:
    """A link on the page whose action is a script."""
    writer = one_page()
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (0, 0, 595, 842)]),
            NameObject("/A"): writer._add_object(script),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    return pdf(writer)


def pdf_with_hidden_javascript() -> bytes:
    """/OpenAction with names written as #-escapes: only a parser sees /JavaScript and /JS."""
    data = pdf(one_page())
    action = b"/OpenAction<</S/J#61vaScript/J#53(app.alert\\(1\\))>>"
    return data.replace(b"/Type /Catalog", b"/Type /Catalog " + action, 1)


def pdf_with_launch() -> bytes:
    writer = one_page()
    launch = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(launch)
    return pdf(writer)


def pdf_with_embedded_file() -> bytes:
    writer = one_page()
    writer.add_attachment("invoice.exe", WINDOWS_PROGRAM)
    return pdf(writer)


def encrypted_pdf() -> bytes:
    writer = one_page()
    writer.encrypt("secret", algorithm="AES-128")
    return pdf(writer)


def polyglot_pdf_html() -> bytes:
    """Starts as a PDF, and carries a web page that a sniffing browser would run."""
    data = pdf(one_page())
    return data.replace(b"\n", b"\n%" + HTML, 1)


def zip_of(name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(name, content)
    return out.getvalue()


def zip_bomb() -> bytes:
    """About 100 KB that unpack to 101 MB of zeros."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("zeros.csv", "w", force_zip64=True) as inner,
    ):
        block = b"\x00" * (1024 * 1024)
        for _ in range(101):
            inner.write(block)
    return out.getvalue()


def jpeg(size: tuple[int, int] = (64, 64)) -> bytes:
    image = Image.radial_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def jpeg_then_html() -> bytes:
    """A JPEG header (magic and JFIF segment), then a web page where the picture should be."""
    return jpeg()[:20] + HTML


def jpeg_then_zip() -> bytes:
    """A real picture with a zip archive appended ("GIFAR"): both readers open it."""
    return jpeg() + zip_of("payload.html", HTML)


def gif_then_html() -> bytes:
    return b"GIF89a\x01\x00\x01\x00\x00\x00\x00" + HTML


def pixel_bomb() -> bytes:
    """A 12 KB PNG of 10,000 × 10,000 pixels: 100 million pixels once decoded."""
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.domain)</script></svg>\n"
)

SAMPLES: dict[str, bytes] = {
    "windows-program.bin": WINDOWS_PROGRAM,
    "linux-program.bin": LINUX_PROGRAM,
    "archive.zip": zip_of("invoice.pdf.exe", WINDOWS_PROGRAM),
    "zip-bomb.zip": zip_bomb(),
    "polyglot-pdf-html.pdf": polyglot_pdf_html(),
    "pdf-javascript.pdf": pdf_with_javascript(),
    "pdf-javascript-hidden-names.pdf": pdf_with_hidden_javascript(),
    "pdf-launch.pdf": pdf_with_launch(),
    "pdf-embedded-file.pdf": pdf_with_embedded_file(),
    "pdf-junk-before-header.pdf": b"Hello\r\n" * 20 + pdf(one_page()),
    "pdf-encrypted.pdf": encrypted_pdf(),
    "html-page.html": HTML,
    "svg-with-script.svg": SVG,
    "jpeg-then-html.jpg": jpeg_then_html(),
    "jpeg-then-zip.jpg": jpeg_then_zip(),
    "gif-then-html.gif": gif_then_html(),
    "truncated.jpg": jpeg((256, 256))[:1500],
    "pixel-bomb.png": pixel_bomb(),
    "empty.bin": b"",
    "random-binary.bin": bytes(range(256)) * 8,
    "good.pdf": pdf(one_page()),
    "good.jpg": jpeg(),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, content in SAMPLES.items():
        (OUT / name).write_bytes(content)
        print(f"{len(content):>9} {name}")


if __name__ == "__main__":
    main()
