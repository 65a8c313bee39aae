"""Precompiled lookup tables in the user's cache folder: built once per install, then loaded at start-up.

An entry is one file ``NAME-KEY.bin``. KEY hashes the package version and everything the table is built
from (data files, word lists, library versions), so an upgrade or an edited data file gives a new entry.
The payload is checked against its digest before it is used: a stale, truncated or corrupt entry is
rebuilt, never trusted. Entries are written atomically, and a folder that cannot be written only costs
the rebuild. ``PLANPARSER_CACHE_DIR`` moves the folder (tests use a temporary one).
"""
from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Callable, TypeVar

from ..atomic import write_atomic
from ..version import __version__

ENV = "PLANPARSER_CACHE_DIR"
MAGIC = b"planparser-cache 1\n"
T = TypeVar("T")
log = logging.getLogger("planparser")


def cache_dir() -> Path:
    """``$PLANPARSER_CACHE_DIR``, else the platform's user cache folder (~/.cache/planparser on Linux)."""
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("planparser", appauthor=False))


def key_of(*parts: bytes | str) -> str:
    """A short hex key for the package version and ``parts`` (each length-prefixed, so none runs into the next)."""
    h = hashlib.blake2b(digest_size=12)
    for part in (__version__, *parts):
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def file_key(*paths: Path) -> bytes:
    """The contents of data files, for ``key_of`` (editing one gives a new key)."""
    return b"".join(hashlib.blake2b(p.read_bytes(), digest_size=16).digest() for p in paths)


def module_key(module) -> str:
    """A library's identity for ``key_of`` without importlib.metadata (slow at start-up): its file, size
    and time, which a reinstall of another version changes."""
    path = Path(module.__file__)
    st = path.stat()
    return f"{module.__name__} {path} {st.st_size} {st.st_mtime_ns}"


def _digest(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=16).hexdigest().encode("ascii")


def read_entry(path: Path) -> bytes | None:
    """The payload of an entry, or None when it is missing, from another format, or does not match its digest."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + 33             # magic, 32 hex digits of digest and a newline
    if not raw.startswith(MAGIC) or len(raw) < head or raw[head - 1:head] != b"\n":
        return None
    payload = raw[head:]
    return payload if _digest(payload) == raw[len(MAGIC):head - 1] else None


def write_entry(path: Path, payload: bytes) -> bool:
    """Write an entry atomically and remove the other entries of the same name (stale keys); False if it could not."""
    try:
        write_atomic(path, MAGIC + _digest(payload) + b"\n" + payload)
    except OSError as e:
        log.warning("planparser: could not write the cache %s (%s); it is rebuilt at every start", path, e)
        return False
    name = path.name.rsplit("-", 1)[0]
    for old in path.parent.glob(f"{name}-*.bin"):
        if old != path and old.name.rsplit("-", 1)[0] == name:
            try:
                old.unlink()
            except OSError:
                pass
    return True


def cached(name: str, key: str, build: Callable[[], T], dump: Callable[[T], bytes],
           load: Callable[[bytes], T]) -> T:
    """The table ``name`` for ``key``: loaded from the cache folder, or built, stored and returned."""
    path = cache_dir() / f"{name}-{key}.bin"
    payload = read_entry(path)
    if payload is not None:
        try:
            return load(payload)
        except Exception:  # a payload that does not load (another library version wrote it …): rebuild
            pass
    value = build()
    write_entry(path, dump(value))
    return value
