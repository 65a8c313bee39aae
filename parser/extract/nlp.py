"""spaCy integration: a blank zh pipeline whose components put dates and organisations on the Doc.

``build_nlp()`` gives ``spacy.blank("zh")`` with jieba (or pkuseg, loaded offline from the model
that ships inside the pkuseg package) and the ``planparser_dates`` / ``planparser_orgs``
components. Each writes ``doc.spans["dates"]`` / ``doc.spans["organizations"]`` and merges
non-overlapping mentions into ``doc.ents``, with the full mention on ``span._.mention``, so a
user can add a statistical NER model or components of their own after ours.
"""
from __future__ import annotations

import os
from typing import Iterable, Optional, Sequence

from .spacy_import import import_spacy

import_spacy()  # before any spacy module: leaves spaCy's command line out (start-up time)

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402
from spacy.util import filter_spans  # noqa: E402

from ..errors import ConfigError  # noqa: E402
from ..ingest.normalize import normalize  # noqa: E402
from . import date_model, orgs  # noqa: E402
from .tokenizer import JiebaTokenizer  # noqa: E402  (also registers planparser.jieba_tokenizer.v1)

COMPONENTS = ("planparser_dates", "planparser_orgs")

if not Span.has_extension("mention"):
    Span.set_extension("mention", default=None)
if not Doc.has_extension("plan_year"):
    Doc.set_extension("plan_year", default=None)


def _to_spans(doc: Doc, mentions, label: str) -> list[Span]:
    out = []
    for m in mentions:
        span = doc.char_span(m.span[0], m.span[1], label=label, alignment_mode="expand")
        if span is None:
            continue
        span._.mention = m
        out.append(span)
    return out


def _set_ents(doc: Doc, spans: Sequence[Span]) -> None:
    doc.ents = filter_spans([*doc.ents, *spans])


class MentionComponent:
    """Find mentions on the normalised text (find), then annotate the Doc (spans, ents)."""

    key = ""
    label = ""

    def find(self, norm: str, doc: Doc):  # pragma: no cover - overridden
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        norm = doc.user_data.get("planparser_norm") or normalize(doc.text)
        mentions = self.find(norm, doc)
        doc.user_data[f"planparser_{self.key}"] = mentions  # all of them, aligned to tokens or not
        spans = _to_spans(doc, mentions, self.label)
        doc.spans[self.key] = spans
        _set_ents(doc, spans)
        return doc


class DateComponent(MentionComponent):
    key, label = "dates", "DATE"

    def find(self, norm: str, doc: Doc):
        return date_model.find_dates(norm, 0, len(norm), plan_year=doc._.plan_year)


class OrgComponent(MentionComponent):
    key, label = "organizations", "ORG"

    def find(self, norm: str, doc: Doc):
        tokens = None
        if doc.text == norm and isinstance(self.tokenizer, JiebaTokenizer):
            tokens = [(t.idx, t.idx + len(t.text)) for t in doc]  # cut once, by the same segmenter
        return orgs.find_orgs(norm, 0, len(norm), tokens=tokens)


@Language.factory("planparser_dates")
def make_dates(nlp: Language, name: str) -> DateComponent:
    return DateComponent()


@Language.factory("planparser_orgs")
def make_orgs(nlp: Language, name: str) -> OrgComponent:
    comp = OrgComponent()
    comp.tokenizer = nlp.tokenizer
    return comp


def pkuseg_model_dir() -> str:
    """The default model shipped inside the pkuseg package (no download needed)."""
    try:
        import pkuseg
    except ImportError as e:  # pragma: no cover - pkuseg is a dependency
        raise ConfigError("pkuseg", "pkuseg is not installed; run `uv sync`") from e
    path = os.path.join(os.path.dirname(pkuseg.__file__), "models", "default")
    if not os.path.isdir(path):
        raise ConfigError("pkuseg", f"no default model at {path}; reinstall pkuseg")
    return path


def build_nlp(segmenter: str = "jieba", components: Iterable[str] = COMPONENTS) -> Language:
    """A blank zh pipeline with our components; ``segmenter`` is "jieba" (ours, dictionary only),
    "spacy-jieba" (spaCy's, with jieba's HMM), "pkuseg" (offline default model) or "char"."""
    import spacy

    from .jieba_tables import _jieba

    _jieba()    # jieba without its HMM tables, unless spaCy's own jieba mode imports them
    if segmenter not in ("jieba", "pkuseg", "char", "spacy-jieba"):
        raise ConfigError("segmenter", f"unknown segmenter {segmenter!r}; use jieba, pkuseg or char")
    if segmenter == "jieba":
        tok = {"@tokenizers": "planparser.jieba_tokenizer.v1", "hmm": False}
    else:  # spaCy's own zh tokenizer ("spacy-jieba" is its jieba mode, with the HMM)
        tok = {"segmenter": "jieba" if segmenter == "spacy-jieba" else segmenter}
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": tok}})
    if segmenter == "pkuseg":
        nlp.tokenizer.initialize(pkuseg_model=pkuseg_model_dir())
    for name in components:
        if name not in COMPONENTS:
            raise ConfigError("components", f"unknown component {name!r}; choose from {', '.join(COMPONENTS)}")
        nlp.add_pipe(name)
    return nlp


def annotate(texts: Iterable[str], nlp: Optional[Language] = None, batch_size: int = 64) -> Iterable[Doc]:
    """``nlp.pipe`` over texts with our components (built once with jieba when not given)."""
    nlp = nlp or build_nlp()
    yield from nlp.pipe(texts, batch_size=batch_size)
