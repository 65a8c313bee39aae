"""The trained role classifier: a multinomial logistic model (``parser.extract.linear``) read from
``roles.json`` (written by parser.learn.roles) and applied in plain Python over the features of
parser.extract.role_features, the rules' role among them. Without its model file the rules' roles stay."""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Sequence

from ..model import OrgMention
from ..models import json_model, model_stamp
from .linear import LinearModel, from_dict  # noqa: F401  (from_dict: the trainer reads its models with it)
from .role_features import mention_features

MODEL = "roles.json"


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> LinearModel:
    return from_dict(json_model(MODEL), path)


def load() -> LinearModel | None:
    """The role model of the model folder (read once per file), or None without one."""
    stamp = model_stamp(MODEL)
    return None if stamp is None else _load(*stamp)


def assign_model_roles(norm: str, start: int, end: int, mentions: Sequence[OrgMention],
                       first_word: Callable[[str], tuple[str, str]]) -> None:
    """Replace each mention's rule role (already set) by the model's; a no-op without a model file."""
    model = load()
    if model is None or not mentions:
        return
    feats = mention_features(norm, start, end, mentions, [m.role for m in mentions], first_word)
    for m, f in zip(mentions, feats):
        m.role = model.predict(f)
