"""The atomic-write helpers, at their old import path (the one implementation is parser/atomic.py, outside
the stages, so that the extract stage's cache can write atomically too)."""
from ..atomic import (DISK_FULL, atomic_path, atomic_text, commit, file_mode, is_disk_full,  # noqa: F401
                      stale_temps, sweep_temps, temp_beside, write_atomic)
