"""One-line views for notebooks: each returns a table or a chart computed by the library.

Notebooks stay thin (a parameters cell, then narrative and calls such as
``views.by_theme(data)``); every number they show comes from ``funding.totals`` on the clean
tables, the same calls as the Excel export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown

from funding import describe
from funding.charts import bar_chart, chart_html, package_chart, show, timeline_chart
from funding.describe import department_name, format_money
from funding.htmltable import STYLE as TABLE_STYLE
from funding.htmltable import table_html
from funding.paths import CLEAN, RAW, project_root
from funding.rawcsv import read_frame
from funding.reference import load_reference
from funding.totals import (
    IMPLAUSIBLE_GBP, NONE_LABEL, at_risk, departments_in, filter_tables, implausible, load_deflators, load_tables, totals,
    what_it_rests_on,
)
from funding.vocab import REVIEW_COLUMNS

__all__ = [
    "Data", "Table", "load", "heading", "headline", "by_theme", "by_department", "by_year", "largest",
    "commitments", "packages", "sources", "context_figures", "repeats", "unresolved", "review_decisions", "set_aside",
    "export_table",
]


NOT_STATED = "(not stated in the text)"


@dataclass(frozen=True)
class Data:
    tables: dict[str, pd.DataFrame]
    theme_names: dict[str, str]
    basis: str
    base_year: str
    years: tuple[str, str] | None
    deflators: tuple[dict[str, float], str] | None
    theme: str = ""
    department: str = ""
    department_names: dict[str, str] = field(default_factory=dict)

    def totals(self, by: str) -> pd.DataFrame:
        return totals(self.tables, by=by, basis=self.basis, base_year=self.base_year, deflators=self.deflators, years=self.years)

    @property
    def coverage(self) -> str:
        period = f"financial years {self.years[0]} to {self.years[1]}" if self.years else "all years"
        price = "cash" if self.basis == "cash" else f"real terms, {self.base_year} prices"
        view = ", ".join(filter(None, [self.theme and f"theme {self.theme_names.get(self.theme, self.theme)}",
                                       self.department and f"department {self.department}"]))
        return f"Money committed, {price}, {period}{', ' + view if view else ''}. Source: the documents listed under Sources."


@dataclass(frozen=True)
class Table:
    """A table for a report: human headers, a caption, shown as accessible HTML in a notebook."""

    frame: pd.DataFrame
    caption: str
    empty: str = ""

    def _repr_html_(self) -> str:
        return TABLE_STYLE + table_html(self.frame, self.caption, empty=self.empty)

    def __repr__(self) -> str:
        return f"{self.caption}\n{self.frame.to_string(index=False) if len(self.frame) else self.empty}"


def load(basis: str = "cash", base_year: str = "2024-25", years: str = "", root: str = "",
         theme: str = "", department: str = "") -> Data:
    """The clean tables (narrowed to a theme or department if given) and the options every view uses.

    ``years`` is "FIRST:LAST" or "" for all. An unknown theme or department is an error that
    lists the valid ones.
    """
    folder = Path(root) if root else project_root()
    if folder is None:
        raise FileNotFoundError("no data/raw/sources.csv here or above: open the notebook inside the project")
    ref = load_reference(folder / RAW)
    tables = load_tables(folder / CLEAN)
    if theme and theme not in ref.themes:
        raise ValueError(f"theme {theme!r} is not one of: {', '.join(ref.themes)}")
    present = departments_in(tables["commitments"])
    if department and department not in present:
        raise ValueError(f"department {department!r} is not one of: {', '.join(present)}")
    span = tuple(years.split(":")) if years else None
    deflators = load_deflators(folder / RAW / "reference") if basis == "real" else None
    themes = {t.theme_id: t.theme for t in ref.themes.values()}
    sources = tables["sources"]  # every document built, listed in sources.csv or dropped in
    review = folder / RAW / "review.csv"
    every = dict(tables)
    tables = dict(filter_tables(tables, theme or None, department or None), sources=sources,
                  review=read_frame(review, REVIEW_COLUMNS, exact=True) if review.exists() else pd.DataFrame(),
                  all_commitments=every["commitments"], all_mentions=every["mentions"])
    departments = {d.abbreviation: d.name for d in ref.departments.values()}
    return Data(tables, themes, basis, base_year, span, deflators, theme, department, departments)


def heading(data: Data, kind: str) -> Markdown:
    """The report's heading, naming its theme or department (``kind``: overview, theme, department, ...)."""
    key = data.theme if kind == "theme" or (kind == "explore" and data.theme) else data.department
    names = data.theme_names if key == data.theme else data.department_names
    return Markdown(f"# {describe.report_title(kind, describe.subject_name(kind, key, names) if key else '')}")


def headline(data: Data) -> Markdown:
    """The total counted once, and the statement of what was counted and left out."""
    frame = data.totals("financial_year" if data.years else "theme")
    amount = next(c for c in frame.columns if c.startswith("amount_gbp"))
    total = frame[amount].sum()
    shared = describe.shared_money(data.tables["commitments"], data.department) if data.department else ""
    return Markdown(f"**{format_money(total)} committed** ({data.coverage})\n\n{frame.attrs['statement']}"
                    + (f"\n\n{shared}" if shared else ""))


def implausible_totals(data: Data) -> Markdown:
    """What the counted money rests on, and each document counting more than one publication
    commits (``funding.totals.what_it_rests_on``, the sentences every total carries), or that
    none does."""
    said = what_it_rests_on(data.tables)
    if said and "of it rests on" in said[0]:  # "of it": the money counted, said first here
        said[0] = f"{format_money(at_risk(data.tables)[0])} is counted; {said[0]}"
    if not implausible(data.tables):
        said.append(f"No document counts more than {format_money(IMPLAUSIBLE_GBP)}.")
    return Markdown("## What the total rests on\n\n" + "\n\n".join(said))


def by_theme(data: Data) -> HTML:
    return show(bar_chart(data.totals("theme"), "theme", label="theme", labels=data.theme_names, subtitle=data.coverage))


def by_department(data: Data) -> HTML:
    """Money by department; money shared between departments is its own bar, and the note says how much."""
    frame = data.totals("department")
    labels = {d: department_name("" if d == NONE_LABEL else d) for d in frame["department"]}
    note = describe.shared_money(data.tables["commitments"])
    return show(bar_chart(frame, "department", label="department", labels=labels, subtitle=data.coverage, note=note))


def by_year(data: Data) -> HTML:
    """Money by financial year, with what the chart leaves out (unknown years, years outside the filter)."""
    frame = data.totals("financial_year")
    amount = next(c for c in frame.columns if c.startswith("amount_gbp"))
    note = describe.year_coverage(data.tables["commitments"], data.tables["commitment_years"], float(frame[amount].sum()),
                                  data.years, data.basis)
    return show(timeline_chart(frame, subtitle=data.coverage, note=note))


def _sources(data: Data) -> dict[str, str]:
    """Each document's short reference, "Document 1", numbered in the order of sources.csv (the Sources table names them)."""
    frame = data.tables["sources"]
    return {source: f"Document {i}" for i, source in enumerate(frame["source_id"], start=1)}


def _spot(line: str, page: str) -> str:
    """Where in its document a figure stands: its printed page where the document has pages
    (a reader of a PDF finds "page 12", not a line of the extracted text), else its line."""
    return f"page {page}" if page else f"line {line}" if line else ""


def _lines(data: Data) -> dict[str, str]:
    """Where each mention stands in its document ("line 116", "page 12"), by mention id."""
    mentions = data.tables["all_mentions"]
    return dict(zip(mentions["mention_id"], _spots(mentions)))


def _spots(frame: pd.DataFrame) -> list[str]:
    pages = frame["page"] if "page" in frame else [""] * len(frame)  # tables built before pages were kept
    return list(map(_spot, frame["line"], pages))


def _place(data: Data, source_id: str, spot: str) -> str:
    """Where a figure stands: the document's reference in the Sources table, and its line or page."""
    title = _sources(data).get(source_id, source_id)
    return f"{title}, {spot}" if spot else title


def _years(frame: pd.DataFrame) -> pd.Series:
    one = frame["fy_start"] == frame["fy_end"]
    span = (frame["fy_start"] + " to " + frame["fy_end"]).where(~one, frame["fy_start"])
    return span.where(frame["fy_start"] != "", "unknown")


def _commitment_words(data: Data) -> dict[str, str]:
    """Each commitment (of all, not only those in view) in words: amount, what for, line."""
    every = data.tables["all_commitments"]
    lines = _lines(data)
    words = {}
    for row in every.to_dict("records"):
        row["line"] = lines.get(row["first_mention_id"], "")
        name = describe.what_for(row)
        words[row["commitment_id"]] = f"{format_money(row['amount_gbp'])}{' for ' + name if name else ''} ({row['line']})"
    return words


def _in_words(text: str, words: dict[str, str]) -> str:
    """Text with commitment ids replaced by the commitments in words."""
    return re.sub(r"\bc[0-9a-f]{12}\b", lambda m: words.get(m.group(0), "another commitment"), text)


def largest(data: Data, n: int = 10) -> Table:
    """The largest counted commitments, with their department, theme, years, source and quote."""
    commitments = data.tables["commitments"]
    counted = commitments[commitments["counted"]].sort_values(["total_gbp", "commitment_id"], ascending=[False, True]).head(n)
    lines = _lines(data)
    frame = pd.DataFrame({
        "Amount": counted["total_gbp"].map(format_money).to_numpy(),
        "For": [describe.what_for(r, NOT_STATED) for r in counted.to_dict("records")],
        "Department": counted["department"].map(department_name).to_numpy(),
        "Theme": counted["theme"].map(lambda t: data.theme_names.get(t, t)).to_numpy(),
        "Years": _years(counted).to_numpy(),
        "Source": [_place(data, s, lines.get(m, "")) for s, m in zip(counted["source_id"], counted["first_mention_id"])],
        "Quote": counted["quote"].to_numpy(),
    })
    return Table(frame, f"The {describe.plural(len(frame), 'largest counted commitment')}, with their source quotes",
                 "No counted commitments in view.")


def commitments(data: Data, include_components: bool = True) -> Table:
    """Every commitment in view, counted or not, with why, its years, its source and its quote.

    With ``include_components`` false, the parts of packages are left out and each package
    stands for its parts (totals are unaffected: they never count both).
    """
    lines = _lines(data)
    frame = data.tables["commitments"]
    every = data.tables["all_mentions"]
    line_of = dict(zip(every["mention_id"], every["line"]))
    order = frame["first_mention_id"].map(lambda m: int(line_of.get(m) or 0))  # in the order the document states them
    frame = frame.assign(_line=order).sort_values(["source_id", "_line", "commitment_id"])
    if not include_components:
        frame = frame[frame["parent_id"] == ""]
    words = _commitment_words(data)
    table = pd.DataFrame({
        "Amount": frame["amount_gbp"].map(format_money).to_numpy(),
        "For": [describe.what_for(r, NOT_STATED) for r in frame.to_dict("records")],
        "Department": frame["department"].map(department_name).to_numpy(),
        "Years": _years(frame).to_numpy(),
        "Part of": frame["parent_id"].map(lambda p: words.get(p, "") if p else "").to_numpy(),
        "Counted": frame["counted"].map({True: "yes", False: "no"}).to_numpy(),
        "Why": frame["count_note"].map(lambda t: _in_words(t, words)).to_numpy(),
        "Source": [_place(data, s, lines.get(m, "")) for s, m in zip(frame["source_id"], frame["first_mention_id"])],
        "Quote": frame["quote"].to_numpy(),
    })
    caption = "Every commitment in view, counted or not" + ("" if include_components else " (packages without their components)")
    return Table(table, caption, "No commitments in view.")


def packages(data: Data) -> HTML:
    """Each package in view broken into its components, with the reconciliation in the chart."""
    commitments = data.tables["commitments"]
    every = data.tables["all_commitments"]
    lines = _lines(data)
    shown = []
    in_view = set(commitments["commitment_id"])
    for package in data.tables["packages"].itertuples():
        # every component is drawn, so the chart adds up as the package does; those outside the view say so
        parts = every[every["parent_id"] == package.package_id]
        if not parts["commitment_id"].isin(in_view).any():  # its parts are outside the theme or department in view
            continue
        # each bar is named by what the money is for; where two parts read the same, by their place
        records = [dict(r, line=lines.get(r["first_mention_id"], "")) for r in parts.to_dict("records")]
        labels = pd.Series([describe.what_for(r, f"{format_money(r['amount_gbp'])} in {_place(data, r['source_id'], r['line'])}") for r in records])
        repeated = labels.duplicated(keep=False).to_numpy()
        names = {r["commitment_id"]: (f"{label} ({r['line']})" if twice else label)
                 + ("" if r["commitment_id"] in in_view else " (outside this view)")
                 for r, label, twice in zip(records, labels, repeated)}
        row = pd.Series({"package_id": package.package_id, "amount_gbp": package.amount_gbp})
        own = every[every["commitment_id"] == package.package_id].to_dict("records")
        first = own[0] if own else {}
        place = _place(data, first.get("source_id", ""), lines.get(first.get("first_mention_id", ""), "")) if first else ""
        name = describe.what_for(first) if first else ""
        subtitle = f"Stated in {place}" if place else ""
        shown.append(chart_html(package_chart(row, parts, names=names, name=name, subtitle=subtitle)))
    return HTML("".join(shown) or "<p>No packages with components in view.</p>")


def sources(data: Data) -> Table:
    """The documents the figures in view come from, with the reference other tables use ("Document 1")."""
    used = set(data.tables["commitments"]["source_id"]) | set(data.tables["mentions"]["source_id"])
    frame = data.tables["sources"]
    references = _sources(data)
    frame = frame[frame["source_id"].isin(used)]
    dates = frame["published_from"].where(frame["published_from"] == frame["published_to"],
                                          "between " + frame["published_from"] + " and " + frame["published_to"])
    table = pd.DataFrame({
        "Reference": frame["source_id"].map(references).to_numpy(),
        "Document": frame["title"].to_numpy(),
        "Publisher": frame["publisher"].to_numpy(),
        "Published": (dates + frame["date_estimated"].map({"true": " (estimated)", "false": ""}).fillna("")).to_numpy(),
        "File": frame["file"].to_numpy(),
    })
    return Table(table, "The documents the figures come from", "No documents in view.")


def context_figures(data: Data) -> Table:
    """Figures set aside as context, and why."""
    mentions = data.tables["mentions"]
    frame = mentions[mentions["role"] == "context"]
    table = pd.DataFrame({
        "Figure": frame["text"].to_numpy(),
        "Why left out": frame["context_reason"].to_numpy(),
        "Source": [_place(data, s, l) for s, l in zip(frame["source_id"], _spots(frame))],
        "Sentence": frame["sentence"].to_numpy(),
    })
    return Table(table, "Context figures set aside, and why", "No figures were set aside as context.")


def repeats(data: Data) -> Table:
    """Mentions merged into an earlier mention of the same money, and by which rule."""
    mentions = data.tables["mentions"]
    frame = mentions[mentions["link"].str.startswith("repeat")]
    words = _commitment_words(data)
    table = pd.DataFrame({
        "Figure": frame["text"].to_numpy(),
        "Source": [_place(data, s, l) for s, l in zip(frame["source_id"], _spots(frame))],
        "Counted once as": frame["commitment_id"].map(lambda c: words.get(c, "")).to_numpy(),
        "Why the same money": frame["link"].to_numpy(),
        "Sentence": frame["sentence"].to_numpy(),
    })
    return Table(table, "Repeats merged into one commitment", "No figure restates another.")


def unresolved(data: Data) -> Table:
    """Commitments whose period or department could not be known."""
    frame = data.tables["commitments"]
    unknown_years = frame["period_basis"].isin(["unknown", "duration"]) | (frame["fy_start"] == "")
    unknown_department = frame["department"] == ""
    rows = frame[unknown_years | unknown_department]
    lines = _lines(data)
    table = pd.DataFrame({
        "Amount": rows["amount_gbp"].map(format_money).to_numpy(),
        "For": [describe.what_for(r, NOT_STATED) for r in rows.to_dict("records")],
        "What is unknown": [describe.join_words([w for w, flag in (("years", y), ("department", d)) if flag])
                            for y, d in zip(unknown_years[rows.index], unknown_department[rows.index])],
        "Period read": rows["period_text"].replace("", "none").to_numpy(),
        "Source": [_place(data, s, lines.get(m, "")) for s, m in zip(rows["source_id"], rows["first_mention_id"])],
        "Quote": rows["quote"].to_numpy(),
    })
    return Table(table, "Commitments whose years or department are unknown", "Every commitment has known years and a department.")


def review_decisions(data: Data) -> Table:
    """What the analyst review file decided, in words, with the reasons."""
    review = data.tables["review"]
    if review.empty:
        return Table(pd.DataFrame(), "What the review file decided", "The review file holds no decisions.")
    words = _commitment_words(data)
    mentions = data.tables["all_mentions"]
    for row in mentions.itertuples():
        words[row.mention_id] = f"{row.text} (line {row.line})"
    table = pd.DataFrame({
        "Figure": review["id"].map(lambda i: words.get(i, "a figure no longer in the data")).to_numpy(),
        "Decision": [describe.review_decision(f, v, words.get(v, "")) for f, v in zip(review["field"], review["value"])],
        "Reason": review["reason"].to_numpy(),
    })
    return Table(table, "What the review file decided, and why")


def set_aside(data: Data) -> Table:
    """Currency markers that were not money figures, and documents that could not be read, and why."""
    frame = data.tables["set_aside"]
    table = pd.DataFrame({
        "Marker or document": frame["text"].to_numpy(),
        "Why it was set aside": frame["reason"].to_numpy(),
        "Source": [_place(data, s, l) for s, l in zip(frame["source_id"], _spots(frame))],
    })
    return Table(table, "Currency markers that were not money figures, and documents that could not be read",
                 "No currency marker or document was set aside.")


def export_table(frame: pd.DataFrame, path: str, title: str, description: str = "") -> Markdown:
    """Save a table the notebook shows as an accessible Excel workbook; say where it went."""
    from funding.export import export_frame

    frame = frame.frame if isinstance(frame, Table) else frame
    written = export_frame(frame, Path(path), title=title, description=description or title)
    return Markdown(f"Saved to `{written}`.")
