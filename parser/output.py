"""Writers for every output format; each file is written to a temporary name and renamed (atomic)."""
from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from .model import Document
from .serialize import document_dict
from .tables import to_frames

FORMATS = ("json", "jsonl", "csv", "parquet", "text")


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; it replaces ``path`` only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextmanager
def atomic_text(path: Path, encoding: str = "utf-8") -> Iterator[IO[str]]:
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding=encoding, newline="") as fh:
            yield fh


def page_text(doc: Document) -> str:
    """The cleaned main text: title on the first line, then one block per line, furniture removed."""
    lines = []
    title = doc.page_title  # a page's own title first (HTML inputs); a plan's title for plain text
    if not title and doc.plans:
        title = doc.plans[0].title or None
    if title:
        lines.append(title.strip())
    cut = sorted(doc.furniture)
    for s, e in doc.lines():
        if any(fs <= s and e <= fe for fs, fe in cut):
            continue
        line = doc.text[s:e].strip()
        if not line or (lines and line == lines[0] and len(lines) == 1):
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


class Writer:
    """Writes documents as they come (json, text) or collects them for table formats."""

    def __init__(self, out_dir: str, fmt: str):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.out = Path(out_dir)
        self.fmt = fmt
        self.docs: list[Document] = []
        self.written: list[Path] = []
        self._names: set[str] = set()

    def _name(self, doc: Document) -> str:
        name, n = doc.doc_id, 1
        while name in self._names:
            n += 1
            name = f"{doc.doc_id}-{n}"
        self._names.add(name)
        return name

    def add(self, doc: Document) -> None:
        name = self._name(doc)
        if self.fmt == "json":
            path = self.out / f"{name}.json"
            with atomic_text(path) as fh:
                json.dump(document_dict(doc), fh, ensure_ascii=False, indent=1)
            self.written.append(path)
        elif self.fmt == "text":
            path = self.out / f"{name}.txt"
            with atomic_text(path) as fh:
                fh.write(page_text(doc))
            self.written.append(path)
        else:
            self.docs.append(doc)

    def close(self) -> list[Path]:
        if self.fmt == "jsonl":
            path = self.out / "documents.jsonl"
            with atomic_text(path) as fh:
                for doc in self.docs:
                    fh.write(json.dumps(document_dict(doc), ensure_ascii=False) + "\n")
            self.written.append(path)
        elif self.fmt in ("csv", "parquet"):
            for name, df in to_frames(self.docs).items():
                path = self.out / f"{name}.{self.fmt}"
                with atomic_path(path) as tmp:
                    if self.fmt == "csv":
                        df.to_csv(tmp, index=False, encoding="utf-8-sig")
                    else:
                        df.to_parquet(tmp, index=False)
                self.written.append(path)
        return self.written
