"""The parse pipeline: Document → plans → sections → metadata → mentions → categories.

Each stage is a pure function in its own module; ``Parser`` only wires them in order and
fixes every mention's ``text`` to the original characters of its span.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Optional

from .errors import ConfigError
from .extract import canonical, categories, date_model, evidence, metadata_model, orgs, places
from .ingest.debris import compact
from .ingest.read import make_document, read_document
from .model import Document, OrgMention, Plan
from .structure import outline


@dataclass
class Options:
    """What a parse runs; the defaults are what ``planparser parse`` does."""

    extract: bool = True            # dates, organisations, categories, metadata
    max_mb: float = 32.0
    segmenter: str = "jieba"        # jieba | pkuseg | char: the tokenizer of ``Parser.nlp`` (tables never depend on it)
    components: tuple[str, ...] = ("planparser_dates", "planparser_orgs")   # which finders run
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


COMPONENTS = ("planparser_dates", "planparser_orgs")    # the spaCy component names of the two finders
# a plan touching every loader: headings, fields, a date, organisations with roles, places, a township
WARM_UP_TEXT = """磐安县政协2025年工作计划
一、总体要求
坚持稳中求进，由县政协办公室牵头，邀请市人大常委会和北辛街道办事处参加。
（一）加强组织建设
牵头单位：县妇联、团县委
时间安排：3月中旬至6月底，每季度一次
二、重点工作
围绕乡村振兴，组织委员到羊古坳乡视察。
"""


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
        doc.plans = outline.outline(doc)
        return doc

    def _mentions(self, doc: Document, plan: Plan) -> None:
        """Dates and organisations of one plan, found on its normalised text (absolute spans).

        The finders the spaCy components wrap, called directly: the tables need no spaCy ``Doc``, whose
        tokens would cost ~100 bytes each on a long plan (and spaCy itself seconds of start-up)."""
        s, e = plan.span
        # the plan alone, as the components see it (look-behinds stop at its start), without the pinyin
        # a script converter left (parser.ingest.debris); spans are mapped back onto the text
        view = compact(doc.norm[s:e])
        norm = view.text
        comps = self.options.components
        plan.dates = date_model.find_dates(norm, 0, len(norm), plan_year=plan.year) if COMPONENTS[0] in comps else []
        plan.organizations = orgs.find_orgs(norm, 0, len(norm)) if COMPONENTS[1] in comps else []
        for m in [*plan.dates, *plan.organizations]:
            a, b = view.to_original(m.span)
            if view.keep is not None and isinstance(m, OrgMention) and m.canonical is None and b - a != len(m.text):
                m.canonical = m.text            # the name as read, without the pinyin
            m.span = (a + s, b + s)

    def extract(self, doc: Document) -> Document:
        """Metadata, then dates and organisations (the finders of the spaCy components), canonical places
        and names, the evidence of the metadata, then categories."""
        for plan in doc.plans:
            metadata_model.describe_plan(doc, plan)
        unknown = [c for c in self.options.components if c not in COMPONENTS]
        if unknown:
            raise ConfigError("components", f"unknown component {unknown[0]!r}; choose from {', '.join(COMPONENTS)}")
        for plan in doc.plans:
            self._mentions(doc, plan)
        doc.furniture.sort()
        for plan in doc.plans:
            # page furniture inside a plan (an upload line, a banner) holds no mention of the plan
            plan.dates = [m for m in plan.dates if not _in_furniture(doc, m.span[0])]
            plan.organizations = [m for m in plan.organizations if not _in_furniture(doc, m.span[0])]
            for m in [*plan.dates, *plan.organizations]:
                m.text = doc.text[m.span[0]:m.span[1]]
                m.section_id = _section_of(plan, m.span[0])
            places.describe_place(doc, plan)
            canonical.canonicalise(plan)
            evidence.describe_evidence(doc, plan)
            categories.categorize(doc, plan, self.options.taxonomy)
        return doc

    def warm_up(self) -> "Parser":
        """Load everything a parse loads on first use (tables, jieba, the gazetteer, the date grammar) by
        parsing a small plan, so that worker processes forked afterwards start ready."""
        self.parse(make_document(WARM_UP_TEXT, "<warm-up>"))
        return self

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
