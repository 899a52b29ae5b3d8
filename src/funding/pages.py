"""HTML pages for reports: one template for every report, and the index that is their landing page.

The look follows the GOV.UK Design System (Arial or Helvetica where GDS Transport is not
available, black text, #1d70b8 links, a black header bar with a blue rule, the yellow focus
state) and the Analysis Function's guidance on releasing analysis: each page's ``<title>`` and
``<h1>`` name the report and its theme or department, and the page says when it was rendered,
from which data version, with which parameters, and links back to the index.

Accessibility (WCAG 2.2 AA): ``lang="en-GB"``, a skip link to ``<main>``, header, nav, main and
footer landmarks, one ``<h1>``, table captions and header scope in what this module writes,
colour contrast of at least 4.5:1 for text, and a visible focus state.

A report's body is nbconvert's "basic" HTML of the executed notebook with inputs, prompts and
anchor links left out; the notebook's own first heading is replaced by the page's ``<h1>``.
Everything a page shows from a notebook, a file name or a parameter is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from funding import __version__

__all__ = ["report_page", "index_page", "notebook_body", "page", "long_date"]

SERVICE = "Funding reports"

CSS = """
*, *::before, *::after { box-sizing: border-box; }
html { background: #f3f2f1; }
body { margin: 0; background: #ffffff; color: #0b0c0c; font-family: Arial, Helvetica, sans-serif;
       font-size: 1.1875rem; line-height: 1.32; -webkit-font-smoothing: antialiased; }
a { color: #1d70b8; text-decoration: underline; text-underline-offset: .1578em; }
a:visited { color: #4c2c92; }
a:hover { color: #003078; text-decoration-thickness: max(3px, .1875rem, .12em); }
a:focus { outline: 3px solid transparent; color: #0b0c0c; background-color: #ffdd00;
          box-shadow: 0 -2px #ffdd00, 0 4px #0b0c0c; text-decoration: none; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: 0; padding: 0; overflow: hidden;
                   clip: rect(0 0 0 0); clip-path: inset(50%); border: 0; white-space: nowrap; }
.parameters { margin: 0; }
.parameters th, .parameters td { padding: 0 15px 0 0; border: 0; font-weight: 400; }
.parameters th { color: #505a5f; }
.skip-link { position: absolute; left: -9999px; padding: 10px 15px; }
.skip-link:focus { position: static; display: block; }
.header { background: #0b0c0c; color: #ffffff; border-bottom: 10px solid #1d70b8; }
.header .width-container { padding: 16px 0 12px; }
.header a, .header a:visited { color: #ffffff; font-weight: 700; font-size: 1.5rem; text-decoration: none; }
.header a:hover { text-decoration: underline; }
.header a:focus { color: #0b0c0c; }
.width-container { max-width: 960px; margin: 0 15px; }
@media (min-width: 990px) { .width-container { margin: 0 auto; } }
.breadcrumbs { padding-top: 15px; font-size: 1rem; }
.breadcrumbs ol { margin: 0; padding: 0; list-style: none; }
.breadcrumbs li { display: inline; }
.breadcrumbs li + li::before { content: "\\203A"; margin: 0 .5em; color: #505a5f; }
main { display: block; padding: 20px 0 40px; }
h1 { font-size: 2.5rem; line-height: 1.1; margin: 0 0 30px; }
h2 { font-size: 1.75rem; line-height: 1.15; margin: 40px 0 20px; }
h3 { font-size: 1.3rem; margin: 30px 0 15px; }
p, li { max-width: 40em; }
.lead { font-size: 1.5rem; color: #0b0c0c; }
.meta { color: #505a5f; font-size: 1rem; }
.summary { display: grid; grid-template-columns: max-content 1fr; gap: 5px 20px; margin: 0 0 30px; font-size: 1rem;
           border-top: 1px solid #b1b4b6; border-bottom: 1px solid #b1b4b6; padding: 10px 0; }
.summary dt { font-weight: 700; }
.summary dd { margin: 0; }
table { border: 0; border-collapse: collapse; border-spacing: 0; margin: 0 0 30px; font-size: 1rem; width: auto; }
caption { text-align: left; font-weight: 700; padding-bottom: 10px; }
th, td { border: 0; border-bottom: 1px solid #b1b4b6; padding: 10px 20px 10px 0; text-align: left; vertical-align: top; }
th { font-weight: 700; }
main th, main .dataframe thead th { text-align: left; }  /* over pandas' own right-aligned headers */
.table-wrap { overflow-x: auto; }
img { max-width: 100%; height: auto; }
figure { margin: 0 0 30px; }
figcaption { font-weight: 700; margin: 10px 0; }
code { font-family: "Courier New", monospace; background: #f3f2f1; padding: 0 3px; }
.headline { border-left: 10px solid #1d70b8; padding: 10px 0 10px 20px; margin: 0 0 30px; }
.headline-figure { font-size: 3rem; font-weight: 700; margin: 0; }
.tag { display: inline-block; padding: 2px 8px; font-weight: 700; font-size: 1rem; }
.tag-failed { color: #2a0b06; background: #f4cdc6; }
.error-summary { border: 5px solid #d4351c; padding: 15px 20px; margin: 0 0 30px; }
.error-summary h2 { margin-top: 0; }
.report-list { padding-left: 0; list-style: none; }
.report-list li { padding: 8px 0; border-bottom: 1px solid #b1b4b6; max-width: none; }
.footer { background: #f3f2f1; border-top: 1px solid #b1b4b6; padding: 25px 0; font-size: 1rem; color: #0b0c0c; }
.jp-RenderedHTMLCommon > *:first-child, .rendered_html > *:first-child { margin-top: 0; }
"""


def long_date(value: dt.date | str) -> str:
    """A date as GOV.UK writes it.

    >>> long_date(dt.date(2024, 3, 5)), long_date("2024-11-21T14:05:00")
    ('5 March 2024', '21 November 2024')
    """
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value).date()
    return f"{value.day} {value:%B %Y}"


def page(title: str, main: str, *, breadcrumbs: bool = True, footer: str = "") -> str:
    """A whole page: skip link, header bar, breadcrumbs back to the index, ``<main>``, footer."""
    escaped = html.escape(title)
    crumbs = ('<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="index.html">All reports</a></li>'
              f'<li aria-current="page">{escaped}</li></ol></nav>') if breadcrumbs else ""
    suffix = f" - {SERVICE}" if title != SERVICE else ""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escaped}{html.escape(suffix)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        '<a href="#main-content" class="skip-link">Skip to main content</a>\n'
        f'<header class="header"><div class="width-container"><a href="index.html">{SERVICE}</a></div></header>\n'
        f'<div class="width-container">{crumbs}\n<main id="main-content" tabindex="-1">\n{main}\n</main>\n</div>\n'
        f'<footer class="footer"><div class="width-container">{footer}</div></footer>\n</body>\n</html>\n'
    )


_FIRST_H1 = re.compile(r"<h1[^>]*>.*?</h1>\s*", re.S)
_EMPTY_CELL = re.compile(r'<div class="cell border-box-sizing code_cell rendered[^"]*" id="[^"]*">\s*</div>\s*')


def notebook_body(executed: Path) -> str:
    """The executed notebook's outputs and text as HTML, with no code, prompts or its own first heading."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, exclude_anchor_links=True)
    body, _ = exporter.from_filename(str(executed))
    return _EMPTY_CELL.sub("", _FIRST_H1.sub("", body, count=1))


def _summary(rendered: dt.date, data_version: str, parameters: dict) -> str:
    rows = "".join(f'<tr><th scope="row">{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>' for k, v in sorted(parameters.items()))
    table = (f'<table class="parameters"><caption class="visually-hidden">Parameters</caption>{rows}</table>' if rows else "the notebook's defaults")
    return (f'<dl class="summary"><dt>Rendered</dt><dd>{long_date(rendered)}</dd>'
            f"<dt>Data version</dt><dd><code>{html.escape(data_version)}</code></dd>"
            f"<dt>Parameters</dt><dd>{table}</dd></dl>")


def report_page(executed: Path, *, title: str, kind: str, parameters: dict, data_version: str, rendered: dt.date) -> str:
    """One report's page from its executed notebook."""
    main = f"<h1>{html.escape(title)}</h1>\n{_summary(rendered, data_version, parameters)}\n{notebook_body(executed)}"
    footer = (f"Produced by funding {html.escape(__version__)} from data version <code>{html.escape(data_version)}</code>. "
              'Every figure comes from the clean tables; <a href="index.html">all reports</a>.')
    return page(title, main, footer=footer)


# --- the index ---------------------------------------------------------------------------------


def _failure(entry: dict) -> str:
    failed = entry["failed"]
    copy = f' <a href="{html.escape(failed["executed"])}">Executed copy of the failed run</a>.' if failed.get("executed") else ""
    kept = (f" The report shown is the last good one, rendered {long_date(entry['rendered'])}." if entry.get("rendered")
            else " There is no good report yet.")
    return (f'<br><strong class="tag tag-failed">Failed</strong> on {long_date(failed["when"])}: '
            f"{html.escape(failed['error'])}.{kept}{copy}")


def _item(slug: str, entry: dict) -> str:
    title = html.escape(entry.get("title") or slug)
    link = f'<a href="{html.escape(slug)}.html">{title}</a>' if entry.get("rendered") else title
    when = f' <span class="meta">rendered {long_date(entry["rendered"])}</span>' if entry.get("rendered") else ""
    return f"<li>{link}{when}{_failure(entry) if 'failed' in entry else ''}</li>"


def _groups(entries: dict[str, dict]) -> str:
    """Scheduled reports grouped by kind (notebook), in notebook order, titles sorted."""
    by_notebook: dict[str, list[tuple[str, dict]]] = {}
    for slug, entry in entries.items():
        by_notebook.setdefault(entry.get("notebook", ""), []).append((slug, entry))
    parts = []
    for notebook in sorted(by_notebook):
        items = sorted(by_notebook[notebook], key=lambda item: item[1].get("title", item[0]))
        kind = items[0][1].get("kind") or notebook
        parts.append(f"<h2>{html.escape(kind.split(':')[0])}</h2>\n<ul class=\"report-list\">"
                     + "".join(_item(slug, entry) for slug, entry in items) + "</ul>")
    return "\n".join(parts)


def _ad_hoc(entries: dict[str, dict]) -> str:
    if not entries:
        return ""
    rows = []
    for slug, entry in sorted(entries.items(), key=lambda item: item[1].get("title", item[0])):
        params = ", ".join(f"{k} = {v}" for k, v in sorted(entry.get("parameters", {}).items())) or "defaults"
        status = "failed" if "failed" in entry else (long_date(entry["rendered"]) if entry.get("rendered") else "")
        link = (f'<a href="{html.escape(slug)}.html">{html.escape(entry.get("title") or slug)}</a>' if entry.get("rendered")
                else html.escape(entry.get("title") or slug))
        rows.append(f"<tr><td>{link}</td><td>{html.escape(params)}</td><td>{html.escape(status)}</td></tr>")
    return ('<h2>Other renders</h2>\n<p>Rendered by hand with parameters outside the scheduled set. '
            "They are not updated on schedule; delete them with <code>funding report --prune</code>.</p>\n"
            '<div class="table-wrap"><table><caption>Reports rendered by hand</caption><thead><tr><th scope="col">Report</th>'
            '<th scope="col">Parameters</th><th scope="col">Rendered</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table></div>")


def _workbooks(workbooks: list[Path]) -> str:
    if not workbooks:
        return "<h2>Workbook</h2>\n<p>No workbook yet: <code>funding export</code> writes <code>reports/funding.xlsx</code>.</p>"
    items = "".join(f'<li><a href="{html.escape(p.name)}">{html.escape(p.name)}</a> '
                    f'<span class="meta">Excel workbook, {max(1, round(p.stat().st_size / 1024))} KB, '
                    f"written {long_date(dt.date.fromtimestamp(p.stat().st_mtime))}</span></li>" for p in workbooks)
    return f'<h2>Workbook</h2>\n<p>Every table behind these reports, for briefings.</p>\n<ul class="report-list">{items}</ul>'


def _code_spans(escaped: str) -> str:
    """`a command` in an escaped sentence as <code>a command</code> (the statement is Markdown in the reports)."""
    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", escaped)


def index_page(entries: dict[str, dict], scheduled: set[str], headline: dict, workbooks: list[Path], *, today: dt.date) -> str:
    """The landing page: the headline figure, the workbook, reports by kind, failures, then ad-hoc renders.

    ``entries`` are render-cache entries by slug (title, kind, notebook, parameters, rendered,
    failed); ``headline`` has the library's total ``amount``, its ``statement`` and ``data_version``.
    """
    from funding.charts import format_money

    failed = [e for e in entries.values() if "failed" in e]
    alert = ""
    if failed:
        names = "".join(f"<li>{html.escape(e.get('title', ''))}</li>" for e in failed)
        alert = (f'<div class="error-summary" role="alert"><h2>{len(failed)} report(s) failed on their last run</h2>'
                 f"<ul>{names}</ul><p>Each is marked below; the last good report, if any, is kept.</p></div>")
    main = (
        f"<h1>{SERVICE}</h1>\n{alert}"
        '<p class="lead">Money committed in the source documents, with each pound counted once.</p>\n'
        f'<div class="headline"><p class="headline-figure">{html.escape(format_money(headline["amount"]))}</p>'
        f"<p>committed in total. {_code_spans(html.escape(headline.get('statement', '')))}</p></div>\n"
        f'<p class="meta">Data version <code>{html.escape(headline["data_version"])}</code>. '
        f"Index updated {long_date(today)}.</p>\n"
        f"{_workbooks(workbooks)}\n"
        f"{_groups({s: e for s, e in entries.items() if s in scheduled})}\n"
        f"{_ad_hoc({s: e for s, e in entries.items() if s not in scheduled})}"
    )
    footer = f"Produced by funding {html.escape(__version__)}. Run <code>funding report --all</code> to bring every report up to date."
    return page(SERVICE, main, breadcrumbs=False, footer=footer)
