"""Atomic writes, for every stage: a temporary file beside the target, renamed over it only when writing succeeded,
with the permissions an ordinary file would get (mkstemp's are private), so readers never see half a
file and a re-run simply replaces what it wrote before.

Temporary names carry the writer's pid (``.NAME.PID.XXXX.part``): a process killed mid-write leaves
one behind, and ``sweep_temps`` removes those whose writer is gone. There is no fsync: a killed process
loses nothing the kernel already has; after a power cut ``planparser corpus check`` finds what was lost.
"""
from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

_UMASK: int | None = None
_MADE: set[Path] = set()
_TEMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.part$")
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def file_mode() -> int:
    """0o666 less the process umask: what open() would have given the file."""
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0)
        os.umask(_UMASK)
    return 0o666 & ~_UMASK


def temp_beside(path: Path) -> Path:
    """A new empty temporary file in ``path``'s folder (created if needed), named after this process."""
    if path.parent not in _MADE:
        path.parent.mkdir(parents=True, exist_ok=True)
        if len(_MADE) > 100_000:
            _MADE.clear()
        _MADE.add(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=path.parent)
    except FileNotFoundError:       # the folder was removed since this process made it
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=path.parent)
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
    except OSError as e:
        if not e.filename or e.filename == str(tmp):    # name the file the user knows, not the temporary
            e.filename = str(path)
        raise
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


def is_disk_full(exc: BaseException) -> bool:
    """An OSError that means "no room to write" (disk full, quota, file-size limit)."""
    return isinstance(exc, OSError) and exc.errno in DISK_FULL


def _proc_stat(pid: int) -> tuple[str, float] | None:
    """(state letter, start time in seconds since the epoch) of process ``pid`` from /proc (Linux); else None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        with open("/proc/stat", "rb") as fh:
            boot = next(int(line.split()[1]) for line in fh if line.startswith(b"btime "))
        # fields 3 and 22 of stat: the state, and the start time in clock ticks after boot
        return fields[0].decode("ascii"), boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _writer_alive(pid: int, written: float) -> bool:
    """The process that named a temporary last written at ``written`` may still be writing it: ``pid``
    is alive, is no zombie (killed, not yet reaped) and is not a newer process that reuses a dead
    writer's number (pids wrap around)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:         # another user's process: alive
        pass
    stat = _proc_stat(pid)
    if stat is None:
        return True
    state, started = stat
    return state not in ("Z", "X") and started <= written + 2.0    # boot time is in whole seconds


def stale_temps(folder: Path, recursive: bool = True, min_age: float = 3600.0) -> list[Path]:
    """Temporary files left in ``folder`` by writers that died mid-write: their pid is gone (on this
    machine) or now belongs to a process started after the file's last write, or their name carries no
    pid and they are older than ``min_age`` seconds."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    out = []
    now = time.time()
    for p in (folder.rglob(".*.part") if recursive else folder.glob(".*.part")):
        m = _TEMP.match(p.name)
        try:
            if (m and not _writer_alive(int(m.group(1)), p.stat().st_mtime)) or (
                    not m and now - p.stat().st_mtime > min_age):
                out.append(p)
        except FileNotFoundError:
            continue
    return out


def sweep_temps(folder: Path, recursive: bool = True) -> list[Path]:
    """Remove ``stale_temps(folder)``; the paths removed."""
    gone = []
    for p in stale_temps(folder, recursive):
        try:
            p.unlink()
            gone.append(p)
        except FileNotFoundError:
            pass
    return gone
