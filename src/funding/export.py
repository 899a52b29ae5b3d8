"""Write the clean tables to an Excel workbook that meets the government guidance for spreadsheets.

Following "Releasing statistics in spreadsheets" (Analysis Function and GSS): a cover sheet,
a table of contents that links to every sheet, a Notes sheet, then one marked-up Excel table
per sheet with its title in A1 and a description in A2; units in the headers; numbers stored
as numbers with one format per column; ``[x]`` (not available) and ``[z]`` (not applicable)
for empty cells; no merged cells, blank rows, formulas or links out of the data; the
document's title and language set.

No text from a document, a review file or a parameter can become a formula or a link: every
text cell is written as an inline string, whatever it starts with. The workbook is written
in openpyxl's write-only mode, so memory stays flat however many rows there are, and tables
are still marked up because their columns are given explicitly.

The totals come from ``funding.totals.totals``, the same calls as the reports and notebooks.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from funding.totals import filter_tables, totals

__all__ = ["Sheet", "Column", "export_workbook", "export_frame", "NOT_AVAILABLE", "NOT_APPLICABLE"]

NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"
POUNDS = "#,##0"
COUNT = "#,##0"
TEXT = "@"


@dataclass(frozen=True)
class Column:
    """One column of a sheet's table: header (with units), where the values come from, format."""

    header: str
    source: str
    number_format: str = ""  # "" for text
    missing: str = NOT_AVAILABLE  # shorthand for an empty cell
    width: int = 0  # 0: from the header and the values


@dataclass(frozen=True)
class Sheet:
    name: str  # sheet name and, with underscores, table name
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: pd.DataFrame


def _text(ws, value: str, bold: bool = False, size: int | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if bold or size:
        cell.font = Font(bold=bold, size=size or 11)
    return cell


def _converter(ws, column: Column):
    """A fast function from a value to what ``ws.append`` takes, for one column.

    Per-cell work dominates large sheets, so the common cases stay cheap: text goes in as a
    plain string (openpyxl makes a formula only of text starting with "=", and those get a
    cell forced to text), and numbers share one style object per column instead of looking
    their number format up cell by cell.
    """
    missing = column.missing
    if column.number_format:
        prototype = WriteOnlyCell(ws, value=0)
        prototype.number_format = column.number_format
        style = prototype._style

        def number(value):
            if value is None or value == "" or (isinstance(value, float) and value != value):
                return missing
            try:
                number = float(value)
            except (TypeError, ValueError):
                return _text(ws, str(value))
            cell = WriteOnlyCell(ws, value=int(number) if number.is_integer() else number)
            cell._style = style
            return cell

        return number

    def text(value):
        if value is None or value == "" or (isinstance(value, float) and value != value):
            return missing
        if isinstance(value, bool):
            return "Yes" if value else "No"
        value = str(value)
        return _text(ws, value) if value.startswith("=") else value

    return text


def _widths(sheet: Sheet) -> list[int]:
    widths = []
    sample = sheet.rows.head(200)
    for column in sheet.columns:
        if column.width:
            widths.append(column.width)
            continue
        longest = max([len(column.header)] + [len(str(v)) for v in sample[column.source]] if column.source in sample else [len(column.header)])
        widths.append(max(10, min(60, longest + 2)))
    return widths


def _write_table_sheet(wb: Workbook, sheet: Sheet, notes_above: Sequence[str] = ()) -> None:
    ws = wb.create_sheet(sheet.name)
    for index, width in enumerate(_widths(sheet), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.append([_text(ws, sheet.title, bold=True, size=14)])
    ws.append([_text(ws, sheet.description)])
    for note in notes_above:
        ws.append([_text(ws, note)])
    header_row = 3 + len(notes_above)
    ws.append([_text(ws, c.header, bold=True) for c in sheet.columns])
    values = [sheet.rows[c.source].tolist() if c.source in sheet.rows else [None] * len(sheet.rows) for c in sheet.columns]
    converters = [_converter(ws, c) for c in sheet.columns]
    for row in zip(*values):
        ws.append([convert(v) for convert, v in zip(converters, row)])
    last_row = header_row + max(len(sheet.rows), 1)
    if sheet.rows.empty:  # a table needs a data row: say there is nothing
        ws.append([_text(ws, NOT_APPLICABLE) for _ in sheet.columns])
    ref = f"A{header_row}:{get_column_letter(len(sheet.columns))}{last_row}"
    table = Table(displayName=sheet.name.replace(" ", "_"), ref=ref)
    table.tableColumns = [TableColumn(id=i, name=c.header) for i, c in enumerate(sheet.columns, start=1)]
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    table.autoFilter = None  # filters hide rows from screen readers' row counts
    _add_table(ws, table)


def _add_table(ws, table: Table) -> None:
    # openpyxl warns in write-only mode whatever happens, reminding that columns must be
    # given by hand; they are (tableColumns above), so the reminder is silenced here only.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="In write-only mode you must add table columns manually")
        ws.add_table(table)


def _write_text_sheet(wb: Workbook, name: str, title: str, lines: Iterable[str]) -> None:
    ws = wb.create_sheet(name)
    ws.column_dimensions["A"].width = 120
    ws.append([_text(ws, title, bold=True, size=16)])
    for line in lines:
        cell = _text(ws, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")  # long lines readable without scrolling
        ws.append([cell])


def _contents(wb: Workbook, sheets: Sequence[Sheet]) -> None:
    ws = wb.create_sheet("Table_of_contents")
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 100
    ws.append([_text(ws, "Table of contents", bold=True, size=14)])
    ws.append([_text(ws, "This worksheet contains one table, with a link to every other sheet.")])
    ws.append([_text(ws, "Sheet name", bold=True), _text(ws, "Sheet title", bold=True)])
    entries = [("Notes", "Notes used in this workbook")] + [(s.name, s.title) for s in sheets]
    for name, title in entries:
        link = _text(ws, name)
        link.hyperlink = Hyperlink(ref="", location=f"'{name}'!A1", display=name)
        link.font = Font(color="0000FF", underline="single")
        ws.append([link, _text(ws, title)])
    table = Table(displayName="Contents", ref=f"A3:B{3 + len(entries)}")
    table.tableColumns = [TableColumn(id=1, name="Sheet name"), TableColumn(id=2, name="Sheet title")]
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    table.autoFilter = None
    _add_table(ws, table)


def export_workbook(
    tables: dict[str, pd.DataFrame],
    sources: pd.DataFrame,
    path: Path,
    *,
    theme: str | None = None,
    department: str | None = None,
    years: tuple[str, str] | None = None,
    basis: str = "cash",
    base_year: str = "2024-25",
    deflators: tuple[dict[str, float], str] | None = None,
    produced: dt.datetime | None = None,
    data_version: str = "",
    themes: dict[str, str] | None = None,
) -> list[str]:
    """Write the workbook to ``path``; return its sheet names. Filters narrow every sheet."""
    produced = produced or dt.datetime.now().replace(microsecond=0)
    themes = themes or {}
    filtered = filter_tables(tables, theme, department)
    commitments = filtered["commitments"]

    real = basis == "real"
    money = f"(£, {'real terms, ' + base_year + ' prices' if real else 'cash'})"
    options = dict(basis=basis, base_year=base_year, deflators=deflators, years=years)
    by_theme = totals(filtered, by="theme", **options)
    by_department = totals(filtered, by="department", **options)
    by_year = totals(filtered, by="financial_year", **options)
    amount_column = next(c for c in by_theme.columns if c.startswith("amount_gbp"))
    by_theme = by_theme.assign(theme_name=by_theme["theme"].map(lambda t: themes.get(t, t)))

    coverage = ", ".join(filter(None, [f"theme {themes.get(theme, theme)}" if theme else "", f"department {department}" if department else ""])) or "all themes and departments"
    period = f"financial years {years[0]} to {years[1]}" if years else "all financial years"
    statement = by_year.attrs["statement"]

    packages = filtered["packages"]
    components = commitments[commitments["parent_id"] != ""]

    sheets = [
        Sheet("Totals_by_theme", f"Money committed by theme, {coverage}, {period}",
              f"Totals that count each commitment once. {statement}",
              (Column("Theme", "theme_name"), Column("Theme code", "theme"),
               Column(f"Amount {money}", amount_column, POUNDS), Column("Number of commitments", "n_commitments", COUNT)),
              by_theme),
        Sheet("Totals_by_department", f"Money committed by department, {coverage}, {period}",
              "Departments as at each document's date; a commitment shared by departments is its own row (for example DfE;DHSC).",
              (Column("Department", "department"), Column(f"Amount {money}", amount_column, POUNDS),
               Column("Number of commitments", "n_commitments", COUNT)),
              by_department),
        Sheet("Totals_by_year", f"Money committed by financial year, {coverage}, {period}",
              "Commitments phased over their financial years (single year, even split or per-year rate); commitments with unknown years are left out [note 2].",
              (Column("Financial year", "financial_year"), Column(f"Amount {money}", amount_column, POUNDS),
               Column("Number of commitments", "n_commitments", COUNT)),
              by_year),
        Sheet("Commitments", f"Commitments, {coverage}", "One row per commitment, with the sentence it was first stated in [note 1].",
              (Column("Commitment ID", "commitment_id"), Column("Amount (£)", "amount_gbp", POUNDS),
               Column("Total over its period (£)", "total_gbp", POUNDS), Column("Qualifier", "qualifier", missing=NOT_APPLICABLE),
               Column("Rate", "rate"), Column("What it is for", "label"), Column("Department", "department"), Column("Programme", "programme"),
               Column("Theme", "theme"), Column("First financial year", "fy_start"), Column("Last financial year", "fy_end"),
               Column("Number of years", "n_years", COUNT), Column("Part of package (commitment ID)", "parent_id", missing=NOT_APPLICABLE),
               Column("Counted in totals", "counted"), Column("Why counted or not", "count_note"), Column("Source", "source_id"),
               Column("Quote", "quote", width=80), Column("Decided by review", "reviewed")),
              commitments),
        Sheet("Packages", f"Packages and whether their components add up, {coverage}",
              "Each commitment that has components; a package is counted through its components when they add up (within 1% for rounding), otherwise whole.",
              (Column("Package (commitment ID)", "package_id"), Column("Package amount (£)", "amount_gbp", POUNDS),
               Column("Number of components", "n_components", COUNT), Column("Components added up (£)", "components_gbp", POUNDS),
               Column("Difference (£)", "difference_gbp", POUNDS), Column("Status", "status"), Column("Counted as", "counted_as")),
              packages),
        Sheet("Components", f"Components of packages, {coverage}", "Each commitment that is part of a package, with the package it belongs to.",
              (Column("Commitment ID", "commitment_id"), Column("Package (commitment ID)", "parent_id"), Column("Amount (£)", "amount_gbp", POUNDS),
               Column("What it is for", "label"), Column("Theme", "theme"), Column("Counted in totals", "counted"), Column("Quote", "quote", width=80)),
              components),
        Sheet("Mentions", "Every money mention, with context figures and why they were set aside",
              "One row per money mention in the documents; context figures are not commitments and are never in totals.",
              (Column("Mention ID", "mention_id"), Column("Source", "source_id"), Column("Line", "line", COUNT),
               Column("Figure as written", "text"), Column("Amount (£)", "amount_gbp", POUNDS),
               Column("Role", "role"), Column("Why context", "context_reason", missing=NOT_APPLICABLE),
               Column("Commitment ID", "commitment_id", missing=NOT_APPLICABLE), Column("Sentence", "sentence", width=80)),
              filtered["mentions"]),
        Sheet("Sources", "Source documents", "The documents the figures come from, with their publication dates.",
              (Column("Source", "source_id"), Column("Title", "title", width=60), Column("Publisher", "publisher"),
               Column("Published from", "published_from"), Column("Published to", "published_to"),
               Column("Date estimated", "date_estimated"), Column("How the date was found", "date_basis", width=60),
               Column("Licence", "licence")),
              sources),
    ]

    wb = Workbook(write_only=True)
    wb.properties.title = f"Money committed in UK government documents: {coverage}, {period}"
    wb.properties.language = "en-GB"
    wb.properties.creator = "funding"
    source_lines = [f"- {r.title} ({r.publisher}), published {r.published_from}" + (f" to {r.published_to} (estimated)" if r.date_estimated == "true" else "")
                    for r in sources.itertuples()]
    _write_text_sheet(wb, "Cover", wb.properties.title, [
        "This workbook holds the money committed in the source documents below, as tidy tables: totals by theme, department and financial year, every commitment with its quote, packages and their components, and every money mention including the context figures that were set aside.",
        "Source documents:", *source_lines,
        f"Produced: {produced.isoformat(sep=' ')}, from clean tables version {data_version or '[x]'}.",
        f"Price basis: {by_theme.attrs['basis']}.",
        "How double counting was avoided: restated money is counted once; a package is counted through its components when they add up, otherwise whole, never both; money included in a later total is not counted again; context figures (statistics, baselines, cuts, spending power) are never counted.",
        f"Shorthand: {NOT_AVAILABLE} = not available; {NOT_APPLICABLE} = not applicable.",
        "Key caveats: figures are as stated in the documents (cash unless the price basis says otherwise); periods and departments the text does not state were decided in a review file, each with a reason; commitments with unknown years are not in the totals by year.",
        "Contact: [add a contact name and email address]",
    ])
    _contents(wb, sheets)
    notes = pd.DataFrame({
        "number": ["note 1", "note 2", "note 3"],
        "text": [
            "Quotes are the sentence a commitment was first stated in, with Markdown removed; text that would start a formula is stored as plain text.",
            "Totals by year use commitments whose financial years are known; " + statement,
            "Departments are abbreviations in force at each document's date (for example MHCLG became DLUHC in September 2021).",
        ],
    })
    _write_table_sheet(wb, Sheet("Notes", "Notes", "Notes referred to in this workbook as [note N].",
                                 (Column("Note number", "number"), Column("Note text", "text", width=120)), notes))
    for sheet in sheets:
        _write_table_sheet(wb, sheet)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)
    return ["Cover", "Table_of_contents", "Notes"] + [s.name for s in sheets]


def export_frame(frame: pd.DataFrame, path: Path, *, title: str, description: str, source: str = "") -> Path:
    """Write one table (as a notebook shows it) to a workbook that meets the same guidance.

    Numeric columns keep their numbers with a thousands format; everything else is text.
    """
    def safe(column: object) -> str:
        return re.sub(r"[^A-Za-z0-9_]+", "_", str(column)).strip("_") or "column"

    frame = frame.reset_index(drop=True).rename(columns={c: safe(c) for c in frame.columns})
    columns = tuple(
        Column(str(c).replace("_", " "), c, POUNDS if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]) else "")
        for c in frame.columns
    )
    wb = Workbook(write_only=True)
    wb.properties.title, wb.properties.language, wb.properties.creator = title, "en-GB", "funding"
    _write_text_sheet(wb, "Cover", title, [description, f"Source: {source or 'funding clean tables'}",
                                            f"Produced: {dt.datetime.now().replace(microsecond=0).isoformat(sep=' ')}",
                                            f"Shorthand: {NOT_AVAILABLE} = not available; {NOT_APPLICABLE} = not applicable.",
                                            "Contact: [add a contact name and email address]"])
    sheet = Sheet("Data", title, description, columns, frame)
    _contents(wb, [sheet])
    _write_table_sheet(wb, Sheet("Notes", "Notes", "Notes for this workbook.", (Column("Note number", "n"), Column("Note text", "t", width=100)),
                                 pd.DataFrame({"n": ["note 1"], "t": ["Figures as computed by the funding library from the clean tables."]})))
    _write_table_sheet(wb, sheet)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
