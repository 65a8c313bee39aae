"""Resuming a parse batch that was killed: inputs whose outputs are complete are not parsed again, and
the final files are byte for byte those of an uninterrupted run.

Every output file is written atomically, so a killed run leaves complete files or none (and
temporaries of dead writers, swept at the next start). What "complete" means per format:

- ``json`` / ``text`` (one file per input): the input's file exists with the bytes recorded when it
  was written (one line per input in a log); such inputs are skipped.
- ``jsonl`` / ``csv`` / ``parquet`` (combined files): each input's rendered rows are kept in a spool
  as they are handed to the writer; a resumed run feeds the spooled rows of finished inputs and the
  fresh rows of the others to the writer in input order, so the combined files come out identical.
- ``--engine dask``: a partition whose part files were all written is skipped.

The state lives in ``OUT/.planparser-resume/`` under a fingerprint of the options, formats and
version; a different fingerprint (or ``--no-resume``) starts afresh, a finished run removes it.
An input counts as the same when its path, doc id and bytes are.
"""
from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence

from ..tables.atomic import sweep_temps, write_atomic

STATE = ".planparser-resume"
PER_FILE = {"json": "json", "text": "txt"}       # formats with one file per input, and its suffix
LOG = "finished.jsonl"                            # the finished inputs of a per-input-format batch


def version() -> str:
    """planparser's version (parser/version.py, which pyproject.toml reads: no importlib.metadata at start-up)."""
    from ..version import __version__

    return __version__


def fingerprint(options: Any, formats: Sequence[str]) -> str:
    """What must match for earlier outputs to count: options (and a custom taxonomy's bytes), formats, version."""
    h = hashlib.sha256(repr((options, tuple(formats), version())).encode("utf-8"))
    taxonomy = getattr(options, "taxonomy", None)
    if taxonomy and Path(taxonomy).is_file():
        h.update(Path(taxonomy).read_bytes())
    return h.hexdigest()[:24]


def input_key(path: str, doc_id: str) -> Optional[str]:
    """The identity of one input: its path, doc id and bytes (None when it cannot be read)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return hashlib.sha256(f"{path}\0{doc_id}\0".encode("utf-8") + data).hexdigest()[:32]


def _text_sha(payload: "str | Path") -> str:
    """sha256 of a rendered file's UTF-8 bytes, or of the file itself when it was streamed (a Path)."""
    if isinstance(payload, Path):
        with open(payload, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _state_dir(out: Path, fp: str, enabled: bool) -> Path:
    """OUT/.planparser-resume/<fingerprint>, emptied unless resuming; other fingerprints' states removed."""
    root = out / STATE
    here = root / fp
    if root.is_dir():
        for d in root.iterdir():
            if d != here or not enabled:
                shutil.rmtree(d, ignore_errors=True) if d.is_dir() else d.unlink(missing_ok=True)
    here.mkdir(parents=True, exist_ok=True)
    sweep_temps(out)                # temporaries of writers killed mid-write
    return here


@dataclass
class Reused:
    """A finished input of an earlier run: its id and, per format, its spooled payload (None: the
    per-input file is already there and is left alone)."""

    doc_id: str
    payloads: tuple
    plans: Optional[int] = None     # its plan count, as the run that parsed it recorded


class ParseResume:
    """The spool of one ``planparser parse --out OUT`` batch (see the module docstring).

    Per-input formats only (json, text): one line per finished input in ``finished.jsonl`` (its key and
    its files' hashes), appended as it finishes; a kill can cut only the last line, which is ignored.
    With a combined format, each input's rows are kept in a file of their own (``KEY.pkl``)."""

    def __init__(self, out: str | Path, formats: Sequence[str], options: Any, enabled: bool = True):
        self.out = Path(out)
        self.formats = tuple(formats)
        self.dir = _state_dir(self.out, fingerprint(options, self.formats), enabled)
        self.keys: dict[str, str] = {}
        self.reused = 0
        self.per_file_only = all(f in PER_FILE for f in self.formats)
        self.log_path = self.dir / LOG
        self.logged, self._cut_line = _read_log(self.log_path) if self.per_file_only else ({}, False)
        self._log = None

    def _spool(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.pkl"

    def _saved(self, key: str) -> tuple[Optional[list], Optional[int]]:
        """An input's recorded outputs and plan count (None, None when it has none)."""
        if self.per_file_only:
            return self.logged.get(key, (None, None))
        try:
            saved = pickle.loads(self._spool(key).read_bytes())
            return saved["payloads"], saved.get("plans")
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, KeyError, TypeError, AttributeError):
            return None, None

    def take(self, path: str, doc_id: str) -> Optional[Reused]:
        """The finished outputs of this input, or None when it must be parsed (again)."""
        key = input_key(path, doc_id)
        if key is None:
            return None
        self.keys[doc_id] = key
        saved, plans = self._saved(key)
        if saved is None or len(saved) != len(self.formats):
            return None
        payloads = []
        for fmt, entry in zip(self.formats, saved):
            if fmt in PER_FILE:
                try:
                    data = (self.out / f"{doc_id}.{PER_FILE[fmt]}").read_bytes()
                except OSError:
                    return None
                if hashlib.sha256(data).hexdigest() != entry:
                    return None
                payloads.append(None)
            else:
                payloads.append(entry)
        self.reused += 1
        return Reused(doc_id, tuple(payloads), plans)

    def record(self, doc_id: str, payloads: Sequence[Any], plans: Optional[int] = None) -> None:
        """An input's outputs were handed to the writers (per-input files already renamed into place; a
        file streamed from the document is given as its path), with its plan count."""
        key = self.keys.get(doc_id)
        if key is None:
            return
        saved = [(_text_sha(p) if fmt in PER_FILE else p) for fmt, p in zip(self.formats, payloads)]
        if not self.per_file_only:
            write_atomic(self._spool(key), pickle.dumps({"payloads": saved, "plans": plans},
                                                        protocol=pickle.HIGHEST_PROTOCOL))
            return
        if self._log is None:
            self._log = open(self.log_path, "a", encoding="utf-8")
            if self._cut_line:
                self._log.write("\n")      # after the line a kill cut short, which stays unreadable
        self._log.write(json.dumps([key, saved, plans]) + "\n")
        self._log.flush()           # in the kernel's hands: a killed process loses none of it

    def finish(self) -> None:
        """The batch is complete: nothing is left to resume."""
        if self._log is not None:
            self._log.close()
            self._log = None
        shutil.rmtree(self.out / STATE, ignore_errors=True)


def _read_log(path: Path) -> tuple[dict[str, tuple[list, Optional[int]]], bool]:
    """key → (file hashes, plan count) from a finished-inputs log, and whether its last line was cut short
    by a kill (that line is skipped)."""
    out: dict[str, tuple[list, Optional[int]]] = {}
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return out, False
    for line in text.splitlines():
        try:
            key, saved, plans = (json.loads(line) + [None])[:3]
        except (ValueError, TypeError):
            continue
        if isinstance(key, str) and isinstance(saved, list):
            out[key] = (saved, plans if isinstance(plans, int) else None)
    return out, bool(text) and not text.endswith("\n")


def merge_in_order(items: Sequence[tuple], taken: dict[int, Reused], fresh: Iterable) -> Iterator:
    """The outcomes of ``items`` in input order: ``taken[i]`` where an earlier run finished input i, the
    next outcome of ``fresh`` (the parse of the other inputs, in order) elsewhere."""
    fresh = iter(fresh)
    for i in range(len(items)):
        yield taken[i] if i in taken else next(fresh)


class PartitionResume:
    """Finished partitions of ``--engine dask`` (their part files all written), keyed by their inputs."""

    def __init__(self, out: str | Path, options: Any, enabled: bool = True):
        self.out = Path(out)
        self.dir = _state_dir(self.out, fingerprint(options, ("dask",)), enabled)

    @staticmethod
    def key(items: Sequence[tuple[str, str]]) -> Optional[str]:
        h = hashlib.sha256()
        for path, doc_id in items:
            k = input_key(path, doc_id)
            if k is None:
                return None
            h.update(k.encode("ascii"))
        return h.hexdigest()[:32]

    def _marker(self, index: int) -> Path:
        return self.dir / f"part-{index:05d}.json"

    def done(self, index: int, items: Sequence[tuple[str, str]], tables: Iterable[str]) -> bool:
        try:
            saved = json.loads(self._marker(index).read_text("utf-8"))
        except (OSError, ValueError):
            return False
        return saved.get("key") == self.key(items) and all(
            (self.out / t / f"part-{index:05d}.parquet").is_file() for t in tables)

    def record(self, index: int, items: Sequence[tuple[str, str]], ok: int) -> None:
        key = self.key(items)
        if key is not None:
            write_atomic(self._marker(index), json.dumps({"key": key, "ok": ok}).encode("utf-8"))

    def finish(self) -> None:
        shutil.rmtree(self.out / STATE, ignore_errors=True)
