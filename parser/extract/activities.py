"""Activities: one row per dated section, joining its dates, organisers, participants and category."""
from __future__ import annotations

from ..model import Document, Plan


def activities_for(doc: Document, plan: Plan) -> list[dict]:
    """Group a plan's dates by section; each dated section is one activity row."""
    by_section: dict = {}
    for d in plan.dates:
        by_section.setdefault(d.section_id, []).append(d)
    titles = {s.section_id: s for s in plan.sections}
    rows = []
    for sid, ds in by_section.items():
        sec = titles.get(sid)
        orgs = [o for o in plan.organizations if o.section_id == sid]
        first = ds[0]
        rows.append({
            "doc_id": doc.doc_id, "plan_id": plan.plan_id, "section_id": sid,
            "section_title": sec.title if sec else None, "category": sec.category if sec else None,
            "dates": "；".join(d.text for d in ds), "year": first.year, "month": first.month,
            "month_end": first.month_end, "period": first.period, "recurrence": first.recurrence,
            "organizers": "；".join(dict.fromkeys(o.canonical or o.text for o in orgs if o.role == "organizer")),
            "participants": "；".join(dict.fromkeys(o.canonical or o.text for o in orgs if o.role == "participant")),
            "start": first.span[0], "end": ds[-1].span[1]})
    return rows
