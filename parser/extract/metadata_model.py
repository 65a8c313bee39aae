"""Plan metadata decided by trained models: the year and the region are the best-scored of their
candidates (``metadata_features``), the admin level comes from a classifier and the body from a ranker
of the six labels; the rules of
``metadata`` run first and their picks are features. Without ``metadata.json`` the rules decide.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..model import Document, Plan
from ..models import model_stamp
from . import metadata as rules
from .linear import LinearModel, from_dict
from .metadata_features import (BODIES, Candidate, Context, body_candidates, body_evidence, context, level_counts, level_features,
                                region_candidates, year_candidates)

MODEL = "metadata.json"
NONE = "none"               # the label of "not given" in the level classifier


@dataclass(frozen=True)
class BodyScorer:
    """The body ranker laid out for scoring six labels at once: the weights every label shares, and for
    each plan key (``LABEL|key`` when trained) one weight per label."""

    shared: dict[str, float]
    by_key: dict[str, tuple[float, ...]]
    bias: float

    def scores(self, shared: list[dict[str, float]], keys: list[str]) -> list[float]:
        out = []
        for f in shared:
            s = self.bias
            for name, v in f.items():
                s += self.shared.get(name, 0.0) * v
            out.append(s)
        rows = [w for w in map(self.by_key.get, keys) if w is not None]
        for i, col in enumerate(zip(*rows)):
            out[i] += sum(col)
        return out


def body_scorer(model: LinearModel) -> BodyScorer:
    """The ranker's weights split into the shared ones and those of each label's plan keys."""
    shared: dict[str, float] = {}
    by_key: dict[str, list[float]] = {}
    for name, (w,) in model.weights.items():
        lb, sep, key = name.partition("|")
        if sep and lb in BODIES and not key.endswith("_score"):
            by_key.setdefault(key, [0.0] * len(BODIES))[BODIES.index(lb)] = w
        else:
            shared[name] = w
    return BodyScorer(shared, {k: tuple(v) for k, v in by_key.items()}, model.bias[0])


@dataclass(frozen=True)
class MetadataModels:
    """The four models of ``metadata.json``: year and region rankers, level classifier, body ranker."""

    year: LinearModel
    region: LinearModel
    level: LinearModel
    body: BodyScorer


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> MetadataModels:
    import json
    from pathlib import Path

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return from_json(data, path)


def from_json(data: dict, source: str = "<dict>") -> MetadataModels:
    """The models of the JSON the trainer writes."""
    year, region, level, body = (from_dict(data[k], f"{source}:{k}") for k in ("year", "region", "level", "body"))
    return MetadataModels(year, region, level, body_scorer(body))


def load() -> Optional[MetadataModels]:
    """The trained metadata models, or None when there is no model file."""
    stamp = model_stamp(MODEL)
    return None if stamp is None else _load(*stamp)


@dataclass
class Evidence:
    """Everything the models read for one plan (the trainer reads the same)."""

    ctx: Context
    rule_year: Optional[int]
    rule_region: Optional[str]
    rule_level: Optional[str]
    rule_body: Optional[str]
    years: list[Candidate]
    regions: list[Candidate]
    title_scores: dict[str, float]
    text_scores: dict[str, float]
    level_counts: dict[str, float]


def evidence(doc: Document, plan: Plan) -> Evidence:
    """The rules' picks and the candidates of ``plan`` (the rules' values are left on the plan)."""
    rules.describe_plan(doc, plan)
    ctx = context(doc, plan)
    lo, hi = ctx.body
    ref = rules._reference_year(doc, doc.norm, lo, hi)
    years = year_candidates(doc, plan, ctx, plan.year, ref)
    regions = region_candidates(doc, plan, ctx, plan.region, plan.admin_level)
    title_scores = rules._body_scores(ctx.title, 0, len(ctx.title), 1.0, objects=False)
    text_scores = rules._body_scores(doc.norm, lo, hi, 1.0, objects=True)
    return Evidence(ctx, plan.year, plan.region, plan.admin_level, plan.body, years, regions,
                    title_scores, text_scores, level_counts(doc.norm, lo, hi))


def best(model: LinearModel, cands: list[Candidate]) -> Candidate:
    """The candidate of highest score (the first of equals)."""
    scores = [model.scores(c.feats)[0] for c in cands]
    return cands[max(range(len(cands)), key=scores.__getitem__)]


def decide(models: MetadataModels, doc: Document, ev: Evidence) -> tuple[Candidate, Candidate, Optional[str], Optional[str]]:
    """(year candidate, region candidate, level, body) for one plan's evidence."""
    year = best(models.year, ev.years)
    region = best(models.region, ev.regions)
    level = models.level.best(level_features(ev.ctx, ev.rule_level, ev.level_counts, region))
    level = None if level == NONE else level
    # no body word and no level: nothing names a body, no guess (bigrams only tell among those named)
    named = bool(ev.title_scores or ev.text_scores or level)
    body = None
    if named:
        scores = models.body.scores(*body_evidence(doc, ev.ctx, ev.rule_body, ev.title_scores, ev.text_scores, level))
        body = BODIES[max(range(len(BODIES)), key=scores.__getitem__)]
    return year, region, level, body


def body_candidates_of(doc: Document, ev: Evidence, level: Optional[str]) -> list[Candidate]:
    """The body ranker's candidates for one plan's evidence."""
    return body_candidates(doc, ev.ctx, ev.rule_body, ev.title_scores, ev.text_scores, level)


def as_written(doc: Document, cand: Candidate) -> Optional[str]:
    """A region candidate as the text writes it (Traditional stays Traditional: parser.extract.places
    keeps it as ``region_as_written``), with the suffix a short form lacks; its value where the text
    does not write it (全国 read from 国务院, a page's title)."""
    value = cand.value
    if value is None:
        return None
    if cand.span is not None:
        s, e = cand.span
        if doc.norm[s:e] == value[:e - s]:
            return doc.text[s:e] + value[e - s:]
    i = doc.norm.find(value)
    return doc.text[i:i + len(value)] if i >= 0 else value


def describe_plan(doc: Document, plan: Plan) -> None:
    """Set the plan's year, region, admin level and body: by the models when they are there."""
    models = load()
    if models is None:
        rules.describe_plan(doc, plan)
        return
    ev = evidence(doc, plan)
    year, region, level, body = decide(models, doc, ev)
    plan.year = year.value
    plan.region = as_written(doc, region)
    plan.admin_level = level
    plan.body = body
