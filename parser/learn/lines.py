"""The line model: a linear-chain CRF (python-crfsuite) labelling each document's non-blank lines.

Labels (parser/structure/line_features.LABELS) come from the gold: a plan's line is ``title`` (or
``start``/``start_heading`` when its title is ""), a heading's line ``heading``; lines above the first
plan are ``top`` (so the model learns where the page's head ends; the parser shows them as ``meta``
or ``furniture``, which the [meta] patterns of furniture.toml tell apart); inside the plans, lines the
rules leave out with no gold mention on them are ``meta`` or ``furniture``, unnumbered field lines are
``field``, the rest ``body``. Features are the rules' decisions and the line's shape.
"""
from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from ..ingest.read import make_document
from ..structure.fields import match_field, match_marker
from ..structure.line_features import HEADINGS, LABELS, STARTS, RuleView, features, is_meta, line_of, rule_view, sequence
from ..structure.outline import MODEL_FILE, tag_lines
from .gold import GoldDoc
from .split import fold_of

NAME = "lines"
FILES = (MODEL_FILE,)
SHOWN = tuple(lab for lab in LABELS if lab != "top")      # the labels the parser shows
PARAMS = {"c1": 0.5, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


def gold_labels(d: GoldDoc, view: RuleView) -> list[str]:
    """The label of every line of ``d`` from its gold ("" for a blank line)."""
    plans = {p["line"]: p for p in d.plans}
    heads = {h["line"] for h in d.headings}
    mentions = {line_of(d.starts, m["span"][0]) for m in [*d.dates, *d.organizations]}
    first = min(plans) if plans else len(d.starts)
    out = []
    for i, line in enumerate(view.page.lines):
        if not line:
            out.append("")
        elif i in plans:
            out.append("title" if plans[i].get("title") else "start_heading" if i in heads else "start")
        elif i in heads:
            out.append("heading")
        elif i < first:
            out.append("top")
        elif view.labels[i] in ("furniture", "meta") and i not in mentions:
            out.append("meta" if is_meta(line) else "furniture")
        elif match_marker(line) is None and match_field(line) is not None:
            out.append("field")
        else:
            out.append("body")
    return out


def shown(labels: list[str], view: RuleView) -> list[str]:
    """``labels`` as the parser shows them: a line above the first plan ("top") is metadata or furniture."""
    return [("meta" if is_meta(view.page.lines[i]) else "furniture") if lab == "top" else lab
            for i, lab in enumerate(labels)]


def _prepared(docs: list[GoldDoc]) -> list[tuple[GoldDoc, RuleView, list[int]]]:
    out = []
    for d in docs:
        doc = make_document(d.text, d.name, doc_id=d.name)
        view = rule_view(doc)
        out.append((d, view, sequence(view)))
    return out


def _fit(prepared: list[tuple[GoldDoc, RuleView, list[int]]], path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for d, view, seq in prepared:
        gold = gold_labels(d, view)
        trainer.append(features(view, seq), [gold[i] for i in seq])
    trainer.set_params(PARAMS)
    trainer.train(str(path))


def train(docs: list[GoldDoc], out: Path) -> dict:
    """Train the line model on ``docs`` into ``out / lines.crfsuite``; a short report."""
    prepared = _prepared(docs)
    path = Path(out) / MODEL_FILE
    _fit(prepared, path)
    counts = Counter(lab for d, view, seq in prepared for lab in (gold_labels(d, view)[i] for i in seq))
    return {"documents": len(docs), "lines": sum(counts.values()), "bytes": path.stat().st_size,
            "labels": {lab: counts[lab] for lab in LABELS}}


class _Tally:
    def __init__(self) -> None:
        self.tp, self.gold, self.pred = Counter(), Counter(), Counter()

    def add(self, key: str, gold: set, pred: set) -> None:
        self.tp[key] += len(gold & pred)
        self.gold[key] += len(gold)
        self.pred[key] += len(pred)

    def f1(self, key: str) -> float:
        tp, g, p = self.tp[key], self.gold[key], self.pred[key]
        return 2 * tp / (g + p) if g + p else 1.0


def _score(tally: _Tally, acc: Counter, name: str, gold: list[str], pred: list[str], seq: list[int]) -> None:
    for i in seq:
        acc[name, "ok"] += gold[i] == pred[i]
        acc[name, "n"] += 1
    for lab in SHOWN:
        tally.add(f"{name}/{lab}", {i for i in seq if gold[i] == lab}, {i for i in seq if pred[i] == lab})
    tally.add(f"{name}/plans", {i for i in seq if gold[i] in STARTS}, {i for i in seq if pred[i] in STARTS})
    tally.add(f"{name}/headings", {i for i in seq if gold[i] in HEADINGS}, {i for i in seq if pred[i] in HEADINGS})


def cross_validate(docs: list[GoldDoc], k: int) -> str:
    """K-fold by document: line-label accuracy, per-label F1, plan-start and heading F1 of the model
    beside the rules' labels on the same documents."""
    import pycrfsuite

    prepared = _prepared(docs)
    tally, acc = _Tally(), Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(k):
            train = [x for x in prepared if fold_of(x[0].name, k) != fold]
            held = [x for x in prepared if fold_of(x[0].name, k) == fold]
            path = Path(tmp) / f"lines-{fold}.crfsuite"
            _fit(train, path)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(path))
            for d, view, seq in held:
                gold = shown(gold_labels(d, view), view)
                pred = tag_lines(tagger, view)
                _score(tally, acc, "model", gold, pred, seq)
                _score(tally, acc, "rules", gold, view.labels, seq)
            tagger.close()
    rows = [f"lines {k}-fold by document ({len(docs)} docs): model | rules",
            f"  line accuracy  {acc['model', 'ok'] / acc['model', 'n']:.3f} | {acc['rules', 'ok'] / acc['rules', 'n']:.3f}"]
    for key in ("plans", "headings", *SHOWN):
        rows.append(f"  {key:<14} F1 {tally.f1('model/' + key):.3f} | {tally.f1('rules/' + key):.3f}"
                    f"  (gold {tally.gold['model/' + key]})")
    return "\n".join(rows)


__all__ = ["FILES", "NAME", "cross_validate", "gold_labels", "train"]
