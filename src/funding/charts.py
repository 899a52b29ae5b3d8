"""Charts that follow the Analysis Function guidance, each with alt text and its numbers.

Every function takes a frame from ``funding.totals`` (or the clean tables) and returns a
``Chart``: the matplotlib figure in the afcharts style and palette, a text alternative that
states every number, and the numbers as a table to show beside it. Titles state the message
in sentence case; the subtitle says measure, coverage and period; the source is named. In
HTML reports title, subtitle and source belong in the page, so figures carry none of them.

Figures are made with ``matplotlib.figure.Figure``, not pyplot, so nothing here changes
global state or needs a display.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import matplotlib.style
import pandas as pd
from afcharts.af_colours import get_af_colours
from matplotlib.figure import Figure

from funding import describe
from funding.describe import format_money
from funding.htmltable import STYLE as TABLE_STYLE
from funding.htmltable import table_html

__all__ = ["Chart", "format_money", "axis_label", "bar_chart", "timeline_chart", "package_chart", "chart_html", "show"]

STYLE = "afcharts.afcharts"
LABEL_WIDTH = 30  # characters per line of a bar's label
LABEL_LINES = 3  # lines at most; a longer label ends at a word with "…" (the table beside it has it whole)


@dataclass(frozen=True)
class Chart:
    figure: Figure | None  # None when there is nothing to draw: the title says so in words
    title: str
    subtitle: str
    alt_text: str
    data: pd.DataFrame  # the numbers behind the chart, money formatted as text
    note: str = ""  # what the chart leaves out, said beside it


def axis_label(text: str) -> str:
    """A bar's label: wrapped at word boundaries, never cut inside a word, ``$`` never read as maths.

    >>> axis_label("Family Hubs and Start for Life programme for parents and babies in England")
    'Family Hubs and Start for Life\\nprogramme for parents and\\nbabies in England'
    >>> axis_label("costs $5 to $10")
    'costs \\\\$5 to \\\\$10'
    """
    lines = textwrap.wrap(" ".join(str(text).split()), LABEL_WIDTH, break_long_words=False, break_on_hyphens=False) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1] + " …"
    # matplotlib reads text between two "$" as mathtext (and fails on some): escape every one
    return "\n".join(lines).replace("$", r"\$")


def _top(values: pd.Series) -> float:
    """The largest value, or 1 for an empty chart (so axis limits are never NaN)."""
    return max(float(values.max()), 1.0) if len(values) else 1.0


def _colours(n: int) -> list[str]:
    return get_af_colours("categorical", number_of_colours=max(2, min(n, 6)))[:n] if n > 1 else get_af_colours("duo")[:1]


def _figure(height: float) -> Figure:
    with matplotlib.style.context(STYLE):
        return Figure(figsize=(8, height), layout="constrained")


def _bars(names: list[str], values: list[float], colours: list[str]) -> Figure:
    """Horizontal bars, first on top, each labelled with its money; no axis to read across."""
    with matplotlib.style.context(STYLE):
        lines = sum(name.count("\n") + 1 for name in names)
        figure = _figure(max(1.4, 0.3 * lines + 0.25 * len(names) + 0.8))
        axes = figure.add_subplot()
        bars = axes.barh(list(reversed(names)), list(reversed(values)), color=list(reversed(colours)))
        axes.bar_label(bars, labels=[format_money(v) for v in reversed(values)], padding=3)
        axes.xaxis.set_visible(False)
        for side in ("top", "right", "bottom"):
            axes.spines[side].set_visible(False)
        axes.set_xlim(0, max(values + [1.0]) * 1.18)
    return figure


def bar_chart(frame: pd.DataFrame, by: str, *, label: str, title: str = "", subtitle: str = "", labels: dict | None = None,
              note: str = "") -> Chart:
    """Horizontal bars of ``amount`` by ``by``, largest first, each labelled with its value.

    The title is the chart's message (``describe.bar_message``): a single bar is "the only"
    one, a bar is "the most" only when clearly so. No rows: no figure, the title says so.
    """
    amount = next(c for c in frame.columns if c.startswith("amount_gbp"))
    data = frame.sort_values(amount, ascending=False, kind="stable")
    names = [str((labels or {}).get(v, v)) for v in data[by]]
    values = data[amount].astype(float).tolist()
    message = describe.bar_message(pd.Series(values, index=names, dtype=float), label)
    figure = _bars([axis_label(n) for n in names], values, _colours(1) * len(values)) if values else None
    pairs = list(zip(names, (format_money(v) for v in values)))
    table = pd.DataFrame({label.capitalize(): names, "Amount": [m for _, m in pairs],
                          "Amount (£)": pd.Series(values, dtype=float).round(0).astype("int64").tolist()})
    return Chart(figure, title or message, subtitle, describe.bar_alt(pairs, label, message), table, note)


def timeline_chart(frame: pd.DataFrame, *, title: str = "", subtitle: str = "", note: str = "") -> Chart:
    """Columns of money by financial year, in year order, each labelled with its value.

    The title is the chart's message (``describe.year_message``): a peak only when one year is
    clearly highest, a plateau as such. No years: no figure, the title says so.
    """
    amount = next(c for c in frame.columns if c.startswith("amount_gbp"))
    data = frame.sort_values("financial_year")
    values = pd.Series(data[amount].astype(float).to_numpy(), index=data["financial_year"].to_numpy())
    message = describe.year_message(values)
    figure = None
    if len(data):
        with matplotlib.style.context(STYLE):
            figure = _figure(3.5)
            axes = figure.add_subplot()
            bars = axes.bar(data["financial_year"], data[amount], color=_colours(1)[0])
            axes.bar_label(bars, labels=[format_money(v) for v in data[amount]], padding=3)
            axes.yaxis.set_visible(False)
            for side in ("top", "right", "left"):
                axes.spines[side].set_visible(False)
            axes.set_ylim(0, _top(data[amount]) * 1.15)
    pairs = list(zip(data["financial_year"], (format_money(v) for v in data[amount])))
    table = pd.DataFrame({"Financial year": data["financial_year"].tolist(), "Amount": [m for _, m in pairs],
                          "Amount (£)": data[amount].round(0).astype("int64").tolist()})
    return Chart(figure, title or message, subtitle, describe.timeline_alt(pairs, message), table, note)


def package_chart(package: pd.Series, components: pd.DataFrame, *, names: dict | None = None, name: str = "",
                  subtitle: str = "") -> Chart:
    """A package's components as bars, with the package and the components' sum beside them.

    The title names the package by what it is for (``name``); the reconciliation is part of
    the chart: the last two bars are the sum of the components and the package as stated, and
    the subtitle says whether they agree.
    """
    names = names or {}
    parts = components.sort_values("amount_gbp", ascending=False, kind="stable")
    labels = [str(names.get(c, c)) for c in parts["commitment_id"]]
    whole, summed = float(package["amount_gbp"]), float(parts["amount_gbp"].sum())
    rows = labels + ["Components added up", "Package as stated"]
    values = parts["amount_gbp"].astype(float).tolist() + [summed, whole]
    colours = _colours(2)
    figure = _bars([axis_label(r) for r in rows], values, [colours[0]] * len(labels) + [colours[1]] * 2)
    verdict = describe.package_verdict(whole, summed)
    alt = describe.package_alt(name, whole, list(zip(labels, parts["amount_gbp"].astype(float))), summed)
    table = pd.DataFrame({"Item": rows, "Amount": [format_money(v) for v in values], "Amount (£)": [round(v) for v in values]})
    return Chart(figure, describe.package_title(name, whole), ". ".join(filter(None, [verdict, subtitle])), alt, table)


def chart_html(chart: Chart) -> str:
    """The chart as HTML: title and subtitle in the page, the image with its alt text, its note, the table.

    >>> import pandas as pd
    >>> html = chart_html(bar_chart(pd.DataFrame({"t": ["a"], "amount_gbp": [5e6]}), "t", label="theme"))
    >>> 'alt="Bar chart of money committed by theme. a is the only theme in view, with £5m. a: £5m."' in html
    True
    """
    import base64
    import html
    import io

    parts = [f'<figure class="chart"><h3>{html.escape(chart.title)}</h3>']
    if chart.subtitle:
        parts.append(f"<p>{html.escape(chart.subtitle)}</p>")
    if chart.figure is not None:
        buffer = io.BytesIO()
        chart.figure.savefig(buffer, format="png", dpi=110)
        image = base64.b64encode(buffer.getvalue()).decode("ascii")
        parts.append(f'<img src="data:image/png;base64,{image}" alt="{html.escape(chart.alt_text)}" style="max-width:100%">')
    if chart.note:
        parts.append(f'<p class="chart-note">{html.escape(chart.note)}</p>')
    if not chart.data.empty:
        parts.append(TABLE_STYLE + table_html(chart.data, f"The numbers in this chart: {chart.title}"))
    parts.append("</figure>")
    return "".join(parts)


def show(chart: Chart):
    """Display a chart in a notebook: title, image with alt text, note, and its numbers as a table."""
    from IPython.display import HTML

    return HTML(chart_html(chart))
