"""data/raw: the documents are unmodified and every one is described in sources.csv."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED_SOURCES = ROOT.parent / "shared" / "sources"  # present beside a checkout on the project's machines
REQUIRED = ["source_id", "file", "title", "publisher", "published_from", "published_to", "date_estimated",
            "financial_year", "date_basis", "licence", "sha256"]


@pytest.fixture(scope="module")
def sources() -> list[dict[str, str]]:
    with open(RAW / "sources.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_columns(sources):
    assert set(REQUIRED) <= set(sources[0])


def test_every_document_has_one_row_and_every_row_a_document(sources):
    documents = sorted(p.name for p in (RAW / "documents").iterdir())
    assert sorted(Path(r["file"]).name for r in sources) == documents
    assert len({r["source_id"] for r in sources}) == len(sources)
    for row in sources:
        assert Path(row["file"]).stem == row["source_id"]


def test_documents_match_their_checksums(sources):
    for row in sources:
        digest = hashlib.sha256((RAW / row["file"]).read_bytes()).hexdigest()
        assert digest == row["sha256"], f"{row['file']} was modified: raw documents are never edited"


@pytest.mark.skipif(not SHARED_SOURCES.exists(), reason="shared/sources is not beside this checkout")
def test_documents_are_byte_copies_of_the_shared_sources(sources):
    for row in sources:
        shared = SHARED_SOURCES / Path(row["file"]).name
        if shared.exists():
            assert shared.read_bytes() == (RAW / row["file"]).read_bytes()


def test_dates_are_valid_ranges_and_flagged(sources):
    for row in sources:
        start = dt.date.fromisoformat(row["published_from"])
        end = dt.date.fromisoformat(row["published_to"])
        assert start <= end, row["source_id"]
        assert row["date_estimated"] in {"true", "false"}
        if start != end:
            assert row["date_estimated"] == "true", f"{row['source_id']}: a date range is an estimate"
        fy_start = start.year if start.month >= 4 else start.year - 1
        assert row["financial_year"] == f"{fy_start}-{(fy_start + 1) % 100:02d}", row["source_id"]
        assert row["licence"] and row["date_basis"]
