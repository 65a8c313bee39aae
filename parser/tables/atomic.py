"""The atomic-write helpers, at their old import path (the one implementation is parser/atomic.py, outside
the stages, so that the extract stage's cache can write atomically too)."""
from ..atomic import atomic_path, atomic_text, commit, file_mode, temp_beside, write_atomic  # noqa: F401
