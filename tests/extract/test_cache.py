"""The cache of precompiled tables: built once, loaded after; a stale, corrupt or unwritable entry is rebuilt."""
from __future__ import annotations

import marshal

import pytest

from parser.extract import cache


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    return tmp_path


def _table(calls: list, value=None):
    def build():
        calls.append(1)
        return value if value is not None else {"政协": "nt", "人大": "j"}
    return build


def test_built_once_then_loaded(folder):
    calls: list = []
    key = cache.key_of("words v1")
    first = cache.cached("t", key, _table(calls), marshal.dumps, marshal.loads)
    again = cache.cached("t", key, _table(calls), marshal.dumps, marshal.loads)
    assert first == again == {"政协": "nt", "人大": "j"}
    assert calls == [1]
    assert [p.name for p in folder.iterdir()] == [f"t-{key}.bin"]


def test_a_new_key_rebuilds_and_removes_the_stale_entry(folder):
    calls: list = []
    cache.cached("t", cache.key_of("v1"), _table(calls), marshal.dumps, marshal.loads)
    cache.cached("t-user", cache.key_of("v1"), _table(calls), marshal.dumps, marshal.loads)   # another table
    got = cache.cached("t", cache.key_of("v2"), _table(calls, {"new": "n"}), marshal.dumps, marshal.loads)
    assert got == {"new": "n"} and len(calls) == 3
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"t-{cache.key_of('v2')}.bin", f"t-user-{cache.key_of('v1')}.bin"])


def test_keys_change_with_every_part_and_the_data_files(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text("x = 1", encoding="utf-8")
    b.write_text("y = 2", encoding="utf-8")
    before = cache.key_of(cache.file_key(a, b))
    assert cache.key_of("ab") != cache.key_of("a", "b")
    a.write_text("x = 2", encoding="utf-8")
    assert cache.key_of(cache.file_key(a, b)) != before


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_corrupt_entry_is_rebuilt_not_trusted(folder, damage):
    calls: list = []
    key = cache.key_of("v1")
    cache.cached("t", key, _table(calls), marshal.dumps, marshal.loads)
    path = folder / f"t-{key}.bin"
    raw = path.read_bytes()
    path.write_bytes({"truncate": raw[:-3], "flip": raw[:-2] + bytes([raw[-2] ^ 1]) + raw[-1:],
                      "garbage": b"\x00" * 40, "empty": b""}[damage])
    assert cache.read_entry(path) is None
    assert cache.cached("t", key, _table(calls), marshal.dumps, marshal.loads) == {"政协": "nt", "人大": "j"}
    assert calls == [1, 1]
    assert cache.read_entry(path) is not None      # and written again


def test_an_entry_that_does_not_load_is_rebuilt(folder):
    calls: list = []
    key = cache.key_of("v1")
    cache.write_entry(folder / f"t-{key}.bin", b"not marshal data")   # a valid digest, an unreadable payload
    assert cache.cached("t", key, _table(calls), marshal.dumps, marshal.loads) == {"政协": "nt", "人大": "j"}
    assert calls == [1]


def test_an_unwritable_folder_costs_only_the_rebuild(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))
    calls: list = []
    for _ in range(2):
        assert cache.cached("t", cache.key_of("v1"), _table(calls), marshal.dumps, marshal.loads)["政协"] == "nt"
    assert calls == [1, 1]
    assert "could not write the cache" in caplog.text


def test_the_default_folder_is_the_user_cache(monkeypatch):
    monkeypatch.delenv(cache.ENV, raising=False)
    assert cache.cache_dir().name == "planparser"


def test_an_edited_gazetteer_table_is_reloaded(folder, tmp_path):
    from parser.extract import gazetteer

    table = tmp_path / "places.tsv"
    table.write_text("威海市\t威海\t市\t山东省\n", encoding="utf-8")
    text = "威海市政协和烟台市政协"
    first = gazetteer.load_gazetteer(str(table))
    found = lambda gz: {gz.names[k][0] for k, _, _ in gz.automaton.find_matches_as_indexes(text, overlapping=True)}  # noqa: E731
    assert found(first) == {"威海", "威海市"}
    table.write_text("威海市\t威海\t市\t山东省\n烟台市\t烟台\t市\t山东省\n", encoding="utf-8")
    gazetteer.load_gazetteer.cache_clear()
    again = gazetteer.load_gazetteer(str(table))
    gazetteer.load_gazetteer.cache_clear()
    assert found(again) == {"威海", "威海市", "烟台", "烟台市"}
    assert len([p for p in folder.iterdir() if p.name.startswith("gazetteer-")]) == 1   # the stale one went
