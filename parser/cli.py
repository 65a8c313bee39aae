"""The ``planparser`` command: parse, demo (and the crawl commands once registered).

Only argument parsing lives here; the work is done by parser.run (batch, demo, distributed).
"""
from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from .errors import PlanparserError
from .pipeline import Options
from .run.batch import default_workers, report, run_parse
from .tables.output import FORMATS, Writer


def cmd_parse(args: argparse.Namespace) -> int:
    options = Options(extract=not args.no_extract, max_mb=args.max_mb, segmenter=args.segmenter,
                      taxonomy=args.taxonomy)
    if args.engine == "dask":
        from .run.distributed import run_dask

        return run_dask(args.inputs, args.out, options, scheduler=args.scheduler, quiet=args.quiet,
                        resume=args.resume)
    workers = args.workers if args.workers and args.workers > 0 else default_workers()
    batch = run_parse(args.inputs, [Writer(args.out, args.format)], options, quiet=args.quiet, debug=args.debug,
                      workers=workers, resume=args.resume)
    if not args.quiet:
        report(f"{batch.ok} parsed, {batch.failed} failed; output in {args.out}")
    return 1 if batch.failed else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .run.demo import run_demo

    return run_demo(out=args.out, quiet=args.quiet, crawl=not args.no_crawl)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="planparser", description="Chinese published plans into research tables.")
    ap.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse .txt/.html/.docx/.pdf files or folders into json, jsonl, csv, parquet or text")
    p.add_argument("inputs", nargs="+", help="files or folders of .txt / .html / .docx / .pdf (.xlsx, .xls too)")
    p.add_argument("--out", required=True, help="output folder (created; files replaced atomically)")
    p.add_argument("--format", choices=FORMATS, default="json")
    p.add_argument("--no-extract", action="store_true", help="structure only: plans and headings")
    p.add_argument("--max-mb", type=float, default=32.0, help="refuse files larger than this (default 32)")
    p.add_argument("--segmenter", choices=("jieba", "pkuseg"), default="jieba",
                   help="tokenizer of the spaCy pipeline (parser.nlp); the output does not depend on it")
    p.add_argument("--taxonomy", default=None,
                   help="a TOML taxonomy replacing the 12 default section categories (see parser/data/taxonomy.toml); "
                        "its lexicon then labels sections instead of the trained model")
    p.add_argument("--workers", type=int, default=0, help="worker processes (default: every core; 1 = serial)")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes, or a Dask cluster (partitioned Parquet out)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address (default: a LocalCluster)")
    p.add_argument("--resume", action=argparse.BooleanOptionalAction, default=True,
                   help="after a killed run, skip inputs whose outputs are complete (default); "
                        "--no-resume parses everything again")
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
    except OSError as e:         # e.g. a disk that filled up under --engine dask: one line, no traceback
        report(f"error: {e.filename or 'output'}: {e.strerror or e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
