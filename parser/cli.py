"""The ``planparser`` command: parse, demo (and the crawl commands once registered).

Only argument parsing lives here; the work is done by parser.run (batch, demo, distributed).
"""
from __future__ import annotations

import argparse
import os
import select
import sys
from pathlib import Path
from typing import Optional, Sequence

from .errors import PlanparserError
from .pipeline import Options
from .run.batch import default_workers, report, run_parse, summary
from .tables.output import FORMATS, Writer
from .version import __version__


def option_error(args: argparse.Namespace) -> Optional[str]:
    """What is wrong with ``parse``'s options, in one line naming the option (None: nothing), checked
    once before any input is read."""
    if not args.max_mb > 0:
        return f"--max-mb: must be a positive number of megabytes, not {args.max_mb:g}"
    if args.taxonomy is not None:
        from .extract.category_lexicon import load_taxonomy

        if not Path(args.taxonomy).is_file():
            return f"--taxonomy: {args.taxonomy}: no such file"
        try:
            load_taxonomy(str(args.taxonomy))
        except (OSError, UnicodeDecodeError, ValueError) as e:
            return f"--taxonomy: {args.taxonomy}: not a taxonomy file ({e})"
    return _folder_error("--out", args.out)


def _folder_error(option: str, folder: str) -> Optional[str]:
    """Why ``folder`` cannot be an output folder (it is created when missing), or None."""
    p = Path(folder)
    if p.exists() and not p.is_dir():
        return f"{option}: {folder}: is a file, not a folder"
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        return f"{option}: {folder}: cannot be created ({e.strerror or e})"
    if not os.access(p, os.W_OK | os.X_OK):
        return f"{option}: {folder}: is not writable"
    return None


def cmd_parse(args: argparse.Namespace) -> int:
    problem = option_error(args)
    if problem:
        report(f"error: {problem}")
        return 2
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
        report(summary(batch.ok, batch.no_plan, batch.failed, f"output in {args.out}"))
    return 1 if batch.failed else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .run.demo import run_demo

    return run_demo(out=args.out, quiet=args.quiet, crawl=not args.no_crawl)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="planparser", description="Chinese published plans into research tables.")
    ap.add_argument("--version", action="version", version=f"planparser {__version__}")
    ap.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = ap.add_subparsers(dest="command")

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


def _stdout_closed() -> bool:
    """True when standard output's reader has gone (``planparser corpus list | head``): the rest is then
    dropped quietly, as Unix tools do. A pipe whose reader closed polls as an error."""
    try:
        fd = sys.stdout.fileno()
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        closed = any(events & select.POLLERR for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):      # no poll() here, or no real stdout: trust the error
        closed, fd = True, None
    if closed and fd is not None:
        os.dup2(os.open(os.devnull, os.O_WRONLY), fd)   # nothing is left to flush at exit
    return closed


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    if getattr(args, "func", None) is None:     # a bare ``planparser``: the help
        ap.print_help()
        return 0
    try:
        return args.func(args)
    except BrokenPipeError as e:
        if _stdout_closed():
            return 0
        report(f"error: {e.filename or 'output'}: {e.strerror or e}")
        return 1
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
