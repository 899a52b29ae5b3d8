"""Writing the clean tables as one set: a reader or an interrupted build never sees a mix."""

from __future__ import annotations

import os

import pytest

from funding import pipeline
from funding.pipeline import recover_tables, write_tables

OLD = {"a.csv": b"old a\n", "b.csv": b"old b\n"}
NEW = {"a.csv": b"new a\n", "b.csv": b"new b\n"}


def contents(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def leftovers(folder):
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


@pytest.fixture
def clean(tmp_path):
    folder = tmp_path / "clean"
    write_tables(OLD, folder)
    (folder / ".gitkeep").write_bytes(b"")
    return folder


def test_a_new_set_replaces_the_old_and_keeps_other_files(clean):
    write_tables(NEW, clean)
    assert contents(clean) == {**NEW, ".gitkeep": b""}
    assert leftovers(clean) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["swap-in-one-step", "two-renames"])
def test_both_ways_of_putting_the_set_in_place_give_the_new_set(clean, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(pipeline, "_exchange", lambda a, b: False)
    write_tables(NEW, clean)
    assert contents(clean) == {**NEW, ".gitkeep": b""}
    assert leftovers(clean) == []


def test_a_failure_while_writing_leaves_the_old_set_and_no_leftovers(clean, monkeypatch):
    written = []

    def fail_on_second(path, data):
        if written:
            raise OSError("disk full")
        written.append(path)
        path.write_bytes(data)

    monkeypatch.setattr(pipeline, "_write_synced", fail_on_second)
    with pytest.raises(OSError, match="disk full"):
        write_tables(NEW, clean)
    assert contents(clean) == {**OLD, ".gitkeep": b""}
    assert leftovers(clean) == []


def test_a_build_killed_between_the_two_renames_gets_the_old_set_back(clean, monkeypatch):
    monkeypatch.setattr(pipeline, "_exchange", lambda a, b: False)
    real_rename = os.rename
    calls = []

    def killed_on_second_rename(src, dst):
        calls.append(src)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process dies here: the old set is aside, the new one not in place
        real_rename(src, dst)

    monkeypatch.setattr(pipeline.os, "rename", killed_on_second_rename)
    with pytest.raises(KeyboardInterrupt):
        write_tables(NEW, clean)
    monkeypatch.setattr(pipeline.os, "rename", real_rename)
    assert not clean.exists()
    recover_tables(clean)
    assert contents(clean) == {**OLD, ".gitkeep": b""}
    assert leftovers(clean) == []


def test_temporary_files_left_in_the_folder_are_removed(clean):
    (clean / ".a.csv.x1y2.tmp").write_bytes(b"half")
    write_tables(NEW, clean)
    assert sorted(p.name for p in clean.iterdir()) == [".gitkeep", "a.csv", "b.csv"]


def test_a_folder_that_did_not_exist_is_made(tmp_path):
    write_tables(NEW, tmp_path / "out" / "tables")
    assert contents(tmp_path / "out" / "tables") == NEW
