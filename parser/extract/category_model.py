"""The trained section-category model: a linear (multinomial logistic) model read from a JSON file.

``python -m parser.learn train`` writes ``data/models/categories.json`` from the gold sets; here it is
only read (lazily, once per path) and applied with NumPy, so the parser never imports the trainer.
The file holds the labels, the feature spec, and for each kept feature (short n-grams, lexicon
scores) its integer weights per label; no passages of text.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from ..models import model_stamp

if TYPE_CHECKING:                   # NumPy is imported on first use, not when the parser starts
    import numpy as np

MODEL_FILE = "categories.json"          # in parser/data/models (parser.models)
FORMAT = 1


@dataclass(frozen=True)
class CategoryModel:
    """Labels, the feature spec, and the weight matrix (one row per feature, one column per label)."""

    labels: tuple[str, ...]
    spec: dict
    index: dict[str, int]
    weights: np.ndarray         # (features, labels), float
    bias: np.ndarray            # (labels,)
    info: dict
    names: tuple[str, ...] = ()


def from_dict(data: dict, source: str = "<dict>") -> CategoryModel:
    """Build a model from the JSON structure the trainer writes (weights stored as integers / scale)."""
    if data.get("format") != FORMAT:
        raise ValueError(f"{source}: category model format {data.get('format')!r}, expected {FORMAT}")
    import numpy as np

    labels = tuple(data["labels"])
    scale = float(data["scale"])
    names = data["features"]
    w = np.asarray(data["weights"], dtype=np.float64).reshape(len(names), len(labels)) / scale
    return CategoryModel(labels=labels, spec=dict(data["spec"]), index={n: i for i, n in enumerate(names)},
                         weights=w, bias=np.asarray(data["bias"], dtype=np.float64) / scale,
                         info=dict(data.get("info") or {}), names=tuple(names))


def load_model(path: Optional[str] = None) -> Optional[CategoryModel]:
    """The model of ``path``, else the trained one (``categories.json``); None when there is none."""
    if path:
        return _load(str(path))
    stamp = model_stamp(MODEL_FILE)
    return None if stamp is None else _load(*stamp)


@lru_cache(maxsize=4)
def _load(path: str, mtime: float = 0.0) -> CategoryModel:
    """Read and build a model file; cached per path and modification time."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ValueError(f"{p}: cannot read the category model ({e})") from e
    return from_dict(data, str(p))


@dataclass
class Prediction:
    """Label probabilities for one section, with the known features that produced them."""

    probs: np.ndarray           # (labels,)
    index: np.ndarray           # the model's row of each known feature of the section
    rows: np.ndarray            # (len(index), labels): each feature's contribution (value × weight)

    def best(self) -> int:
        return int(self.probs.argmax())


def predict(model: CategoryModel, feats: dict[str, float]) -> Prediction:
    """Softmax of the bias plus every known feature's value times its weights."""
    return predict_many(model, [feats])[0]


def predict_many(model: CategoryModel, feats: list[dict[str, float]],
                 shared: Optional[dict[str, float]] = None) -> list[Prediction]:
    """``predict`` for many sections at once (one NumPy pass for a whole plan); ``shared`` features
    (the whole plan's) count for every section and are summed once."""
    import numpy as np

    if not feats:
        return []
    bias = model.bias
    if shared:
        get = model.index.get
        at = [(i, v) for i, v in zip(map(get, shared), shared.values()) if i is not None]
        if at:
            bias = bias + (model.weights[[i for i, _ in at]] * np.array([v for _, v in at])[:, None]).sum(axis=0)
    sizes = [len(f) for f in feats]
    total = sum(sizes)
    idx = np.fromiter(map(model.index.get, chain.from_iterable(feats), repeat(-1)), dtype=np.intp, count=total)
    vals = np.fromiter(chain.from_iterable(f.values() for f in feats), dtype=np.float64, count=total)
    owner = np.repeat(np.arange(len(feats)), sizes)
    known = idx >= 0
    idx, vals, owner = idx[known], vals[known], owner[known]
    rows = model.weights[idx] * vals[:, None]
    z = np.tile(bias, (len(feats), 1))
    np.add.at(z, owner, rows)
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    bounds = np.searchsorted(owner, np.arange(len(feats) + 1))
    return [Prediction(probs=p[i], index=idx[bounds[i]:bounds[i + 1]], rows=rows[bounds[i]:bounds[i + 1]])
            for i in range(len(feats))]
