"""The trained organisation tagger: a character-level CRF (python-crfsuite, BIO labels) over the clauses
that can hold an organisation, with the features of parser.extract.org_features (the rules' scan among
them). Without its model file (``orgs.crfsuite``) the rules decide."""
from __future__ import annotations

from typing import Optional, Sequence

from ..models import crf_tagger
from .org_features import document_features

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


def tag_spans(norm: str, start: int, end: int, sc, tokens: Optional[Sequence[Span]] = None
              ) -> Optional[list[Span]]:
    """Mention spans in ``norm[start:end]`` by the tagger (sorted), or None when there is no model."""
    tagger = crf_tagger(MODEL)
    if tagger is None:
        return None
    cands, feats = document_features(norm, start, end, sc, tokens)
    spans: list[Span] = []
    for c, f in zip(cands, feats):
        spans += decode(tagger.tag(f), c.start)
    return spans
