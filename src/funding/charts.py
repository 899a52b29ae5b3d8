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

from dataclasses import dataclass

import matplotlib.style
import pandas as pd
from afcharts.af_colours import get_af_colours
from matplotlib.figure import Figure

__all__ = ["Chart", "format_money", "bar_chart", "timeline_chart", "package_chart", "chart_html", "show"]

STYLE = "afcharts.afcharts"


@dataclass(frozen=True)
class Chart:
    figure: Figure
    title: str
    subtitle: str
    alt_text: str
    data: pd.DataFrame  # the numbers behind the chart, money formatted as text


def format_money(value: float) -> str:
    """Money for a label: £4.8bn, £695m, £1.2m, £500k, £250; at most one decimal place.

    >>> [format_money(v) for v in (4.8e9, 695e6, 1.2e6, 500e3, 250, 0, -2e6)]
    ['£4.8bn', '£695m', '£1.2m', '£500k', '£250', '£0', '-£2m']
    """
    sign = "-" if value < 0 else ""
    value = abs(value)
    for size, unit in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if value >= size:
            number = f"{value / size:,.1f}".removesuffix(".0")
            return f"{sign}£{number}{unit}"
    return f"{sign}£{value:,.0f}"


def _top(values: pd.Series) -> float:
    """The largest value, or 1 for an empty chart (so axis limits are never NaN)."""
    return max(float(values.max()), 1.0) if len(values) else 1.0


def _colours(n: int) -> list[str]:
    return get_af_colours("categorical", number_of_colours=max(2, min(n, 6)))[:n] if n > 1 else get_af_colours("duo")[:1]


def _figure(height: float) -> Figure:
    with matplotlib.style.context(STYLE):
        return Figure(figsize=(8, height), layout="constrained")


def bar_chart(frame: pd.DataFrame, by: str, *, label: str, title: str = "", subtitle: str = "", labels: dict | None = None) -> Chart:
    """Horizontal bars of ``amount`` by ``by``, largest first, each labelled with its value."""
    amount = next(c for c in frame.columns if c.startswith("amount_gbp"))
    data = frame.sort_values(amount, ascending=True)
    names = [str((labels or {}).get(v, v)) for v in data[by]]
    with matplotlib.style.context(STYLE):
        figure = _figure(max(2.5, 0.45 * len(data) + 1))
        axes = figure.add_subplot()
        bars = axes.barh(names, data[amount], color=_colours(1)[0])
        axes.bar_label(bars, labels=[format_money(v) for v in data[amount]], padding=3)
        axes.xaxis.set_visible(False)  # the bars are labelled directly: no axis to read across
        for side in ("top", "right", "bottom"):
            axes.spines[side].set_visible(False)
        axes.set_xlim(0, _top(data[amount]) * 1.18)
    ordered = list(zip(reversed(names), reversed([format_money(v) for v in data[amount]])))
    title = title or (f"{ordered[0][0][:1].upper()}{ordered[0][0][1:]} has the most money committed" if ordered else "No money committed")
    alt = (f"Horizontal bar chart of money committed by {label}. "
           + "; ".join(f"{name}: {money}" for name, money in ordered) + "." if ordered else f"No money committed by {label}.")
    table = pd.DataFrame({label.capitalize(): [n for n, _ in ordered], "Amount": [m for _, m in ordered],
                          "Amount (£)": list(reversed(data[amount].round(0).astype("int64").tolist()))})
    return Chart(figure, title, subtitle, alt, table)


def timeline_chart(frame: pd.DataFrame, *, title: str = "", subtitle: str = "") -> Chart:
    """Columns of money by financial year, in year order, each labelled with its value."""
    amount = next(c for c in frame.columns if c.startswith("amount_gbp"))
    data = frame.sort_values("financial_year")
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
    peak = data.loc[data[amount].idxmax(), "financial_year"] if len(data) else ""
    even = len(data) > 1 and data[amount].max() - data[amount].min() <= 0.01 * data[amount].max()
    title = title or ("No money phased over years" if not peak else
                      f"Committed money is spread evenly over {data['financial_year'].iloc[0]} to {data['financial_year'].iloc[-1]}"
                      if even else f"Committed money peaks in {peak}")
    alt = ("Column chart of money committed by financial year. " + "; ".join(f"{y}: {m}" for y, m in pairs) + "."
           if pairs else "No money phased over financial years.")
    table = pd.DataFrame({"Financial year": data["financial_year"].tolist(), "Amount": [m for _, m in pairs],
                          "Amount (£)": data[amount].round(0).astype("int64").tolist()})
    return Chart(figure, title, subtitle, alt, table)


def package_chart(package: pd.Series, components: pd.DataFrame, *, names: dict | None = None, subtitle: str = "") -> Chart:
    """A package's components as bars, with the package and the components' sum beside them.

    The reconciliation is part of the chart: the last two bars are the stated package and the
    sum of its components, and the title says whether they agree.
    """
    names = names or {}
    parts = components.sort_values("amount_gbp", ascending=False)
    labels = [str(names.get(c, c)) for c in parts["commitment_id"]]
    whole, summed = float(package["amount_gbp"]), float(parts["amount_gbp"].sum())
    rows = labels + ["Components added up", "Package as stated"]
    values = parts["amount_gbp"].astype(float).tolist() + [summed, whole]
    colours = _colours(2)
    with matplotlib.style.context(STYLE):
        figure = _figure(max(2.5, 0.45 * len(rows) + 1))
        axes = figure.add_subplot()
        bars = axes.barh(list(reversed(rows)), list(reversed(values)),
                         color=[colours[1]] * 2 + [colours[0]] * len(labels))
        axes.bar_label(bars, labels=[format_money(v) for v in reversed(values)], padding=3)
        axes.xaxis.set_visible(False)
        for side in ("top", "right", "bottom"):
            axes.spines[side].set_visible(False)
        axes.set_xlim(0, max(values + [1]) * 1.18)
    difference = summed - whole
    verdict = "add up to the package" if difference == 0 else (
        f"come to {format_money(summed)}, {format_money(abs(difference))} {'more' if difference > 0 else 'less'} than the package")
    title = f"The components of the {format_money(whole)} package {verdict}"
    alt = (f"Horizontal bar chart of a {format_money(whole)} package and its {len(labels)} components: "
           + "; ".join(f"{l}: {format_money(v)}" for l, v in zip(labels, parts['amount_gbp']))
           + f". Components added up: {format_money(summed)}; package as stated: {format_money(whole)}.")
    table = pd.DataFrame({"Item": rows, "Amount": [format_money(v) for v in values], "Amount (£)": [round(v) for v in values]})
    return Chart(figure, title, subtitle, alt, table)


def chart_html(chart: Chart) -> str:
    """The chart as HTML: title and subtitle in the page, the image with its alt text, the table.

    >>> import pandas as pd
    >>> html = chart_html(bar_chart(pd.DataFrame({"t": ["a"], "amount_gbp": [5e6]}), "t", label="theme"))
    >>> 'alt="Horizontal bar chart of money committed by theme. a: £5m."' in html
    True
    """
    import base64
    import html
    import io

    buffer = io.BytesIO()
    chart.figure.savefig(buffer, format="png", dpi=110)
    image = base64.b64encode(buffer.getvalue()).decode("ascii")
    table = chart.data.to_html(index=False, border=0, classes="chart-data", escape=True)
    return (
        f'<figure class="chart"><h3>{html.escape(chart.title)}</h3>'
        + (f"<p>{html.escape(chart.subtitle)}</p>" if chart.subtitle else "")
        + f'<img src="data:image/png;base64,{image}" alt="{html.escape(chart.alt_text)}">'
        + f"<figcaption>The numbers in this chart:</figcaption>{table}</figure>"
    )


def show(chart: Chart):
    """Display a chart in a notebook: title, image with alt text, and its numbers as a table."""
    from IPython.display import HTML

    return HTML(chart_html(chart))
