"""Who organises what with whom: organiser, partner and role tables from the activities and organisations."""
from __future__ import annotations

import re

import pandas as pd

from .corpus import UNKNOWN, group_labels

_SPLIT = re.compile(r"[；;]")


def split_names(value) -> list[str]:
    """The names of a joined ``organizers`` / ``participants`` cell ("甲；乙" → ["甲", "乙"])."""
    if value is None or pd.isna(value):
        return []
    return list(dict.fromkeys(n.strip() for n in _SPLIT.split(str(value)) if n.strip()))


def _top(values: pd.Series, k: int) -> str:
    counts = values.value_counts()
    return "；".join(f"{name} ({n})" for name, n in counts.head(k).items())


def activity_roles(activities: pd.DataFrame) -> pd.DataFrame:
    """One row per (activity, organisation, role): the long form of the organisers/participants columns."""
    cols = ["doc_id", "plan_id", "section_id", "category", "name", "role"]
    rows = []
    if not activities.empty:
        cats = group_labels(activities["category"])
        for (_, a), cat in zip(activities.iterrows(), cats):
            for role, column in (("organizer", "organizers"), ("participant", "participants")):
                for name in split_names(a.get(column)):
                    rows.append((a["doc_id"], a["plan_id"], a["section_id"], cat, name, role))
    return pd.DataFrame(rows, columns=cols).astype("string")


def organiser_table(activities: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """One row per organiser: activities led, plans, its main categories and its most frequent partners."""
    cols = ["organizer", "activities", "plans", "categories", "partners"]
    long = activity_roles(activities)
    orgs = long[long["role"] == "organizer"]
    if orgs.empty:
        return pd.DataFrame(columns=cols)
    parts = long[long["role"] == "participant"]
    key = ["plan_id", "section_id"]
    with_parts = orgs.merge(parts[key + ["name"]].rename(columns={"name": "partner"}), on=key, how="left")
    rows = []
    for name, g in orgs.groupby("name", sort=False):
        act = g.drop_duplicates(key)
        partners = with_parts.loc[with_parts["name"] == name, "partner"].dropna()
        rows.append({"organizer": name, "activities": len(act), "plans": act["plan_id"].nunique(),
                     "categories": _top(act["category"], top), "partners": _top(partners, top)})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["activities", "organizer"], ascending=[False, True], kind="stable").reset_index(drop=True)


def organiser_partners(activities: pd.DataFrame) -> pd.DataFrame:
    """Organiser × participant pairs with the number of activities they share, most frequent first."""
    cols = ["organizer", "participant", "activities"]
    long = activity_roles(activities)
    key = ["plan_id", "section_id"]
    orgs = long[long["role"] == "organizer"][key + ["name"]].rename(columns={"name": "organizer"})
    parts = long[long["role"] == "participant"][key + ["name"]].rename(columns={"name": "participant"})
    pairs = orgs.merge(parts, on=key).drop_duplicates()
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    out = pairs.groupby(["organizer", "participant"]).size().rename("activities").reset_index()
    return out.sort_values(["activities", "organizer", "participant"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)[cols]


def organiser_categories(activities: pd.DataFrame) -> pd.DataFrame:
    """Organiser × category: how many activities of each category an organiser leads."""
    long = activity_roles(activities)
    orgs = long[long["role"] == "organizer"].drop_duplicates(["plan_id", "section_id", "name"])
    if orgs.empty:
        return pd.DataFrame(index=pd.Index([], name="organizer"))
    table = pd.crosstab(orgs["name"].rename("organizer"), orgs["category"].rename("category"))
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    return table[table.sum().sort_values(ascending=False, kind="stable").index].astype("int64")


def organisation_roles(organizations: pd.DataFrame) -> pd.DataFrame:
    """Every organisation (canonical name, else as written) with its kind and mentions per role."""
    cols = ["organization", "kind", "organizer", "participant", "other", "mentions", "plans"]
    if organizations.empty:
        return pd.DataFrame(columns=cols)
    df = organizations.copy()
    df["organization"] = df["canonical"].fillna(df["text"]).astype("string")
    df["role"] = df["role"].fillna("other")
    roles = pd.crosstab(df["organization"], df["role"])
    for r in ("organizer", "participant", "other"):
        if r not in roles.columns:
            roles[r] = 0
    g = df.groupby("organization")
    kinds = g["kind"].agg(lambda s: s.dropna().mode().iloc[0] if s.notna().any() else UNKNOWN)
    out = pd.DataFrame({"kind": kinds, "organizer": roles["organizer"], "participant": roles["participant"],
                        "other": roles["other"], "mentions": g.size(), "plans": g["plan_id"].nunique()})
    out = out.rename_axis("organization").reset_index()
    return out.sort_values(["mentions", "organization"], ascending=[False, True], kind="stable").reset_index(drop=True)[cols]
