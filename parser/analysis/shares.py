"""Category shares by group (a normalised crosstab) and the month × category activity calendar."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from typing import Optional, Sequence

import pandas as pd

from .corpus import UNKNOWN, data_file, group_labels, with_plan_columns

MONTHS = list(range(1, 13))
ACTIVITY_KEY = ("doc_id", "plan_id", "section_id")     # one activity: a dated section of a plan


def category_counts(sections: pd.DataFrame, plans: pd.DataFrame, by: str | Sequence[str] = "region",
                    include_uncategorized: bool = False) -> pd.DataFrame:
    """Sections per group × category; ``by`` is a plans column (region, body, year, admin_level …) or several.

    Groups with a missing value are labelled ``(unknown)``; sections without a category are left
    out unless ``include_uncategorized`` (then labelled ``(unknown)``). Columns are ordered by total.
    """
    keys = [by] if isinstance(by, str) else list(by)
    if sections.empty:
        return pd.DataFrame(index=pd.Index([], name=keys[0] if len(keys) == 1 else None))
    df = with_plan_columns(sections, plans, keys)
    cat = df["category"].astype("string")
    if include_uncategorized:
        cat = cat.fillna(UNKNOWN)
    keep = cat.notna()
    df, cat = df[keep], cat[keep]
    if df.empty:
        return pd.DataFrame(index=pd.Index([], name=keys[0] if len(keys) == 1 else None))
    groups = [group_labels(df[k]).rename(k) for k in keys]
    table = pd.crosstab(groups if len(groups) > 1 else groups[0], cat.rename("category"))
    if len(keys) == 1 and UNKNOWN in table.index:   # the unknown group goes last
        table = table.reindex([i for i in table.index if i != UNKNOWN] + [UNKNOWN])
    order = table.sum().sort_values(ascending=False, kind="stable").index
    return table[order].astype("int64")


def category_shares(sections: pd.DataFrame, plans: pd.DataFrame, by: str | Sequence[str] = "region",
                    include_uncategorized: bool = False, min_sections: int = 1) -> pd.DataFrame:
    """Share of each category among a group's categorised sections (each row sums to 1).

    Groups with fewer than ``min_sections`` sections are dropped; the counts behind the shares
    are in ``category_counts``; ``result.attrs["n"]`` holds each row's section count.
    """
    counts = category_counts(sections, plans, by, include_uncategorized)
    if counts.empty:
        return counts.astype("float64")
    n = counts.sum(axis=1)
    counts = counts[n >= min_sections]
    shares = counts.div(counts.sum(axis=1), axis=0).astype("float64")
    shares.attrs["n"] = n[n >= min_sections].to_dict()
    return shares


@lru_cache(maxsize=1)
def _calendar_rules() -> dict:
    return tomllib.loads(data_file("calendar_periods.toml").read_text(encoding="utf-8"))


def months_of(month, month_end=None, period: Optional[str] = None, recurrence: Optional[str] = None) -> list[int]:
    """The months (1–12) a dated activity falls in: its month or range (wrapping over the new year),
    else the months of its period (上半年, 第三季度, 年底 …) or recurrence (每月, 每季度 …); [] when unknown."""
    rules = _calendar_rules()
    if month is not None and not pd.isna(month):
        first = int(month)
        last = int(month_end) if month_end is not None and not pd.isna(month_end) else first
        if not (1 <= first <= 12 and 1 <= last <= 12):
            return []
        if last >= first:
            return list(range(first, last + 1))
        return list(range(first, 13)) + list(range(1, last + 1))
    for value, table in ((period, "periods"), (recurrence, "recurrences")):
        if value is None or pd.isna(value):
            continue
        months = rules.get(table, {}).get(str(value).strip())
        if months:
            return [int(m) for m in months]
    return []


def activity_calendar(activities: pd.DataFrame, by: str = "category", spread: bool = True,
                      include_unknown: bool = True) -> pd.DataFrame:
    """Activities per month (rows 1–12) × ``by`` (columns, default category).

    Give it ``activity_dates`` (one row per activity and date) so that every date counts: an activity
    counts once in every month one of its dates covers (seven dates in seven months: seven months; a 5–7月
    range: 5, 6 and 7; 上半年: 1–6) when ``spread``, else once, in its first date's first month. The
    ``activities`` table (first date only) works too. Activities with no month are left out; a missing
    ``by`` value is ``(unknown)`` unless ``include_unknown`` is False.
    """
    seen: dict[tuple, list[int]] = {}
    if not activities.empty:
        labels = group_labels(activities[by]) if by in activities.columns else pd.Series(UNKNOWN, index=activities.index)
        ids = [activities[c].astype("string").fillna("") if c in activities.columns else
               pd.Series(activities.index.astype(str), index=activities.index) for c in ACTIVITY_KEY]
        cols = [activities.get(c, pd.Series(pd.NA, index=activities.index)) for c in
                ("month", "month_end", "period", "recurrence")]
        for label, *rest in zip(labels, *ids, *cols):
            if label == UNKNOWN and not include_unknown:
                continue
            key, (m, me, per, rec) = (*rest[:len(ACTIVITY_KEY)], label), rest[len(ACTIVITY_KEY):]
            months = seen.setdefault(key, [])
            months += [x for x in months_of(m, me, per, rec) if x not in months]
    rows = [(month, key[-1]) for key, months in seen.items() for month in (months if spread else months[:1])]
    if not rows:
        return pd.DataFrame(index=pd.Index(MONTHS, name="month"))
    df = pd.DataFrame(rows, columns=["month", by])
    table = pd.crosstab(df["month"], df[by]).reindex(MONTHS, fill_value=0)
    table.index.name = "month"
    order = table.sum().sort_values(ascending=False, kind="stable").index
    return table[order].astype("int64")
