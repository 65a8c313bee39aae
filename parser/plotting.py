"""Figures for the analysis tables (bar charts, heat maps) with a bundled CJK font, so Chinese labels
render on any machine without system fonts."""
from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import Optional

import pandas as pd

# Fonts looked for on the system when no bundled font package is installed.
SYSTEM_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
                    "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", "SimHei")


def _bundled_font_files() -> list[Path]:
    files = []
    try:
        import pylopdf_fonts_zh_cn  # Noto Sans SC (SIL OFL), a runtime dependency

        files.append(Path(pylopdf_fonts_zh_cn.sans_path()))
    except ImportError:
        pass
    try:
        import mplfonts  # an alternative that also ships Noto Sans CJK SC

        files.extend(sorted((Path(mplfonts.__file__).parent / "fonts").glob("NotoSansCJK*.otf")))
    except ImportError:
        pass
    return [f for f in files if f.is_file()]


@lru_cache(maxsize=1)
def cjk_font_name() -> Optional[str]:
    """The family name of a CJK font registered with matplotlib (bundled first, else a system one)."""
    from matplotlib import font_manager

    for path in _bundled_font_files():
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=str(path)).get_name()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in SYSTEM_CJK_FONTS:
        if name in installed:
            return name
    return None


def use_cjk_font() -> Optional[str]:
    """Make matplotlib draw Chinese with a CJK font (first choice, DejaVu Sans after it for the rest).

    Returns the font's family name, or None (with a warning) when no CJK font can be found.
    """
    import matplotlib

    name = cjk_font_name()
    if name is None:
        warnings.warn("no CJK font found: install planparser's dependencies (uv sync) so Chinese labels render",
                      stacklevel=2)
        return None
    current = [f for f in matplotlib.rcParams["font.sans-serif"] if f != name]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, *current]
    return name


def _axes(ax, size: tuple[float, float]):
    import matplotlib.pyplot as plt

    use_cjk_font()
    if ax is None:
        fig, ax = plt.subplots(figsize=size, layout="constrained")
    return ax.figure, ax


def bar_counts(counts: pd.Series, title: str = "", ax=None, xlabel: str = "count", top: Optional[int] = 25):
    """A horizontal bar chart of a counts Series (largest at the top); returns the Figure."""
    counts = counts.head(top) if top else counts
    fig, ax = _axes(ax, (7, max(2.0, 0.35 * len(counts) + 1.2)))
    labels = [str(i) for i in counts.index]
    ax.barh(labels[::-1], counts.to_numpy()[::-1], color="#4C72B0")
    for y, v in enumerate(counts.to_numpy()[::-1]):
        ax.text(v, y, f" {v:g}", va="center", fontsize=9)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def heatmap(table: pd.DataFrame, title: str = "", ax=None, fmt: str = "{:.0%}", cmap: str = "YlOrRd",
            xlabel: str = "", ylabel: str = "", annotate: bool = True):
    """A heat map of a numeric table (rows × columns) with each cell's value written in it."""
    rows, cols = table.shape
    fig, ax = _axes(ax, (max(5.0, 0.8 * cols + 2.5), max(2.5, 0.45 * rows + 1.8)))
    values = table.to_numpy(dtype=float)
    im = ax.imshow(values, cmap=cmap, aspect="auto", vmin=0)
    ax.set_xticks(range(cols), [str(c) for c in table.columns], rotation=40, ha="right")
    ax.set_yticks(range(rows), [str(i) for i in table.index])
    if annotate and values.size:
        top = values.max() or 1.0
        for r in range(rows):
            for c in range(cols):
                v = values[r, c]
                if v:
                    ax.text(c, r, fmt.format(v), ha="center", va="center", fontsize=8,
                            color="white" if v > 0.6 * top else "black")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    bar = fig.colorbar(im, ax=ax, shrink=0.8)
    if "%" in fmt:
        from matplotlib.ticker import PercentFormatter

        bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    return fig


def category_heatmap(shares: pd.DataFrame, title: str = "Category shares", ax=None):
    """Category shares (rows = groups, each summing to 1) as a heat map with percentages."""
    return heatmap(shares, title=title, ax=ax, fmt="{:.0%}", xlabel="category", ylabel=shares.index.name or "")


def calendar_heatmap(calendar: pd.DataFrame, title: str = "Activities per month", ax=None):
    """The month × category activity calendar as a heat map (categories down, months across)."""
    table = calendar.T
    table.columns = [f"{m}月" for m in calendar.index]
    return heatmap(table, title=title, ax=ax, fmt="{:g}", cmap="Blues", xlabel="month")


def save_figure(fig, path: str | Path, dpi: int = 110) -> Path:
    """Write a figure to PNG (or any format matplotlib knows from the suffix)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    return path
