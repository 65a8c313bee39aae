"""The batch runner shared by the CLI, the demo and Dask: parse inputs into writers, one failure a line.

Inputs are read and parsed one by one (or by worker processes, results kept in input order); a bad
input is reported and counted, never raised, so the rest of a batch still runs.
"""
from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

from ..errors import DiskFull, OutputError, PlanparserError
from ..ingest.read import iter_inputs, read_document, unique_ids
from ..model import Document
from ..pipeline import Options, Parser
from ..tables.atomic import is_disk_full
from ..tables.output import Writer, render
from .resume import ParseResume, Reused, merge_in_order


def _progress(items, total: int, desc: str, quiet: bool):
    if quiet or total < 2:
        return items        # no bar: tqdm is not even imported (start-up time)
    from tqdm import tqdm

    return tqdm(items, total=total, desc=desc, unit="file", disable=None, file=sys.stderr, leave=False)


def report(msg: str) -> None:
    print(f"planparser: {msg}", file=sys.stderr)


def warn_no_plan(source: str) -> None:
    """The one line for an input that parsed but holds no plan."""
    report(f"warning: {source}: no plan found (no text beside page furniture); counted as parsed")


def summary(ok: int, no_plan: int, failed: int, where: str) -> str:
    """The closing line of a batch: "12 parsed, 3 with no plan, 1 failed; output in out/"."""
    return f"{ok} parsed{f', {no_plan} with no plan' if no_plan else ''}, {failed} failed; {where}"


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
_FORKED: dict = {}      # the parent's warmed-up Parser, inherited by forked workers


def _warmed(parser: Parser) -> Parser:
    """``parser`` after its warm-up; a warm-up that fails (a bad taxonomy file …) is left to each input
    to report, as in a serial run."""
    try:
        parser.warm_up()
    except Exception:
        pass
    return parser


def _init_worker(options: Options, debug: bool, formats: Optional[tuple[str, ...]]) -> None:
    """A forked worker takes the parser its parent warmed up; a spawned one builds and warms its own."""
    inherited = _FORKED.get("parser")
    _WORKER["parser"] = inherited if inherited is not None and inherited.options == options \
        else _warmed(Parser(options))
    _WORKER["debug"] = debug
    _WORKER["formats"] = formats


def _work(item: tuple[str, Optional[Exception], str]):
    """Parse one input in a worker; with formats set, hand back its rendered outputs, not the Document."""
    res = parse_one(_WORKER["parser"], item[0], item[1], _WORKER["debug"], doc_id=item[2])
    formats = _WORKER["formats"]
    if formats is None or not isinstance(res, Document):
        return res
    return Rendered(res.doc_id, tuple(render(res, f) for f in formats), len(res.plans))


@dataclass
class Rendered:
    """A document parsed and rendered by a worker: its id, one payload per output format, its plan count."""

    doc_id: str
    payloads: tuple
    plans: Optional[int] = None


def plan_count(outcome: "Document | Rendered | Reused") -> Optional[int]:
    """How many plans a parsed input has (None: not known, from an older resume state)."""
    return len(outcome.plans) if isinstance(outcome, Document) else outcome.plans


def _work_chunk(chunk: list[tuple[str, Optional[Exception], str]]) -> list:
    return [_work(item) for item in chunk]


TASK_BYTES = 48 * 1024  # input bytes handed to a worker at a time: amortises the pool's per-task cost on
TASK_FILES = 16         # small files, while a long file is a task of its own (both cores stay busy)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def tasks(items: Sequence[tuple[str, Optional[Exception], str]]) -> list[list]:
    """Consecutive inputs grouped into tasks of about TASK_BYTES (at most TASK_FILES files)."""
    out: list[list] = []
    size = 0
    for item in items:
        n = _size(item[0]) if item[1] is None else 0
        if not out or size + n > TASK_BYTES or len(out[-1]) >= TASK_FILES:
            out.append([])
            size = 0
        out[-1].append(item)
        size += n
    return out


def parallel_results(items, options: Options, workers: int, debug: bool = False,
                     formats: Optional[tuple[str, ...]] = None, parser: Optional[Parser] = None):
    """Parse in ``workers`` processes; results come back in input order (same output as one worker).

    Where the platform can fork, the workers are forked from this process after ``parser`` is warmed up,
    so none of them loads anything again; elsewhere each worker warms up its own parser once."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    fork = "fork" in mp.get_all_start_methods()
    ctx = mp.get_context("fork" if fork else None)
    if fork:
        _FORKED["parser"] = _warmed(parser or Parser(options))
    # tasks of a few files, and a bounded window of them, keep memory flat however long the batch
    window = workers * 4
    try:
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                 initargs=(options, debug, formats)) as ex:
            pending = []
            for chunk in tasks(items):
                pending.append(ex.submit(_work_chunk, chunk))
                if len(pending) >= window:
                    yield from pending.pop(0).result()
            for fut in pending:
                yield from fut.result()
    finally:
        _FORKED.clear()


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
        self.no_plan = 0

    def fail(self, source: str, reason: str) -> None:
        self.failed += 1
        report(f"error: {source}: {reason}")

    def parsed(self, source: str, outcome: "Document | Rendered | Reused") -> None:
        """Count a parsed input; one without any plan (page furniture only, no text) gets a warning."""
        self.ok += 1
        if plan_count(outcome) == 0:
            self.no_plan += 1
            warn_no_plan(source)

    def documents(self, inputs: Sequence[str], workers: int = 1, formats: Optional[tuple[str, ...]] = None,
                  resume: Optional[ParseResume] = None) -> Iterator[Document | Rendered | Reused]:
        """Parsed documents in input order, whatever the number of worker processes; with ``formats``
        and several workers, the workers render them (``Rendered``) so this process only writes.
        With ``resume``, inputs an earlier (killed) run finished come back as ``Reused``, unparsed."""
        found = list(iter_inputs(inputs))
        items = [(path, err, did) for (path, err), did in zip(found, unique_ids(p for p, _ in found))]
        taken = {i: r for i, (path, err, did) in enumerate(items)
                 if resume is not None and err is None and (r := resume.take(path, did)) is not None}
        todo = [item for i, item in enumerate(items) if i not in taken]
        if workers > 1 and len(todo) > 1:
            results = parallel_results(todo, self.options, workers, self.debug, formats, parser=self.parser)
        else:
            results = (parse_one(self.parser, path, err, self.debug, doc_id=did) for path, err, did in todo)
        if taken:
            results = merge_in_order(items, taken, results)
        for (path, _, _), outcome in zip(items, _progress(results, len(items), "parsing", self.quiet)):
            if isinstance(outcome, (Document, Rendered, Reused)):
                self.parsed(path, outcome)
                yield outcome
            else:
                self.fail(*outcome)


def run_parse(inputs: Sequence[str], writers: Sequence[Writer], options: Options, quiet: bool = False,
              debug: bool = False, workers: int = 1, resume: bool = True) -> Batch:
    """Parse every input into every writer; one bad input never stops the batch. A batch killed before
    is resumed (``parser.run.resume``) unless ``resume`` is False; a write that fails (disk full) stops
    the batch, keeping every output complete."""
    batch = Batch(options, quiet=quiet, debug=debug)
    formats = tuple(w.fmt for w in writers) if all(isinstance(w, Writer) for w in writers) else None
    spool = (ParseResume(writers[0].out, formats, options, enabled=resume)
             if formats is not None and len({w.out for w in writers}) == 1 else None)
    try:
        for out in batch.documents(inputs, workers=workers, formats=formats, resume=spool):
            # a document parsed here has its JSON streamed to the file (never one string: long documents)
            payloads = out.payloads if isinstance(out, (Rendered, Reused)) else (
                tuple(None if f == "json" else render(out, f) for f in formats) if spool is not None else None)
            entries = list(payloads) if payloads is not None else None
            for i, w in enumerate(writers):
                if payloads is None:
                    w.add(out)
                elif payloads[i] is not None:
                    w.write(out.doc_id, payloads[i])
                elif isinstance(out, Document):
                    w.add(out)
                    entries[i] = w.written[-1]
                # else: an earlier run's file for this input is complete
            if spool is not None and not isinstance(out, Reused):
                spool.record(out.doc_id, entries, plan_count(out))
    except OSError as e:
        for w in writers:
            w.abort()
        batch.fail(*_write_error(e, writers))
        return batch
    for w in writers:
        try:
            w.close()
        except (PlanparserError, OSError) as e:
            batch.fail(str(w.out), f"could not write {w.fmt} output: {e}")
            return batch
    if spool is not None:
        spool.finish()
    return batch


def _write_error(e: OSError, writers: Sequence[Writer]) -> tuple[str, str]:
    """(file, reason) for a failed write, saying that what was written is complete and how to go on."""
    where = e.filename or f"{writers[0].out} ({writers[0].fmt} output)"
    after = ("files already written are complete and nothing half-written was kept; free some space and run "
             "the same command again: it resumes where this run stopped")
    err = (DiskFull if is_disk_full(e) else OutputError)(where, f"could not write: {e.strerror or e}; {after}")
    return err.source, err.reason
