"""Load a corpus as tables (parse a folder, or read Parquet/CSV tables written by ``planparser parse``) and save them."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import pandas as pd

from ..errors import PlanparserError
from ..tables.frames import TABLES, to_frames

UNKNOWN = "(unknown)"
ERROR_COLUMNS = {"source": "string", "error": "string"}


def data_file(name: str) -> Path:
    """A configuration file of ``parser/data``."""
    return Path(__file__).resolve().parents[1] / "data" / name


def sample_corpus_path() -> Path:
    """The bundled sample corpus (``corpus/sample`` beside the package in a checkout)."""
    return Path(__file__).resolve().parents[2] / "corpus" / "sample"


def empty_tables() -> dict[str, pd.DataFrame]:
    """Every table with its columns and dtypes but no rows (plus an empty ``errors`` table)."""
    out = {name: pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()}) for name, cols in TABLES.items()}
    out["errors"] = pd.DataFrame({c: pd.Series(dtype=t) for c, t in ERROR_COLUMNS.items()})
    return out


def conform(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """``df`` with the columns and dtypes of table ``name`` (missing columns added empty, extra ones kept)."""
    cols = TABLES[name]
    df = df.copy()
    for c in cols:
        if c not in df.columns:
            df[c] = pd.NA
    ordered = list(cols) + [c for c in df.columns if c not in cols]
    return df[ordered].astype(cols)


def _table_files(folder: Path) -> dict[str, Path]:
    found = {}
    for name in TABLES:
        for suffix in (".parquet", ".csv"):
            f = folder / f"{name}{suffix}"
            if f.is_file():
                found[name] = f
                break
    return found


def read_tables(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Tables written by ``planparser parse --format parquet`` (or ``csv``) in ``folder``."""
    tables = empty_tables()
    for name, f in _table_files(Path(folder)).items():
        df = pd.read_parquet(f) if f.suffix == ".parquet" else pd.read_csv(f, encoding="utf-8-sig", dtype=str)
        tables[name] = conform(df, name)
    return tables


def parse_corpus(path: str | Path, options=None) -> dict[str, pd.DataFrame]:
    """Parse every .txt/.html file under ``path`` into tables; files that fail go to the ``errors`` table
    (one bad file never stops the corpus, as with ``planparser parse``)."""
    from ..pipeline import Parser
    from ..ingest.read import iter_inputs, read_document

    parser = Parser(options)
    docs, errors = [], []
    for source, err in iter_inputs([str(path)]):
        try:
            if err is not None:
                raise err
            docs.append(parser.parse(read_document(source, max_mb=parser.options.max_mb)))
        except PlanparserError as e:
            errors.append({"source": e.source, "error": e.reason})
        except Exception as e:  # a bug in a stage: keep the rest of the corpus, say which file and why
            errors.append({"source": source, "error": f"internal error {type(e).__name__}: {e}"})
    tables = to_frames(docs)
    tables["errors"] = pd.DataFrame(errors, columns=list(ERROR_COLUMNS)).astype(ERROR_COLUMNS)
    return tables


def load_corpus(path: Optional[str | Path] = None, options=None) -> dict[str, pd.DataFrame]:
    """Tables for ``path``: read them if it is a folder of table files, else parse its texts.

    ``path`` defaults to the bundled sample. Returns ``{"plans", "sections", "dates",
    "organizations", "activities", "errors"}``, every table present even when empty.
    """
    p = Path(path) if path is not None else sample_corpus_path()
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file or folder (set PLANPARSER_CORPUS to a folder of .txt/.html "
                                f"files or of tables written by `planparser parse --format parquet`)")
    if p.is_dir() and _table_files(p):
        return read_tables(p)
    return parse_corpus(p, options)


def save_tables(tables: dict[str, pd.DataFrame], folder: str | Path, fmt: str = "parquet") -> list[Path]:
    """Write every table to ``folder/NAME.parquet`` (or ``.csv``), readable again by ``load_corpus``."""
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown format {fmt!r}; choose parquet or csv")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        df = conform(tables.get(name, empty_tables()[name]), name)
        path = out / f"{name}.{fmt}"
        if fmt == "parquet":
            df.to_parquet(path, index=False)
        else:
            df.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    return written


def corpus_summary(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Row counts: documents, plans, sections, dates, organisations, activities, files that failed."""
    plans = tables.get("plans")
    counts = {"documents": int(plans["doc_id"].nunique()) if plans is not None else 0}
    for name in TABLES:
        counts[name] = len(tables.get(name, ()))
    counts["errors"] = len(tables.get("errors", ()))
    return pd.Series(counts, name="rows", dtype="int64")


def group_labels(values: pd.Series) -> pd.Series:
    """Values as text labels in Simplified characters (雨湖區 and 雨湖区 are one group), years as "2023",
    missing ones as ``(unknown)``."""
    from ..ingest.normalize import to_simplified

    labels = values.astype("string")
    simplified = {v: to_simplified(v) for v in labels.dropna().unique()}
    return labels.map(simplified, na_action="ignore").astype("string").fillna(UNKNOWN)


def count_by(df: pd.DataFrame, column: str, sort: str = "count") -> pd.Series:
    """How many rows per value of ``column`` (missing values counted as ``(unknown)``).

    ``sort="count"`` puts the largest first; ``sort="label"`` sorts by value (for years, levels);
    ``(unknown)`` comes last either way.
    """
    if df.empty or column not in df.columns:
        return pd.Series(dtype="int64", name="count")
    counts = group_labels(df[column]).value_counts()
    counts.index.name = column
    counts.name = "count"
    known = [i for i in counts.index if i != UNKNOWN]
    if sort == "label":
        known = sorted(known)
    counts = counts.reindex(known + [i for i in counts.index if i == UNKNOWN])  # unknown last
    return counts.astype("int64")


def sections_per_level(sections: pd.DataFrame) -> pd.DataFrame:
    """Sections per heading level: count, plans that reach the level, mean sections per such plan."""
    cols = ["sections", "plans", "per_plan"]
    if sections.empty:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="level"))
    g = sections.dropna(subset=["level"]).groupby("level")
    out = pd.DataFrame({"sections": g.size(), "plans": g["plan_id"].nunique()})
    out["per_plan"] = (out["sections"] / out["plans"]).round(2)
    out.index = out.index.astype("int64")
    return out[cols]


def with_plan_columns(df: pd.DataFrame, plans: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``df`` (rows with a plan_id) with plan metadata columns joined in, where not already present."""
    need = [c for c in columns if c not in df.columns]
    if not need:
        return df
    meta = plans[["plan_id", *need]].drop_duplicates("plan_id") if not plans.empty else \
        pd.DataFrame({c: pd.Series(dtype=plans[c].dtype if c in plans else "string") for c in ["plan_id", *need]})
    return df.merge(meta, on="plan_id", how="left")
