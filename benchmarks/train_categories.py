"""Train the section-category model and report its cross-validated accuracy, split by document.

usage: uv run python benchmarks/train_categories.py [--gold DIR ...] [--out parser/data/category_model.json]
       [--folds 5] [--no-write]

Each gold document (default: ../shared/eval/dev and ../shared/eval/dev2, or
$PLANPARSER_SHARED/eval/…) is parsed by our parser
(structure and plan metadata, as at run time); the parser's sections are matched to gold headings
by line and labelled with the gold category, so that bodies, parents and children are the parser's
own. Grouped K-fold over documents reports the accuracy over matched headings of (a) the lexicon
categorizer, (b) the model, (c) the model only where the section's own lexicon evidence is weak;
also train-on-one-set/test-on-the-other, and the same on the gold structure. Then the model is fitted
on every document and written (deterministically) to --out. Re-run it whenever headings change.
Needs the dev group (scikit-learn); the parser itself never imports this file.
"""
from __future__ import annotations

import argparse
import json
import sys
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from parser.extract.category_lexicon import lexicon_evidence, load_taxonomy  # noqa: E402
from parser.extract.category_features import DEFAULT_SPEC, section_features  # noqa: E402
from parser.extract.category_model import DEFAULT_MODEL, FORMAT, from_dict, predict  # noqa: E402
from parser.extract.metadata import describe_plan  # noqa: E402
from parser.ingest.read import make_document  # noqa: E402
from parser.model import Document  # noqa: E402
from parser.pipeline import Options, Parser  # noqa: E402
from _common import SHARED  # noqa: E402
SCALE = 1000            # weights are stored as integers / SCALE
PARAMS = {"C": 1.0, "min_df": 2}


@dataclass
class Sample:
    """One section matched to a gold heading: its document, features, gold label and the lexicon's."""

    doc: str
    group: str              # the gold folder (dev, dev2)
    feats: dict[str, float]
    gold: str
    lexicon: str
    own_strength: float     # the largest own lexicon score (weak own evidence: < settings.min_own)
    title: str


def samples_of(doc: Document, gold: dict, name: str, group: str, spec: dict) -> list[Sample]:
    """Features of ``doc``'s sections (already structured) that sit on a gold heading's line."""
    tax = load_taxonomy()
    starts = [s for s, _ in doc.lines()]
    by_line = {h["line"]: h["category"] for h in gold["headings"]}
    out = []
    for plan in doc.plans:
        describe_plan(doc, plan)
        ev = lexicon_evidence(doc, plan, tax)
        feats = section_features(doc, plan, ev, tax, spec)
        for sec, e, f in zip(plan.sections, ev, feats):
            line = bisect_right(starts, sec.heading_span[0]) - 1
            if line in by_line:
                lex = e.label or tax.settings["default"]
                out.append(Sample(name, group, f, by_line[line], lex, max(e.own.values(), default=0.0),
                                  sec.title))
    return out


def collect(gold_dirs: list[Path], spec: dict, structure: str = "parser") -> list[Sample]:
    """Samples from every gold JSON in ``gold_dirs``, on the parser's structure or on the gold one."""
    from eval_gold_structure import gold_document

    parser = Parser(Options(extract=False))
    out = []
    for d in gold_dirs:
        for gp in sorted(d.glob("*.json")):
            gold = json.loads(gp.read_text(encoding="utf-8"))
            if structure == "parser":
                doc = parser.structure(make_document(gold["text"], gp.stem, doc_id=gp.stem))
            else:
                doc = gold_document(gold, gp.stem)
            out.extend(samples_of(doc, gold, f"{d.name}/{gp.stem}", d.name, spec))
    return out


def fit(samples: list[Sample], labels: list[str], spec: dict, C: float, min_df: int) -> dict:
    """Fit the multinomial logistic model on ``samples``; return the JSON structure the parser reads."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    df: Counter = Counter()
    per_doc: dict[str, set] = defaultdict(set)
    for s in samples:
        per_doc[s.doc].update(s.feats)
    for feats in per_doc.values():
        df.update(feats)
    keep = {f for f, n in df.items() if n >= min_df}
    rows = [{k: v for k, v in s.feats.items() if k in keep} for s in samples]
    vec = DictVectorizer(sort=True)
    X = vec.fit_transform(rows)
    y = np.array([labels.index(s.gold) for s in samples])
    clf = LogisticRegression(C=C, solver="newton-cg", max_iter=1000, tol=1e-6)
    with threadpool_limits(1):          # BLAS threads only spin against each other on a small problem
        clf.fit(X, y)
    W = np.zeros((X.shape[1], len(labels)))
    b = np.zeros(len(labels))
    if len(clf.classes_) == 2:          # a binary fit has one row: the second class against the first
        W[:, clf.classes_[1]] = clf.coef_[0]
        b[clf.classes_[1]] = clf.intercept_[0]
    else:
        W[:, clf.classes_] = clf.coef_.T
        b[clf.classes_] = clf.intercept_
    b[[i for i in range(len(labels)) if i not in set(clf.classes_)]] = -10.0   # a label no sample had
    Wq = np.rint(W * SCALE).astype(int)
    names = vec.get_feature_names_out().tolist()
    kept = [i for i in range(len(names)) if np.any(Wq[i])]
    return {"format": FORMAT, "labels": labels, "spec": spec, "scale": SCALE,
            "bias": np.rint(b * SCALE).astype(int).tolist(),
            "features": [names[i] for i in kept], "weights": Wq[kept].ravel().tolist(),
            "info": {"samples": len(samples), "documents": len(per_doc), "C": C, "min_df": min_df}}


def accuracy(pairs) -> tuple[float, int]:
    pairs = list(pairs)
    return (sum(p == g for p, g in pairs) / len(pairs) if pairs else 0.0), len(pairs)


def evaluate(train: list[Sample], test: list[Sample], labels: list[str], spec: dict, params: dict,
             min_own: float) -> dict[str, list[tuple[str, str]]]:
    """Predictions of the lexicon, the model and the combination on ``test`` (pairs pred, gold)."""
    model = from_dict(fit(train, labels, spec, params["C"], params["min_df"]))
    out: dict[str, list] = {"lexicon": [], "model": [], "combined": []}
    for s in test:
        m = model.labels[predict(model, s.feats).best()]
        out["lexicon"].append((s.lexicon, s.gold))
        out["model"].append((m, s.gold))
        out["combined"].append((s.lexicon if s.own_strength >= min_own else m, s.gold))
    return out


def group_folds(samples: list[Sample], k: int) -> list[tuple[list[int], list[int]]]:
    """K folds over documents, dealt in sorted order of document name (deterministic)."""
    docs = sorted({s.doc for s in samples})
    fold_of = {d: i % k for i, d in enumerate(docs)}
    folds = []
    for f in range(k):
        test = [i for i, s in enumerate(samples) if fold_of[s.doc] == f]
        train = [i for i, s in enumerate(samples) if fold_of[s.doc] != f]
        folds.append((train, test))
    return folds


def cross_validate(samples: list[Sample], labels: list[str], spec: dict, params: dict, k: int,
                   min_own: float) -> dict:
    """Grouped K-fold (by document) and cross-set (dev → dev2, dev2 → dev) accuracies."""
    res: dict[str, dict] = {}
    pooled: dict[str, list] = defaultdict(list)
    order: list[int] = []
    for train, test in group_folds(samples, k):
        r = evaluate([samples[i] for i in train], [samples[i] for i in test], labels, spec, params, min_own)
        order.extend(test)
        for key, pairs in r.items():
            pooled[key].extend(pairs)
    res[f"{k}-fold by document"] = {key: accuracy(v) for key, v in pooled.items()}
    groups = sorted({s.group for s in samples})
    for g in groups:
        mask = [samples[i].group == g for i in order]
        res[f"  of which {g}"] = {key: accuracy(p for p, m in zip(v, mask) if m) for key, v in pooled.items()}
    for g in groups:
        train = [s for s in samples if s.group != g]
        test = [s for s in samples if s.group == g]
        if train and test:
            r = evaluate(train, test, labels, spec, params, min_own)
            res[f"train {'+'.join(x for x in groups if x != g)} → test {g}"] = \
                {key: accuracy(v) for key, v in r.items()}
    return res


def print_table(title: str, res: dict) -> None:
    print(f"\n{title}")
    print(f"{'split':<34}{'lexicon':>9}{'model':>9}{'combined':>10}{'n':>6}")
    for split, r in res.items():
        n = r["model"][1]
        print(f"{split:<34}{r['lexicon'][0]:>9.3f}{r['model'][0]:>9.3f}{r['combined'][0]:>10.3f}{n:>6}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", nargs="+", type=Path,
                    default=[SHARED / "eval" / "dev", SHARED / "eval" / "dev2"])
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-write", action="store_true", help="report only")
    ap.add_argument("--gold-structure", action="store_true", help="also report on the gold structure")
    a = ap.parse_args(argv)
    spec = dict(DEFAULT_SPEC)
    labels = list(load_taxonomy().labels)
    min_own = load_taxonomy().settings["min_own"]
    samples = collect(a.gold, spec)
    print(f"{len(samples)} headings matched in {len({s.doc for s in samples})} documents (parser structure)")
    print_table("accuracy over matched gold headings, parser structure",
                cross_validate(samples, labels, spec, PARAMS, a.folds, min_own))
    if a.gold_structure:
        gs = collect(a.gold, spec, structure="gold")
        print_table("accuracy over gold headings, gold structure",
                    cross_validate(gs, labels, spec, PARAMS, a.folds, min_own))
    if not a.no_write:
        from parser.tables.atomic import atomic_text
        model = fit(samples, labels, spec, PARAMS["C"], PARAMS["min_df"])
        with atomic_text(a.out) as fh:
            fh.write(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n")
        print(f"\nwrote {a.out}: {len(model['features'])} features, {a.out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
