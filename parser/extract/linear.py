"""A trained linear model read from JSON and applied in plain Python: labels, a bias, and per feature one
weight per label. ``parser.learn.linear`` fits them (scikit-learn); the parser never imports it.

Features are a mapping of name → value (1.0 for a present indicator); unknown names weigh nothing.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

FORMAT = 1


@dataclass(frozen=True)
class LinearModel:
    """Labels, the bias, and each known feature's weights (one per label)."""

    labels: tuple[str, ...]
    weights: dict[str, tuple[float, ...]]
    bias: tuple[float, ...]

    def scores(self, feats: Mapping[str, float]) -> list[float]:
        """The raw score of each label."""
        out = list(self.bias)
        for name, value in feats.items():
            w = self.weights.get(name)
            if w is not None and value:
                for k, x in enumerate(w):
                    out[k] += x * value
        return out

    def best(self, feats: Mapping[str, float]) -> str:
        """The label of highest score."""
        s = self.scores(feats)
        return self.labels[max(range(len(s)), key=s.__getitem__)]

    def predict(self, names: Iterable[str]) -> str:
        """The label of highest score for indicator features given by name (each worth 1)."""
        rows = [w for w in map(self.weights.get, names) if w is not None]
        s = [b + sum(col) for b, col in zip(self.bias, zip(*rows))] if rows else list(self.bias)
        return self.labels[s.index(max(s))]


def from_dict(data: Mapping, source: str = "<dict>") -> LinearModel:
    """Build a model from the JSON the trainers write (weights as integers over ``scale``)."""
    if data.get("format") != FORMAT:
        raise ValueError(f"{source}: linear model format {data.get('format')!r}, expected {FORMAT}")
    scale = float(data["scale"])
    return LinearModel(labels=tuple(data["labels"]),
                       weights={f: tuple(x / scale for x in w) for f, w in data["weights"].items()},
                       bias=tuple(x / scale for x in data["bias"]))
