"""The Excel export: structure checked against the government guidance, figures against the tables."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from funding.totals import load_tables, totals

ROOT = Path(__file__).resolve().parents[1]
FUNDING = Path(sys.executable).with_name("funding")


def check_workbook(path: Path) -> list[str]:
    """Problems with a workbook against "Releasing statistics in spreadsheets"; [] when none."""
    problems = []
    wb = load_workbook(path)
    if not wb.properties.title:
        problems.append("no document title")
    if (wb.properties.language or "").lower() not in {"en-gb", "en"}:
        problems.append("no document language")
    names = wb.sheetnames
    if names[:3] != ["Cover", "Table_of_contents", "Notes"]:
        problems.append(f"first sheets are {names[:3]}")
    for ws in wb.worksheets:
        if not isinstance(ws["A1"].value, str) or not ws["A1"].value:
            problems.append(f"{ws.title}: no title in A1")
        if ws.merged_cells.ranges:
            problems.append(f"{ws.title}: merged cells")
        selection = ws.sheet_view.selection[0].activeCell if ws.sheet_view.selection else "A1"
        if selection != "A1":
            problems.append(f"{ws.title}: cursor at {selection}")
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"{ws.title}!{cell.coordinate}: formula")
                if cell.hyperlink is not None and ws.title != "Table_of_contents":
                    problems.append(f"{ws.title}!{cell.coordinate}: link")
        if ws.title == "Cover":
            continue
        if len(ws.tables) != 1:
            problems.append(f"{ws.title}: {len(ws.tables)} tables")
            continue
        table = next(iter(ws.tables.values()))
        first, last = table.ref.split(":")
        rows = list(ws[table.ref])
        headers = [c.value for c in rows[0]]
        if len(set(headers)) != len(headers) or any(h is None for h in headers):
            problems.append(f"{ws.title}: headers not unique or empty")
        if [c.name for c in table.tableColumns] != headers:
            problems.append(f"{ws.title}: table columns differ from the header row")
        for row in rows[1:]:
            if all(c.value in (None, "") for c in row):
                problems.append(f"{ws.title}: blank row in table")
            for c in row:
                if c.value in (None, ""):
                    problems.append(f"{ws.title}!{c.coordinate}: empty cell (use [x] or [z])")
        if ws.max_row != rows[-1][0].row:
            problems.append(f"{ws.title}: something below the table")
    contents = wb["Table_of_contents"]
    linked = {c.hyperlink.location.split("!")[0].strip("'") for row in contents.iter_rows() for c in row if c.hyperlink}
    if linked != set(names) - {"Cover", "Table_of_contents"}:
        problems.append(f"contents links {sorted(linked)} not every sheet")
    return problems


def export(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(FUNDING), "export", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("x") / "funding.xlsx"
    result = export("--out", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_workbook_meets_the_guidance(workbook):
    assert check_workbook(workbook) == []


def test_totals_are_the_library_totals(workbook):
    tables = load_tables(ROOT / "data" / "clean")
    wb = load_workbook(workbook)
    for sheet, by in (("Totals_by_theme", "theme"), ("Totals_by_department", "department"), ("Totals_by_year", "financial_year")):
        ws = wb[sheet]
        rows = list(next(iter(ws.tables.values())).ref.split(":"))
        table = [[c.value for c in row] for row in ws[f"{rows[0]}:{rows[1]}"]]
        key = table[0].index({"theme": "Theme code", "department": "Department", "financial_year": "Financial year"}[by])
        amount = next(i for i, h in enumerate(table[0]) if h.startswith("Amount"))
        expected = totals(tables, by=by)
        assert {r[key]: r[amount] for r in table[1:]} == dict(zip(expected[by], expected["amount_gbp"]))
    # and the headline figure of the two documents, added up by hand (tests/test_build.py)
    theme_sheet = [[c.value for c in row] for row in wb["Totals_by_theme"].iter_rows(min_row=4)]
    assert sum(r[2] for r in theme_sheet) == 7_285_000_000


def test_numbers_are_numbers_and_missing_values_are_marked(workbook):
    ws = load_workbook(workbook)["Commitments"]
    header = [c.value for c in ws[3]]
    amount, first_year = header.index("Amount (£)"), header.index("First financial year")
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert all(isinstance(r[amount], int) for r in rows)
    assert {r[first_year] for r in rows} >= {"2022-23", "[x]"}
    assert ws.cell(row=4, column=amount + 1).number_format == "#,##0"


def test_hostile_text_stays_inert(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "data", project / "data")
    path = project / "data" / "clean" / "commitments.csv"
    text = path.read_text(encoding="utf-8-sig")
    assert '"Together, the ODP' in text  # a quote field of the £500m package row
    hostile = text.replace('"Together, the ODP', '"=HYPERLINK(""http://evil.example"",""click"") +cmd @SUM(A1) Together, the ODP', 1)
    path.write_text(hostile, encoding="utf-8-sig")
    (project / "data" / "clean" / "mentions.csv").write_text(
        (project / "data" / "clean" / "mentions.csv").read_text(encoding="utf-8-sig").replace("This Government", "@SUM(1+1) This", 1),
        encoding="utf-8-sig",
    )
    out = tmp_path / "hostile.xlsx"
    assert export("--out", str(out), cwd=project).returncode == 0
    assert check_workbook(out) == []
    values = [c.value for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("=HYPERLINK") for v in values) and any(v.startswith("@SUM") for v in values)


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(["--theme", "yuoth"], "is not a theme; choose one of: early-help", id="unknown-theme"),
        pytest.param(["--department", "DFEE"], "is not a department; choose one of:", id="unknown-department"),
        pytest.param(["--years", "2024-25:2022-23"], "the first year is after the last", id="years-backwards"),
        pytest.param(["--years", "2022"], "give FIRST:LAST", id="years-malformed"),
    ],
)
def test_bad_parameters_are_refused_before_writing(args, message, tmp_path):
    result = export(*args, "--out", str(tmp_path / "x.xlsx"))
    assert result.returncode == 2 and message in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_filtered_real_terms_workbook(tmp_path):
    out = tmp_path / "youth.xlsx"
    result = export("--theme", "youth", "--basis", "real", "--years", "2022-23:2024-25", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert check_workbook(out) == []
    wb = load_workbook(out)
    header = [c.value for c in wb["Totals_by_theme"][3]]
    assert "Amount (£, real terms, 2024-25 prices)" in header
    theme = [c.value for c in wb["Commitments"][3]].index("Theme")
    rows = list(wb["Commitments"].iter_rows(min_row=4, values_only=True))
    assert rows and {r[theme] for r in rows} == {"youth"}


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice is not installed here")
def test_opens_in_a_real_spreadsheet_program(workbook, tmp_path):
    program = shutil.which("soffice") or shutil.which("libreoffice")
    result = subprocess.run([program, "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(workbook)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "Money committed" in (tmp_path / "funding.csv").read_text(encoding="utf-8", errors="replace")


def test_a_table_from_a_notebook_exports_to_a_compliant_workbook(tmp_path):
    from funding.export import export_frame
    import pandas as pd

    frame = pd.DataFrame({"programme": ["Supporting Families", "=cmd"], "amount_gbp": [695e6, 1.0], "n_commitments": [1, 2]})
    path = export_frame(frame, tmp_path / "t.xlsx", title="Money by programme", description="A test table.")
    assert check_workbook(path) == []
    rows = list(load_workbook(path)["Data"].iter_rows(min_row=4, values_only=True))
    assert rows == [("Supporting Families", 695000000, 1), ("=cmd", 1, 2)]
