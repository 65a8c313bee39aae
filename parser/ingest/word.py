"""A .docx file's text with python-docx: body paragraphs and table rows in document order.

One paragraph a line (line breaks inside a paragraph start new lines); a table row is one line
with its cells separated by TAB, a merged cell written once. Headers and footers (page numbers,
letterheads) are left out. Word's automatic list numbering is not rendered: typed markers are.
"""
from __future__ import annotations

import io
import re

from ..errors import InputEmpty, InputUndecodable

_SPACE = re.compile(r"[ \t\u00a0]+")


def _clean(line: str) -> str:
    return _SPACE.sub(" ", line).strip()


def _row_line(row) -> str:
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) in seen:          # a merged cell is repeated for every grid column it spans
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(_clean(p.text) for p in cell.paragraphs if p.text.strip()))
    return "\t".join(cells).strip("\t") if any(cells) else ""


def _lines(container, numbering):
    from docx.table import Table

    from .numbering import with_marker

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                line = _row_line(row)
                if line:
                    yield line
        else:
            marker = numbering.marker(block)
            text = block.text
            if marker and text.strip():
                text = with_marker(marker, text.lstrip())
            for part in text.replace("\r", "\n").replace("\v", "\n").split("\n"):
                line = _clean(part)
                if line:
                    yield line


def docx_text(data: bytes, source: str) -> str:
    """The text of a .docx file's body, or a clear error naming ``source``."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        from .numbering import Numbering

        document = docx.Document(io.BytesIO(data))
        lines = list(_lines(document, Numbering(document)))
    except PackageNotFoundError as e:
        raise InputUndecodable(source, f"not a readable .docx file: {e}")
    except Exception as e:  # noqa: BLE001 - lxml, zip and key errors of a damaged file come in many classes
        raise InputUndecodable(source, f"not a readable .docx file: {type(e).__name__}: {e}")
    if not lines:
        raise InputEmpty(source, "the .docx file has no text in its body")
    return "\n".join(lines) + "\n"
