"""Tables as HTML that read as a publication: caption, header scope, no index, full text wrapped.

``table_html`` renders a frame whose columns already carry human headers ("Source", "Why
left out"). Numbers are right-aligned with thousands separators; text is escaped and shown
whole (pandas' notebook display cuts cells at 50 characters); long text wraps at word
boundaries. The caption says what the table is, for screen readers as for everyone else.

>>> import pandas as pd
>>> print(table_html(pd.DataFrame({"Item": ["a < b"], "Amount (£)": [1234567]}), "Example"))
<div class="funding-table-wrap" role="region" tabindex="0" aria-label="Example"><table class="funding-table"><caption>Example</caption><thead><tr><th scope="col">Item</th><th scope="col" class="number">Amount (£)</th></tr></thead><tbody><tr><td>a &lt; b</td><td class="number">1,234,567</td></tr></tbody></table></div>
"""

from __future__ import annotations

import html
import numbers

import pandas as pd

__all__ = ["table_html", "STYLE"]

#: One style block for every table in a report: full text wraps, numbers align on the right.
#: (``!important`` because JupyterLab's report CSS right-aligns every cell with a stronger selector.)
STYLE = """<style>
table.funding-table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.95em; max-width: 100%; table-layout: auto; }
table.funding-table caption { text-align: left; font-weight: bold; padding: 0.3em 0; caption-side: top; }
table.funding-table th, table.funding-table td { border-bottom: 1px solid #b1b4b6; padding: 0.35em 0.6em; text-align: left !important;
  vertical-align: top; white-space: normal; overflow-wrap: break-word; hyphens: none; }
table.funding-table th { background: #f3f2f1; }
table.funding-table tbody tr:nth-child(odd) { background: #ffffff; }
table.funding-table .number { text-align: right !important; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.funding-table td.quote { min-width: 14em; max-width: 40em; }
div.funding-table-wrap { overflow-x: auto; max-width: 100%; }
</style>"""


def _cell(value) -> tuple[str, bool]:
    """A cell's text, and whether it is a number (right-aligned)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, numbers.Integral):
        return f"{value:,}", True
    if isinstance(value, numbers.Real):
        return (f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"), True
    return str(value), False


def table_html(frame: pd.DataFrame, caption: str, *, quotes: tuple[str, ...] = ("Quote", "Sentence"), empty: str = "") -> str:
    """The frame as an accessible HTML table; ``empty`` is said in words when it has no rows."""
    if frame.empty and empty:
        return f"<p>{html.escape(empty)}</p>"
    # money shown as text ("£4.8bn") aligns and never wraps like a number
    numeric = {c for c in frame.columns if (pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]))
               or str(c).startswith("Amount")}
    number_class = ' class="number"'
    head = "".join(f'<th scope="col"{number_class if c in numeric else ""}>{html.escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(frame.columns, values):
            text, number = _cell(value)
            kind = number_class if number or column in numeric else (' class="quote"' if column in quotes else "")
            cells.append(f"<td{kind}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    # a table wider than the page scrolls in its own box (a focusable region, for keyboard users)
    return (f'<div class="funding-table-wrap" role="region" tabindex="0" aria-label="{html.escape(caption)}">'
            f'<table class="funding-table"><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")
