"""Distinctive terms per group (region, body, year …): TF-IDF over the groups' section text, segmented with jieba.

Each group's titles and bodies form one document; a term scores ``tf × idf`` with
``tf`` its share of the group's terms and ``idf = log((1 + G) / (1 + df))`` over the G groups,
so a term every group uses scores 0 and a term only one group uses scores highest.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Iterable, Optional

import pandas as pd

from .corpus import data_file, group_labels, with_plan_columns

_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stop words of ``parser/data/stopwords.txt`` (one a line, ``#`` starts a comment)."""
    words = set()
    for line in data_file("stopwords.txt").read_text(encoding="utf-8").splitlines():
        w = line.split("#", 1)[0].strip()
        if w:
            words.add(w)
    return frozenset(words)


def tokenize(text: str, extra_stopwords: Iterable[str] = ()) -> list[str]:
    """Chinese words of ``text`` worth counting: jieba words of two or more Han characters, not stop words
    (Traditional text is counted in Simplified, so both spellings of a word are one term)."""
    import jieba

    from ..ingest.normalize import normalize

    stop = stopwords() | frozenset(extra_stopwords)
    return [w for w in jieba.lcut(normalize(text)) if len(w) >= 2 and _HAN.match(w) and w not in stop]


def group_texts(sections: pd.DataFrame, plans: pd.DataFrame, by: str = "region") -> dict[str, str]:
    """Each group's text: the titles and bodies of its sections joined (missing group → ``(unknown)``)."""
    if sections.empty:
        return {}
    df = with_plan_columns(sections, plans, [by])
    text = df["title"].fillna("").astype(str) + "\n" + df["body_text"].fillna("").astype(str)
    out: dict[str, list[str]] = {}
    for label, t in zip(group_labels(df[by]), text):
        out.setdefault(label, []).append(t)
    return {k: "\n".join(v) for k, v in out.items()}


def tfidf_terms(texts: dict[str, str], top_n: int = 10, min_count: int = 2,
                extra_stopwords: Iterable[str] = ()) -> pd.DataFrame:
    """Top ``top_n`` terms of each text by TF-IDF across the texts; columns group, rank, term, score, count."""
    cols = ["group", "rank", "term", "score", "count"]
    counts = {g: Counter(tokenize(t, extra_stopwords)) for g, t in texts.items()}
    df: Counter = Counter()
    for c in counts.values():
        df.update(c.keys())
    n_groups = len(counts)
    rows = []
    for g, c in counts.items():
        total = sum(c.values())
        scored = []
        for term, n in c.items():
            if n < min_count:
                continue
            idf = 1.0 if n_groups == 1 else math.log((1 + n_groups) / (1 + df[term]))
            score = n / total * idf
            if score > 0:
                scored.append((score, n, term))
        scored.sort(key=lambda x: (-x[0], -x[1], x[2]))
        for rank, (score, n, term) in enumerate(scored[:top_n], start=1):
            rows.append((g, rank, term, round(score, 6), n))
    out = pd.DataFrame(rows, columns=cols)
    return out.astype({"group": "string", "rank": "int64", "term": "string", "score": "float64", "count": "int64"})


def distinctive_terms(sections: pd.DataFrame, plans: pd.DataFrame, by: str = "region", top_n: int = 10,
                      min_count: int = 2, extra_stopwords: Iterable[str] = (),
                      groups: Optional[Iterable[str]] = None) -> pd.DataFrame:
    """The terms that set each group (a plans column: region, body, year …) apart from the others.

    Long table: group, rank, term, score, count. ``groups`` limits the comparison to those
    groups; ``terms_wide`` turns the result into one column per group.
    """
    texts = group_texts(sections, plans, by)
    if groups is not None:
        keep = set(map(str, groups))
        texts = {k: v for k, v in texts.items() if k in keep}
    return tfidf_terms(texts, top_n=top_n, min_count=min_count, extra_stopwords=extra_stopwords)


def terms_wide(terms: pd.DataFrame) -> pd.DataFrame:
    """One column per group, the terms in rank order down the rows."""
    if terms.empty:
        return pd.DataFrame()
    return terms.pivot(index="rank", columns="group", values="term")
