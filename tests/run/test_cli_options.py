"""The command line never goes quiet or rambles: --version, help, options checked once (one line, exit 2),
empty folders, documents with no plan."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from parser.cli import main
from parser.version import __version__

PLAN = "磐安县政协2031年工作要点\n一、加强学习\n5月组织委员学习。\n"
NO_PLAN = "当前位置：首页 > 通知公告\n"        # page furniture only


def _lines(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if ln.strip()]


def test_version_and_bare_command_help(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"planparser {__version__}"
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: planparser") and "parse" in out and "demo" in out


def _option_cases(tmp: Path) -> dict[str, tuple[list[str], str]]:
    afile = tmp / "afile"
    afile.write_text("x", encoding="utf-8")
    bad_toml = tmp / "bad.toml"
    bad_toml.write_text("this is = not [ toml", encoding="utf-8")
    return {
        "taxonomy missing": (["--taxonomy", str(tmp / "nope.toml")], "--taxonomy"),
        "taxonomy unreadable": (["--taxonomy", str(bad_toml)], "--taxonomy"),
        "max-mb negative": (["--max-mb", "-1"], "--max-mb"),
        "max-mb zero": (["--max-mb", "0"], "--max-mb"),
        "out is a file": (["--out", str(afile)], "--out"),
        "out under a file": (["--out", str(afile / "sub")], "--out"),
    }


@pytest.mark.parametrize("case", ["taxonomy missing", "taxonomy unreadable", "max-mb negative", "max-mb zero",
                                  "out is a file", "out under a file"])
def test_an_option_error_is_one_line_naming_the_option_exit_2_before_any_input_is_read(tmp_path, capsys,
                                                                                       monkeypatch, case):
    inputs = []
    for i in range(49):          # as many inputs as the national reports: still one line
        f = tmp_path / f"in{i}.txt"
        f.write_text(PLAN, encoding="utf-8")
        inputs.append(str(f))
    extra, option = _option_cases(tmp_path)[case]
    args = ["parse", *inputs, *extra]
    if "--out" not in extra:
        args += ["--out", str(tmp_path / "out")]

    def never(*a, **k):
        raise AssertionError("an input was read before the options were checked")

    monkeypatch.setattr("parser.run.batch.read_document", never)
    assert main(args) == 2
    lines = _lines(capsys.readouterr().err)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"planparser: error: {option}: ")


def test_option_errors_from_the_console_script_are_one_line_exit_2(tmp_path):
    src = tmp_path / "p.txt"
    src.write_text(PLAN, encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "parser.cli", "parse", str(src), "--out", str(tmp_path / "o"),
                          "--max-mb", "-1"], capture_output=True, text=True)
    assert res.returncode == 2 and _lines(res.stderr) == ["planparser: error: --max-mb: must be a positive number "
                                                          "of megabytes, not -1"]


def test_a_folder_with_no_supported_file_is_an_error(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("# not a plan file", encoding="utf-8")
    assert main(["parse", str(empty), "--out", str(tmp_path / "out")]) == 1
    lines = _lines(capsys.readouterr().err)
    assert lines[0] == (f"planparser: error: {empty}: no file of a supported kind in this folder "
                        f"(.doc, .docx, .et, .htm, .html, .pdf, .shtml, .text, .txt, .wps, .xhtml, .xls, .xlsx)")
    assert lines[-1].startswith("planparser: 0 parsed, 1 failed")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_document_with_no_plan_gets_one_warning_and_the_summary_counts_it(tmp_path, capsys, workers):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a_plan.txt").write_text(PLAN, encoding="utf-8")
    for i in range(3):
        (src / f"nav{i}.txt").write_text(NO_PLAN, encoding="utf-8")
    assert main(["parse", str(src), "--out", str(tmp_path / "out"), "--workers", workers]) == 0
    lines = _lines(capsys.readouterr().err)
    warnings = [ln for ln in lines if ln.startswith("planparser: warning:")]
    assert len(warnings) == 3 and all("no plan" in ln for ln in warnings)
    assert sorted(Path(w.split(": ")[2]).name for w in warnings) == ["nav0.txt", "nav1.txt", "nav2.txt"]
    assert lines[-1].startswith("planparser: 4 parsed, 3 with no plan, 0 failed")
