"""The catalogue's health: SQLite's integrity check before a crawl writes, a back-up copy after every
finished crawl, and the repair of a damaged catalogue (restore the back-up, salvage readable rows).

SQLite in WAL mode survives a killed process by itself; what damages a catalogue is the disk or a
copy taken mid-write. A damaged catalogue is refused, never written to, and kept beside the repair.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..tables.atomic import atomic_path
from .store import CorpusStore, damaged

CATALOGUE = "catalog.sqlite"
BACKUP = "state/catalog.backup.sqlite"
_SOUND: set[Path] = set()


def integrity(path: str | Path, limit: int = 20) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong with the SQLite file at ``path`` ([] when sound)."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        db = sqlite3.connect(path, timeout=30)
        try:
            rows = [r[0] for r in db.execute(f"PRAGMA integrity_check({int(limit)})")]
        finally:
            db.close()
    except sqlite3.DatabaseError as e:
        return [str(e)]
    return [] if rows == ["ok"] else rows


def ensure_sound(root: str | Path) -> None:
    """Raise CatalogueDamaged (with the way out) unless DIR/catalog.sqlite passes its integrity check;
    checked once per process and folder."""
    root = Path(root).resolve()
    if root in _SOUND:
        return
    problems = integrity(root / CATALOGUE, limit=3)
    if problems:
        raise damaged(root, "; ".join(problems))
    _SOUND.add(root)


def backup(root: str | Path) -> Path | None:
    """Copy a sound catalogue to DIR/state/catalog.backup.sqlite (SQLite's online back-up, then an atomic
    rename); a damaged one is never copied over the last good back-up. The back-up, or None."""
    root = Path(root)
    if integrity(root / CATALOGUE, limit=1):
        return None
    target = root / BACKUP
    with atomic_path(target) as tmp:
        src, dst = sqlite3.connect(root / CATALOGUE, timeout=30), sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    return target


@dataclass
class Restored:
    """What a catalogue repair did: where the damaged file went, whether a back-up was used, rows salvaged."""

    damaged_copy: Path
    from_backup: bool
    salvaged: dict[str, int] = field(default_factory=dict)
    problems_after: list[str] = field(default_factory=list)


def _readable_rows(db: sqlite3.Connection, table: str, columns: list[str]) -> Iterator[tuple]:
    """The rows of ``table`` that can still be read, in rowid order, jumping over damaged stretches."""
    cols = ", ".join(f'"{c}"' for c in columns)
    last, misses = 0, 0
    while misses < 24:
        try:
            for row in db.execute(f'SELECT rowid, {cols} FROM "{table}" WHERE rowid > ? ORDER BY rowid', (last,)):
                last = row[0]
                yield tuple(row[1:])
            return
        except sqlite3.DatabaseError:
            misses += 1
            last += 2 ** (misses - 1)


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return list(_types(db, table))


def _types(db: sqlite3.Connection, table: str) -> dict[str, str]:
    try:
        return {r[1]: (r[2] or "").upper() for r in db.execute(f'PRAGMA table_info("{table}")')}
    except sqlite3.DatabaseError:
        return {}


_PY = {"INTEGER": int, "TEXT": str}


def _plausible(row: tuple, types: list[str]) -> bool:
    """A salvaged row whose every value has its column's declared type (garbage read as a row rarely does)."""
    return all(v is None or t not in _PY or isinstance(v, _PY[t]) for v, t in zip(row, types))


def salvage(damaged_file: Path, into: CorpusStore) -> dict[str, int]:
    """Copy every readable row of the damaged catalogue into ``into`` (the damaged file is newer than any
    back-up, so its rows replace the back-up's); per table, the rows written."""
    counts: dict[str, int] = {}
    try:
        src = sqlite3.connect(f"file:{damaged_file}?mode=ro", uri=True, timeout=30)
    except sqlite3.DatabaseError:
        return counts
    try:
        tables = [r[0] for r in into.db.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                                "AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            have = set(_columns(src, table))
            columns = [c for c in _columns(into.db, table) if c in have]
            if not columns:
                continue
            marks = ", ".join("?" * len(columns))
            names = ", ".join(f'"{c}"' for c in columns)
            types = [_types(into.db, table)[c] for c in columns]
            before = into.db.total_changes
            with into.tx():
                for row in _readable_rows(src, table, columns):
                    if not _plausible(row, types):
                        continue
                    try:
                        into.db.execute(f'INSERT OR REPLACE INTO "{table}" ({names}) VALUES ({marks})', row)
                    except sqlite3.IntegrityError:      # a row read from garbage (a NULL key): not kept
                        continue
            counts[table] = into.db.total_changes - before
    finally:
        src.close()
    return counts


def repair_catalogue(root: str | Path) -> Restored:
    """Move the damaged catalogue (and its -wal/-shm) to DIR/state/, start again from the last back-up
    (or empty), and salvage the readable rows of the damaged one into it."""
    root = Path(root)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = root / "state" / f"catalog.damaged-{stamp}.sqlite"
    kept.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        src = root / (CATALOGUE + suffix)
        if src.exists():
            src.replace(kept.with_name(kept.name + suffix))
    back = root / BACKUP
    from_backup = back.exists() and not integrity(back, limit=1)
    if from_backup:
        with atomic_path(root / CATALOGUE) as tmp:
            src, dst = sqlite3.connect(back), sqlite3.connect(tmp)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
    store = CorpusStore(root)
    try:
        counts = salvage(kept, store)
    finally:
        store.close()
    _SOUND.discard(root.resolve())
    return Restored(kept, from_backup, counts, integrity(root / CATALOGUE))
