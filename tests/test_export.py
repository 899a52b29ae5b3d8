"""The Excel export: structure checked against the government guidance, figures against the tables."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import funding.export as export_module
import pandas as pd

from funding.export import MILLIONS, POUNDS, FilterError, check_filters, export_workbook, headline_total
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


def table(ws) -> tuple[list[str], list[list]]:
    """The header and the rows of a sheet's one table, wherever it starts."""
    ref = next(iter(ws.tables.values())).ref
    rows = [[c.value for c in row] for row in ws[ref]]
    return rows[0], rows[1:]


def column(ws, header: str) -> list:
    headers, rows = table(ws)
    return [r[headers.index(header)] for r in rows]


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
    for sheet, by, key in (("Totals_by_theme", "theme", "Theme code"), ("Totals_by_department", "department", "Departments as recorded"),
                           ("Totals_by_year", "financial_year", "Financial year")):
        headers, rows = table(wb[sheet])
        amount = next(i for i, h in enumerate(headers) if h.startswith("Amount"))
        expected = totals(tables, by=by)
        assert {r[headers.index(key)]: r[amount] for r in rows} == dict(zip(expected[by], expected["amount_gbp"]))
    # and the headline figure of the two documents, added up by hand (tests/test_build.py)
    assert sum(column(wb["Totals_by_theme"], "Amount (£ million, cash)")) == 7_285_000_000


def test_the_cover_gives_the_library_total(workbook):
    cover = [c.value for c in load_workbook(workbook)["Cover"]["A"]]
    assert headline_total(load_tables(ROOT / "data" / "clean")) == 7_285_000_000  # added up by hand (tests/test_build.py)
    assert cover[1].startswith("Total committed: £7,285.0m (cash)")


def test_numbers_are_numbers_and_missing_values_are_marked(workbook):
    ws = load_workbook(workbook)["Commitments"]
    headers, rows = table(ws)
    amount, first_year = headers.index("Amount (£ million, cash)"), headers.index("First financial year")
    assert all(isinstance(r[amount], int) for r in rows)
    assert {r[first_year] for r in rows} >= {"2022-23", "[x]"}
    first_row = int(next(iter(ws.tables.values())).ref.split(":")[0][1:]) + 1
    assert ws.cell(row=first_row, column=amount + 1).number_format == MILLIONS


def test_every_sheet_prints_on_a4_landscape_fitted_to_the_width(workbook):
    wb = load_workbook(workbook)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        if ws.tables:
            header_row = next(iter(ws.tables.values())).ref.split(":")[0][1:]
            assert ws.print_title_rows == f"${header_row}:${header_row}", ws.title


def test_cover_rows_are_tall_enough_for_their_wrapped_lines(workbook):
    ws = load_workbook(workbook)["Cover"]
    width = ws.column_dimensions["A"].width
    for (cell,) in ws.iter_rows(min_row=2):
        lines = -(-len(cell.value) // int(width))  # characters a line at most, so at least this many lines
        assert ws.row_dimensions[cell.row].height >= 15 * lines, cell.value
        assert cell.alignment.wrap_text


HASH_ID = re.compile(r"\bc[0-9a-f]{12}\b")


def test_things_are_named_not_coded(workbook):
    wb = load_workbook(workbook)
    names = {row["theme_id"]: row["theme"] for row in csv.DictReader((ROOT / "data" / "raw" / "reference" / "themes.csv").open(encoding="utf-8"))}
    theme_sheet = wb["Totals_by_theme"]
    assert column(theme_sheet, "Theme") == [names[code] for code in column(theme_sheet, "Theme code")]
    for sheet, header in (("Packages", "Package"), ("Commitments", "Part of package"), ("Commitments", "Why counted or not"),
                          ("Commitments", "What it is for"), ("Components", "Package")):
        values = column(wb[sheet], header)
        assert not [v for v in values if HASH_ID.search(str(v))], (sheet, header)
    assert "Youth Investment Fund" in column(wb["Commitments"], "What it is for")
    assert all(HASH_ID.fullmatch(v) for v in column(wb["Packages"], "Package ID"))  # ids kept for tracing


def test_money_shows_millions_unless_an_amount_is_small():
    assert export_module._money_format([695_000_000, 1_200_000, None, "[x]"]) == MILLIONS
    assert export_module._money_format([695_000_000, 500]) == POUNDS  # £500 would read £0.0m
    assert export_module._money_format([0, -2_000_000]) == MILLIONS


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
        pytest.param(["--theme", "yuoth"], "'yuoth' is not a theme in the data; did you mean youth? choose one of: domestic-abuse, early-help", id="unknown-theme"),
        pytest.param(["--department", "DFEE"], "'DFEE' is not a department in the data; did you mean DfE? choose one of: DCMS, DHSC, DLUHC, DfE, HO",
                     id="unknown-department"),
        pytest.param(["--department", "MoJ"], "'MoJ' is not a department in the data; choose one of: DCMS, DHSC, DLUHC, DfE, HO",
                     id="department-with-no-commitments"),
        pytest.param(["--theme", "education", "--department", "HO"], "departments with education commitments: DfE", id="theme-and-department-with-none"),
        pytest.param(["--years", "2024-25:2022-23"], "the first year is after the last", id="years-backwards"),
        pytest.param(["--years", "2022"], "give FIRST:LAST", id="years-malformed"),
        pytest.param(["--years", "2030-31:2031-32"], "financial years with money: 2021-22 to 2024-25", id="years-with-no-money"),
        pytest.param(["--theme", "education", "--basis", "real"], "real terms need money with known financial years", id="real-with-no-known-years"),
        pytest.param(["--basis", "real", "--base-year", "2031-32"], "has no GDP deflator; choose one of 2010-11 to 2030-31", id="base-year-no-deflator"),
        pytest.param(["--base-year", "2019-20"], "add --basis real", id="base-year-without-real"),
        pytest.param(["--out-as", "x.csv"], "give a name ending in .xlsx", id="out-not-xlsx"),
    ],
)
def test_bad_parameters_are_refused_before_writing(args, message, tmp_path):
    out = ["--out", str(tmp_path / "x.csv")] if "--out-as" in args else ["--out", str(tmp_path / "x.xlsx")]
    result = export(*[a for a in args if a not in ("--out-as", "x.csv")], *out)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args, expected",
    [
        pytest.param(["--department", "dfe"], "department DfE", id="department-any-case"),
        pytest.param(["--theme", "YOUTH"], "theme Youth services", id="theme-any-case"),
        pytest.param(["--theme", "youth services"], "theme Youth services", id="theme-by-name"),
    ],
)
def test_names_are_matched_in_any_case(args, expected, tmp_path):
    result = export(*args, "--out", str(tmp_path / "x.xlsx"))
    assert result.returncode == 0, result.stderr
    assert expected in load_workbook(tmp_path / "x.xlsx")["Cover"]["A1"].value


@pytest.mark.parametrize(
    "args, name",
    [
        pytest.param([], "funding.xlsx", id="cash"),
        pytest.param(["--basis", "real"], "funding-real-2024-25.xlsx", id="real-default-base"),
        pytest.param(["--basis", "real", "--base-year", "2019-20"], "funding-real-2019-20.xlsx", id="real-other-base"),
        pytest.param(["--theme", "Youth", "--years", "2022-23:2024-25"], "funding-youth-2022-23-to-2024-25.xlsx", id="filters"),
    ],
)
def test_the_default_file_name_says_the_filters_basis_and_base_year(args, name, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "data", project / "data")
    assert export(*args, cwd=project).returncode == 0
    assert [p.name for p in (project / "reports").iterdir()] == [name]


def test_filtered_real_terms_workbook(tmp_path):
    out = tmp_path / "youth.xlsx"
    result = export("--theme", "youth", "--basis", "real", "--years", "2022-23:2024-25", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert check_workbook(out) == []
    wb = load_workbook(out)
    headers, rows = table(wb["Totals_by_theme"])
    assert headers[1] == "Amount (£ million, real terms, 2024-25 prices)"
    assert set(column(wb["Commitments"], "Theme")) == {"Youth services"}
    for ws in wb.worksheets:  # real terms are rounded to whole pounds: no 4062923312.586394
        if ws.tables:
            assert not [v for row in table(ws)[1] for v in row if isinstance(v, float)], ws.title


def test_years_narrow_every_sheet(tmp_path):
    out = tmp_path / "one-year.xlsx"
    assert export("--years", "2021-22:2021-22", "--out", str(out)).returncode == 0
    wb = load_workbook(out)
    # phased into 2021-22 (commitment_years.csv): the mental health plan, its £79m part, £130m for serious violence, the £1.2m grant
    assert sorted(column(wb["Commitments"], "Amount (£ million, cash)")) == [1_200_000, 79_000_000, 130_000_000, 500_000_000]
    assert set(column(wb["Packages"], "Package amount (£ million, cash)")) == {500_000_000}
    commitment_mentions = [m for m, role in zip(column(wb["Mentions"], "Figure as written"), column(wb["Mentions"], "Role")) if role == "commitment"]
    assert sorted(commitment_mentions) == ["£1.2m", "£130 million", "£500 million", "£79 million"]
    assert "financial years 2021-22 to 2021-22" in wb["Commitments"]["A1"].value


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice is not installed here")
def test_opens_and_prints_in_a_real_spreadsheet_program(workbook, tmp_path):
    program = shutil.which("soffice") or shutil.which("libreoffice")
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"  # its own profile: runs in parallel with others
    for kind in ("csv:Text - txt - csv (StarCalc):44,34,76", "pdf"):  # 76: UTF-8
        result = subprocess.run([program, profile, "--headless", "--convert-to", kind, "--outdir", str(tmp_path), str(workbook)],
                                capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr
    cover = (tmp_path / "funding.csv").read_text(encoding="utf-8", errors="replace")  # the first sheet
    assert "Money committed" in cover and "Total committed: £7,285.0m" in cover
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", (tmp_path / "funding.pdf").read_bytes()))
    # 12 sheets, each fitted to the page width: about 17 pages (52 before print set-up, tables cut across pages)
    assert 12 <= pages <= 25, pages


def test_a_table_from_a_notebook_exports_to_a_compliant_workbook(tmp_path):
    from funding.export import export_frame
    import pandas as pd

    frame = pd.DataFrame({"programme": ["Supporting Families", "=cmd"], "amount_gbp": [695e6, 1.0], "n_commitments": [1, 2]})
    path = export_frame(frame, tmp_path / "t.xlsx", title="Money by programme", description="A test table.")
    assert check_workbook(path) == []
    rows = list(load_workbook(path)["Data"].iter_rows(min_row=4, values_only=True))
    assert rows == [("Supporting Families", 695000000, 1), ("=cmd", 1, 2)]


# Sentences: small tables written for the test, shaped so that the old sentences would lie.
# Theme "a": £10m phased over 2022-23 and 2023-24, shared by departments X and Y.
# Theme "b": £5m with no known years, department X (in cash totals; it cannot be phased or deflated).
M = 10**6


def small_tables() -> dict[str, pd.DataFrame]:
    commitments = pd.DataFrame({
        "commitment_id": ["c00000000000a", "c00000000000b"], "amount_gbp": [10 * M, 5 * M], "total_gbp": [10 * M, 5 * M],
        "label": ["Family support", ""], "programme": ["", ""], "theme": ["a", "b"], "department": ["X;Y", "X"],
        "fy_start": ["2022-23", ""], "fy_end": ["2023-24", ""], "n_years": ["2", ""], "parent_id": ["", ""],
        "counted": [True, True], "count_note": ["counted", "counted"], "qualifier": ["", ""], "rate": ["total", "total"],
        "source_id": ["s", "s"], "quote": ["We give £10m.", "We give £5m."], "reviewed": [False, False],
    })
    years = pd.DataFrame({"commitment_id": ["c00000000000a"] * 2, "financial_year": ["2022-23", "2023-24"],
                          "amount_gbp": [5 * M, 5 * M], "counted": [True, True]})
    mentions = pd.DataFrame({"mention_id": ["m1", "m2"], "commitment_id": ["c00000000000a", "c00000000000b"], "role": ["commitment"] * 2,
                             "source_id": ["s", "s"], "line": ["1", "2"], "text": ["£10m", "£5m"], "amount_gbp": [10 * M, 5 * M],
                             "context_reason": ["", ""], "sentence": ["We give £10m.", "We give £5m."]})
    packages = pd.DataFrame(columns=["package_id", "amount_gbp", "n_components", "components_gbp", "difference_gbp", "status", "counted_as"])
    relations = pd.DataFrame(columns=["from_id", "relation", "to_id"])
    return {"commitments": commitments, "commitment_years": years, "mentions": mentions, "packages": packages, "relations": relations}


SOURCES = pd.DataFrame({"source_id": ["s"], "title": ["A document"], "publisher": ["A publisher"], "published_from": ["2022-01-01"],
                        "published_to": ["2022-01-01"], "date_estimated": ["false"], "date_basis": ["stated"], "licence": ["OGL"]})
THEMES = {"a": "Theme A", "b": "Theme B"}
DEFLATORS = ({"2022-23": 50.0, "2023-24": 100.0}, "test deflators")


def sentences(path: Path) -> dict[str, list[str]]:
    """Each sheet's text above its table (the cover: all of it)."""
    out = {}
    for ws in load_workbook(path).worksheets:
        last = int(next(iter(ws.tables.values())).ref.split(":")[0][1:]) - 1 if ws.tables else ws.max_row
        out[ws.title] = [c.value for (c,) in ws.iter_rows(max_row=last, max_col=1)]
    return out


def small_workbook(tmp_path, **options) -> dict[str, list[str]]:
    path = tmp_path / "small.xlsx"
    export_workbook(small_tables(), SOURCES, path, themes=THEMES, **options)
    assert check_workbook(path) == []
    return sentences(path)


def test_cash_theme_totals_say_they_include_money_with_no_known_years(tmp_path):
    text = small_workbook(tmp_path)
    theme = " ".join(text["Totals_by_theme"])
    assert "include 1 commitment (£5.0m) with no known financial years" in theme
    assert "not in these totals" not in theme and "left out" not in theme
    assert "1 commitment (£5.0m) with no known financial years cannot be placed in years and is left out" in " ".join(text["Totals_by_year"])
    assert text["Cover"][1].startswith("Total committed: £15.0m (cash), 2 commitments each counted once.")


def test_real_terms_say_what_they_leave_out(tmp_path):
    text = small_workbook(tmp_path, basis="real", base_year="2023-24", deflators=DEFLATORS)
    theme = " ".join(text["Totals_by_theme"])
    assert "all financial years" not in text["Totals_by_theme"][0] and "all financial years" not in text["Cover"][0]
    assert "financial years 2022-23 to 2023-24 (money with known years only)" in text["Totals_by_theme"][0]
    assert "1 commitment (£5.0m) with no known financial years cannot be deflated and is left out" in theme
    assert "Theme B is not in these totals: none of its money has known years." in theme
    # £5m at 2022-23 prices is £10m at 2023-24 prices (index 50 to 100), plus £5m in 2023-24
    assert text["Cover"][1].startswith("Total committed: £15.0m (real terms at 2023-24 prices), 1 commitment each counted once.")


def test_shared_money_is_shown_and_explained(tmp_path):
    path = tmp_path / "small.xlsx"
    export_workbook(small_tables(), SOURCES, path, themes=THEMES)
    text = " ".join(sentences(path)["Totals_by_department"])
    assert "£10.0m is shared between departments (rows such as X and Y (shared))" in text
    wb = load_workbook(path)
    shares = dict(zip(column(wb["Departments_sharing"], "Department"), column(wb["Departments_sharing"], "Including shared money (£ million, cash)")))
    assert shares == {"X": 15 * M, "Y": 10 * M}
    assert "add up to £25.0m, more than the total of £15.0m" in wb["Departments_sharing"]["A2"].value
    assert "Of this, £10.0m is shared between departments" in " ".join(sentences(path)["Cover"])


def test_no_sharing_is_said_when_there_is_none(tmp_path):
    text = small_workbook(tmp_path, theme="b")
    assert "No money here is shared between departments." in text["Totals_by_department"]
    assert "Of this" not in " ".join(text["Cover"])


@pytest.mark.parametrize(
    "filters, message",
    [
        pytest.param(dict(theme="b", department="Y"), "departments with b commitments: X", id="theme-and-department"),
        pytest.param(dict(years=("2030-31", "2031-32")), "financial years with money: 2022-23 to 2023-24", id="years"),
        pytest.param(dict(theme="b", basis="real"), "theme b has none", id="real-with-no-years"),
    ],
)
def test_empty_filters_are_refused(filters, message):
    with pytest.raises(FilterError, match=re.escape(message)):
        check_filters(small_tables(), **filters)


def test_the_cover_says_what_the_total_rests_on_and_names_an_implausible_document(tmp_path):
    tables = small_tables()
    tables["commitments"].loc[0, ["amount_gbp", "total_gbp"]] = [150_000 * M, 150_000 * M]  # £150bn in one document
    tables["mentions"]["certainty"] = [0.6, 0.99]
    path = tmp_path / "w.xlsx"
    export_workbook(tables, SOURCES, path, themes=THEMES)
    cover = sentences(path)["Cover"]
    assert "£150,000.0m of it rests on 1 figure whose role is less than 0.7 certain (funding review lists them first)." in cover  # the workbook's £ million
    assert any(line.startswith("Check before sending: s counts £150,005.0m") for line in cover if line)


def test_a_cover_with_nothing_uncertain_says_nothing_about_it(tmp_path):
    tables = small_tables()
    tables["mentions"]["certainty"] = [0.99, 0.99]
    path = tmp_path / "w.xlsx"
    export_workbook(tables, SOURCES, path, themes=THEMES)
    assert not any("rests on" in line or "Check before sending" in line for line in sentences(path)["Cover"] if line)
