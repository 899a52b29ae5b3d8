"""data/clean/datapackage.json describes the tables, and the tables meet it (Frictionless)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from frictionless import validate

from funding.build import TABLE_COLUMNS
from funding.schema import FIELDS, datapackage

CLEAN = Path(__file__).resolve().parents[1] / "data" / "clean"


def test_committed_tables_are_valid_against_their_schema():
    report = validate(str(CLEAN / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])[:5]


def test_every_column_is_described():
    for table, columns in TABLE_COLUMNS.items():
        for column in columns:
            kind, description = FIELDS[column]
            assert kind in {"string", "integer", "number", "boolean", "date"} and description, (table, column)
    names = [r["name"] for r in datapackage()["resources"]]
    assert len(names) == len(set(names)) == len(TABLE_COLUMNS)


def test_a_broken_table_fails_validation(tmp_path):
    shutil.copytree(CLEAN, tmp_path / "clean")
    path = tmp_path / "clean" / "commitments.csv"
    text = path.read_text(encoding="utf-8-sig").splitlines()
    text[1] = text[1].replace(",true,", ",yes,", 1) if ",true," in text[1] else text[1].replace(",false,", ",no,", 1)
    path.write_text("\n".join(text) + "\n", encoding="utf-8-sig")
    assert not validate(str(tmp_path / "clean" / "datapackage.json")).valid


def test_datapackage_file_is_what_the_code_describes():
    assert json.loads((CLEAN / "datapackage.json").read_text(encoding="utf-8")) == datapackage()
