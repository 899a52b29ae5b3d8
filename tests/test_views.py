"""Tables in reports read as publications: human headers, caption, header scope, no index, whole quotes."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from funding import views
from funding.htmltable import table_html

LONG_QUOTE = ("This additional money for the example programme represents a real-terms uplift in funding, taking total "
              "planned investment to a new level over the period, which will enable partners to provide help earlier.")


def data() -> views.Data:
    """Two commitments, a package and its part, one context figure, one review decision: all hand-written."""
    commitments = pd.DataFrame({
        "commitment_id": ["c000000000001", "c000000000002"], "amount_gbp": [1_234_567_000.0, 1_200_000_000.0],
        "total_gbp": [1_234_567_000.0, 1_200_000_000.0], "label": ["", "example programme"], "programme": ["", ""],
        "department": ["DfE;DHSC", "DfE"], "theme": ["youth", "youth"], "fy_start": ["2022-23", ""], "fy_end": ["2024-25", ""],
        "period_basis": ["stated", "unknown"], "period_text": ["", ""], "parent_id": ["", "c000000000001"],
        "counted": [False, True], "count_note": ["counted through its 1 components (partial)", "part of c000000000001, counted whole"],
        "source_id": ["doc", "doc"], "first_mention_id": ["m1", "m2"], "quote": ["Short.", LONG_QUOTE],
    })
    mentions = pd.DataFrame({
        "mention_id": ["m1", "m2", "m3"], "source_id": ["doc"] * 3, "line": ["12", "14", "14"], "text": ["£1.2bn", "£1.2bn", "£50 billion"],
        "role": ["commitment", "commitment", "context"], "context_reason": ["", "", "a baseline for comparison"],
        "commitment_id": ["c000000000001", "c000000000002", ""], "link": ["first mention", "first mention", ""],
        "sentence": ["Short.", LONG_QUOTE, "Up from £50 billion."],
    })
    sources = pd.DataFrame({"source_id": ["doc"], "title": ["An example response"], "publisher": ["A department"],
                            "published_from": ["2022-02-02"], "published_to": ["2022-03-31"], "date_estimated": ["true"], "file": ["documents/doc.md"]})
    review = pd.DataFrame({"id": ["c000000000002"], "field": ["parent_id"], "value": ["c000000000001"], "reason": ["the text lists it under the total"]})
    tables = {"commitments": commitments, "mentions": mentions, "all_commitments": commitments, "all_mentions": mentions,
              "sources": sources, "review": review, "set_aside": pd.DataFrame({"source_id": [], "line": [], "text": [], "reason": []})}
    return views.Data(tables, {"youth": "Youth services"}, "cash", "2024-25", None, None, theme="youth")


TABLES = {
    "largest": lambda d: views.largest(d),
    "commitments": lambda d: views.commitments(d),
    "context": lambda d: views.context_figures(d),
    "unresolved": lambda d: views.unresolved(d),
    "review": lambda d: views.review_decisions(d),
    "sources": lambda d: views.sources(d),
}


@pytest.mark.parametrize("name", TABLES)
def test_tables_have_a_caption_scoped_human_headers_and_no_index(name):
    table = TABLES[name](data())
    html = table._repr_html_()
    assert re.search(r"<caption>[A-Z][^<]+</caption>", html)
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', html)
    assert headers == list(table.frame.columns) and len(headers) == html.count("<th ")
    assert all(re.fullmatch(r"[A-Z][a-z ]+(\(£\))?[a-z ]*", h) for h in headers), headers  # no snake_case, no ids
    first_row = re.search(r"<tbody><tr>(.*?)</tr>", html).group(1)
    assert first_row.count("<td") == len(headers)  # no index column
    assert not re.search(r"\bc[0-9a-f]{12}\b|\bm[0-9a-f]{12}\b", html)  # no hash ids


def test_quotes_are_whole_and_each_figure_names_its_source_and_line():
    html = views.commitments(data())._repr_html_()
    assert LONG_QUOTE in html  # not cut at 45 or 50 characters
    assert "Document 1, line 14" in html
    assert "<td>Document 1</td><td>An example response</td>" in views.sources(data())._repr_html_()
    assert "DfE and DHSC (shared)" in html


def test_review_decisions_read_in_words():
    frame = views.review_decisions(data()).frame
    assert frame.to_dict("list") == {
        "Figure": ["£1.2bn for Example programme (line 14)"],
        "Decision": ["is part of £1.2bn (line 12)"],
        "Reason": ["the text lists it under the total"],
    }


def test_numbers_get_thousands_separators_and_align_right():
    html = table_html(pd.DataFrame({"Item": ["a"], "Amount (£)": [1234567890], "Share": [0.5]}), "Numbers")
    assert '<td class="number">1,234,567,890</td>' in html and '<th scope="col" class="number">Amount (£)</th>' in html


def test_text_is_escaped_and_an_empty_table_says_so():
    assert "&lt;script&gt;" in table_html(pd.DataFrame({"Quote": ["<script>"]}), "Quotes")
    assert views.set_aside(data())._repr_html_().endswith("<p>No currency marker or document was set aside.</p>")


def test_headline_names_the_view_and_counts_only_its_context():
    shown = views.headline(data()).data
    assert shown.startswith("**£1.2bn committed** (Money committed, cash, all years, theme Youth services.")


def test_a_package_in_a_department_view_draws_every_component_and_marks_those_outside():
    # The sources' £500m family package is £300m (DfE and DHSC, family hubs) plus £200m (Supporting
    # Families, DLUHC): the DfE view holds only the first, yet the package still adds up.
    shown = views.packages(views.load(department="DfE")).data
    assert "The components of the £500m package add up to the package" in shown
    assert "(outside this view)" in shown


def test_a_figure_in_a_printed_document_is_cited_by_its_page():
    d = data()
    d.tables["all_mentions"] = d.tables["mentions"] = d.tables["mentions"].assign(page=["3", "5", "5"])
    assert "Document 1, page 5" in views.commitments(d)._repr_html_()
    assert "Document 1, page 5" in views.context_figures(d)._repr_html_()
    assert views.review_decisions(d).frame["Figure"].tolist() == ["£1.2bn for Example programme (page 5)"]


def test_the_data_quality_report_says_no_document_is_implausible_when_none_is():
    shown = views.implausible_totals(data()).data  # £1.2bn counted, in one document, no certainty column
    assert shown == "## What the total rests on\n\nNo document counts more than £100bn."


def test_what_the_total_rests_on_says_first_how_much_is_counted():
    d = data()
    d.tables["mentions"]["certainty"] = [0.6, 0.6, 0.99]
    shown = views.implausible_totals(d).data
    assert shown.startswith("## What the total rests on\n\n£1.2bn is counted; £1.2bn of it rests on 1 figure whose role is less than 0.7 certain")
