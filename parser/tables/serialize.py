"""Documents → plain dicts in the shape of docs/CONTRACT.md (plus extra fields that never rename or drop)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..model import Document, Plan, Section

CONTRACT_VERSION = 2     # docs/CONTRACT.md: 2 added the canonical places, evidence and canonical names


def _section_dict(doc: Document, s: Section) -> dict[str, Any]:
    body = doc.text[s.body_span[0]:s.body_span[1]].strip("\n")
    return {
        "section_id": s.section_id, "parent_id": s.parent_id, "level": s.level, "marker": s.marker,
        "number": s.number, "style": s.style, "title": s.title, "span": list(s.heading_span),
        "title_span": list(s.title_span), "body_span": list(s.body_span), "body": body,
        "fields": [{"name": f.name, "value": f.value, "span": list(f.span), "value_span": list(f.value_span)}
                   for f in s.fields],
        "category": s.category, "category_score": round(s.category_score, 4), "category_terms": s.category_terms,
    }


def _mention_dict(m) -> dict[str, Any]:
    d = asdict(m)
    d["span"] = list(m.span)
    return d


def plan_dict(doc: Document, p: Plan) -> dict[str, Any]:
    return {
        "plan_id": p.plan_id, "title": p.title, "span": list(p.span),
        "title_span": list(p.title_span) if p.title_span else None,
        "year": p.year, "region": p.region, "admin_level": p.admin_level, "body": p.body,
        "region_as_written": p.region_as_written, "province": p.province, "city": p.city,
        "region_code": p.region_code, "year_source": p.year_source, "region_source": p.region_source,
        "body_source": p.body_source,
        "sections": [_section_dict(doc, s) for s in p.sections],
        "dates": [_mention_dict(m) for m in p.dates],
        "organizations": [_mention_dict(m) for m in p.organizations],
    }


def document_dict(doc: Document, include_text: bool = True) -> dict[str, Any]:
    """The contract JSON of one document; ``text`` is what every span points into."""
    out: dict[str, Any] = {
        "source": doc.source, "doc_id": doc.doc_id, "contract": CONTRACT_VERSION,
        "encoding": doc.encoding, "page_title": doc.page_title, "published": doc.published,
        "furniture": [list(s) for s in doc.furniture],
        "plans": [plan_dict(doc, p) for p in doc.plans],
    }
    if include_text:
        out["text"] = doc.text
    return out
