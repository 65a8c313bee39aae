"""Incremental tables: parse the page versions stored since the last update and append them to
DIR/tables/*.parquet (read existing, drop older rows of the same pages, concat, write atomically)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..tables.atomic import atomic_path as atomic_file
from .store import CorpusStore


def _docs_since(store: CorpusStore, after_run: int):
    from ..ingest.read import make_document
    from .extract import _parser

    rows = store.db.execute(
        "SELECT p.* FROM pages p JOIN (SELECT url, MAX(version) v FROM pages GROUP BY url) m "
        "ON p.url=m.url AND p.version=m.v WHERE p.run_id > ? AND p.text_path IS NOT NULL "
        "AND p.parse_status='ok' ORDER BY p.url", (after_run,)).fetchall()
    for row in rows:
        text = store.read_text(row)
        doc = make_document(text, row["final_url"] or row["url"], doc_id=row["doc_id"], encoding=row["encoding"],
                            page_title=row["title"], published=row["published"])
        yield _parser(True).parse(doc)


def append_tables(tables_dir: Path, frames: dict[str, pd.DataFrame], doc_ids: set[str]) -> dict[str, int]:
    """Replace the rows of ``doc_ids`` in each table by the new ones; rows per table afterwards."""
    tables_dir.mkdir(parents=True, exist_ok=True)
    sizes: dict[str, int] = {}
    for name, new in frames.items():
        path = tables_dir / f"{name}.parquet"
        if path.exists():
            old = pd.read_parquet(path)
            old = old[~old["doc_id"].isin(doc_ids)]
            both = pd.concat([old, new], ignore_index=True) if len(new) else old
            df = both.astype(dict(new.dtypes)) if len(both) else new
        else:
            df = new
        with atomic_file(path) as tmp:
            df.to_parquet(tmp, index=False)
        sizes[name] = len(df)
    return sizes


def update_tables(corpus: str | Path) -> dict[str, Any]:
    """Parse what is new since the last table update and append it; the catalogue remembers the mark."""
    from ..tables.frames import to_frames

    store = CorpusStore(corpus)
    try:
        row = store.db.execute("SELECT value FROM meta WHERE key='tables_run'").fetchone()
        after = int(row[0]) if row else 0
        last = store.db.execute("SELECT COALESCE(MAX(run_id), 0) FROM runs").fetchone()[0]
        docs = list(_docs_since(store, after))
        frames = to_frames(docs)
        sizes = append_tables(Path(corpus) / "tables", frames, {d.doc_id for d in docs})
        with store.tx():
            store.db.execute("INSERT OR REPLACE INTO meta VALUES ('tables_run', ?)", (str(last),))
        return {"documents": len(docs), "new_rows": {k: len(v) for k, v in frames.items()}, "rows": sizes}
    finally:
        store.close()
