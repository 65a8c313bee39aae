"""The trained models every stage reads: files in ``parser/data/models`` (or ``$PLANPARSER_MODEL_DIR``).

``python -m parser.learn train`` writes them from the gold sets; here they are only found and loaded,
once per path. A stage whose model file is absent falls back to its rules, so a model can be retrained
or left out without breaking the parse. Cross-validation points ``PLANPARSER_MODEL_DIR`` at the models
of each fold.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

ENV = "PLANPARSER_MODEL_DIR"
BUNDLED = Path(__file__).resolve().parent / "data" / "models"
_BUNDLED_STR = str(BUNDLED)


def model_dir() -> Path:
    """``$PLANPARSER_MODEL_DIR`` when set, else the models shipped in the package."""
    env = os.environ.get(ENV)
    return Path(env) if env else BUNDLED


def model_path(name: str) -> Optional[Path]:
    """The file of model ``name`` (``lines.crfsuite``, ``roles.json`` …), or None when there is none."""
    p = model_dir() / name
    return p if p.is_file() else None


def model_stamp(name: str) -> Optional[tuple[str, float]]:
    """(path, modification time) of model ``name``, or None: one stat call, so that a model file
    rewritten in the same process (training, then parsing with it) is read again."""
    env = os.environ.get(ENV)
    p = os.path.join(env if env else _BUNDLED_STR, name)
    try:
        st = os.stat(p)
    except OSError:
        return None
    return p, st.st_mtime


@lru_cache(maxsize=16)
def _tagger(path: str, mtime: float) -> Any:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


def crf_tagger(name: str) -> Any:
    """A python-crfsuite ``Tagger`` for the model file ``name``, or None when it is absent."""
    stamp = model_stamp(name)
    return None if stamp is None else _tagger(*stamp)


@lru_cache(maxsize=16)
def _json(path: str, mtime: float) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: cannot read the model ({e})") from e


def json_model(name: str) -> Optional[dict]:
    """The JSON model file ``name`` as a dict, or None when it is absent."""
    stamp = model_stamp(name)
    return None if stamp is None else _json(*stamp)
