"""Writers for every output format; each file is written to a temporary name and renamed (atomic)."""
from __future__ import annotations

import json
from pathlib import Path

from ..model import Document
from .atomic import atomic_text, commit, temp_beside
from .frames import TABLES, frame, rows_for
from .serialize import document_dict

FORMATS = ("json", "jsonl", "csv", "parquet", "text")


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


class TableSink:
    """One table streamed to a temporary CSV or Parquet file in row groups; renamed on close."""

    def __init__(self, path: Path, name: str, fmt: str):
        self.path, self.name, self.fmt = path, name, fmt
        self.rows: list[dict] = []
        self.tmp = temp_beside(path)
        self._fh = None
        self._pq = None

    def add(self, rows: list[dict]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def flush(self, final: bool = False) -> None:
        if not self.rows and not final:
            return
        if self.fmt == "csv":   # CSV bytes do not depend on how rows are grouped: small frames, less memory
            rows, self.rows = self.rows, []
            for i in range(0, max(len(rows), 1), CSV_ROWS):
                df = frame(rows[i:i + CSV_ROWS], TABLES[self.name])
                if self._fh is None:
                    self._fh = open(self.tmp, "w", encoding="utf-8-sig", newline="")
                    df.to_csv(self._fh, index=False)
                elif len(df):
                    df.to_csv(self._fh, index=False, header=False)
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        df = frame(self.rows, TABLES[self.name])
        self.rows = []
        table = pa.Table.from_pandas(df, preserve_index=False)
        if self._pq is None:
            self._pq = pq.ParquetWriter(self.tmp, table.schema)
        if len(df) or final:
            self._pq.write_table(table)

    def close(self) -> Path:
        self.flush(final=True)
        if self._fh is not None:
            self._fh.close()
        if self._pq is not None:
            self._pq.close()
        commit(self.tmp, self.path)
        return self.path

    def abort(self) -> None:
        for h in (self._fh, self._pq):
            if h is not None:
                try:
                    h.close()
                except OSError:     # e.g. the disk is full: the file is dropped anyway
                    pass
        self.tmp.unlink(missing_ok=True)


FLUSH_ROWS = 20000  # rows buffered per table before a row group is written (bounds memory)
CSV_ROWS = 1000     # rows made into one frame at a time when writing CSV


def render(doc: Document, fmt: str):
    """What ``fmt`` writes for ``doc``: JSON or text for a file, a JSON line, or table rows.

    Pure, so worker processes render and the writing process only writes bytes in order."""
    if fmt == "json":
        return json.dumps(document_dict(doc), ensure_ascii=False, indent=1)
    if fmt == "text":
        return page_text(doc)
    if fmt == "jsonl":
        return json.dumps(document_dict(doc), ensure_ascii=False) + "\n"
    return rows_for(doc)


def _write_text(fh, text: str, piece: int = 1 << 20) -> None:
    """Write ``text`` a piece at a time: the encoder never holds a long document's bytes all at once."""
    for i in range(0, len(text), piece):
        fh.write(text[i:i + piece])


class Writer:
    """Writes each document as it comes: a file per document (json, text), one JSON-lines file, or
    tables streamed in row groups (csv, parquet); everything appears under its name only on success."""

    def __init__(self, out_dir: str, fmt: str):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.out = Path(out_dir)
        self.fmt = fmt
        self.written: list[Path] = []
        self._names: set[str] = set()
        self._sinks: dict[str, TableSink] = {}
        self._lines = None      # (temporary path, handle) of documents.jsonl

    def _name(self, doc_id: str) -> str:
        name, n = doc_id, 1
        while name in self._names:
            n += 1
            name = f"{doc_id}-{n}"
        self._names.add(name)
        return name

    def add(self, doc: Document) -> None:
        if self.fmt == "json":      # streamed: a long document's JSON is never one string in memory
            path = self._path(doc.doc_id)
            with atomic_text(path) as fh:
                json.dump(document_dict(doc), fh, ensure_ascii=False, indent=1)
            self.written.append(path)
            return
        self.write(doc.doc_id, render(doc, self.fmt))

    def _path(self, doc_id: str) -> Path:
        return self.out / f"{self._name(doc_id)}.{'json' if self.fmt == 'json' else 'txt'}"

    def write(self, doc_id: str, payload) -> None:
        """Write one document's rendered output (see ``render``)."""
        if self.fmt in ("json", "text"):
            path = self._path(doc_id)
            with atomic_text(path) as fh:
                _write_text(fh, payload)
            self.written.append(path)
        elif self.fmt == "jsonl":
            if self._lines is None:
                tmp = temp_beside(self.out / "documents.jsonl")
                self._lines = (tmp, open(tmp, "w", encoding="utf-8", newline=""))
            _write_text(self._lines[1], payload)
        else:
            if not self._sinks:
                self._sinks = {t: TableSink(self.out / f"{t}.{self.fmt}", t, self.fmt) for t in TABLES}
            for table, rows in payload.items():
                self._sinks[table].add(rows)

    def abort(self) -> None:
        """Give up: remove the temporary combined files (files already renamed into place stay)."""
        if self._lines is not None:
            try:
                self._lines[1].close()
            except OSError:
                pass
            self._lines[0].unlink(missing_ok=True)
            self._lines = None
        for sink in self._sinks.values():
            sink.abort()
        self._sinks = {}

    def close(self) -> list[Path]:
        if self.fmt == "jsonl":
            path = self.out / "documents.jsonl"
            if self._lines is None:
                with atomic_text(path):
                    pass
            else:
                self._lines[1].close()
                commit(self._lines[0], path)
            self.written.append(path)
        elif self.fmt in ("csv", "parquet"):
            if not self._sinks:
                self._sinks = {t: TableSink(self.out / f"{t}.{self.fmt}", t, self.fmt) for t in TABLES}
            for sink in self._sinks.values():
                self.written.append(sink.close())
        return self.written
