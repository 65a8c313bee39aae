"""The package version, in one place (pyproject.toml reads it from here); cheap to import, unlike
importlib.metadata, so caches can be keyed by it at start-up."""
__version__ = "0.1.0"
