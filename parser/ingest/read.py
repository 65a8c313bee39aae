"""Inputs → Documents: files and folders of ``.txt`` / ``.html`` / ``.docx`` / ``.pdf`` (and .xlsx, .xls),
decoded or read into text, and normalised."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..errors import InputMissing, InputTooLarge, UnsupportedInput
from ..model import Document
from .decode import decode_bytes
from .normalize import normalize

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
FILE_SUFFIXES = {".docx", ".pdf", ".doc", ".wps", ".xlsx", ".xls", ".et"}   # read by ingest.formats
DEFAULT_MAX_MB = 32.0


def doc_id_for(source: str) -> str:
    """A stable document id: the file stem plus a short hash of the source path or URL."""
    stem = Path(source.split("?")[0].rstrip("/")).stem or "doc"
    return f"{stem}"


def unique_ids(sources: Iterable[str]) -> list[str]:
    """Document ids for a batch, in order: the file stem, with -2, -3 … for a stem seen before."""
    seen: dict[str, int] = {}
    out = []
    for src in sources:
        base = doc_id_for(src)
        n = seen.get(base, 0) + 1
        seen[base] = n
        out.append(base if n == 1 else f"{base}-{n}")
    return out


def iter_inputs(paths: Iterable[str]) -> Iterator[tuple[str, Optional[Exception]]]:
    """Expand files and folders into input files in a stable order; a missing path, or a folder holding
    no file of a supported kind, yields an error."""
    known = TEXT_SUFFIXES | HTML_SUFFIXES | FILE_SUFFIXES
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in known)
            if not files:
                kinds = ", ".join(sorted(known))
                yield str(p), InputMissing(str(p), f"no file of a supported kind in this folder ({kinds})")
            for f in files:
                yield str(f), None
        elif p.exists():
            yield str(p), None
        else:
            yield str(p), InputMissing(str(p), "no such file or folder")


def is_html(path: str, text_head: str) -> bool:
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return True
    if suffix in TEXT_SUFFIXES:
        return False
    head = text_head.lstrip()[:200].lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


def make_document(text: str, source: str, doc_id: Optional[str] = None, encoding: Optional[str] = None,
                  page_title: Optional[str] = None, published: Optional[str] = None) -> Document:
    """A Document from text already decoded (and, for pages, already made text)."""
    return Document(doc_id=doc_id or doc_id_for(source), source=source, text=text, norm=normalize(text),
                    encoding=encoding, page_title=page_title, published=published)


def read_document(path: str, max_mb: float = DEFAULT_MAX_MB, doc_id: Optional[str] = None) -> Document:
    """Read one ``.txt``, ``.html``, ``.docx``, ``.pdf`` (or spreadsheet) file into a Document, or raise a
    PlanparserError saying why (a ``.doc``/``.wps`` binary is an "unsupported format" error)."""
    p = Path(path)
    if not p.exists():
        raise InputMissing(path, "no such file")
    if p.is_dir():
        raise UnsupportedInput(path, "is a folder; pass the files or use the folder as an input to expand it")
    size = p.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise InputTooLarge(path, f"file is {size / 1048576:.1f} MB, over the {max_mb:g} MB limit "
                                  f"(raise it with --max-mb, or split the file)")
    data = p.read_bytes()
    from .formats import is_document_bytes

    if p.suffix.lower() in FILE_SUFFIXES or is_document_bytes(data, path):
        return document_from_file(data, path, doc_id=doc_id)
    return document_from_bytes(data, path, doc_id=doc_id)


def document_from_file(data: bytes, source: str, doc_id: Optional[str] = None,
                       page_title: Optional[str] = None, published: Optional[str] = None) -> Document:
    """A Document from a .docx/.pdf/.xlsx/.xls/.txt file's bytes (see ingest.formats)."""
    from .formats import document_text

    got = document_text(data, source)
    return make_document(got.text, source, doc_id=doc_id, encoding=got.encoding, page_title=page_title,
                         published=published)


def document_from_bytes(data: bytes, source: str, doc_id: Optional[str] = None,
                        declared: Optional[str] = None, html: Optional[bool] = None) -> Document:
    """Decode bytes (and make HTML text) into a Document; used for files and fetched pages alike."""
    head = data[:2048].decode("ascii", errors="ignore")
    as_html = is_html(source, head) if html is None else html
    if as_html:
        from .maintext import extract_main  # bs4: only for pages (start-up time of text inputs)
        from .page import declared_charset
    if as_html and declared is None:
        declared = declared_charset(data)
    dec = decode_bytes(data, source, declared=declared)
    if not as_html:
        return make_document(dec.text, source, doc_id=doc_id, encoding=dec.encoding)
    page = extract_main(dec.text, source)
    return make_document(page.text, source, doc_id=doc_id, encoding=dec.encoding, page_title=page.title,
                         published=page.published)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def human_size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB"


__all__ = ["read_document", "document_from_bytes", "document_from_file", "make_document", "iter_inputs", "doc_id_for"]
