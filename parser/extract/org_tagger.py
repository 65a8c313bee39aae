"""The trained organisation tagger: a character-level CRF (python-crfsuite, BIO labels) over the clauses
that can hold an organisation, with the features of parser.extract.org_features (the rules' scan among
them). Without its model file (``orgs.crfsuite``) the rules decide."""
from __future__ import annotations

from typing import Optional, Sequence

from ..models import crf_tagger
from .org_features import SpanIndex, document_features, settings

MODEL = "orgs.crfsuite"
Span = tuple[int, int]


def decode(labels: Sequence[str], offset: int) -> list[Span]:
    """Spans of a BIO label sequence (an I after O opens a span too), offsets added."""
    out: list[Span] = []
    s = None
    for k, lab in enumerate(labels):
        if lab == "B" or (lab == "I" and s is None):
            if s is not None:
                out.append((offset + s, offset + k))
            s = k
        elif lab == "O" and s is not None:
            out.append((offset + s, offset + k))
            s = None
    if s is not None:
        out.append((offset + s, offset + len(labels)))
    return out


def tag_spans(norm: str, start: int, end: int, sc) -> Optional[list[Span]]:
    """Mention spans in ``norm[start:end]`` by the tagger (sorted), or None when there is no model.

    The best label sequence decides; a rule mention it leaves out is still kept when the tagger's
    probability that its characters belong to a mention averages at least ``recover`` (tagger.toml)."""
    tagger = crf_tagger(MODEL)
    if tagger is None:
        return None
    cands, feats = document_features(norm, start, end, sc)
    recover = settings().recover
    rules = SpanIndex(sc.spans)
    spans: list[Span] = []
    for c, f in zip(cands, feats):
        tagger.set(f)
        found = decode(tagger.tag(), c.start)
        if recover < 1.0:
            for s, e in rules.within(c.start, c.end):
                if e > c.end or any(a < e and s < b for a, b in found):
                    continue
                inside = sum(1.0 - tagger.marginal("O", k - c.start) for k in range(s, e)) / (e - s)
                if inside >= recover:
                    found.append((s, e))
            found.sort()
        spans += found
    return spans
