"""The HTML pages as a reader gets them: title, heading, language, skip link, way back, no code; the index."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

from funding.pages import index_page, long_date
from funding.pipeline import data_version
from funding.report import CACHE, make_job, prune_reports

ROOT = Path(__file__).resolve().parents[1]

# The h1 of each page, written from the notebooks' first headings and the names in
# data/raw/reference/themes.csv and departments.csv.
PAGES = [
    pytest.param("01-overview", "Overview: money committed in the source documents", {}, id="overview"),
    pytest.param("02-theme", "Theme profile: Youth services", {"theme": "youth"}, id="theme"),
    pytest.param("03-department", "Department profile: Department for Education (DfE)", {"department": "DfE"}, id="department"),
    pytest.param("04-data-quality", "Data quality", {}, id="data-quality"),
]


def read(path: Path):
    return lxml_html.fromstring(path.read_bytes())


@pytest.mark.parametrize("notebook, heading, parameters", PAGES)
def test_a_report_page_names_itself_and_shows_no_code(rendered, notebook, heading, parameters):
    path = rendered / f"{make_job(ROOT / 'notebooks' / f'{notebook}.ipynb', parameters).slug}.html"
    page = read(path)
    text = path.read_text(encoding="utf-8")
    assert page.get("lang") == "en-GB"
    assert [h.text_content() for h in page.iter("h1")] == [heading]
    assert page.findtext(".//title") == f"{heading} - Funding reports"
    skip = page.xpath("//body/*[1]")[0]
    assert skip.tag == "a" and skip.get("href") == "#main-content" and skip.text == "Skip to main content"
    assert page.xpath("//main/@id") == ["main-content"] and page.xpath("//header") and page.xpath("//footer")
    assert "index.html" in page.xpath("//nav[@aria-label='Breadcrumb']//a/@href")
    assert long_date(dt.date.today()) in text and data_version(ROOT / "data" / "clean") in text
    assert not page.xpath("//*[contains(@class, 'input_area') or contains(@class, 'jp-InputArea') or contains(@class, 'prompt')]")
    assert "from funding import views" not in text and "views.load(" not in text


def test_a_report_shows_its_parameters_as_a_table(rendered):
    page = read(rendered / f"{make_job(ROOT / 'notebooks' / '02-theme.ipynb', {'theme': 'youth'}).slug}.html")
    table = page.xpath("//table[@class='parameters']")[0]
    assert [(th.text, td.text) for th, td in zip(table.iter("th"), table.iter("td"))] == [("theme", "youth")]
    assert table.xpath("./caption")[0].text == "Parameters" and table.xpath(".//th/@scope") == ["row"]


def index_sections(page) -> dict[str, list[str]]:
    """Each h2 of the index and the link texts under it, up to the next h2."""
    sections, current = {}, None
    for element in page.xpath("//main//*[self::h2 or self::a]"):
        if element.tag == "h2":
            current = sections.setdefault(element.text_content(), [])
        elif current is not None:
            current.append(element.text_content())
    return sections


def test_the_index_is_a_landing_page(rendered):
    page = read(rendered / "index.html")
    assert page.get("lang") == "en-GB" and [h.text for h in page.iter("h1")] == ["Funding reports"]
    assert page.xpath("//body/*[1]/@href") == ["#main-content"]
    # £7,285m counted once, added up by hand from the documents (README, tests/test_build.py)
    assert page.xpath("//*[@class='headline-figure']")[0].text == "£7.3bn"
    sections = index_sections(page)
    assert sections["Workbook"] == ["funding.xlsx"]
    assert sections["Overview"] == ["Overview: money committed in the source documents"]
    assert sections["Theme profile"] == ["Theme profile: Youth services"]
    assert sections["Department profile"] == ["Department profile: Department for Education (DfE)"]
    assert sections["Data quality"] == ["Data quality"]
    assert sections["Other renders"] == ["Overview: money committed in the source documents"]
    assert "top_n = 3" in page.xpath("//table[caption='Reports rendered by hand']")[0].text_content()


def test_the_index_headline_is_the_overview_headline(rendered):
    index = read(rendered / "index.html").xpath("//*[@class='headline-figure']")[0].text
    overview = read(rendered / "01-overview.html").xpath("//main")[0].text_content()
    assert f"{index} committed" in overview


def entry(notebook: str, title: str, kind: str, **extra) -> dict:
    return {"notebook": notebook, "title": title, "kind": kind, "parameters": {}, **extra}


def test_the_index_marks_failures_and_keeps_ad_hoc_renders_apart(tmp_path):
    entries = {
        "02-theme--theme-a": entry("02-theme.ipynb", "Theme profile: A", "Theme profile", rendered="2024-03-01T10:00:00"),
        "02-theme--theme-b": entry("02-theme.ipynb", "Theme profile: B", "Theme profile", rendered="2024-03-01T10:00:00",
                                   failed={"error": "the cell numbered [5]: ValueError: no", "when": "2024-03-02T09:00:00",
                                           "executed": "failed/02-theme--theme-b.ipynb"}),
        "02-theme--theme-c": entry("02-theme.ipynb", "Theme profile: C", "Theme profile",
                                   failed={"error": "DeadKernelError: gone", "when": "2024-03-02T09:00:00", "executed": ""}),
        "01-overview--top_n-3": entry("01-overview.ipynb", "Overview", "Overview", rendered="2024-03-01T10:00:00",
                                      parameters={"top_n": 3}),
    }
    scheduled = {"02-theme--theme-a", "02-theme--theme-b", "02-theme--theme-c"}
    text = index_page(entries, scheduled, {"amount": 12.5e6, "statement": "Counted 2 of 3.", "data_version": "abc"},
                      [], today=dt.date(2024, 3, 2))
    page = lxml_html.fromstring(text)
    assert page.xpath("//*[@role='alert']/h2")[0].text == "2 report(s) failed on their last run"
    items = {li.text_content().split(" rendered")[0].split("Failed")[0]: li for li in page.xpath("//ul[@class='report-list']/li")}
    assert items["Theme profile: B"].xpath(".//a/@href") == ["02-theme--theme-b.html", "failed/02-theme--theme-b.ipynb"]
    assert "the last good one, rendered 1 March 2024" in items["Theme profile: B"].text_content()
    assert items["Theme profile: C"].xpath(".//a") == [] and "There is no good report yet" in items["Theme profile: C"].text_content()
    assert "Failed" not in items["Theme profile: A"].text_content()
    assert index_sections(page)["Other renders"] == ["Overview"]
    assert page.xpath("//*[@class='headline-figure']")[0].text == "£12.5m"
    assert "No workbook yet" in text


def test_prune_deletes_only_ad_hoc_renders(rendered, tmp_path):
    out = tmp_path / "reports"
    shutil.copytree(rendered, out)
    ad_hoc = make_job(ROOT / "notebooks" / "01-overview.ipynb", {"top_n": 3}).slug
    assert prune_reports(ROOT, out) == [ad_hoc]
    assert not (out / f"{ad_hoc}.html").exists() and not (out / f"{ad_hoc}.ipynb").exists()
    assert (out / "01-overview.html").exists()
    assert ad_hoc not in json.loads((out / CACHE).read_text(encoding="utf-8"))
    assert "Other renders" not in (out / "index.html").read_text(encoding="utf-8")


def test_the_index_headline_shows_a_command_as_code_not_backticks():
    statement = "£2bn of it rests on 1 figure (`funding review` lists them first). <b>not markup</b>"
    text = index_page({}, set(), {"amount": 5e9, "statement": statement, "data_version": "abc"}, [], today=dt.date(2024, 3, 2))
    assert "(<code>funding review</code> lists them first)" in text and "`" not in text
    assert "&lt;b&gt;not markup&lt;/b&gt;" in text
