"""The ``planparser`` command: parse, demo (and the crawl commands once registered)."""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

from .errors import PlanparserError
from .model import Document
from .output import FORMATS, Writer, render
from .pipeline import Options, Parser
from .read import iter_inputs, read_document, unique_ids


def _progress(items, total: int, desc: str, quiet: bool):
    from tqdm import tqdm

    return tqdm(items, total=total, desc=desc, unit="file", disable=True if (quiet or total < 2) else None, file=sys.stderr,
                leave=False)


def report(msg: str) -> None:
    print(f"planparser: {msg}", file=sys.stderr)


def parse_one(parser: Parser, path: str, err: Optional[Exception], debug: bool = False,
              doc_id: Optional[str] = None):
    """A Document, or (source, reason) for an input that failed; never raises for one bad input."""
    try:
        if err is not None:
            raise err
        return parser.parse(read_document(path, max_mb=parser.options.max_mb, doc_id=doc_id))
    except PlanparserError as e:
        return (e.source, e.reason)
    except Exception as e:  # a bug: one line, the batch goes on, the trace on request
        if debug:
            traceback.print_exc()
        return (path, f"internal error {type(e).__name__}: {e} (run with --debug for the traceback)")


_WORKER: dict = {}


def _init_worker(options: Options, debug: bool, formats: Optional[tuple[str, ...]]) -> None:
    _WORKER["parser"] = Parser(options)
    _WORKER["debug"] = debug
    _WORKER["formats"] = formats


def _work(item: tuple[str, Optional[Exception], str]):
    """Parse one input in a worker; with formats set, hand back its rendered outputs, not the Document."""
    res = parse_one(_WORKER["parser"], item[0], item[1], _WORKER["debug"], doc_id=item[2])
    formats = _WORKER["formats"]
    if formats is None or not isinstance(res, Document):
        return res
    return Rendered(res.doc_id, tuple(render(res, f) for f in formats))


@dataclass
class Rendered:
    """A document parsed and rendered by a worker: its id and one payload per output format."""

    doc_id: str
    payloads: tuple


def _work_chunk(chunk: list[tuple[str, Optional[Exception], str]]) -> list:
    return [_work(item) for item in chunk]


FILES_PER_TASK = 8      # files handed to a worker at a time: amortises the per-task cost of the pool


def parallel_results(items, options: Options, workers: int, debug: bool = False,
                     formats: Optional[tuple[str, ...]] = None):
    """Parse in ``workers`` processes; results come back in input order (same output as one worker)."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    # small tasks of a few files, and a bounded window of them, keep memory flat however long the batch
    chunks = [items[i:i + FILES_PER_TASK] for i in range(0, len(items), FILES_PER_TASK)]
    window = workers * 3
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(options, debug, formats)) as ex:
        pending = []
        for chunk in chunks:
            pending.append(ex.submit(_work_chunk, chunk))
            if len(pending) >= window:
                yield from pending.pop(0).result()
        for fut in pending:
            yield from fut.result()


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class Batch:
    """Parse inputs one by one, reporting each failure in one line; counts what worked and what not."""

    def __init__(self, options: Options, quiet: bool = False, debug: bool = False):
        self.parser = Parser(options)
        self.options = options
        self.quiet = quiet
        self.debug = debug
        self.ok = 0
        self.failed = 0

    def fail(self, source: str, reason: str) -> None:
        self.failed += 1
        report(f"error: {source}: {reason}")

    def documents(self, inputs: Sequence[str], workers: int = 1,
                  formats: Optional[tuple[str, ...]] = None) -> Iterator[Document | Rendered]:
        """Parsed documents in input order, whatever the number of worker processes; with ``formats``
        and several workers, the workers render them (``Rendered``) so this process only writes."""
        found = list(iter_inputs(inputs))
        items = [(path, err, did) for (path, err), did in zip(found, unique_ids(p for p, _ in found))]
        if workers > 1 and len(items) > 1:
            results = parallel_results(items, self.options, workers, self.debug, formats)
        else:
            results = (parse_one(self.parser, path, err, self.debug, doc_id=did) for path, err, did in items)
        for outcome in _progress(results, len(items), "parsing", self.quiet):
            if isinstance(outcome, (Document, Rendered)):
                self.ok += 1
                yield outcome
            else:
                self.fail(*outcome)


def run_parse(inputs: Sequence[str], writers: Sequence[Writer], options: Options, quiet: bool = False,
              debug: bool = False, workers: int = 1) -> Batch:
    """Parse every input into every writer; one bad input never stops the batch."""
    batch = Batch(options, quiet=quiet, debug=debug)
    formats = tuple(w.fmt for w in writers) if all(isinstance(w, Writer) for w in writers) else None
    for out in batch.documents(inputs, workers=workers, formats=formats):
        for i, w in enumerate(writers):
            if isinstance(out, Rendered):
                w.write(out.doc_id, out.payloads[i])
            else:
                w.add(out)
    for w in writers:
        try:
            w.close()
        except (PlanparserError, OSError) as e:
            batch.fail(str(w.out), f"could not write {w.fmt} output: {e}")
    return batch


def cmd_parse(args: argparse.Namespace) -> int:
    options = Options(extract=not args.no_extract, max_mb=args.max_mb, segmenter=args.segmenter,
                      taxonomy=args.taxonomy)
    if args.engine == "dask":
        from .distributed import run_dask

        return run_dask(args.inputs, args.out, options, scheduler=args.scheduler, quiet=args.quiet)
    workers = args.workers if args.workers and args.workers > 0 else default_workers()
    batch = run_parse(args.inputs, [Writer(args.out, args.format)], options, quiet=args.quiet, debug=args.debug,
                      workers=workers)
    if not args.quiet:
        report(f"{batch.ok} parsed, {batch.failed} failed; output in {args.out}")
    return 1 if batch.failed else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(out=args.out, quiet=args.quiet, crawl=not args.no_crawl)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="planparser", description="Chinese published plans into research tables.")
    ap.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse .txt/.html files or folders into json, jsonl, csv, parquet or text")
    p.add_argument("inputs", nargs="+", help="files or folders of .txt / .html")
    p.add_argument("--out", required=True, help="output folder (created; files replaced atomically)")
    p.add_argument("--format", choices=FORMATS, default="json")
    p.add_argument("--no-extract", action="store_true", help="structure only: plans and headings")
    p.add_argument("--max-mb", type=float, default=32.0, help="refuse files larger than this (default 32)")
    p.add_argument("--segmenter", choices=("jieba", "pkuseg"), default="jieba")
    p.add_argument("--taxonomy", default=None,
                   help="a TOML taxonomy replacing the 12 default section categories (see parser/data/taxonomy.toml)")
    p.add_argument("--workers", type=int, default=0, help="worker processes (default: every core; 1 = serial)")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes, or a Dask cluster (partitioned Parquet out)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address (default: a LocalCluster)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_parse)

    d = sub.add_parser("demo", help="run the whole job on the bundled sample corpus")
    d.add_argument("--out", default=None, help="output folder (default: a new temporary folder)")
    d.add_argument("--no-crawl", action="store_true", help="parse the sample folder directly (no local site)")
    d.add_argument("--quiet", action="store_true")
    d.set_defaults(func=cmd_demo)

    try:
        from .scrape.commands import register  # crawl commands, when the scraping package is present
    except ImportError:
        register = None
    if register is not None:
        register(sub)
    return ap


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except PlanparserError as e:
        report(f"error: {e.source}: {e.reason}")
        return 1
    except KeyboardInterrupt:
        report("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
