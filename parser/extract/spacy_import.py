"""spaCy imported without its command line: ``spacy/__init__`` imports ``spacy.cli`` (typer, weasel,
httpx and every CLI command; most of a second) only to re-export ``spacy.info``. A stand-in for
``spacy.cli.info`` during the import skips that; the stand-ins are removed again, so the real
``spacy.cli`` still imports on first use, and ``spacy.info()`` loads it when called. (spaCy's Language
imports its training package itself: that part cannot be left out.)"""
from __future__ import annotations

import sys
import types
from importlib.util import find_spec
from pathlib import Path


def _info(*args, **kwargs):
    """``spacy.info``: the real one, imported on first call."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def import_spacy():
    """``import spacy``, without ``spacy.cli`` unless something else already imported it."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    spec = find_spec("spacy")
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = [str(Path(spec.submodule_search_locations[0]) / "cli")]
    info = types.ModuleType("spacy.cli.info")
    info.info = _info
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy
