"""Activities: one row per dated section, joining its dates, organisers, participants and category, and the
long form beside it, one row per activity and date, so that calendars and month counts see every date."""
from __future__ import annotations

from typing import Optional

from ..model import DateMention, Document, Plan

SEP = "；"


def _joined(items) -> Optional[str]:
    """Items joined with "；" (each once, in order), or None for none: an empty list is missing, not ""."""
    items = list(dict.fromkeys(i for i in items if i))
    return SEP.join(items) if items else None


def _by_section(plan: Plan) -> dict[Optional[str], list[DateMention]]:
    """A plan's dates grouped by the section they stand in (the activities), in text order."""
    out: dict[Optional[str], list[DateMention]] = {}
    for d in plan.dates:
        out.setdefault(d.section_id, []).append(d)
    return out


def activities_for(doc: Document, plan: Plan) -> list[dict]:
    """Group a plan's dates by section; each dated section is one activity row (its first date's fields)."""
    titles = {s.section_id: s for s in plan.sections}
    rows = []
    for sid, ds in _by_section(plan).items():
        sec = titles.get(sid)
        orgs = [o for o in plan.organizations if o.section_id == sid]
        first = ds[0]
        rows.append({
            "doc_id": doc.doc_id, "plan_id": plan.plan_id, "section_id": sid,
            "section_title": sec.title if sec else None, "category": sec.category if sec else None,
            "dates": _joined(d.text for d in ds), "date_count": len(ds), "year": first.year, "month": first.month,
            "month_end": first.month_end, "period": first.period, "recurrence": first.recurrence,
            "organizers": _joined(o.canonical or o.text for o in orgs if o.role == "organizer"),
            "participants": _joined(o.canonical or o.text for o in orgs if o.role == "participant"),
            "start": first.span[0], "end": ds[-1].span[1]})
    return rows


def activity_dates_for(doc: Document, plan: Plan) -> list[dict]:
    """One row per activity (dated section) and date: every date of an activity, with its own fields."""
    titles = {s.section_id: s for s in plan.sections}
    rows = []
    for sid, ds in _by_section(plan).items():
        sec = titles.get(sid)
        for d in ds:
            rows.append({
                "doc_id": doc.doc_id, "plan_id": plan.plan_id, "section_id": sid,
                "category": sec.category if sec else None, "text": d.text, "start": d.span[0], "end": d.span[1],
                "year": d.year, "month": d.month, "month_end": d.month_end, "day": d.day, "period": d.period,
                "recurrence": d.recurrence, "holiday": d.holiday})
    return rows
