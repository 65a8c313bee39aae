"""The package layout: no import cycles between modules, and no stage imports a later stage."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "parser"
# stages in the order data flows; a module may import its own stage and earlier ones
ORDER = ["ingest", "structure", "extract", "tables", "run"]


def _modules() -> dict[str, Path]:
    out = {}
    for p in ROOT.rglob("*.py"):
        parts = list(p.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _imports(mod: str, path: Path, mods: dict[str, Path]) -> set[str]:
    """Every parser module ``mod`` imports, at the top or inside a function."""
    pkg = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = pkg.split(".")
            if node.level > 1:
                base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + [node.module]) if node.level and node.module else \
                ".".join(base) if node.level else (node.module or "")
            names = [f"{target}.{a.name}" for a in node.names]
            found.update(n for n in ([target] if node.module else []) + names if n in mods and n != mod)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in mods)
    return found


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {m: _imports(m, p, mods) for m, p in mods.items()}


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycles.append(path[path.index(n):] + [n])
            elif n not in state:
                visit(n, path + [n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def _stage(mod: str) -> str | None:
    parts = mod.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in ORDER else None


def test_stages_only_import_earlier_stages():
    # the one allowed step back: the activities table joins mentions by the extraction's own rule
    allowed = {("parser.tables.frames", "parser.extract.activities")}
    backwards = []
    for mod, deps in _graph().items():
        s = _stage(mod)
        for dep in deps:
            d = _stage(dep)
            if s and d and ORDER.index(d) > ORDER.index(s) and (mod, dep) not in allowed:
                backwards.append((mod, dep))
    assert backwards == []


def test_every_stage_package_says_what_it_takes_and_gives():
    for stage in ORDER:
        doc = ast.get_docstring(ast.parse((ROOT / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and " in" in doc and "out" in doc, stage


def test_documented_import_paths_still_work():
    import parser
    from parser.extract import nlp as extract_nlp
    from parser.nlp import build_nlp  # the README's old path

    assert parser.nlp.build_nlp is build_nlp is extract_nlp.build_nlp
    assert callable(parser.parse_text) and callable(parser.parse_file) and callable(parser.to_frames)
    assert parser.Parser and parser.Options and parser.analysis.load_corpus and parser.plotting.use_cjk_font


def test_the_version_is_the_installed_one():
    import importlib.metadata

    import parser

    assert parser.__version__ == importlib.metadata.version("planparser")
