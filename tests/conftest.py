"""Shared fixtures: paths to the bundled samples and to ../shared (skipped when absent)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PLANPARSER_SHARED", ROOT.parent / "shared"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory) -> Path:
    """The precompiled tables (parser.extract.cache) go to a folder of this test run, not the user's."""
    folder = tmp_path_factory.mktemp("planparser-cache")
    os.environ["PLANPARSER_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture
def shared() -> Path:
    """../shared (real texts and gold); tests using it skip on a clone without it."""
    if not (SHARED / "eval" / "score.py").exists():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


# -- documents made in the tests (Chinese text, with the libraries a user's files come from) ------------

def docx_bytes(lines: list[str], table: list[list[str]] | None = None) -> bytes:
    """A .docx with one paragraph a line (python-docx), and a table after them when given."""
    import io

    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def pdf_bytes(lines: list[str], per_line: int = 30, page_numbers: bool = True) -> bytes:
    """A PDF (reportlab, the STSong-Light CID font with its GB cmap) set like a printed page: lines wrap at
    the width of ``per_line`` ideographs (measured, so ASCII takes less room); body lines are indented
    two characters, the first line is not; page numbers at the foot."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font, size = "STSong-Light", 14
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    width = per_line * size
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    page, y = 1, 780

    def new_page():
        nonlocal page, y
        if page_numbers:
            c.setFont(font, 10)
            c.drawString(290, 40, f"- {page} -")
        c.showPage()
        page, y = page + 1, 780

    def wrap(text: str, first_indent: float) -> list[str]:
        out, cur, room = [], "", width - first_indent
        for ch in text:
            if pdfmetrics.stringWidth(cur + ch, font, size) > room:
                out.append(cur)
                cur, room = "", width
            cur += ch
        return out + [cur]

    for i, line in enumerate(lines):
        indent = 2 * size if i else 0
        for k, chunk in enumerate(wrap(line, indent)):
            c.setFont(font, size)
            c.drawString(60 + (indent if k == 0 else 0), y, chunk)
            y -= 22
            if y < 80:
                new_page()
    new_page()
    c.save()
    return buf.getvalue()


def scanned_pdf_bytes() -> bytes:
    """A PDF page holding only an image (a scan without a text layer)."""
    import io

    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("RGB", (200, 100), "white")
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawImage(ImageReader(img), 100, 500, 200, 100)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture
def make_docs():
    """``make_docs.docx(lines)``, ``make_docs.pdf(lines)``, ``make_docs.scanned()``: document bytes made here."""
    from types import SimpleNamespace

    return SimpleNamespace(docx=docx_bytes, pdf=pdf_bytes, scanned=scanned_pdf_bytes)


@pytest.fixture(scope="module")
def redis_url():
    """A throw-away redis-server on 127.0.0.1 (no persistence), stopped after the module."""
    from parser.scrape.redis import local_redis, redis_server_binary

    binary = redis_server_binary()
    if binary is None:
        pytest.skip("redis-server not found: apt-get install redis-server")
    with local_redis(binary) as url:
        yield url


@pytest.fixture
def rules_only(tmp_path, monkeypatch):
    """No trained model files (``PLANPARSER_MODEL_DIR`` pointed at an empty folder): the rules decide.
    The rule tests of tests/structure pin the rules, which are the line model's features and fallback."""
    monkeypatch.setenv("PLANPARSER_MODEL_DIR", str(tmp_path / "no-models"))
