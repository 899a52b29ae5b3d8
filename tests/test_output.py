"""Writing tables: formula text made inert in CSV, ids written exactly."""

from __future__ import annotations

import csv
import io

import pytest

from funding.extract import extract_paths
from funding.output import write_csv
from funding.vocab import MENTION_COLUMNS


def written(row: dict, columns: tuple[str, ...]) -> dict:
    buffer = io.StringIO()
    write_csv([row], columns, buffer)
    return next(csv.DictReader(io.StringIO(buffer.getvalue())))


@pytest.mark.parametrize(
    "column, value, expected",
    [
        pytest.param("source_id", "-dash", "-dash", id="source-id-never-escaped"),
        pytest.param("mention_id", "+m1", "+m1", id="mention-id-never-escaped"),
        pytest.param("parent_id", "@c1", "@c1", id="parent-id-never-escaped"),
        pytest.param("sentence", "=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")", id="text-keeps-its-apostrophe"),
        pytest.param("sentence", "-cmd", "'-cmd", id="text-dash-escaped"),
        pytest.param("amount", "-11800000", "-11800000", id="negative-number-not-escaped"),
    ],
)
def test_formula_escape_leaves_ids_alone(column, value, expected):
    assert written({column: value}, (column,))[column] == expected


def test_document_named_with_a_dash_keeps_its_source_id(tmp_path):
    (tmp_path / "-dash.md").write_text("We give £5m.", encoding="utf-8")
    result = next(extract_paths([tmp_path / "-dash.md"]))
    row = written(result.mentions[0].row(), MENTION_COLUMNS)
    assert row["source_id"] == "-dash"
