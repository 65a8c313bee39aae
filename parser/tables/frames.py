"""Documents → pandas tables (plans, sections, dates, organizations, activities, activity_dates) with fixed
dtypes; an empty list is a missing value, never ""."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..extract.activities import activities_for, activity_dates_for  # the joining rule lives with extraction
from ..model import Document

if TYPE_CHECKING:  # pandas is imported when a table is built, not when the package is (start-up time)
    import pandas as pd

PLAN_COLUMNS = {
    "doc_id": "string", "source": "string", "plan_id": "string", "title": "string", "year": "Int64",
    "region": "string", "admin_level": "string", "body": "string", "start": "Int64", "end": "Int64",
    "section_count": "Int64", "date_count": "Int64", "organization_count": "Int64",
    "region_as_written": "string", "province": "string", "city": "string", "region_code": "string",
    "year_source": "string", "region_source": "string", "body_source": "string",
}
SECTION_COLUMNS = {
    "doc_id": "string", "plan_id": "string", "section_id": "string", "parent_id": "string", "level": "Int64",
    "marker": "string", "number": "Int64", "title": "string", "body_text": "string", "start": "Int64",
    "end": "Int64", "body_start": "Int64", "body_end": "Int64", "category": "string",
    "category_score": "Float64", "category_terms": "string",
}
DATE_COLUMNS = {
    "doc_id": "string", "plan_id": "string", "section_id": "string", "text": "string", "start": "Int64",
    "end": "Int64", "year": "Int64", "year_source": "string", "masked": "boolean", "month": "Int64",
    "month_end": "Int64", "day": "Int64", "period": "string", "recurrence": "string", "holiday": "string",
}
ORG_COLUMNS = {
    "doc_id": "string", "plan_id": "string", "section_id": "string", "text": "string", "start": "Int64",
    "end": "Int64", "role": "string", "canonical": "string", "kind": "string",
}
ACTIVITY_COLUMNS = {
    "doc_id": "string", "plan_id": "string", "section_id": "string", "section_title": "string",
    "category": "string", "dates": "string", "year": "Int64", "month": "Int64", "month_end": "Int64",
    "period": "string", "recurrence": "string", "organizers": "string", "participants": "string",
    "start": "Int64", "end": "Int64", "date_count": "Int64",
}
ACTIVITY_DATE_COLUMNS = {
    "doc_id": "string", "plan_id": "string", "section_id": "string", "category": "string", "text": "string",
    "start": "Int64", "end": "Int64", "year": "Int64", "month": "Int64", "month_end": "Int64", "day": "Int64",
    "period": "string", "recurrence": "string", "holiday": "string",
}
TABLES = {"plans": PLAN_COLUMNS, "sections": SECTION_COLUMNS, "dates": DATE_COLUMNS,
          "organizations": ORG_COLUMNS, "activities": ACTIVITY_COLUMNS, "activity_dates": ACTIVITY_DATE_COLUMNS}


def frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """Rows as a DataFrame with the table's fixed columns and dtypes (empty tables keep them too)."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=list(columns))
    return df.astype(columns)


def rows_for(doc: Document) -> dict[str, list[dict]]:
    """The rows one document contributes to each table."""
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    for p in doc.plans:
        out["plans"].append({
            "doc_id": doc.doc_id, "source": doc.source, "plan_id": p.plan_id, "title": p.title, "year": p.year,
            "region": p.region, "admin_level": p.admin_level, "body": p.body, "start": p.span[0],
            "end": p.span[1], "section_count": len(p.sections), "date_count": len(p.dates),
            "organization_count": len(p.organizations), "region_as_written": p.region_as_written,
            "province": p.province, "city": p.city, "region_code": p.region_code, "year_source": p.year_source,
            "region_source": p.region_source, "body_source": p.body_source})
        for s in p.sections:
            out["sections"].append({
                "doc_id": doc.doc_id, "plan_id": p.plan_id, "section_id": s.section_id, "parent_id": s.parent_id,
                "level": s.level, "marker": s.marker, "number": s.number, "title": s.title,
                "body_text": doc.text[s.body_span[0]:s.body_span[1]].strip("\n"),
                "start": s.heading_span[0], "end": s.heading_span[1], "body_start": s.body_span[0],
                "body_end": s.body_span[1], "category": s.category, "category_score": s.category_score,
                "category_terms": " ".join(s.category_terms) or None})
        for d in p.dates:
            out["dates"].append({
                "doc_id": doc.doc_id, "plan_id": p.plan_id, "section_id": d.section_id, "text": d.text,
                "start": d.span[0], "end": d.span[1], "year": d.year, "year_source": d.year_source,
                "masked": d.masked, "month": d.month, "month_end": d.month_end, "day": d.day,
                "period": d.period, "recurrence": d.recurrence, "holiday": d.holiday})
        for o in p.organizations:
            out["organizations"].append({
                "doc_id": doc.doc_id, "plan_id": p.plan_id, "section_id": o.section_id, "text": o.text,
                "start": o.span[0], "end": o.span[1], "role": o.role, "canonical": o.canonical, "kind": o.kind})
        out["activities"].extend(activities_for(doc, p))
        out["activity_dates"].extend(activity_dates_for(doc, p))
    return out


def to_frames(docs: Iterable[Document]) -> dict[str, pd.DataFrame]:
    """All tables for ``docs``: ``{"plans": df, "sections": df, "dates": df, ...}``."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for doc in docs:
        for name, rs in rows_for(doc).items():
            rows[name].extend(rs)
    return {name: frame(rows[name], cols) for name, cols in TABLES.items()}
