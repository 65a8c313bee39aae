"""Which kind of file a set of bytes is (by its first bytes, then its name), and its text.

Plans are published as web pages, but also as attachments: .docx, .pdf, .xlsx/.xls, .txt, and the
old binary .doc/.wps. ``document_text`` turns any of these into plain text, one paragraph a line,
or raises a clear error naming the file and the reason (unsupported format, broken file, scan).
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Optional
from urllib.parse import unquote, urlsplit

from ..errors import UnsupportedInput

DOCUMENT_SUFFIXES = (".docx", ".pdf", ".doc", ".wps", ".xlsx", ".xls", ".et", ".txt")
READABLE = ("docx", "pdf", "xlsx", "xls", "text")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FileText:
    """A document file's text (one paragraph or table row a line) and what it was read as."""

    text: str
    format: str                 # docx | pdf | xlsx | xls | text
    encoding: Optional[str] = None
    pages: int = 0


def suffix_of(name: str) -> str:
    """The lower-case suffix of a file name, path or URL (query and fragment ignored)."""
    path = urlsplit(name).path if "://" in name else name
    return PurePosixPath(unquote(path)).suffix.lower()


def _zip_kind(data: bytes) -> Optional[str]:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError):
        return "broken-zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def sniff(data: bytes, name: str = "") -> str:
    """The format of ``data``: pdf, docx, xlsx, ole (.doc/.xls/.wps), rtf, html, text or unknown.

    The bytes decide first (a ``.wps`` that is really a .docx is read as one); the name only
    breaks ties between the formats inside an OLE or a zip container."""
    head = data[:1024]
    if b"%PDF-" in head:          # the header may follow a little junk
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(OLE_MAGIC):
        return "xls" if suffix_of(name) in (".xls", ".et") else "ole"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    low = head.lower()
    if b"<html" in low or b"<!doctype html" in low:
        return "html"
    sfx = suffix_of(name)
    if sfx == ".pdf":
        return "pdf"          # no %PDF- header: the reader reports it as broken
    if sfx in (".docx", ".xlsx"):
        return "broken-zip"
    if sfx in (".doc", ".wps", ".xls", ".et"):
        return "ole"
    return "text" if sfx in (".txt", ".text") or not sfx else "unknown"


FILE_KINDS = ("pdf", "docx", "xlsx", "xls", "ole", "rtf", "zip", "broken-zip")   # read by document_text


def is_document_bytes(data: bytes, name: str = "") -> bool:
    """True for the bytes of a document file (PDF, Office zip or OLE, RTF), not text or HTML, whatever the
    name says; only a zip is read beyond its first bytes."""
    return sniff(data if data[:2] == b"PK" else data[:4096], name) in FILE_KINDS


def is_document_name(name: str) -> bool:
    """True when a URL or file name ends like an attachment (.docx, .pdf, .doc, .wps, .xls[x], .txt)."""
    return suffix_of(name) in DOCUMENT_SUFFIXES


_UNSUPPORTED = {
    "ole": "unsupported format: a Word 97-2003 (.doc) or WPS (.wps) binary file; no maintained offline reader "
           "is available to planparser. Save it as .docx or .pdf and parse that",
    "rtf": "unsupported format: RTF; save it as .docx or .pdf and parse that",
    "zip": "unsupported format: a zip archive that is neither .docx nor .xlsx",
    "unknown": "unsupported format: not text, HTML, .docx, .pdf, .xlsx or .xls",
}


def document_text(data: bytes, source: str) -> FileText:
    """The text of a .docx/.pdf/.xlsx/.xls/.txt file's bytes; a clear PlanparserError otherwise."""
    kind = sniff(data, source)
    if kind == "docx":
        from .word import docx_text

        return FileText(docx_text(data, source), "docx")
    if kind == "pdf":
        from .pdf import pdf_text

        text, pages = pdf_text(data, source)
        return FileText(text, "pdf", pages=pages)
    if kind in ("xlsx", "xls"):
        from .sheets import sheet_text

        return FileText(sheet_text(data, source, kind), kind)
    if kind == "broken-zip":
        from ..errors import InputUndecodable

        raise InputUndecodable(source, f"not a readable {suffix_of(source) or 'zip'} file: the zip container is damaged")
    if kind == "text":
        from .decode import decode_bytes

        dec = decode_bytes(data, source)
        return FileText(dec.text.replace("\r\n", "\n").replace("\r", "\n"), "text", encoding=dec.encoding)
    raise UnsupportedInput(source, _UNSUPPORTED.get(kind, _UNSUPPORTED["unknown"]))
