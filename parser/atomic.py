"""Atomic writes, for every stage: a temporary file beside the target, renamed over it only when writing
succeeded, with the permissions an ordinary file would get (mkstemp's are private), so readers never see
half a file and a re-run simply replaces what it wrote before."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

_UMASK: int | None = None
_MADE: set[Path] = set()


def file_mode() -> int:
    """0o666 less the process umask: what open() would have given the file."""
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0)
        os.umask(_UMASK)
    return 0o666 & ~_UMASK


def temp_beside(path: Path) -> Path:
    """A new empty temporary file in ``path``'s folder (created if needed)."""
    if path.parent not in _MADE:
        path.parent.mkdir(parents=True, exist_ok=True)
        if len(_MADE) > 100_000:
            _MADE.clear()
        _MADE.add(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    return Path(tmp)


def commit(tmp: Path, path: Path) -> None:
    """Give ``tmp`` ordinary permissions and rename it over ``path``."""
    os.chmod(tmp, file_mode())
    os.replace(tmp, path)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; it replaces ``path`` only if the block succeeds."""
    tmp = temp_beside(path)
    try:
        yield tmp
        commit(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextmanager
def atomic_text(path: Path, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text handle whose content appears at ``path`` only when the block succeeds."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding=encoding, newline="") as fh:
            yield fh


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it over ``path``."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
