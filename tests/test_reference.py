"""Reference tables load, cross-check, and report mistakes by file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from funding.reference import ReferenceError, load_reference

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def test_project_tables_load():
    ref = load_reference(RAW)
    assert set(ref.sources) == {"govt-response-children-in-crisis", "dfe-evidence-psc0062"}
    assert ref.deflators[2024] == 100.0
    assert {"early-help", "family-hubs", "mental-health", "youth", "serious-violence", "domestic-abuse",
            "education", "local-government"} <= set(ref.themes)
    assert set(ref.context_terms) == {"settlement", "third_party"}
    assert "Local Government Finance Settlement" in ref.context_terms["settlement"]


@pytest.fixture
def raw_copy(tmp_path):
    target = tmp_path / "raw"
    shutil.copytree(RAW, target, ignore=shutil.ignore_patterns("documents"))
    return target


@pytest.mark.parametrize(
    "table, find, replace, message",
    [
        pytest.param("reference/programmes.csv", ",DCMS,youth,", ",DCSM,youth,", "programmes.csv, line 10, field 'owner': 'DCSM' is not a department", id="unknown-owner"),
        pytest.param("reference/programmes.csv", ",DCMS,youth,", ",DCMS,yuoth,", "field 'theme_id': 'yuoth' is not one of", id="unknown-theme"),
        pytest.param("reference/spending_reviews.csv", "2022-23,2024-25", "2022-23,2024-26", "field 'fy_end': '2024-26' is not a financial year", id="bad-financial-year"),
        pytest.param("reference/departments.csv", "2010-05-12,,,", "12/05/2010,,,", "field 'valid_from': '12/05/2010' is not a date", id="bad-date"),
        pytest.param("reference/departments.csv", ",2010-05-11,DfE,", ",2010-05-11,DFEE,", "field 'successor': 'DFEE' is not a dept_id", id="unknown-successor"),
        pytest.param("reference/context_terms.csv", "\nthird_party,think tank,", "\nthird-party,think tank,", "context_terms.csv, line 16, field 'kind': 'third-party' is not one of: settlement, third_party", id="unknown-context-term-kind"),
        pytest.param("reference/context_terms.csv", "\nthird_party,think tank,", "\nthird_party,,", "context_terms.csv, line 16, field 'term': is empty", id="empty-context-term"),
    ],
)
def test_mistakes_name_file_line_and_field(raw_copy, table, find, replace, message):
    path = raw_copy / table
    text = path.read_text(encoding="utf-8")
    assert find in text
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    with pytest.raises(ReferenceError) as caught:
        load_reference(raw_copy)
    assert message in str(caught.value)


def test_missing_table_is_named(raw_copy):
    (raw_copy / "reference" / "themes.csv").unlink()
    with pytest.raises(ReferenceError, match="themes.csv: file is missing"):
        load_reference(raw_copy)
