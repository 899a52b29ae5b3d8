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
    assert set(ref.context_terms) == {"settlement", "third_party", "fiscal", "tax", "accounts", "economy", "others", "giver"}
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


# -- checks added for hostile input (issue 11) ---------------------------------------------

@pytest.mark.parametrize(
    "table, find, replace, message",
    [
        pytest.param("reference/gdp_deflators.csv", "2012-13,71.780,", "2012-13,nan,", "gdp_deflators.csv, line 4, field 'index': 'nan' is not a positive number", id="deflator-nan"),
        pytest.param("reference/gdp_deflators.csv", "2012-13,71.780,", "2012-13,inf,", "line 4, field 'index': 'inf' is not a positive number", id="deflator-infinite"),
        pytest.param("reference/gdp_deflators.csv", "2012-13,71.780,", "2012-13,0,", "line 4, field 'index': '0' is not a positive number", id="deflator-zero"),
        pytest.param("reference/gdp_deflators.csv", "2012-13,71.780,", "2012-13,-71.780,", "line 4, field 'index': '-71.780' is not a positive number", id="deflator-negative"),
        pytest.param("reference/gdp_deflators.csv", "2012-13,71.780,", "2011-12,71.780,", "line 4, field 'financial_year': 2011-12 already has a row (line 3)", id="deflator-year-twice"),
        pytest.param("reference/gdp_deflators.csv", "2012-13,71.780,false", "2012-13,71.780,false,extra", "gdp_deflators.csv, line 4: has 4 fields where the header has 3", id="deflator-extra-field"),
        pytest.param("sources.csv", ",documents/dfe-evidence-psc0062.md,", ",../../etc/hostname,", "sources.csv, line 3, field 'file': '../../etc/hostname' is not a path inside", id="source-outside-raw"),
        pytest.param("sources.csv", ",documents/dfe-evidence-psc0062.md,", ",/etc/hostname,", "line 3, field 'file': '/etc/hostname' is not a path inside", id="source-absolute-path"),
        pytest.param("sources.csv", "\ndfe-evidence-psc0062,", "\n=cmd,", "sources.csv, line 3, field 'source_id': '=cmd' starts as a spreadsheet formula would", id="source-id-a-formula"),
        pytest.param("sources.csv", "2021-05-01,", "2031-05-01,", "sources.csv, line 3, field 'published_to'", id="published-from-after-to"),
        pytest.param("reference/themes.csv", "\neducation,", "\nyouth,", "themes.csv, line 8, field 'theme_id': 'youth' appears twice", id="theme-id-twice"),
        pytest.param("reference/programmes.csv", "Violence Reduction Units;VRUs,", "Violence Reduction Units;;VRUs,", "programmes.csv, line 7, field 'aliases'", id="empty-programme-alias"),
        pytest.param("reference/programmes.csv", "\nBehaviour Hubs,behaviour hubs,", "\n,,", "programmes.csv, line 13, field 'programme': is empty", id="empty-programme-and-alias"),
        pytest.param("reference/spending_reviews.csv", "2022-23,2024-25", "2024-25,2022-23", "spending_reviews.csv", id="review-period-backwards"),
        pytest.param("reference/themes.csv", "\nyouth,Youth services,", "\nyouth,\"Youth services,", "themes.csv, line 5", id="unterminated-quote"),
    ],
)
def test_hostile_reference_rows_are_refused(raw_copy, table, find, replace, message):
    test_mistakes_name_file_line_and_field(raw_copy, table, find, replace, message)


def test_reference_file_not_utf8_is_named(raw_copy):
    path = raw_copy / "reference" / "themes.csv"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Mental health", "Mental health £").encode("cp1252"))
    with pytest.raises(ReferenceError, match=r"themes.csv, line 4: is not UTF-8 \(byte 0xa3\)"):
        load_reference(raw_copy)


def test_deflators_for_export_are_read_by_the_same_checks(raw_copy):
    from funding.totals import load_deflators

    path = raw_copy / "reference" / "gdp_deflators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2012-13,71.780,", "2012-13,nan,"), encoding="utf-8")
    with pytest.raises(ReferenceError, match="line 4, field 'index'"):
        load_deflators(raw_copy / "reference")


def test_a_listed_document_that_is_a_link_out_of_data_raw_is_refused(raw_copy, tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text("# Elsewhere\n", encoding="utf-8")
    (raw_copy / "documents").mkdir()
    (raw_copy / "documents" / "linked.md").symlink_to(outside)
    path = raw_copy / "sources.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",documents/dfe-evidence-psc0062.md,", ",documents/linked.md,"), encoding="utf-8")
    with pytest.raises(ReferenceError, match="line 3, field 'file': 'documents/linked.md' is not a path inside"):
        load_reference(raw_copy)


def test_a_link_to_a_document_inside_data_raw_is_its_real_path(tmp_path):
    from funding.reference import resolved

    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.md").write_text("a", encoding="utf-8")
    (tmp_path / "folder").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "b.md").symlink_to(tmp_path / "real" / "a.md")
    folders = {}
    assert resolved(tmp_path / "folder" / "a.md", folders) == str((tmp_path / "real" / "a.md").resolve())
    assert resolved(tmp_path / "folder" / "b.md", folders) == str((tmp_path / "real" / "a.md").resolve())
    assert resolved(tmp_path / "folder" / ".." / "real" / "a.md", folders) == str((tmp_path / "real" / "a.md").resolve())
