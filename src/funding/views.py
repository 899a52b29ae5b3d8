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

from funding.charts import bar_chart, format_money, show, timeline_chart
from funding.paths import CLEAN, RAW, project_root
from funding.reference import load_reference
from funding.totals import load_deflators, load_tables, totals

__all__ = ["Data", "load", "headline", "by_theme", "by_department", "by_year", "largest"]


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


def load(basis: str = "cash", base_year: str = "2024-25", years: str = "", root: str = "") -> Data:
    """The clean tables and the options every view uses (years as "FIRST:LAST" or "")."""
    folder = Path(root) if root else project_root()
    if folder is None:
        raise FileNotFoundError("no data/raw/sources.csv here or above: open the notebook inside the project")
    ref = load_reference(folder / RAW)
    span = tuple(years.split(":")) if years else None
    deflators = load_deflators(folder / RAW / "reference") if basis == "real" else None
    return Data(load_tables(folder / CLEAN), {t.theme_id: t.theme for t in ref.themes.values()}, basis, base_year, span, deflators)


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
        "Department": counted["department"].to_numpy(),
        "Theme": counted["theme"].map(lambda t: data.theme_names.get(t, t)).to_numpy(),
        "Years": (counted["fy_start"] + " to " + counted["fy_end"]).str.replace(r"^ to $", "unknown", regex=True).to_numpy(),
        "Quote": counted["quote"].to_numpy(),
    })
