"""Write the clean tables to an Excel workbook a reader can brief from, following the government guidance.

Following "Releasing statistics in spreadsheets" (Analysis Function and GSS): a cover sheet
with the headline total, a table of contents that links to every sheet, a Notes sheet, then one
marked-up Excel table per sheet with its title in A1, a one-line description in A2 and its
caveats in column A above the table; units in the headers; numbers stored as numbers with one
format per column; ``[x]`` (not available) and ``[z]`` (not applicable) for empty cells; no
merged cells, blank rows, formulas or links out of the data; the document's title and language
set.

Briefing rules:

- Money cells keep exact pounds (real-terms values rounded to whole pounds) and show £m with
  one decimal (``£695.0m``); a column holding an amount under £50,000 shows whole pounds
  instead, so no amount reads as £0.0m.
- Things are named, not coded: themes by their names in themes.csv, commitments and packages by
  what they are for (label, else programme), with their ids kept in a column of their own.
- Every sentence about numbers is computed for its sheet and filter (see ``_Scope``): what a
  total includes, what it leaves out (money with no known years cannot be phased or deflated),
  and the money departments share, which each of them counts.
- Every sheet prints on A4 landscape, fitted to the page width, with the table's header row
  repeated on each page; text rows are given the height their wrapped lines need.

No text from a document, a review file or a parameter can become a formula or a link: every
text cell is written as an inline string, whatever it starts with. The workbook is written
in openpyxl's write-only mode, so memory stays flat however many rows there are, and tables
are still marked up because their columns are given explicitly.

The totals come from ``funding.totals``, the same calls as the reports and notebooks.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from funding.describe import department_name, join_words, plural, what_for
from funding.years import parse_fy_label
from funding.totals import departments_in, filter_tables, filter_years, totals, unphased, what_it_rests_on

__all__ = ["Sheet", "Column", "FilterError", "check_filters", "export_workbook", "export_frame", "headline_total",
           "NOT_AVAILABLE", "NOT_APPLICABLE", "MILLIONS", "POUNDS", "MONEY"]

NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"
MILLIONS = '£#,##0.0,,"m";-£#,##0.0,,"m"'  # the cell keeps pounds; it shows £695.0m
POUNDS = "£#,##0;-£#,##0"
MONEY = "money"  # a column format chosen from its values: MILLIONS, or POUNDS when an amount is small
SMALL = 50_000  # shown as £0.0m in millions, so a column holding such an amount shows pounds
COUNT = "#,##0"
NUMBER = "#,##0"
TEXT = "@"
LINE_HEIGHT = 15  # points per line of 11-point text
PRINT_WIDTH = 150  # column-width units a landscape page is fitted to when text is wider than the table


@dataclass(frozen=True)
class Column:
    """One column of a sheet's table: header (with units; "{unit}" for money), source column, format."""

    header: str
    source: str
    number_format: str = ""  # "" for text; MONEY for pounds shown as £m
    missing: str = NOT_AVAILABLE  # shorthand for an empty cell
    width: int = 0  # 0: from the header and the values
    wrap: bool = False  # long text wraps within the width; the row grows to fit


@dataclass(frozen=True)
class Sheet:
    name: str  # sheet name and, with underscores, table name
    title: str
    description: str  # one line, in A2
    columns: tuple[Column, ...]
    rows: pd.DataFrame
    notes: tuple[str, ...] = ()  # caveats, one sentence a row, above the table


def _text(ws, value: str, bold: bool = False, size: int | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if bold or size:
        cell.font = Font(bold=bold, size=size or 11)
    return cell


def _header(ws, value: str) -> WriteOnlyCell:
    cell = _text(ws, value, bold=True)
    cell.alignment = Alignment(wrap_text=True, vertical="top")  # long headers wrap over narrow numbers
    return cell


def _is_missing(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)


def _money_format(values: Iterable) -> str:
    """MILLIONS, unless an amount in the column would show as £0.0m: then exact POUNDS."""
    for value in values:
        try:
            number = abs(float(value))
        except (TypeError, ValueError):
            continue
        if 0 < number < SMALL:
            return POUNDS
    return MILLIONS


def _resolve(column: Column, rows: pd.DataFrame) -> Column:
    """The column with its money format chosen and "{unit}" in its header filled."""
    if column.number_format != MONEY:
        return column
    values = rows[column.source] if column.source in rows else ()
    number_format = _money_format(values)
    unit = "£ million" if number_format == MILLIONS else "£"
    return Column(column.header.replace("{unit}", unit), column.source, number_format, column.missing, column.width, column.wrap)


def _style(ws, number_format: str = "", wrap: bool = False, top: bool = False):
    """One shared style object for a column's cells (looking a format up per cell is slow)."""
    prototype = WriteOnlyCell(ws, value=0)
    if number_format:
        prototype.number_format = number_format
    if wrap or top:
        prototype.alignment = Alignment(wrap_text=wrap or None, vertical="top")
    return prototype._style


def _converter(ws, column: Column, top: bool = False):
    """A fast function from a value to what ``ws.append`` takes, for one column.

    Per-cell work dominates large sheets, so the common cases stay cheap: text goes in as a
    plain string (openpyxl makes a formula only of text starting with "=", and those get a
    cell forced to text), and numbers share one style object per column instead of looking
    their number format up cell by cell. Money is rounded to whole pounds. ``top`` aligns
    every cell to the top, for sheets whose wrapped text makes rows tall.
    """
    missing = column.missing
    plain = not (top or column.wrap)
    text_style = _style(ws, wrap=column.wrap, top=top)

    def as_text(value: str):
        if plain and not value.startswith("="):
            return value
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if not plain:
            cell._style = text_style
        return cell

    if column.number_format:
        style = _style(ws, column.number_format, top=top)
        money = column.number_format in (MILLIONS, POUNDS)

        def number(value):
            if _is_missing(value):
                return as_text(missing)
            try:
                number = float(value)
            except (TypeError, ValueError):
                return as_text(str(value))
            if money:
                number = float(round(number))
            cell = WriteOnlyCell(ws, value=int(number) if number.is_integer() else number)
            cell._style = style
            return cell

        return number

    def text(value):
        if _is_missing(value):
            return as_text(missing)
        if isinstance(value, bool):
            return as_text("Yes" if value else "No")
        return as_text(str(value))

    return text


def _widths(sheet: Sheet) -> list[int]:
    widths = []
    sample = sheet.rows.head(200)
    for column in sheet.columns:
        if column.width:
            widths.append(column.width)
            continue
        values = [str(v) for v in sample[column.source]] if column.source in sample else []
        if column.number_format in (MILLIONS, POUNDS):
            values = [f"£{float(v):,.0f}" if column.number_format == POUNDS else "£00,000.0m" for v in values]
        # Headers wrap (to three lines at most), so the values set the width.
        longest = max([math.ceil(len(column.header) / 3), max((len(w) for w in column.header.split()), default=0)] + [len(v) for v in values])
        money = column.number_format in (MILLIONS, POUNDS)
        widths.append(max(15 if money else 9, min(45, longest + 2)))  # money headers wrap in two lines, not four
    return widths


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (a slight overestimate)."""
    return max(1, sum(math.ceil(max(len(part), 1) / max(width - 1, 1)) for part in str(text).split("\n")))


def _print_setup(ws, title_rows: str | None = None) -> None:
    """A4 landscape, fitted to the page width (any number of pages tall), header rows repeated."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    if title_rows:
        ws.print_title_rows = title_rows


def _write_table_sheet(wb: Workbook, sheet: Sheet, notes_above: Sequence[str] = ()) -> None:
    columns = [_resolve(c, sheet.rows) for c in sheet.columns]
    sheet = Sheet(sheet.name, sheet.title, sheet.description, tuple(columns), sheet.rows, sheet.notes + tuple(notes_above))
    ws = wb.create_sheet(sheet.name)
    widths = _widths(sheet)
    above = [sheet.title, sheet.description, *sheet.notes]
    # Text above the table does not wrap (column A is the table's); the printed width covers it.
    text_width = max([len(sheet.title) * 1.4] + [len(line) * 1.05 for line in above[1:]])
    extra = []
    while sum(widths) + sum(extra) < min(text_width, PRINT_WIDTH):
        extra.append(12)
    for index, width in enumerate(widths + extra, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    header_row = len(above) + 1
    _print_setup(ws, f"{header_row}:{header_row}")  # before the first row: write-only mode writes the sheet's head with it
    ws.append([_text(ws, sheet.title, bold=True, size=14)])
    for line in above[1:]:
        ws.append([_text(ws, line)])
    ws.row_dimensions[header_row].height = LINE_HEIGHT * max(_lines(c.header, w) for c, w in zip(columns, widths))
    ws.append([_header(ws, c.header) for c in columns])
    values = [sheet.rows[c.source].tolist() if c.source in sheet.rows else [None] * len(sheet.rows) for c in columns]
    wrapping = [(i, widths[i]) for i, c in enumerate(columns) if c.wrap]
    converters = [_converter(ws, c, top=bool(wrapping)) for c in columns]
    for number, row in enumerate(zip(*values), start=header_row + 1):
        if wrapping:
            lines = max(_lines(row[i], width) if not _is_missing(row[i]) else 1 for i, width in wrapping)
            if lines > 1:
                ws.row_dimensions[number].height = LINE_HEIGHT * lines
        ws.append([convert(v) for convert, v in zip(converters, row)])
    last_row = header_row + max(len(sheet.rows), 1)
    if sheet.rows.empty:  # a table needs a data row: say there is nothing
        ws.append([_text(ws, NOT_APPLICABLE) for _ in columns])
    ref = f"A{header_row}:{get_column_letter(len(columns))}{last_row}"
    table = Table(displayName=sheet.name.replace(" ", "_"), ref=ref)
    table.tableColumns = [TableColumn(id=i, name=c.header) for i, c in enumerate(columns, start=1)]
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    table.autoFilter = None  # filters hide rows from screen readers' row counts
    _add_table(ws, table)
    ws.print_area = f"A1:{get_column_letter(len(widths) + len(extra))}{last_row}"


def _add_table(ws, table: Table) -> None:
    # openpyxl warns in write-only mode whatever happens, reminding that columns must be
    # given by hand; they are (tableColumns above), so the reminder is silenced here only.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="In write-only mode you must add table columns manually")
        ws.add_table(table)


def _write_text_sheet(wb: Workbook, name: str, title: str, lines: Iterable[str], width: int = 110, headline: bool = False) -> None:
    """A sheet of text in column A, each line wrapped, each row as tall as its lines; ``headline``: the first line in bold."""
    ws = wb.create_sheet(name)
    ws.column_dimensions["A"].width = width
    _print_setup(ws)
    ws.row_dimensions[1].height = 22 * _lines(title, width / 1.5)
    heading = _text(ws, title, bold=True, size=16)
    heading.alignment = Alignment(wrap_text=True, vertical="top")  # a title wider than the page would shrink it
    ws.append([heading])
    prototype = WriteOnlyCell(ws, value="")
    prototype.alignment = Alignment(wrap_text=True, vertical="top")  # long lines readable without scrolling
    style = prototype._style
    for number, line in enumerate(lines, start=2):
        ws.row_dimensions[number].height = LINE_HEIGHT * _lines(line, width) + 3
        cell = _text(ws, line)
        if headline and number == 2:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(bold=True, size=13)
            ws.row_dimensions[number].height = 20 * _lines(line, width / 1.2) + 3
        else:
            cell._style = style  # shared: changing its font would change every line's
        ws.append([cell])


def _contents(wb: Workbook, sheets: Sequence[Sheet]) -> None:
    ws = wb.create_sheet("Table_of_contents")
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 100
    _print_setup(ws, "3:3")
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


class FilterError(ValueError):
    """A filter that leaves nothing to show; the message names what there is."""


def _m(amount: float) -> str:
    """Pounds as £m with one decimal: 695000000 -> '£695.0m'."""
    return f"{'-' if amount < 0 else ''}£{abs(amount) / 1e6:,.1f}m"


def _join(items: Sequence[str]) -> str:
    return join_words(list(items))


def _commitments(n: int) -> str:
    return plural(n, "commitment")


def _year_span(phased: pd.DataFrame) -> str:
    years = sorted(set(phased["financial_year"]), key=parse_fy_label)
    return f"{years[0]} to {years[-1]}" if years else "none"


def check_filters(tables: dict[str, pd.DataFrame], theme: str | None = None, department: str | None = None,
                  years: tuple[str, str] | None = None, basis: str = "cash") -> None:
    """Raise FilterError when the filters leave no money to show, naming what there is instead.

    ``theme`` and ``department`` must already be names in the data (see ``departments_in``).
    """
    commitments = tables["commitments"]
    narrowed = filter_tables(tables, theme, department)
    if narrowed["commitments"].empty:
        if theme:
            others = departments_in(commitments[commitments["theme"] == theme])
            raise FilterError(f"no commitments of theme {theme} belong to department {department}; "
                              f"departments with {theme} commitments: {', '.join(others)}")
        raise FilterError("there are no commitments to export")
    phased = narrowed["commitment_years"]
    what = " and ".join(filter(None, [f"theme {theme}" if theme else "", f"department {department}" if department else ""])) or "all themes and departments"
    if years is not None:
        first, last = (parse_fy_label(y) for y in years)
        start = phased["financial_year"].map(parse_fy_label)
        if not ((start >= first) & (start <= last)).any():
            raise FilterError(f"no money of {what} is phased into {years[0]} to {years[1]}; "
                              f"financial years with money: {_year_span(phased)}")
    if basis == "real" and phased[phased["counted"]].empty:
        raise FilterError(f"real terms need money with known financial years, and {what} has none; use --basis cash")


def headline_total(tables: dict[str, pd.DataFrame], **options) -> float:
    """The total committed, counted once: the sum of ``funding.totals.totals`` (any grouping gives it)."""
    by_theme = totals(tables, by="theme", **options)
    return float(by_theme[by_theme.columns[1]].sum())


@dataclass
class _Scope:
    """What one workbook covers, and the facts its sentences are computed from."""

    tables: dict[str, pd.DataFrame]  # narrowed by theme and department
    narrowed: dict[str, pd.DataFrame]  # and by years
    theme: str | None
    department: str | None
    years: tuple[str, str] | None
    basis: str
    base_year: str
    deflators: tuple[dict[str, float], str] | None
    themes: dict[str, str]
    names: dict[str, str] = field(default_factory=dict)  # commitment_id -> what it is for

    @property
    def options(self) -> dict:
        return dict(basis=self.basis, base_year=self.base_year, deflators=self.deflators, years=self.years)

    @property
    def phased(self) -> bool:
        """Totals use phased years only (real terms or a years filter): money with no known years is out."""
        return self.basis == "real" or self.years is not None

    def totals(self, by: str) -> pd.DataFrame:
        return totals(self.narrowed, by=by, **self.options)

    @property
    def unphased(self) -> pd.DataFrame:
        return unphased(self.tables)

    def theme_name(self, theme: str) -> str:
        return self.themes.get(theme, theme) or NOT_AVAILABLE

    @property
    def coverage(self) -> str:
        parts = [f"theme {self.theme_name(self.theme)}" if self.theme else "", f"department {self.department}" if self.department else ""]
        return ", ".join(filter(None, parts)) or "all themes and departments"

    @property
    def period(self) -> str:
        if self.years:
            return f"financial years {self.years[0]} to {self.years[1]}"
        if self.phased:
            return f"financial years {_year_span(self.tables['commitment_years'])} (money with known years only)"
        return "all financial years"

    @property
    def rows_in(self) -> str:
        """Coverage of the sheets of rows (commitments, mentions): every year unless --years narrows them."""
        return self.coverage + (f", financial years {self.years[0]} to {self.years[1]}" if self.years else "")

    @property
    def money(self) -> str:
        return "{unit}, " + (f"real terms, {self.base_year} prices" if self.basis == "real" else "cash")


def _name_commitments(commitments: pd.DataFrame, themes: dict[str, str]) -> dict[str, str]:
    """Each commitment named by what it is for: its label, else its programme, else amount and theme."""
    return {
        row["commitment_id"]: what_for(row, otherwise=f"{_m(row['amount_gbp'])} commitment, {themes.get(row['theme'], row['theme']) or 'no theme'}")
        for row in commitments.to_dict("records")
    }


def _left_out_notes(scope: _Scope, phased: bool | None = None) -> list[str]:
    """Sentences on the money with no known years: included in cash totals, left out of phased ones."""
    phased = scope.phased if phased is None else phased
    missing = scope.unphased
    if missing.empty:
        return ["All the money counted here has known financial years."] if phased else []
    amount = missing["total_gbp"].sum()
    if not phased:
        return [f"These totals include {_commitments(len(missing))} ({_m(amount)}) with no known financial years "
                "[note 2]."]
    lines = [f"{_commitments(len(missing))} ({_m(amount)}) with no known financial years cannot be "
             f"{'deflated' if scope.basis == 'real' else 'placed in years'} and {'is' if len(missing) == 1 else 'are'} left out [note 2]."]
    cash = scope.tables["commitments"]
    cash = cash[cash["counted"]].groupby("theme")["total_gbp"].sum()
    for theme, left in missing.groupby("theme")["total_gbp"].sum().items():
        if left >= cash.get(theme, 0):
            lines.append(f"{scope.theme_name(theme)} is not in these totals: none of its money has known years.")
        else:
            lines.append(f"{scope.theme_name(theme)}: {_m(left)} with no known years is left out.")
    return lines


def _basis_notes(scope: _Scope) -> list[str]:
    lines = []
    if scope.years:
        lines.append(f"Only the part of each commitment phased into {scope.years[0]} to {scope.years[1]} is counted.")
    if scope.basis == "real":
        lines.append(f"Real terms: each year's money at {scope.base_year} prices ({scope.deflators[1]}).")
    return lines


def _theme_sheet(scope: _Scope) -> Sheet:
    frame = scope.totals("theme")
    amount = frame.columns[1]
    frame = frame.assign(theme_name=frame["theme"].map(scope.theme_name))
    return Sheet("Totals_by_theme", f"Money committed by theme, {scope.coverage}, {scope.period}",
                 f"Each commitment counted once; the themes add up to the total of {_m(frame[amount].sum())}.",
                 (Column("Theme", "theme_name", width=40), Column(f"Amount ({scope.money})", amount, MONEY),
                  Column("Number of commitments", "n_commitments", COUNT), Column("Theme code", "theme")),
                 frame, tuple(_basis_notes(scope) + _left_out_notes(scope)))


def _department_label(group: str) -> str:
    return department_name(group) if group else NOT_AVAILABLE


def _shared_notes(frame: pd.DataFrame, amount: str) -> list[str]:
    shared = frame[frame["department"].str.contains(";")]
    if shared.empty:
        return ["No money here is shared between departments."]
    example = _department_label(shared["department"].iloc[0])
    return [f"{_m(shared[amount].sum())} is shared between departments (rows such as {example}); it is not split between them.",
            "The sheet Departments_sharing gives each department's total with the money it shares; those add up to more than the total."]


def _department_sheet(scope: _Scope) -> Sheet:
    frame = scope.totals("department")
    amount = frame.columns[1]
    frame = frame.assign(label=frame["department"].map(_department_label))
    return Sheet("Totals_by_department", f"Money committed by department, {scope.coverage}, {scope.period}",
                 f"Each commitment counted once, under the departments it is recorded for; the rows add up to {_m(frame[amount].sum())}.",
                 (Column("Department", "label", width=28), Column(f"Amount ({scope.money})", amount, MONEY),
                  Column("Number of commitments", "n_commitments", COUNT), Column("Departments as recorded", "department")),
                 frame, tuple(_basis_notes(scope) + _shared_notes(frame, amount) + _left_out_notes(scope)
                              + ["Departments are abbreviations in force at each document's date [note 3]."]))


def department_shares(scope: _Scope) -> pd.DataFrame:
    """Each department's money on its own, shared with others, and both together (from ``totals``)."""
    rows = []
    for department in departments_in(scope.narrowed["commitments"][scope.narrowed["commitments"]["counted"]]):
        groups = totals(filter_tables(scope.narrowed, department=department), by="department", **scope.options)
        amount = groups.columns[1]
        own = groups.loc[groups["department"] == department, amount].sum()
        partners = sorted({d for g in groups["department"] for d in g.split(";")} - {department})
        rows.append({"department": department, "own": own, "shared": groups[amount].sum() - own,
                     "including": groups[amount].sum(), "partners": ", ".join(partners)})
    frame = pd.DataFrame(rows, columns=["department", "own", "shared", "including", "partners"])
    return frame.sort_values(["including", "department"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _shares_sheet(scope: _Scope, total: float) -> Sheet:
    frame = department_shares(scope)
    added = frame["including"].sum()
    if round(added) > round(total):
        description = (f"Shared money is counted under every department that shares it, so these totals add up to "
                       f"{_m(added)}, more than the total of {_m(total)}.")
    else:
        description = f"No money here is shared between departments: these totals add up to the total of {_m(total)}."
    money = scope.money
    return Sheet("Departments_sharing", f"Money of each department including what it shares, {scope.coverage}, {scope.period}",
                 description,
                 (Column("Department", "department"), Column(f"Its own money ({money})", "own", MONEY),
                  Column(f"Money it shares ({money})", "shared", MONEY), Column(f"Including shared money ({money})", "including", MONEY),
                  Column("Shares with", "partners", missing=NOT_APPLICABLE, width=24)),
                 frame, ("Shared money is money a document gives to several departments together, without saying how it is split.",))


def _year_sheet(scope: _Scope) -> Sheet:
    frame = scope.totals("financial_year")
    amount = frame.columns[1]
    return Sheet("Totals_by_year", f"Money committed by financial year, {scope.coverage}, {scope.period}",
                 f"Commitments phased over their financial years (single year, even split or per-year rate); they add up to {_m(frame[amount].sum())}.",
                 (Column("Financial year", "financial_year"), Column(f"Amount ({scope.money})", amount, MONEY),
                  Column("Number of commitments", "n_commitments", COUNT)),
                 frame, tuple(_basis_notes(scope) + _left_out_notes(scope, phased=True)))


def _with_names(frame: pd.DataFrame, scope: _Scope) -> pd.DataFrame:
    """Names beside the ids: what a commitment and its package are for, the theme's name, notes without ids."""
    names = scope.names

    def readable(note: str) -> str:
        return re.sub(r"c[0-9a-f]{12}", lambda m: f"“{names.get(m.group(0), m.group(0))}”", note)

    out = frame.assign(name=frame["commitment_id"].map(names), theme_name=frame["theme"].map(scope.theme_name),
                       package=frame["parent_id"].map(lambda p: names.get(p, p) if p else ""))
    if "count_note" in frame:
        out = out.assign(why=frame["count_note"].map(readable))
    return out


def _commitments_sheet(scope: _Scope, sources: dict[str, str]) -> Sheet:
    frame = _with_names(scope.narrowed["commitments"], scope).assign(
        source=lambda f: f["source_id"].map(lambda s: sources.get(s, s)))
    notes = ["Amounts are each commitment's whole amount, whatever the years chosen; the totals sheets count the years in range."] if scope.years else []
    return Sheet("Commitments", f"Commitments, {scope.rows_in}",
                 "One row per commitment, with the sentence it was first stated in [note 1].",
                 (Column("What it is for", "name", width=28, wrap=True), Column("Amount ({unit}, cash)", "amount_gbp", MONEY),
                  Column("Total over its period ({unit}, cash)", "total_gbp", MONEY), Column("Qualifier", "qualifier", missing=NOT_APPLICABLE),
                  Column("Rate", "rate"), Column("Theme", "theme_name", width=20, wrap=True), Column("Department", "department", width=14, wrap=True),
                  Column("Programme", "programme", width=20, wrap=True), Column("First financial year", "fy_start"),
                  Column("Last financial year", "fy_end"), Column("Number of years", "n_years", COUNT),
                  Column("Part of package", "package", missing=NOT_APPLICABLE, width=24, wrap=True),
                  Column("Counted in totals", "counted"), Column("Why counted or not", "why", width=26, wrap=True),
                  Column("Source", "source", width=26, wrap=True), Column("Quote", "quote", width=50, wrap=True),
                  Column("Decided by review", "reviewed"), Column("Commitment ID", "commitment_id"),
                  Column("Package ID", "parent_id", missing=NOT_APPLICABLE)),
                 frame, tuple(notes))


def _packages_sheet(scope: _Scope) -> Sheet:
    commitments = scope.tables["commitments"].set_index("commitment_id")
    frame = scope.narrowed["packages"]
    frame = frame.assign(name=frame["package_id"].map(scope.names),
                         theme_name=frame["package_id"].map(lambda p: scope.theme_name(commitments["theme"].get(p, ""))))
    return Sheet("Packages", f"Packages and whether their components add up, {scope.rows_in}",
                 "Each commitment that has components; counted through its components when they add up (within 1%), otherwise whole.",
                 (Column("Package", "name", width=30, wrap=True), Column("Theme", "theme_name", width=24, wrap=True),
                  Column("Package amount ({unit}, cash)", "amount_gbp", MONEY),
                  Column("Number of components", "n_components", COUNT), Column("Components added up ({unit}, cash)", "components_gbp", MONEY),
                  Column("Difference ({unit}, cash)", "difference_gbp", MONEY), Column("Status", "status", width=24, wrap=True),
                  Column("Counted as", "counted_as"), Column("Package ID", "package_id")),
                 frame)


def _components_sheet(scope: _Scope) -> Sheet:
    commitments = scope.narrowed["commitments"]
    frame = _with_names(commitments[commitments["parent_id"] != ""], scope)
    return Sheet("Components", f"Components of packages, {scope.rows_in}",
                 "Each commitment that is part of a package, with the package it belongs to.",
                 (Column("Component", "name", width=28, wrap=True), Column("Package", "package", width=28, wrap=True),
                  Column("Amount ({unit}, cash)", "amount_gbp", MONEY), Column("Theme", "theme_name", width=22, wrap=True),
                  Column("Counted in totals", "counted"), Column("Quote", "quote", width=60, wrap=True),
                  Column("Commitment ID", "commitment_id"), Column("Package ID", "parent_id")),
                 frame)


def _mentions_sheet(scope: _Scope, sources: dict[str, str]) -> Sheet:
    frame = scope.narrowed["mentions"]
    frame = frame.assign(name=frame["commitment_id"].map(lambda c: scope.names.get(c, c) if c else ""),
                         source=frame["source_id"].map(lambda s: sources.get(s, s)))
    filtered = scope.theme or scope.department or scope.years
    notes = ["Context figures are listed whatever the filter: they have no theme, department or years."] if filtered else []
    return Sheet("Mentions", f"Every money mention, with context figures and why they were set aside, {scope.rows_in}",
                 "One row per money mention in the documents; context figures are not commitments and are never in totals.",
                 (Column("Figure as written", "text"), Column("Amount ({unit}, cash)", "amount_gbp", MONEY),
                  Column("Role", "role"), Column("Why context", "context_reason", missing=NOT_APPLICABLE, width=24, wrap=True),
                  Column("Commitment", "name", missing=NOT_APPLICABLE, width=28, wrap=True), Column("Sentence", "sentence", width=60, wrap=True),
                  Column("Source", "source", width=26, wrap=True), Column("Line", "line", COUNT),
                  Column("Page", "page", COUNT, missing=NOT_APPLICABLE), Column("Mention ID", "mention_id"), Column("Commitment ID", "commitment_id", missing=NOT_APPLICABLE)),
                 frame, tuple(notes))


def _sources_sheet(sources: pd.DataFrame) -> Sheet:
    return Sheet("Sources", "Source documents", "The documents the figures come from, with their publication dates.",
                 (Column("Title", "title", width=50, wrap=True), Column("Publisher", "publisher", width=30, wrap=True),
                  Column("Published from", "published_from"), Column("Published to", "published_to"),
                  Column("Date estimated", "date_estimated"), Column("How the date was found", "dated_by", width=50, wrap=True),
                  Column("Format", "format"), Column("Pages", "pages", COUNT, missing=NOT_APPLICABLE), Column("Address", "url", width=30, wrap=True),
                  Column("Licence", "licence", width=20, wrap=True), Column("Source ID", "source_id")),
                 sources)


def _published(source) -> str:
    """", published 2024-03-12", a range for an estimate, or what dates the figures when the document states none."""
    if str(getattr(source, "dated_by", "")).startswith("not read"):
        return ": could not be read, so none of its figures is in this workbook (see the set-aside list)"
    if not source.published_from:
        return ", no publication date (each part dated by the date it states)"
    if source.published_from == source.published_to:
        return f", published {source.published_from}"
    return f", published {source.published_from} to {source.published_to}" + (" (estimated)" if source.date_estimated == "true" else "")


def _cover_lines(scope: _Scope, total: float, by_department: pd.DataFrame, sources: pd.DataFrame,
                 produced: dt.datetime, data_version: str) -> list[str]:
    counted = int(scope.totals("theme")["n_commitments"].sum())
    basis = "cash" if scope.basis == "cash" else f"real terms at {scope.base_year} prices"
    lines = [f"Total committed: {_m(total)} ({basis}), {_commitments(counted)} each counted once."]
    lines += what_it_rests_on(scope.narrowed, money=_m, review="funding review")  # the same sentences as every report's total
    amount = by_department.columns[1]
    shared = by_department[by_department["department"].str.contains(";")]
    if len(shared):
        lines.append(f"Of this, {_m(shared[amount].sum())} is shared between departments and appears in each of their totals "
                     "(see Departments_sharing).")
    lines += _basis_notes(scope) + _left_out_notes(scope)
    lines += [
        "This workbook holds the money committed in the source documents below, as tidy tables: totals by theme, department "
        "and financial year, every commitment with its quote, packages and their components, and every money mention "
        "including the context figures that were set aside.",
        "Source documents:",
        *[f"- {r.title}" + (f" ({r.publisher})" if r.publisher else "") + _published(r) for r in sources.itertuples()],
        f"Produced: {produced.isoformat(sep=' ')}, from clean tables version {data_version or NOT_AVAILABLE}.",
        "How double counting was avoided: restated money is counted once; a package is counted through its components when "
        "they add up, otherwise whole, never both; money included in a later total is not counted again; context figures "
        "(statistics, baselines, cuts, spending power) are never counted.",
        "Amounts are in pounds, shown as £ million with one decimal (£695.0m); the cells keep the exact pounds. "
        "Real-terms amounts are rounded to whole pounds.",
        f"Shorthand: {NOT_AVAILABLE} = not available (for example no label or no known years); "
        f"{NOT_APPLICABLE} = not applicable (for example no qualifier, or not part of a package).",
        "Key caveats: figures are as stated in the documents; periods and departments the text does not state were decided "
        "in a review file, each with a reason.",
        "Contact: [add a contact name and email address]",
    ]
    return lines


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
    """Write the workbook to ``path``; return its sheet names. Filters narrow every sheet.

    Raises FilterError (before writing) when the filters leave nothing to show.
    """
    check_filters(tables, theme, department, years, basis)
    produced = produced or dt.datetime.now().replace(microsecond=0)
    narrowed = filter_tables(tables, theme, department)
    scope = _Scope(narrowed, filter_years(narrowed, years), theme, department, years, basis, base_year, deflators,
                   themes or {}, _name_commitments(tables["commitments"], themes or {}))
    total = headline_total(scope.narrowed, **scope.options)
    source_titles = dict(zip(sources["source_id"], sources["title"]))
    by_department = scope.totals("department")
    sheets = [
        _theme_sheet(scope), _department_sheet(scope), _shares_sheet(scope, total), _year_sheet(scope),
        _commitments_sheet(scope, source_titles), _packages_sheet(scope), _components_sheet(scope),
        _mentions_sheet(scope, source_titles), _sources_sheet(sources),
    ]
    wb = Workbook(write_only=True)
    wb.properties.title = f"Money committed in UK government documents: {scope.coverage}, {scope.period}"
    wb.properties.language = "en-GB"
    wb.properties.creator = "funding"
    _write_text_sheet(wb, "Cover", wb.properties.title, _cover_lines(scope, total, by_department, sources, produced, data_version),
                     headline=True)
    _contents(wb, sheets)
    _write_table_sheet(wb, Sheet("Notes", "Notes", "Notes referred to in this workbook as [note N].",
                                 (Column("Note number", "number"), Column("Note text", "text", width=110, wrap=True)),
                                 _notes()))
    for sheet in sheets:
        _write_table_sheet(wb, sheet)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)
    return ["Cover", "Table_of_contents", "Notes"] + [s.name for s in sheets]


def _notes() -> pd.DataFrame:
    return pd.DataFrame({
        "number": ["note 1", "note 2", "note 3"],
        "text": [
            "Quotes are the sentence a commitment was first stated in, with Markdown removed; text that would start a formula is stored as plain text.",
            "A commitment's money is phased over its financial years (a single year, an even split, or a per-year rate). A commitment "
            "whose years the documents do not state has no phasing: it is in cash totals by theme and department, but not in totals "
            "by year, for a range of years, or in real terms (deflating needs the year).",
            "Departments are abbreviations in force at each document's date (for example MHCLG became DLUHC in September 2021). "
            "Money a document gives to several departments together is recorded for all of them (for example DfE;DHSC).",
        ],
    })


def export_frame(frame: pd.DataFrame, path: Path, *, title: str, description: str, source: str = "") -> Path:
    """Write one table (as a notebook shows it) to a workbook that meets the same guidance.

    Numeric columns keep their numbers with a thousands format; everything else is text.
    """
    def safe(column: object) -> str:
        return re.sub(r"[^A-Za-z0-9_]+", "_", str(column)).strip("_") or "column"

    frame = frame.reset_index(drop=True).rename(columns={c: safe(c) for c in frame.columns})
    columns = tuple(
        Column(str(c).replace("_", " "), c, NUMBER if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]) else "")
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
