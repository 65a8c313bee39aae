"""Atomic writes: a failed write leaves the target as it was, named after the file the user knows; the
temporary files of writers that died are found by their pid and swept, those of live writers kept."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from parser.tables.atomic import atomic_path, stale_temps, sweep_temps, temp_beside, write_atomic


def test_a_failed_write_keeps_the_old_file_and_names_it(tmp_path):
    target = tmp_path / "out.json"
    write_atomic(target, b"old")
    with pytest.raises(OSError) as err:
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise OSError(28, "No space left on device")
    assert err.value.filename == str(target)
    assert target.read_bytes() == b"old" and list(tmp_path.iterdir()) == [target]


def test_temporaries_of_dead_writers_are_swept_and_live_ones_kept(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    gone = tmp_path / "sub" / f".plans.parquet.{dead.pid}.x1y2z3.part"
    gone.parent.mkdir()
    gone.write_bytes(b"PAR1")
    mine = temp_beside(tmp_path / "sections.parquet")
    assert str(os.getpid()) in mine.name
    assert stale_temps(tmp_path) == [gone]
    assert sweep_temps(tmp_path) == [gone]
    assert not gone.exists() and mine.exists()


def test_a_folder_removed_after_a_first_write_is_made_again(tmp_path):
    target = tmp_path / "state" / "a" / "x.bin"
    write_atomic(target, b"1")
    shutil.rmtree(tmp_path / "state")
    write_atomic(target, b"2")
    assert target.read_bytes() == b"2"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process start times are read from /proc")
def test_a_temporary_whose_pid_was_reused_by_a_newer_process_is_swept(tmp_path):
    # pids wrap around: a live process that started after the temporary was last written cannot be its writer
    old = tmp_path / f".plans.json.{os.getpid()}.a1b2c3.part"
    later = subprocess.Popen(["sleep", "30"])
    try:
        reused = tmp_path / f".sections.json.{later.pid}.d4e5f6.part"
        reused.write_bytes(b"{")
        os.utime(reused, (time.time() - 600, time.time() - 600))
        fresh = tmp_path / f".dates.json.{later.pid}.g7h8i9.part"
        fresh.write_bytes(b"{")                     # written by a process alive since before: kept
        old.write_bytes(b"{")
        assert stale_temps(tmp_path) == [reused]
    finally:
        later.kill()
        later.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process states are read from /proc")
def test_a_temporary_of_a_killed_writer_not_yet_reaped_is_swept(tmp_path):
    # a writer killed with its parent lingers as a zombie until something reaps it: it writes no more
    zombie = subprocess.Popen(["true"])
    try:
        for _ in range(500):
            with open(f"/proc/{zombie.pid}/stat", "rb") as fh:
                if fh.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    break
            time.sleep(0.01)
        left = tmp_path / f".plans.json.{zombie.pid}.a1b2c3.part"
        left.write_bytes(b"{")
        assert stale_temps(tmp_path) == [left]
    finally:
        zombie.wait()
