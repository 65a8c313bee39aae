"""The trained role classifier: a multinomial logistic model read from a JSON file (``roles.json``, written
by parser.learn.roles) and applied in plain Python over the features of parser.extract.role_features, the
rules' role among them. Without its model file the rules' roles stay."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

from ..model import OrgMention
from ..models import json_model, model_stamp
from .role_features import mention_features

MODEL = "roles.json"
FORMAT = 1


@dataclass(frozen=True)
class RoleModel:
    """Labels, per-feature weights (one per label) and the bias."""

    labels: tuple[str, ...]
    weights: dict[str, tuple[float, ...]]
    bias: tuple[float, ...]

    def predict(self, feats: Sequence[str]) -> str:
        """The label of highest score for one mention's features."""
        rows = [w for w in map(self.weights.get, feats) if w is not None]
        score = [b + sum(col) for b, col in zip(self.bias, zip(*rows))] if rows else list(self.bias)
        return self.labels[score.index(max(score))]


def from_dict(data: dict) -> RoleModel:
    """A model from the JSON the trainer writes (weights as integers over ``scale``)."""
    if data.get("format") != FORMAT:
        raise ValueError(f"role model format {data.get('format')!r}, expected {FORMAT}")
    scale = float(data["scale"])
    return RoleModel(labels=tuple(data["labels"]),
                     weights={f: tuple(x / scale for x in w) for f, w in data["weights"].items()},
                     bias=tuple(x / scale for x in data["bias"]))


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> RoleModel:
    data = json_model(MODEL)
    return from_dict(data)


def load() -> RoleModel | None:
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
