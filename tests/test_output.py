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


@pytest.mark.parametrize("value", ["\tcmd", "\rcmd", "@SUM(A1)", "+1+2", "=1"])
def test_every_formula_start_is_escaped(value):
    buffer = io.StringIO()
    write_csv([{"sentence": value}], ("sentence",), buffer)
    # (read back raw: Python 3.11's csv module leaves a lone carriage return unquoted; the readers
    # turn every one into a line break before any text reaches a table)
    assert buffer.getvalue().splitlines(keepends=False)[0] == "sentence"
    assert buffer.getvalue()[len("sentence\n"):].lstrip('"').startswith("'" + value)


def test_a_missing_column_is_written_empty_and_values_keep_their_text():
    buffer = io.StringIO()
    write_csv([{"a": 1, "c": None}], ("a", "b", "c"), buffer)
    assert buffer.getvalue() == "a,b,c\n1,,\n"


def test_a_column_the_table_lacks_is_an_error_naming_it():
    with pytest.raises(ValueError, match="'surplus'"):
        write_csv([{"a": 1, "surplus": 2}], ("a",), io.StringIO())
