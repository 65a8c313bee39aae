"""Side-by-side comparison of two plans' section trees, aligned in order by title similarity, level and number."""
from __future__ import annotations

from difflib import SequenceMatcher

import pandas as pd

LEVEL_BONUS = 0.15      # added to the title similarity when both headings are at the same level
NUMBER_BONUS = 0.05     # added when they also carry the same number
MATCH_THRESHOLD = 0.6   # a pair with a lower score is not aligned (each side gets its own row)
SAME_TITLE = 0.999      # title similarity from which a pair counts as "same" rather than "similar"

COLUMNS = ["a_section_id", "a_level", "a_marker", "a_title", "similarity", "status",
           "b_section_id", "b_level", "b_marker", "b_title"]


def title_similarity(a: str, b: str) -> float:
    """Character similarity of two titles in [0, 1] after width folding and Traditional → Simplified
    (difflib ratio; an empty title → 0)."""
    return _ratio(_norm(a), _norm(b))


def _norm(title) -> str:
    from ..ingest.normalize import normalize

    return normalize(title).strip() if isinstance(title, str) else ""


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def pair_score(a: dict, b: dict) -> tuple[float, float]:
    """(score, title similarity) of two section rows; the score adds the level and number bonuses."""
    sim = _ratio(a["norm_title"], b["norm_title"]) if "norm_title" in a and "norm_title" in b else \
        title_similarity(a.get("title"), b.get("title"))
    same_level = _eq(a.get("level"), b.get("level"))
    score = sim + (LEVEL_BONUS if same_level else 0.0)
    if same_level and _eq(a.get("number"), b.get("number")):
        score += NUMBER_BONUS
    return score, sim


def _eq(x, y) -> bool:
    return x is not None and y is not None and not pd.isna(x) and not pd.isna(y) and x == y


def align(a: list[dict], b: list[dict], threshold: float = MATCH_THRESHOLD) -> list[tuple[int | None, int | None, float]]:
    """Order-keeping alignment of two heading lists maximising the summed pair scores (pairs below
    ``threshold`` are never aligned). Returns (index in a or None, index in b or None, similarity)."""
    n, m = len(a), len(b)
    pairs = [[pair_score(x, y) for y in b] for x in a]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score = pairs[i][j][0]
            take = best[i + 1][j + 1] + score if score >= threshold else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    out, i, j = [], 0, 0
    while i < n and j < m:
        score, sim = pairs[i][j]
        if score >= threshold and best[i][j] == best[i + 1][j + 1] + score:
            out.append((i, j, sim))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            out.append((i, None, float("nan")))
            i += 1
        else:
            out.append((None, j, float("nan")))
            j += 1
    out.extend((k, None, float("nan")) for k in range(i, n))
    out.extend((None, k, float("nan")) for k in range(j, m))
    return out


def _ordered(sections: pd.DataFrame, plan_id: str) -> list[dict]:
    rows = sections[sections["plan_id"] == plan_id]
    if "start" in rows.columns:
        rows = rows.sort_values("start", kind="stable")
    records = rows.to_dict("records")
    for r in records:
        r["norm_title"] = _norm(r.get("title"))
    return records


def compare_plans(sections: pd.DataFrame, plan_a: str, plan_b: str,
                  threshold: float = MATCH_THRESHOLD) -> pd.DataFrame:
    """Two plans' headings side by side: one row per aligned pair (status ``same`` or ``similar``)
    or per heading found in one plan only (``only_a`` / ``only_b``), in document order."""
    a, b = _ordered(sections, plan_a), _ordered(sections, plan_b)
    rows = []
    for i, j, sim in align(a, b, threshold):
        x = a[i] if i is not None else {}
        y = b[j] if j is not None else {}
        if i is not None and j is not None:
            status = "same" if sim >= SAME_TITLE else "similar"
        else:
            status = "only_a" if i is not None else "only_b"
        rows.append({"a_section_id": x.get("section_id"), "a_level": x.get("level"), "a_marker": x.get("marker"),
                     "a_title": x.get("title"), "similarity": round(sim, 3) if sim == sim else None,
                     "status": status, "b_section_id": y.get("section_id"), "b_level": y.get("level"),
                     "b_marker": y.get("marker"), "b_title": y.get("title")})
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({"a_section_id": "string", "a_level": "Int64", "a_marker": "string", "a_title": "string",
                       "similarity": "Float64", "status": "string", "b_section_id": "string", "b_level": "Int64",
                       "b_marker": "string", "b_title": "string"})


def comparison_summary(comparison: pd.DataFrame) -> pd.Series:
    """How many headings are the same, similar, or found in one plan only."""
    counts = comparison["status"].value_counts() if not comparison.empty else pd.Series(dtype="int64")
    return counts.reindex(["same", "similar", "only_a", "only_b"], fill_value=0).astype("int64")


def pick_pair(sections: pd.DataFrame, plans: pd.DataFrame) -> tuple[str, str] | None:
    """Two plans worth putting side by side: the two with the most headings among plans of one body
    (政协 with 政协 …), else the two with the most headings overall; None with fewer than two."""
    if sections.empty:
        return None
    sizes = sections.groupby("plan_id").size().sort_values(ascending=False, kind="stable")
    if len(sizes) < 2:
        return None
    body = plans.drop_duplicates("plan_id").set_index("plan_id")["body"] if "body" in plans else pd.Series()
    best = None
    for _, ids in sizes.groupby(sizes.index.map(lambda p: body.get(p, pd.NA)), dropna=True):
        if len(ids) >= 2:
            top = ids.sort_values(ascending=False, kind="stable")
            total = int(top.iloc[0] + top.iloc[1])
            if best is None or total > best[0]:
                best = (total, (str(top.index[0]), str(top.index[1])))
    return best[1] if best else (str(sizes.index[0]), str(sizes.index[1]))
