"""One-line views for notebooks: each returns a table or a chart computed by the library.

Notebooks stay thin (a parameters cell, then narrative and calls such as
``views.by_theme(data)``); every number they show comes from ``funding.totals`` on the clean
tables, the same calls as the Excel export.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown

from funding.charts import bar_chart, chart_html, format_money, package_chart, show, timeline_chart
from funding.paths import CLEAN, RAW, project_root
from funding.rawcsv import read_frame
from funding.reference import load_reference
from funding.totals import departments_in, filter_tables, load_deflators, load_tables, totals
from funding.vocab import REVIEW_COLUMNS

__all__ = [
    "Data", "load", "headline", "by_theme", "by_department", "by_year", "largest",
    "commitments", "packages", "sources", "context_figures", "repeats", "unresolved", "review_decisions", "set_aside",
    "export_table",
]


@dataclass(frozen=True)
class Data:
    tables: dict[str, pd.DataFrame]
    theme_names: dict[str, str]
    basis: str
    base_year: str
    years: tuple[str, str] | None
    deflators: tuple[dict[str, float], str] | None

    def totals(self, by: str) -> pd.DataFrame:
        return totals(self.tables, by=by, basis=self.basis, base_year=self.base_year, deflators=self.deflators, years=self.years)

    @property
    def coverage(self) -> str:
        period = f"financial years {self.years[0]} to {self.years[1]}" if self.years else "all years"
        price = "cash" if self.basis == "cash" else f"real terms, {self.base_year} prices"
        return f"Money committed, {price}, {period}. Source: funding clean tables from the documents in data/raw."


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
    sources = read_frame(folder / RAW / "sources.csv")  # the build's strict reader: one verdict on a file
    review = folder / RAW / "review.csv"
    tables = dict(filter_tables(tables, theme or None, department or None), sources=sources,
                  review=read_frame(review, REVIEW_COLUMNS, exact=True) if review.exists() else pd.DataFrame())
    return Data(tables, themes, basis, base_year, span, deflators)


def headline(data: Data) -> Markdown:
    """The total counted once, and the statement of what was counted and left out."""
    frame = data.totals("financial_year" if data.years else "theme")
    amount = next(c for c in frame.columns if c.startswith("amount_gbp"))
    total = frame[amount].sum()
    return Markdown(f"**{format_money(total)} committed** ({data.coverage})\n\n{frame.attrs['statement']}")


def by_theme(data: Data) -> HTML:
    return show(bar_chart(data.totals("theme"), "theme", label="theme", labels=data.theme_names, subtitle=data.coverage))


def by_department(data: Data) -> HTML:
    return show(bar_chart(data.totals("department"), "department", label="department", subtitle=data.coverage))


def by_year(data: Data) -> HTML:
    return show(timeline_chart(data.totals("financial_year"), subtitle=data.coverage))


def largest(data: Data, n: int = 10) -> pd.DataFrame:
    """The largest counted commitments, with their department, theme, years and quote."""
    commitments = data.tables["commitments"]
    counted = commitments[commitments["counted"]].sort_values(["total_gbp", "commitment_id"], ascending=[False, True]).head(n)
    return pd.DataFrame({
        "Amount": counted["total_gbp"].map(format_money).to_numpy(),
        "For": counted["label"].to_numpy(),
        "Department": counted["department"].to_numpy(),
        "Theme": counted["theme"].map(lambda t: data.theme_names.get(t, t)).to_numpy(),
        "Years": (counted["fy_start"] + " to " + counted["fy_end"]).str.replace(r"^ to $", "unknown", regex=True).to_numpy(),
        "Quote": counted["quote"].to_numpy(),
    })


def commitments(data: Data, include_components: bool = True) -> pd.DataFrame:
    """Every commitment in view, counted or not, with why, its years and its quote.

    With ``include_components`` false, the parts of packages are left out and each package
    stands for its parts (totals are unaffected: they never count both).
    """
    frame = data.tables["commitments"].sort_values(["source_id", "commitment_id"])
    if not include_components:
        frame = frame[frame["parent_id"] == ""]
    return pd.DataFrame({
        "Commitment": frame["commitment_id"].to_numpy(),
        "Amount": frame["amount_gbp"].map(format_money).to_numpy(),
        "For": frame["label"].to_numpy(),
        "Department": frame["department"].to_numpy(),
        "Programme": frame["programme"].to_numpy(),
        "Years": (frame["fy_start"] + " to " + frame["fy_end"]).str.replace(r"^ to $", "unknown", regex=True).to_numpy(),
        "Part of": frame["parent_id"].to_numpy(),
        "Counted": frame["counted"].map({True: "yes", False: "no"}).to_numpy(),
        "Why": frame["count_note"].to_numpy(),
        "Quote": frame["quote"].to_numpy(),
    })


def packages(data: Data) -> HTML:
    """Each package in view broken into its components, with the reconciliation in the chart."""
    commitments = data.tables["commitments"]
    shown = []
    for package in data.tables["packages"].itertuples():
        parts = commitments[commitments["parent_id"] == package.package_id]
        if parts.empty:  # its parts are outside the theme or department in view
            continue
        # each bar is named by what the money is for, in the text's words, where that tells the
        # parts apart; else by the start of its sentence
        labels = parts["label"]
        unique = (labels != "") & ~labels.duplicated(keep=False)
        names = dict(zip(parts["commitment_id"], labels.where(unique, parts["quote"].str.slice(0, 60))))
        row = pd.Series({"package_id": package.package_id, "amount_gbp": package.amount_gbp})
        label = commitments.loc[commitments["commitment_id"] == package.package_id, "label"]
        name = label.iloc[0] if len(label) and label.iloc[0] else f"Package {package.package_id}"
        shown.append(chart_html(package_chart(row, parts, names=names, subtitle=f"{name}: {package.status}")))
    return HTML("".join(shown) or "<p>No packages with components in view.</p>")


def sources(data: Data) -> pd.DataFrame:
    """The documents the figures in view come from."""
    used = set(data.tables["commitments"]["source_id"])
    frame = data.tables["sources"]
    return frame[frame["source_id"].isin(used)][["source_id", "title", "publisher", "published_from", "published_to", "date_estimated"]]


def context_figures(data: Data) -> pd.DataFrame:
    """Figures set aside as context, and why."""
    mentions = data.tables["mentions"]
    frame = mentions[mentions["role"] == "context"]
    return frame[["source_id", "line", "text", "context_reason", "sentence"]].reset_index(drop=True)


def repeats(data: Data) -> pd.DataFrame:
    """Mentions merged into an earlier mention of the same money, and by which rule."""
    mentions = data.tables["mentions"]
    frame = mentions[mentions["link"].str.startswith("repeat")]
    return frame[["source_id", "line", "text", "commitment_id", "link", "sentence"]].reset_index(drop=True)


def unresolved(data: Data) -> pd.DataFrame:
    """Commitments whose period or department could not be known, or whose parts do not add up."""
    frame = data.tables["commitments"]
    unknown_years = frame["period_basis"].isin(["unknown", "duration"]) | (frame["fy_start"] == "")
    unknown_department = frame["department"] == ""
    rows = frame[unknown_years | unknown_department]
    return pd.DataFrame({
        "Commitment": rows["commitment_id"].to_numpy(),
        "Amount": rows["amount_gbp"].map(format_money).to_numpy(),
        "What is unknown": [", ".join(filter(None, ["years" if y else "", "department" if d else ""]))
                            for y, d in zip(unknown_years[rows.index], unknown_department[rows.index])],
        "Period read": rows["period_text"].to_numpy(),
        "Quote": rows["quote"].to_numpy(),
    })


def review_decisions(data: Data) -> pd.DataFrame:
    """What the analyst review file decided, with the reasons."""
    return data.tables["review"]


def set_aside(data: Data) -> pd.DataFrame:
    """Currency markers that were not money figures, and why."""
    return data.tables["set_aside"]


def export_table(frame: pd.DataFrame, path: str, title: str, description: str = "") -> Markdown:
    """Save a table the notebook shows as an accessible Excel workbook; say where it went."""
    from funding.export import export_frame

    written = export_frame(frame, Path(path), title=title, description=description or title)
    return Markdown(f"Saved to `{written}`.")
