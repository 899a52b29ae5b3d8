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


# -- the per-document stage: in parallel, cached ------------------------------------------------

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

from funding.pipeline import build_project  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOCS = {
    "a-budget.md": "# Budget\n\nWe will invest £120 million in new playgrounds from 2023-24 to 2025-26.\n\n"
                   "This includes:\n\n- £20 million for rural parks;\n- £100 million for town squares.\n",
    "b-press.md": "# Press notice\n\nThe £120 million for new playgrounds will open in 2023-24.\n\n"
                  "Councils spent £9 billion on leisure last year.\n",
    "c-answer.md": "# Written answer\n\nThe department has given £4.5m to the Skate Fund in 2022-23.\n",
    "d-letter.md": "# Letter\n\nA further £3m will go to the Skate Fund in 2024-25, and £1.25 million per year to clubs.\n",
}


def write_sources(raw: Path) -> None:
    lines = ["source_id,file,title,publisher,published_from,published_to,date_estimated"]
    for path in sorted((raw / "documents").iterdir()):
        lines.append(f"{path.stem},documents/{path.name},{path.stem},test,2023-01-10,2023-01-10,false")
    (raw / "sources.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def raw(tmp_path):
    """A project of four short documents and the real reference tables, no review file."""
    raw = tmp_path / "data" / "raw"
    (raw / "documents").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "raw" / "reference", raw / "reference")
    for name, text in DOCS.items():
        (raw / "documents" / name).write_text(text, encoding="utf-8")
    write_sources(raw)
    return raw


def reads(monkeypatch) -> list[str]:
    """The documents the build reads from now on (in this process: jobs=1)."""
    seen = []
    real = pipeline.read_document

    def spy(path):
        seen.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(pipeline, "read_document", spy)
    return seen


@pytest.mark.parametrize("cache", [False, True], ids=["no-cache", "cache"])
def test_the_tables_are_the_same_bytes_whatever_the_number_of_jobs(raw, tmp_path, cache):
    folder = tmp_path / "cache" if cache else None
    one = build_project(raw, jobs=1, cache=folder)
    two = build_project(raw, jobs=2, cache=folder)
    assert len(one[0].commitments) >= 5 and one[0].relations  # linked within and across documents
    assert one[1] == two[1]
    assert one[1] == build_project(raw, jobs=3, cache=None)[1]


def test_a_rebuild_reads_only_the_new_document_and_gives_the_tables_of_a_cold_build(raw, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    build_project(raw, jobs=2, cache=cache)
    (raw / "documents" / "e-new.md").write_text("# Statement\n\nWe will invest £120 million in new playgrounds.\n", encoding="utf-8")
    write_sources(raw)
    seen = reads(monkeypatch)
    warm = build_project(raw, jobs=1, cache=cache)
    assert seen == ["e-new.md"]
    assert warm[1] == build_project(raw, jobs=1, cache=None)[1]


@pytest.mark.parametrize("change", ["document bytes", "sources row", "reference table"])
def test_a_document_is_read_again_when_what_its_annotations_depend_on_changes(raw, tmp_path, monkeypatch, change):
    cache = tmp_path / "cache"
    build_project(raw, jobs=1, cache=cache)
    if change == "document bytes":
        path = raw / "documents" / "c-answer.md"
        path.write_text(path.read_text(encoding="utf-8").replace("£4.5m", "£4.6m"), encoding="utf-8")
    elif change == "sources row":
        text = (raw / "sources.csv").read_text(encoding="utf-8")
        (raw / "sources.csv").write_text(text.replace("c-answer,test,2023-01-10,2023-01-10", "c-answer,test,2022-06-01,2022-06-01"), encoding="utf-8")
    else:
        with open(raw / "reference" / "context_terms.csv", "a", encoding="utf-8") as handle:
            handle.write("settlement,leisure settlement,a term added for this test\n")
    seen = reads(monkeypatch)
    build_project(raw, jobs=1, cache=cache)
    assert seen == (["c-answer.md"] if change != "reference table" else sorted(DOCS))


def test_a_damaged_cache_file_is_annotated_again(raw, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cold = build_project(raw, jobs=1, cache=cache)[1]
    files = sorted(p for p in cache.rglob("*.pickle") if not p.name.endswith("-links.pickle"))
    parts = sorted(cache.rglob("*-links.pickle"))
    assert len(files) == len(parts) == len(DOCS)  # a document's annotations and what linking keeps of it
    files[0].write_bytes(b"not a pickle")
    seen = reads(monkeypatch)
    assert build_project(raw, jobs=1, cache=cache)[1] == cold
    assert len(seen) == 1


def test_a_damaged_link_part_is_made_again_from_the_annotations_without_reading_the_document(raw, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cold = build_project(raw, jobs=1, cache=cache)[1]
    for part in cache.rglob("*-links.pickle"):
        part.write_bytes(b"not a pickle")
    seen = reads(monkeypatch)
    assert build_project(raw, jobs=1, cache=cache)[1] == cold
    assert seen == []


@pytest.mark.parametrize("jobs", [1, 2], ids=["in-process", "in-a-worker"])
def test_a_document_that_cannot_be_read_is_set_aside_naming_it_and_the_others_are_built(raw, jobs, caplog):
    (raw / "documents" / "b-press.md").write_bytes(b"\x00\x01\x02 not text")
    with caplog.at_level("WARNING", logger="funding"):
        tables, _ = build_project(raw, jobs=jobs, cache=None)
    assert "b-press.md: is binary" in caplog.text
    [row] = pipeline.unread(tables)
    assert (row["source_id"], row["text"], row["line"]) == ("b-press", "b-press.md", "")
    assert row["reason"].startswith("document not read: is binary")
    # the other three documents' figures are all there: 120m, 20m, 100m; 4.5m; 3m, 1.25m
    assert sorted(m["source_id"] for m in tables.mentions) == ["a-budget"] * 3 + ["c-answer"] + ["d-letter"] * 2


def test_an_unreadable_document_is_not_cached_and_is_read_again(raw, tmp_path, monkeypatch):
    (raw / "documents" / "b-press.md").write_bytes(b"\x00\x01\x02 not text")
    cache = tmp_path / "cache"
    build_project(raw, jobs=1, cache=cache)
    seen = reads(monkeypatch)
    build_project(raw, jobs=1, cache=cache)
    assert seen == ["b-press.md"]


def test_a_long_build_says_how_far_it_has_got(raw, monkeypatch, caplog):
    monkeypatch.setattr(pipeline, "PROGRESS_SECONDS", 0.0)
    with caplog.at_level("INFO", logger="funding"):
        build_project(raw, jobs=1, cache=None)
    assert "annotated 4/4 documents (0 from the cache)" in caplog.text


# -- documents with no row in sources.csv --------------------------------------------------------

import datetime as dt  # noqa: E402

from funding.read import Document as ReadDocument  # noqa: E402
from funding.read import Metadata  # noqa: E402
from funding.reference import load_reference  # noqa: E402


def test_a_document_dropped_in_without_a_sources_row_is_built_and_listed_as_such(raw):
    (raw / "documents" / "e-note.md").write_text("# Note\n\nWe will provide £2 million for bandstands in 2024-25.\n", encoding="utf-8")
    (raw / "documents" / ".~lock.e-note.md#").write_text("a lock file", encoding="utf-8")
    (raw / "documents" / "~$draft.docx").write_bytes(b"an Office owner file")
    tables, _ = build_project(raw, jobs=1, cache=None)
    assert [m["text"] for m in tables.mentions if m["source_id"] == "e-note"] == ["£2 million"]
    rows = {r["source_id"]: r for r in tables.sources}
    assert sorted(rows) == ["a-budget", "b-press", "c-answer", "d-letter", "e-note"]  # no lock files
    note = rows["e-note"]
    assert (note["listed"], note["title"], note["file"], note["format"]) == ("false", "e-note", "documents/e-note.md", "text")
    assert (note["published_from"], note["dated_by"]) == ("", "the dates its parts state")
    assert (rows["a-budget"]["listed"], rows["a-budget"]["dated_by"], rows["a-budget"]["published_from"]) == ("true", "sources.csv", "2023-01-10")


def test_a_dropped_in_document_with_the_stem_of_a_listed_one_is_refused(raw):
    (raw / "documents" / "c-answer.html").write_text("<p>£1m</p>", encoding="utf-8")
    with pytest.raises(ValueError, match="c-answer.html: has the same source_id 'c-answer' as"):
        build_project(raw, jobs=1, cache=None)


def test_an_unlisted_document_takes_its_date_and_department_from_what_it_states_of_itself(raw):
    ref = load_reference(raw)
    meta = Metadata(title="Parks plan", publisher="Department for Education; Another Body", published=dt.date(2024, 3, 12))
    read = ReadDocument("e-page", raw / "documents" / "e-page.html", "We give £1m.\n", "utf-8", "html", meta=meta)
    doc = pipeline._document(pipeline._Task("e-page", read.path, None), read, ref)
    assert (doc.published_from, doc.published_to, doc.speaker) == (dt.date(2024, 3, 12), dt.date(2024, 3, 12), "DfE")
    row = pipeline.source_row(pipeline._Task("e-page", read.path, None), read, doc)
    assert (row["title"], row["publisher"], row["published_from"], row["dated_by"], row["speaker"]) == (
        "Parks plan", "Department for Education; Another Body", "2024-03-12", "the document's own metadata", "DfE")
    # GOV.UK names the lead organisation first; a body departments.csv does not know is passed over
    both = Metadata(publisher="An Arm's Length Body; Department of Health and Social Care; Department for Education", published=dt.date(2024, 3, 12))
    assert pipeline._document(pipeline._Task("e", read.path, None), ReadDocument("e", read.path, "", "utf-8", "html", meta=both), ref).speaker == "DHSC"
    # a name two departments used in turn: the one of the day
    old = Metadata(publisher="Ministry of Housing, Communities and Local Government", published=dt.date(2019, 6, 1))
    assert pipeline._document(pipeline._Task("e", read.path, None), ReadDocument("e", read.path, "", "utf-8", "html", meta=old), ref).speaker == "MHCLG-2018"


# -- the per-document stage on a Dask cluster ------------------------------------------------------


def test_on_a_local_dask_cluster_the_tables_are_the_same_bytes(raw, tmp_path):
    distributed = pytest.importorskip("distributed", reason="Dask is the optional extra dask: pip install 'funding[dask]'")
    (raw / "documents" / "e-scan.md").write_bytes(b"\x00\x01 not text")  # set aside on a worker as at home
    local = build_project(raw, jobs=1, cache=None)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        cache = tmp_path / "cache"
        remote = build_project(raw, cache=cache, scheduler=cluster.scheduler_address)
        assert remote[1] == local[1]
        assert len(list(cache.rglob("*.pickle"))) == 2 * len(DOCS)  # annotations and link part cached here, the unreadable one not
    assert [r["source_id"] for r in pipeline.unread(remote[0])] == ["e-scan"]


def test_a_scheduler_that_is_not_there_is_a_clear_error(raw):
    pytest.importorskip("distributed", reason="Dask is the optional extra dask: pip install 'funding[dask]'")
    with pytest.raises(ValueError, match="--scheduler tcp://127.0.0.1:9: cannot connect to a Dask scheduler there"):
        build_project(raw, cache=None, scheduler="tcp://127.0.0.1:9")


# --- build_into: the rows written straight into the new folder ------------------------------------

from funding.pipeline import build_into  # noqa: E402


@pytest.mark.parametrize("jobs, cached", [(1, False), (2, False), (2, True)], ids=["one-process-no-cache", "two-processes-no-cache", "two-processes-cached"])
def test_building_into_a_folder_writes_the_bytes_the_in_memory_build_renders(raw, tmp_path, jobs, cached):
    (raw / "documents" / "e-scan.md").write_bytes(b"\x00\x01 not text")  # set aside: its row must be written too
    expected = build_project(raw, jobs=1, cache=None)[1]
    clean = tmp_path / "clean"
    built = build_into(raw, clean, jobs=jobs, cache=tmp_path / "cache" if cached else None)
    assert {p.name: p.read_bytes() for p in clean.iterdir()} == expected
    # the counts the command line reports, from the rows written (four documents' figures read from DOCS above)
    assert built.rows["mentions"] == 8 and built.rows["set_aside"] == 1 and built.rows["sources"] == 5
    assert [r["source_id"] for r in built.unread] == ["e-scan"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".clean.")]  # no folder left beside it


def test_a_check_names_the_tables_a_build_would_change_and_writes_nothing(raw, tmp_path):
    clean = tmp_path / "clean"
    build_into(raw, clean, jobs=1, cache=None)
    before = {p.name: p.read_bytes() for p in clean.iterdir()}
    assert build_into(raw, clean, jobs=1, cache=None, check=True).stale == []
    (raw / "documents" / "c-answer.md").write_text("# Written answer\n\nThe department has given £5.5m to the Skate Fund.\n", encoding="utf-8")
    stale = build_into(raw, clean, jobs=1, cache=None, check=True).stale
    assert "mentions.csv" in stale and "commitments.csv" in stale and "datapackage.json" not in stale
    assert {p.name: p.read_bytes() for p in clean.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".clean.")]


def test_strict_refuses_an_unreadable_document_before_writing_anything(raw, tmp_path):
    clean = tmp_path / "clean"
    build_into(raw, clean, jobs=1, cache=None)
    before = {p.name: p.read_bytes() for p in clean.iterdir()}
    (raw / "documents" / "e-scan.md").write_bytes(b"\x00\x01 not text")
    with pytest.raises(ValueError, match="--strict: 1 document.*e-scan.md"):
        build_into(raw, clean, jobs=1, cache=None, strict=True)
    assert {p.name: p.read_bytes() for p in clean.iterdir()} == before


import csv  # noqa: E402


def loads(monkeypatch) -> list[str]:
    """The documents whose annotations the build loads from now on."""
    seen = []
    real = pipeline._Store.load

    def spy(self, source_id):
        seen.append(source_id)
        return real(self, source_id)

    monkeypatch.setattr(pipeline._Store, "load", spy)
    return seen


def test_a_rebuild_writes_the_rows_of_documents_whose_links_did_not_change_from_the_cache(raw, tmp_path, monkeypatch):
    cache, clean = tmp_path / "cache", tmp_path / "clean"
    build_into(raw, clean, jobs=1, cache=cache)
    (raw / "documents" / "e-new.md").write_text("# Note\n\nThe library service will receive £2.75 million in 2024-25.\n", encoding="utf-8")
    write_sources(raw)
    seen = loads(monkeypatch)
    build_into(raw, clean, jobs=1, cache=cache)
    assert seen == ["e-new"]  # its own figure is new; no other document's figures or links changed
    assert {p.name: p.read_bytes() for p in clean.iterdir()} == build_project(raw, jobs=1, cache=None)[1]
    seen.clear()
    build_into(raw, clean, jobs=1, cache=cache)  # nothing changed: no document is loaded to write its rows
    assert seen == []


@pytest.mark.parametrize("amount", ["120000000", "9000000000"], ids=["a-commitment-made-context", "context-confirmed"])
def test_a_document_whose_roles_or_links_change_is_written_again(raw, tmp_path, monkeypatch, amount):
    cache, clean = tmp_path / "cache", tmp_path / "clean"
    build_into(raw, clean, jobs=1, cache=cache)
    tables = build_project(raw, jobs=1, cache=None)[0]
    # b-press: "The £120 million for new playgrounds ..." and "Councils spent £9 billion on leisure last year."
    [mention] = [m for m in tables.mentions if m["source_id"] == "b-press" and m["amount"] == amount]
    (raw / "review.csv").write_text(f"id,field,value,reason\n{mention['mention_id']},role,context,a test decision\n", encoding="utf-8")
    seen = loads(monkeypatch)
    build_into(raw, clean, jobs=1, cache=cache)
    assert "b-press" in seen and not {"c-answer", "d-letter"} & set(seen)  # their figures are other amounts
    assert {p.name: p.read_bytes() for p in clean.iterdir()} == build_project(raw, jobs=1, cache=None)[1]
    rows = {m["mention_id"]: m for m in csv.DictReader(open(clean / "mentions.csv", encoding="utf-8-sig"))}
    assert (rows[mention["mention_id"]]["role"], rows[mention["mention_id"]]["reviewed"]) == ("context", "true")


def test_a_document_is_written_again_when_a_restatement_of_its_commitment_changes_in_another(raw, tmp_path, monkeypatch):
    cache, clean = tmp_path / "cache", tmp_path / "clean"
    note = raw / "documents" / "e-note.md"
    # c-answer: "The department has given £4.5m to the Skate Fund in 2022-23." names no department itself
    note.write_text("# Note\n\nThe £4.5m for the Skate Fund in 2022-23 was spent on ramps.\n", encoding="utf-8")
    write_sources(raw)
    build_into(raw, clean, jobs=1, cache=cache)
    note.write_text("# Note\n\nThe Department for Culture, Media and Sport gave the £4.5m for the Skate Fund in 2022-23.\n", encoding="utf-8")
    seen = loads(monkeypatch)
    build_into(raw, clean, jobs=1, cache=cache)
    assert "c-answer" in seen  # its commitment's row takes the department its restatement now names
    assert {p.name: p.read_bytes() for p in clean.iterdir()} == build_project(raw, jobs=1, cache=None)[1]
    [row] = [c for c in csv.DictReader(open(clean / "commitments.csv", encoding="utf-8-sig")) if c["source_id"] == "c-answer"]
    assert (row["amount_gbp"], row["n_mentions"], row["department"]) == ("4500000", "2", "DCMS")


def test_a_damaged_rows_file_is_written_from_the_annotations(raw, tmp_path):
    cache, clean = tmp_path / "cache", tmp_path / "clean"
    build_into(raw, clean, jobs=1, cache=cache)
    kept = sorted(cache.rglob("*-rows.pickle"))
    assert len(kept) == len(DOCS)
    for path in kept:
        path.write_bytes(b"not a pickle")
    build_into(raw, clean, jobs=1, cache=cache)
    assert {p.name: p.read_bytes() for p in clean.iterdir()} == build_project(raw, jobs=1, cache=None)[1]


def test_rows_made_on_the_workers_take_their_place_among_rows_given_again_from_the_cache(raw, tmp_path):
    cache, clean = tmp_path / "cache", tmp_path / "clean"
    build_into(raw, clean, jobs=2, cache=cache)
    assert len(sorted(cache.rglob("*-rows.pickle"))) == len(DOCS)  # the workers kept each document's rows
    tables = build_project(raw, jobs=1, cache=None)[0]
    # b-press, the second document: "The £120 million for new playgrounds ..." made context by the review
    [mention] = [m for m in tables.mentions if m["source_id"] == "b-press" and m["amount"] == "120000000"]
    (raw / "review.csv").write_text(f"id,field,value,reason\n{mention['mention_id']},role,context,a test decision\n", encoding="utf-8")
    build_into(raw, clean, jobs=2, cache=cache)  # a-budget's rows from the cache, b-press's from a worker, then the others'
    assert {p.name: p.read_bytes() for p in clean.iterdir()} == build_project(raw, jobs=1, cache=None)[1]
    rows = {m["mention_id"]: m for m in csv.DictReader(open(clean / "mentions.csv", encoding="utf-8-sig"))}
    assert (rows[mention["mention_id"]]["role"], rows[mention["mention_id"]]["reviewed"]) == ("context", "true")


def test_each_document_is_linked_as_it_is_annotated_not_after_the_last(raw, tmp_path, monkeypatch):
    events = []
    real_read, real_part = pipeline.read_document, pipeline._Store.load_part

    def read(path):
        events.append(("read", Path(path).stem))
        return real_read(path)

    def part(self, source_id):
        part = real_part(self, source_id)
        events.append(("linked", source_id))
        return part

    monkeypatch.setattr(pipeline, "read_document", read)
    monkeypatch.setattr(pipeline._Store, "load_part", part)
    build_into(raw, tmp_path / "clean", jobs=1, cache=None)
    assert events == [(step, stem) for stem in ("a-budget", "b-press", "c-answer", "d-letter") for step in ("read", "linked")]
    assert {p.name: p.read_bytes() for p in (tmp_path / "clean").iterdir()} == build_project(raw, jobs=1, cache=None)[1]


def test_the_pool_has_no_more_processes_than_documents(raw, tmp_path, monkeypatch):
    sizes = []

    class Recorded(pipeline.ProcessPoolExecutor):
        def __init__(self, max_workers=None, **kwargs):
            sizes.append(max_workers)
            super().__init__(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", Recorded)
    build_into(raw, tmp_path / "clean", jobs=8, cache=None)
    assert sizes == [len(DOCS)]
    assert {p.name: p.read_bytes() for p in (tmp_path / "clean").iterdir()} == build_project(raw, jobs=1, cache=None)[1]


def test_annotations_a_worker_cannot_load_for_pass_3_are_made_again_in_the_build(raw, tmp_path):
    cache, clean = tmp_path / "cache", tmp_path / "clean"
    build_into(raw, clean, jobs=2, cache=cache)
    for path in cache.rglob("*.pickle"):
        if path.name.endswith("-rows.pickle"):
            path.unlink()  # every document's rows must be made again, on a worker
        elif not path.name.endswith("-links.pickle"):
            path.write_bytes(b"not a pickle")  # but its annotations are damaged (its links are whole: it is linked from them)
    build_into(raw, clean, jobs=2, cache=cache)
    assert {p.name: p.read_bytes() for p in clean.iterdir()} == build_project(raw, jobs=1, cache=None)[1]


@pytest.mark.parametrize("fail", [False, True], ids=["built", "failed in pass 3"])
def test_linking_leaves_the_garbage_collector_as_it_found_it(raw, tmp_path, monkeypatch, fail):
    import gc

    from funding import build

    if fail:
        def broken(self, source_id, load, sink):
            raise RuntimeError("disk full")

        monkeypatch.setattr(build._Linker, "write", broken)
    frozen, during = gc.get_freeze_count(), []
    real_link = build._Linker.link

    def link(self):
        during.append(gc.isenabled())  # paused while linking
        return real_link(self)

    monkeypatch.setattr(build._Linker, "link", link)
    if fail:
        with pytest.raises(RuntimeError, match="disk full"):
            build_project(raw, jobs=1, cache=None)
    else:
        build_project(raw, jobs=1, cache=None)
    assert during == [False]
    assert gc.isenabled() and gc.get_freeze_count() == frozen
