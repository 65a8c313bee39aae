"""``--engine dask``: the same parse on a Dask distributed cluster, partitioned Parquet out.

Files are cut into partitions of a few files each; a worker parses a partition with the same
``Parser`` as the local engine and writes ``OUT/<table>/part-NNNNN.parquet`` (atomically), so the
output folder reads with pandas, DuckDB or Dask. On a real cluster OUT must be a path every worker
can write (a shared file system). A run killed before is resumed: partitions whose part files were
all written are skipped (``parser.run.resume``).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional, Sequence

from ..ingest.read import iter_inputs, unique_ids
from ..model import Document
from ..pipeline import Options, Parser

FILES_PER_PARTITION = 16
_PARSERS: dict = {}


def parse_partition(index: int, items: list[tuple[str, str]], options: Options, out: str) -> dict:
    """Parse one partition on a worker; returns counts and the (source, reason) of each failure."""
    from .batch import parse_one
    from ..tables.output import TableSink
    from ..tables.frames import TABLES, rows_for

    # each task brings its own unpickled Options: key by value, so a worker builds one Parser, not one per task
    key = repr(options)
    parser = _PARSERS.get(key) or _PARSERS.setdefault(key, Parser(options))
    sinks = {t: TableSink(Path(out) / t / f"part-{index:05d}.parquet", t, "parquet") for t in TABLES}
    ok, errors, no_plan = 0, [], []
    try:
        for path, doc_id in items:
            res = parse_one(parser, path, None, doc_id=doc_id)
            if isinstance(res, Document):
                ok += 1
                if not res.plans:
                    no_plan.append(path)
                for table, rows in rows_for(res).items():
                    sinks[table].add(rows)
            else:
                errors.append(res)
        for s in sinks.values():
            s.close()
    except BaseException:
        for s in sinks.values():
            s.abort()
        raise
    return {"partition": index, "ok": ok, "errors": errors, "no_plan": no_plan}


def _client(scheduler: Optional[str]):
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    from .batch import default_workers

    cluster = LocalCluster(n_workers=default_workers(), threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


def run_dask(inputs: Sequence[str], out: str, options: Options, scheduler: Optional[str] = None,
             quiet: bool = False, files_per_partition: int = FILES_PER_PARTITION, resume: bool = True) -> int:
    """Parse ``inputs`` on a Dask cluster (``scheduler`` address, or a LocalCluster); exit code."""
    from dask.distributed import as_completed
    from tqdm import tqdm

    from ..tables.frames import TABLES
    from .batch import report, summary, warn_no_plan
    from .resume import PartitionResume

    found = list(iter_inputs(inputs))
    failed = no_plan = 0
    for path, err in found:
        if err is not None:
            failed += 1
            report(f"error: {path}: {getattr(err, 'reason', err)}")
    good = [(p, did) for (p, err), did in zip(found, unique_ids(p for p, _ in found)) if err is None]
    parts = [good[i:i + files_per_partition] for i in range(0, len(good), files_per_partition)]
    spool = PartitionResume(out, options, enabled=resume)
    finished = {i for i, part in enumerate(parts) if spool.done(i, part, TABLES)}
    client, cluster = _client(scheduler)
    ok = sum(len(parts[i]) for i in finished)
    try:
        futures = [client.submit(parse_partition, i, part, options, str(Path(out).resolve()), pure=False)
                   for i, part in enumerate(parts) if i not in finished]
        bar = tqdm(total=len(good), initial=ok, desc="parsing (dask)", unit="file", disable=True if quiet else None,
                   file=sys.stderr, leave=False)
        for fut in as_completed(futures):
            res = fut.result()
            ok += res["ok"]
            for source in res["no_plan"]:
                no_plan += 1
                warn_no_plan(source)
            for source, reason in res["errors"]:
                failed += 1
                report(f"error: {source}: {reason}")
            if not res["errors"]:       # a partition with a failed input is parsed again (and reported) next time
                spool.record(res["partition"], parts[res["partition"]], res["ok"])
            bar.update(res["ok"] + len(res["errors"]))
        bar.close()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    spool.finish()
    if not quiet:
        report(summary(ok, no_plan, failed, f"partitioned Parquet in {out}")
               + (f" ({len(finished)} partitions kept from the interrupted run)" if finished else ""))
    return 1 if failed else 0
