"""The parse pipeline: Document → plans → sections → metadata → mentions → categories.

Each stage is a pure function in its own module; ``Parser`` only wires them in order and
fixes every mention's ``text`` to the original characters of its span.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Optional

from .extract import categories, metadata
from .ingest.read import make_document, read_document
from .model import Document, Plan
from .structure import plans, sections


@dataclass
class Options:
    """What a parse runs; the defaults are what ``planparser parse`` does."""

    extract: bool = True            # dates, organisations, categories, metadata
    max_mb: float = 32.0
    segmenter: str = "jieba"        # jieba | pkuseg | char: the spaCy tokenizer
    components: tuple[str, ...] = ("planparser_dates", "planparser_orgs")
    batch_size: int = 32
    taxonomy: Optional[str] = None  # a taxonomy TOML replacing data/taxonomy.toml (see categories)


def _section_of(plan: Plan, pos: int) -> Optional[str]:
    found = None
    for s in plan.sections:
        if s.heading_span[0] <= pos:
            found = s.section_id
        else:
            break
    return found


def _in_furniture(doc: Document, pos: int) -> bool:
    i = bisect_right(doc.furniture, (pos, float("inf"))) - 1
    return i >= 0 and doc.furniture[i][0] <= pos < doc.furniture[i][1]


class Parser:
    """Configurable entry point: ``Parser(Options(...)).parse(doc)``."""

    def __init__(self, options: Optional[Options] = None):
        self.options = options or Options()
        self._nlp = None

    @property
    def nlp(self):
        """The spaCy pipeline, built on first use with only the configured components."""
        if self._nlp is None:
            from .extract.nlp import build_nlp

            self._nlp = build_nlp(self.options.segmenter, self.options.components)
        return self._nlp

    def structure(self, doc: Document) -> Document:
        """Split into plans and heading trees (no extraction)."""
        doc.plans = plans.split_plans(doc)
        for plan in doc.plans:
            plan.sections = sections.build_sections(doc, plan)
        return doc

    def _spacy_docs(self, doc: Document):
        """One spaCy Doc per plan, carrying the plan's normalised text and year for the components."""
        for plan in doc.plans:
            s, e = plan.span
            # the normalised text: offsets are the same, and tokens cut on it serve the org finder too
            sdoc = self.nlp.make_doc(doc.norm[s:e])
            sdoc.user_data["planparser_norm"] = doc.norm[s:e]
            sdoc._.plan_year = plan.year
            yield sdoc

    def extract(self, doc: Document) -> Document:
        """Metadata, then dates and organisations (spaCy components via ``nlp.pipe``), then categories."""
        for plan in doc.plans:
            metadata.describe_plan(doc, plan)
        if self.options.components:
            sdocs = self.nlp.pipe(self._spacy_docs(doc), batch_size=self.options.batch_size)
            for plan, sdoc in zip(doc.plans, sdocs):
                off = plan.span[0]
                for key, target in (("dates", plan.dates), ("organizations", plan.organizations)):
                    target.clear()
                    for m in sdoc.user_data.get(f"planparser_{key}", []):
                        m.span = (m.span[0] + off, m.span[1] + off)
                        target.append(m)
        doc.furniture.sort()
        for plan in doc.plans:
            # page furniture inside a plan (an upload line, a banner) holds no mention of the plan
            plan.dates = [m for m in plan.dates if not _in_furniture(doc, m.span[0])]
            plan.organizations = [m for m in plan.organizations if not _in_furniture(doc, m.span[0])]
            for m in [*plan.dates, *plan.organizations]:
                m.text = doc.text[m.span[0]:m.span[1]]
                m.section_id = _section_of(plan, m.span[0])
            categories.categorize(doc, plan, self.options.taxonomy)
        return doc

    def parse(self, doc: Document) -> Document:
        self.structure(doc)
        if self.options.extract:
            self.extract(doc)
        return doc

    def parse_file(self, path: str) -> Document:
        return self.parse(read_document(path, max_mb=self.options.max_mb))

    def parse_text(self, text: str, source: str = "<text>", doc_id: Optional[str] = None) -> Document:
        return self.parse(make_document(text, source, doc_id=doc_id))

    def parse_many(self, docs: Iterable[Document]) -> Iterable[Document]:
        for doc in docs:
            yield self.parse(doc)
