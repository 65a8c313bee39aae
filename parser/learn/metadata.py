"""The plan-metadata models (``metadata.json``): year and region rankers over candidates, and level and
body classifiers, trained on the parser's own plans matched to the gold plans by their first line.

The level classifier reads the region ranker's pick, and the body classifier the level classifier's;
on the training documents those picks come from models fitted without the document's fold (stacking),
so they are as good as at run time, not better.
"""
from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..atomic import write_atomic
from ..extract.linear import from_dict
from ..extract.metadata_features import BODIES, LEVELS, Candidate, level_features
from ..extract.metadata_model import NONE, Evidence, best, body_candidates_of, evidence
from ..ingest.read import make_document
from ..model import Document
from ..pipeline import Options, Parser
from .gold import GoldDoc, scorer
from .linear import fit
from .split import fold_of

NAME = "metadata"
FILES = ("metadata.json",)
PARAMS = {"year": 1.0, "region": 10.0, "level": 3.0, "body": 10.0}   # region 10: 5-fold 0.831 against 0.826 at 1; level 3: 0.836 against 0.833 at 1
BODY_MIN_DF = 5        # a bigram must occur in 5 documents: 0.55 MB (3: 1.5 MB), 5-fold 0.862 against 0.865
INNER_FOLDS = 5


@dataclass
class Sample:
    """One parser plan on a gold plan's line: the evidence the models read and the gold values."""

    doc: str
    document: Document
    ev: Evidence
    year: Optional[int]
    region: Optional[str]
    level: Optional[str]
    body: Optional[str]
    fields: tuple[str, ...] = ("year", "region", "level", "body")    # what this sample teaches
    weight: float = 1.0


def _same_region(a: Optional[str], b: Optional[str]) -> bool:
    norm = scorer().norm_region
    return norm(a) == norm(b)


def collect(docs: list[GoldDoc]) -> list[Sample]:
    """Evidence of every parser plan that starts on a gold plan's line."""
    parser = Parser(Options(extract=False))
    out = []
    for g in docs:
        doc = parser.structure(make_document(g.text, g.name, doc_id=g.name))
        gold = {p["line"]: p for p in g.plans}
        for plan in doc.plans:
            gp = gold.get(bisect_right(g.starts, plan.span[0]) - 1)
            if gp is not None:
                out.append(Sample(g.name, doc, evidence(doc, plan), gp.get("year"), gp.get("region"),
                                  gp.get("admin_level"), gp.get("body")))
    return out


REAL_WEIGHT = 0.3       # a real document with plan metadata but no span gold (../shared/real) counts this much


def real_samples() -> list[Sample]:
    """The first plan of each document of ../shared/real with the metadata a reader gave it: the national
    work reports (year of the file, 全国, 政府) and local/INDEX.tsv (its empty cells teach nothing)."""
    from .evaluate import SHARED

    real = SHARED / "real"
    rows = []
    for f in sorted((real / "work-reports").glob("*.txt")):
        rows.append((f, int(f.stem[:4]), "全国", "全国", "政府"))
    index = real / "local" / "INDEX.tsv"
    if index.exists():
        for line in index.read_text(encoding="utf-8").splitlines()[1:]:
            cells = line.split("\t")
            if len(cells) >= 6:
                rows.append((real / "local" / cells[0], int(cells[5]) if cells[5] else "", cells[2] or "",
                             cells[3] or "", cells[4] or ""))
    parser = Parser(Options(extract=False))
    out = []
    for path, year, region, level, body in rows:
        if not path.exists():
            continue
        doc = parser.parse_file(str(path))
        if not doc.plans:
            continue
        fields = tuple(f for f, v in (("year", year), ("region", region), ("level", level), ("body", body)) if v != "")
        out.append(Sample(path.stem, doc, evidence(doc, doc.plans[0]), year or None, region or None,
                          level or None, body or None, fields, REAL_WEIGHT))
    return out


def _fit_ranker(samples: list[Sample], field: str) -> dict:
    """A ranker of the candidates of ``field`` (year or region) that puts the gold one first."""
    groups, gold, names, weights = [], [], [], []
    for s in samples:
        if field not in s.fields:
            continue
        cands: list[Candidate] = s.ev.years if field == "year" else s.ev.regions
        want = getattr(s, field)
        hits = [c.value == want if field == "year" else _same_region(c.value, want) for c in cands]
        if not any(hits) or len(cands) < 2:
            continue                    # the gold value is no candidate, or there is no choice
        groups.append([c.feats for c in cands])
        gold.append(hits.index(True))
        names.append(s.doc)
        weights.append(s.weight)
    # each candidate is one row, the gold one "yes": a binary model whose score ranks them (on the
    # national reports, trained without them, it generalised better than pairwise ranking: 49 of 52
    # regions against 42, the same on the gold's folds)
    rows, ys, rg, rw = [], [], [], []
    for cands, g, name, w in zip(groups, gold, names, weights):
        for k, feats in enumerate(cands):
            rows.append(feats)
            ys.append("yes" if k == g else "no")
            rg.append(name)
            rw.append(w)
    return fit(rows, ys, ["yes"], C=PARAMS[field], groups=rg, binary=True, weights=rw)


def _out_of_fold(samples: list[Sample], make, apply) -> list:
    """``apply(model, sample)`` for each sample, by a model ``make(train)`` fitted without its fold."""
    out: list = [None] * len(samples)
    for k in range(INNER_FOLDS):
        train = [s for s in samples if fold_of("inner/" + s.doc, INNER_FOLDS) != k]
        model = make(train)
        for i, s in enumerate(samples):
            if fold_of("inner/" + s.doc, INNER_FOLDS) == k:
                out[i] = apply(model, s)
    return out


def _level_rows(samples: list[Sample], regions: list[Candidate]):
    return [level_features(s.ev.ctx, s.ev.rule_level, s.ev.level_counts, r) for s, r in zip(samples, regions)]


def _fit_body(samples: list[Sample], levels: list[Optional[str]]) -> dict:
    """The body ranker: each plan's six label candidates, the gold label "yes" (classes balanced)."""
    rows, ys, groups, weights = [], [], [], []
    bal = _balanced([s.body for s in samples], [s.weight for s in samples])
    for s, lv, w in zip(samples, levels, bal):
        for c in body_candidates_of(s.document, s.ev, lv):
            rows.append(c.feats)
            ys.append("yes" if c.value == s.body else "no")
            groups.append(s.doc)
            weights.append(w)
    return fit(rows, ys, ["yes"], C=PARAMS["body"], min_df=BODY_MIN_DF, groups=groups, binary=True, weights=weights)


LEVEL_LABELS = [*LEVELS, NONE]
BALANCE = 0.0           # classes weighted by (mean count / count) ** BALANCE (0: as they come; 5-fold: 0.865 against 0.862 at 0.5)


def _balanced(labels: list[str], weights: list[float]) -> list[float]:
    """Sample weights that temper the imbalance of the labels (0 = none, 1 = fully balanced)."""
    counts: dict[str, float] = {}
    for lb, w in zip(labels, weights):
        counts[lb] = counts.get(lb, 0.0) + w
    mean = sum(counts.values()) / len(counts)
    return [w * (mean / counts[lb]) ** BALANCE for lb, w in zip(labels, weights)]


def fit_all(samples: list[Sample]) -> dict:
    """The four models, the level and body classifiers on out-of-fold picks of the models before them."""
    def stage_fit(tr: list[Sample]):
        """The region ranker of ``tr`` and the level classifier on its picks."""
        rm = from_dict(_fit_ranker(tr, "region"))
        tl = [s for s in tr if "level" in s.fields]
        lm = from_dict(fit([level_features(s.ev.ctx, s.ev.rule_level, s.ev.level_counts, best(rm, s.ev.regions)) for s in tl],
                           [s.level or NONE for s in tl], LEVEL_LABELS, C=PARAMS["level"], weights=[s.weight for s in tl]))
        return rm, lm

    def stage_apply(m, s: Sample) -> tuple[Candidate, str]:
        region = best(m[0], s.ev.regions)
        return region, m[1].best(level_features(s.ev.ctx, s.ev.rule_level, s.ev.level_counts, region))

    picks = _out_of_fold(samples, stage_fit, stage_apply)      # each fold's region ranker fitted once
    regions = [r for r, _ in picks]
    levels = [lv for _, lv in picks]
    levels = [None if lv == NONE else lv for lv in levels]
    lv_idx = [i for i, s in enumerate(samples) if "level" in s.fields]
    body_idx = [i for i, s in enumerate(samples) if "body" in s.fields and samples[i].body in BODIES]
    return {
        "year": _fit_ranker(samples, "year"),
        "region": _fit_ranker(samples, "region"),
        "level": fit(_level_rows([samples[i] for i in lv_idx], [regions[i] for i in lv_idx]),
                     [samples[i].level or NONE for i in lv_idx], LEVEL_LABELS, C=PARAMS["level"],
                     weights=[samples[i].weight for i in lv_idx]),
        "body": _fit_body([samples[i] for i in body_idx], [levels[i] for i in body_idx]),
    }


def predict(models: dict, s: Sample) -> tuple:
    """(year, region, level, body) of one sample by the fitted JSON models."""
    from ..extract.metadata_model import decide, from_json

    year, region, level, body = decide(from_json(models), s.document, s.ev)
    return year.value, region.value, level, body


def cross_validate(docs: list[GoldDoc], k: int) -> str:
    """K-fold by document: accuracy of year, region, level and body, models beside the rules."""
    samples = collect(docs)
    extra = real_samples()
    hits = {f: [0, 0] for f in ("year", "region", "level", "body")}
    for fold in range(k):
        train = [s for s in samples if fold_of(s.doc, k) != fold] + extra
        models = fit_all(train)
        for s in samples:
            if fold_of(s.doc, k) != fold:
                continue
            y, r, lv, b = predict(models, s)
            hits["year"][0] += y == s.year
            hits["region"][0] += _same_region(r, s.region)
            hits["level"][0] += lv == s.level
            hits["body"][0] += b == s.body
            hits["year"][1] += s.ev.rule_year == s.year
            hits["region"][1] += _same_region(s.ev.rule_region, s.region)
            hits["level"][1] += s.ev.rule_level == s.level
            hits["body"][1] += s.ev.rule_body == s.body
    n = len(samples)
    cells = ", ".join(f"{f} {m / n:.3f} (rules {r / n:.3f})" for f, (m, r) in hits.items())
    return f"metadata: {k}-fold by document over {n} matched plans: {cells}"


def train(docs: list[GoldDoc], out: Path) -> dict:
    """Fit on every training document and write ``metadata.json``."""
    samples = collect(docs) + real_samples()
    models = fit_all(samples)
    path = out / FILES[0]
    write_atomic(path, (json.dumps(models, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
    return {"plans": len(samples), "bytes": path.stat().st_size,
            **{f"{k}_features": len(v["weights"]) for k, v in models.items()}}
