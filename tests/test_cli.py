"""End to end: the installed `funding` command on the real documents, as a user runs it.

EXPECTED was written by reading the two documents in data/raw/documents/, line by line:
every "£" figure, its line, its value and the word before it that qualifies it.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "data" / "raw" / "documents"
FUNDING = Path(sys.executable).with_name("funding")  # the console script installed beside this Python

GOVT = "govt-response-children-in-crisis"
DFE = "dfe-evidence-psc0062"
M = 10**6

# (source_id, line, text, amount in pounds, qualifier)
EXPECTED = [
    (DFE, 36, "£14m", 14 * M, "over"),  # "is investing over £14m to support their practical implementation"
    (DFE, 38, "£1.2m", 1_200_000, "up to"),  # "a capacity and transformation grant worth up to £1.2m"
    (GOVT, 44, "£500 million", 500 * M, ""),  # "3-year SR settlement – which includes £500 million investment in family services"
    (GOVT, 52, "£500 million", 500 * M, ""),  # "The £500 million Mental Health Recovery Action Plan"
    (GOVT, 58, "£79 million", 79 * M, ""),  # "of which £79 million will be used"
    (GOVT, 62, "£130 million", 130 * M, ""),  # "we have made £130 million available to tackle serious violence"
    (GOVT, 62, "£45 million", 45 * M, "over"),  # "We are also investing over £45 million"
    (GOVT, 64, "£3 million", 3 * M, "over"),  # "the Government is providing over £3 million"
    (GOVT, 82, "£766 million", 766 * M, ""),  # "fell by £766 million in real terms"
    (GOVT, 92, "£4.8 billion", 4_800 * M, ""),  # "providing councils with £4.8 billion of new grant funding"
    (GOVT, 92, "£54 billion", 54_000 * M, "approximately"),  # "approximately £54 billion core spending power"
    (GOVT, 92, "£50 billion", 50_000 * M, ""),  # "up from £50 billion in 2021-22"
    (GOVT, 94, "£1 billion", 1_000 * M, "over"),  # "includes over £1 billion specifically for councils"
    (GOVT, 94, "£822 million", 822 * M, ""),  # "Services Grant worth £822 million"
    (GOVT, 94, "£11.1 billion", 11_100 * M, ""),  # "spending on services for young people and children to £11.1 billion"
    (GOVT, 100, "£500 million", 500 * M, ""),  # "the Chancellor announced a £500 million package of support"
    (GOVT, 102, "£82 million", 82 * M, ""),  # "- funding for a network of family hubs (£82 million);"
    (GOVT, 103, "£50 million", 50 * M, ""),  # "- parenting programmes (£50 million);"
    (GOVT, 104, "£10 million", 10 * M, ""),  # "- local areas to publish their Start for Life offer (£10 million);"
    (GOVT, 105, "£50 million", 50 * M, ""),  # "- breastfeeding support (£50 million);"
    (GOVT, 106, "£100 million", 100 * M, ""),  # "- parent-infant mental health support (£100 million);"
    (GOVT, 107, "£10 million", 10 * M, ""),  # "- workforce pilots (£10 million); and"
    (GOVT, 108, "£200 million", 200 * M, ""),  # "- an additional £200 million towards expanding Supporting Families."
    (GOVT, 110, "£200 million", 200 * M, ""),  # "This additional £200 million for Supporting Families"
    (GOVT, 110, "£695 million", 695 * M, ""),  # "taking total planned investment to £695 million"
    (GOVT, 116, "£560 million", 560 * M, ""),  # "DCMS is also investing £560 million in youth services"
    (GOVT, 116, "£368 million", 368 * M, ""),  # "£368 million of this investment will provide up to 300"
    (GOVT, 118, "£171 million", 171 * M, ""),  # "£171 million is for the National Citizen Service"
    (GOVT, 118, "£22 million", 22 * M, ""),  # "There is £22 million for youth services"
    (GOVT, 158, "£200 million", 200 * M, ""),  # "our £200 million, 10-year investment in the Youth Endowment Fund"
    (GOVT, 180, "£10 million", 10 * M, ""),  # "we are investing £10 million in behaviour hubs"
    (GOVT, 304, "£12 million", 12 * M, ""),  # "the recent £12 million Family Hubs Transformation Fund"
    (GOVT, 340, "£300 million", 300 * M, ""),  # "the recent £300 million announced at Budget"
    (GOVT, 344, "£300 million", 300 * M, ""),  # "This £300 million investment builds on"
    (GOVT, 344, "£39 million", 39 * M, ""),  # "the existing £39 million to champion family hubs"
    (GOVT, 346, "£12 million", 12 * M, ""),  # "- a new £12 million Family Hubs Transformation Fund"
    (GOVT, 352, "£300 million", 300 * M, ""),  # "including delivery of the £300 million investment"
]


def run(*args: str, cwd: Path = ROOT, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(FUNDING), *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8")
    if check and result.returncode != 0:
        raise AssertionError(f"funding {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def mentions() -> list[dict[str, str]]:
    result = run("extract", *sorted(str(p) for p in DOCUMENTS.glob("*.md")))
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_every_mention_of_both_documents(mentions):
    found = [(r["source_id"], int(r["line"]), r["text"], int(r["amount_gbp"]), r["qualifier"]) for r in mentions]
    assert found == EXPECTED


def test_no_ranges_rates_or_foreign_currency_in_the_sources(mentions):
    assert {(r["amount_high_gbp"], r["rate"], r["currency"]) for r in mentions} == {("", "total", "GBP")}


def test_offsets_index_the_document(mentions):
    for row in mentions:
        text = (DOCUMENTS / f"{row['source_id']}.md").read_text(encoding="utf-8")
        start, end = int(row["start"]), int(row["end"])
        assert text[start:end] == row["text"]
        assert text.count("\n", 0, start) + 1 == int(row["line"])


def test_ids_are_unique(mentions):
    assert len({r["mention_id"] for r in mentions}) == len(mentions)


@pytest.mark.parametrize(
    "source, line, text, sentence",
    [
        pytest.param(
            GOVT, 58, "£79 million",
            "The £500 million Mental Health Recovery Action Plan was launched in March 2021 to respond to the "
            "impact of the pandemic on the mental health of the public, of which £79 million will be used to "
            "significantly expand children's mental health services",
            id="across-page-break-and-footnote",
        ),
        pytest.param(
            GOVT, 116, "£368 million",
            "£368 million of this investment will provide up to 300 new or refurbished youth facilities in "
            "deprived areas across the country.",
            id="paragraph-split-across-pages",
        ),
        pytest.param(
            GOVT, 102, "£82 million",
            "This includes: funding for a network of family hubs (£82 million);",
            id="list-item-with-lead-in",
        ),
        pytest.param(
            GOVT, 82, "£766 million",
            "Recommendation 3: Spending on early intervention services in the 20% of local authorities in England "
            "with the highest levels of child poverty fell by £766 million in real terms between 2010 and 2019.",
            id="emphasis-removed",
        ),
        pytest.param(
            DFE, 38, "£1.2m",
            "A third local area partner will be recruited over the summer and all three partners will share access "
            "to a capacity and transformation grant worth up to £1.2m over the financial years 21-22 and 22-23.",
            id="dfe-grant",
        ),
    ],
)
def test_sentences(mentions, source, line, text, sentence):
    row = next(r for r in mentions if (r["source_id"], int(r["line"]), r["text"]) == (source, line, text))
    assert row["sentence"] == sentence


def test_out_writes_tables_with_bom(tmp_path):
    result = run("extract", str(DOCUMENTS / f"{DFE}.md"), "--out", str(tmp_path))
    data = (tmp_path / "mentions.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # so that Excel reads "£" as "£", not "Â£"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["text"] for r in rows] == ["£14m", "£1.2m"]
    assert (tmp_path / "set_aside.csv").read_bytes().decode("utf-8-sig").startswith("source_id,line,page,start,end,text,reason")
    assert "2 mention(s)" in result.stderr


def test_output_is_byte_identical_between_runs(tmp_path):
    paths = sorted(str(p) for p in DOCUMENTS.glob("*.md"))
    run("extract", *paths, "--out", str(tmp_path / "a"))
    run("extract", *reversed(paths), "--out", str(tmp_path / "b"))
    for name in ("mentions.csv", "set_aside.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_json_format(tmp_path):
    result = run("extract", str(DOCUMENTS / f"{DFE}.md"), "--format", "json")
    records = json.loads(result.stdout)
    assert [(r["text"], r["amount_gbp"], r["amount_high_gbp"], r["line"]) for r in records] == [
        ("£14m", 14_000_000, None, 36),
        ("£1.2m", 1_200_000, None, 38),
    ]


def test_bad_documents_are_reported_and_the_rest_go_on(tmp_path):
    (tmp_path / "good.md").write_text("We invest £5m.", encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\x00\x01")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)))
    (tmp_path / "empty.md").write_bytes(b"")
    result = run("extract", "good.md", "scan.pdf", "blob.bin", "empty.md", "missing.md", cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert [r["text"] for r in csv.DictReader(io.StringIO(result.stdout))] == ["£5m"]
    for name, reason in [("scan.pdf", "is a PDF"), ("blob.bin", "is binary"), ("missing.md", "no such file")]:
        assert f"{name}: {reason}" in result.stderr
    assert "3 document(s) could not be read" in result.stderr


def test_set_aside_markers_are_listed(tmp_path):
    (tmp_path / "doc.md").write_text("Costs are in £s.\n\nWe give £5m.", encoding="utf-8")
    run("extract", str(tmp_path / "doc.md"), "--out", str(tmp_path / "out"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "set_aside.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["line"], r["text"], r["reason"]) for r in rows] == [("1", "£s.", "currency marker not followed by an amount")]


def test_windows_crlf_html_and_mojibake_documents(tmp_path):
    (tmp_path / "win.txt").write_bytes("Line one.\r\nWe give \xa35m.\r\n".encode("latin-1"))
    (tmp_path / "page.html").write_text("<html><body><h1>T</h1><p>A grant of &pound;2m.</p></body></html>", encoding="utf-8")
    (tmp_path / "moji.md").write_bytes("A grant of Â£3m.".encode("utf-8"))
    result = run("extract", "win.txt", "page.html", "moji.md", cwd=tmp_path)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["source_id"], r["line"], r["text"], r["amount_gbp"]) for r in rows] == [
        ("moji", "1", "£3m", "3000000"),
        ("page", "3", "£2m", "2000000"),
        ("win", "2", "£5m", "5000000"),
    ]
    decoded = run("text", "page.html", cwd=tmp_path).stdout
    page = next(r for r in rows if r["source_id"] == "page")
    assert decoded[int(page["start"]) : int(page["end"])] == "£2m"


def test_help_explains_every_option():
    top = run("--help").stdout
    assert "extract" in top and "text" in top
    extract = run("extract", "--help").stdout
    for option in ("--out", "--format", "PATH", "set_aside.csv", "mention_id"):
        assert option in extract


def test_python_dash_m_works():
    result = subprocess.run([sys.executable, "-m", "funding", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("funding ")


def test_usage_error_exits_2():
    assert run("extract", check=False).returncode == 2


def test_unwritable_out_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("extract", str(DOCUMENTS / f"{DFE}.md"), "--out", str(blocker / "sub"), check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and str(blocker) in result.stderr


# -- funding build ----------------------------------------------------------------------------

import shutil  # noqa: E402


@pytest.fixture
def project(tmp_path):
    """A copy of the project's data, to build in without touching the real one."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


def test_build_check_passes_on_committed_tables():
    result = run("build", "--check")
    assert "is up to date" in result.stderr


def test_build_is_deterministic_and_check_sees_staleness(project):
    clean = project / "data" / "clean"
    before = {p.name: p.read_bytes() for p in clean.iterdir() if p.is_file()}
    run("build", cwd=project)
    assert {p.name: p.read_bytes() for p in clean.iterdir() if p.is_file()} == before
    (clean / "commitments.csv").write_bytes(before["commitments.csv"].replace(b"DCMS", b"DfE"))
    result = run("build", "--check", cwd=project, check=False)
    assert result.returncode == 1 and "commitments.csv" in result.stderr


def test_failed_build_leaves_previous_tables_intact(project):
    clean = project / "data" / "clean"
    before = {p.name: p.read_bytes() for p in clean.iterdir() if p.is_file()}
    with open(project / "data" / "raw" / "review.csv", "a", encoding="utf-8") as handle:
        handle.write("c000000000000,theme,youth,a typo\n")
    result = run("build", cwd=project, check=False)
    assert result.returncode == 1
    assert "review.csv, line" in result.stderr and "field 'id'" in result.stderr
    assert "nothing written" in result.stderr
    assert {p.name: p.read_bytes() for p in clean.iterdir() if p.is_file()} == before


def test_deleted_tables_are_rebuilt(project):
    clean = project / "data" / "clean"
    expected = (clean / "mentions.csv").read_bytes()
    for path in clean.glob("*.csv"):
        path.unlink()
    run("build", cwd=project)
    assert (clean / "mentions.csv").read_bytes() == expected


def test_extract_out_writes_every_table_without_review(tmp_path):
    paths = sorted(str(p) for p in DOCUMENTS.glob("*.md"))
    result = run("extract", *paths, "--out", str(tmp_path), "--published", "2022-02-15", "-q")
    assert result.stderr == ""
    assert {p.name for p in tmp_path.iterdir()} >= {"mentions.csv", "commitments.csv", "relations.csv", "commitment_years.csv", "packages.csv", "set_aside.csv", "datapackage.json"}
    rows = list(csv.DictReader(io.StringIO((tmp_path / "commitments.csv").read_text(encoding="utf-8-sig"))))
    assert rows and all(r["reviewed"] == "false" for r in rows)


def test_bad_published_date_is_a_usage_error():
    result = run("extract", str(DOCUMENTS / f"{DFE}.md"), "--out", "/tmp/never", "--published", "15/02/2022", check=False)
    assert result.returncode == 2 and "is not a date (YYYY-MM-DD)" in result.stderr


@pytest.mark.parametrize("options", [["--jobs", "1"], ["--jobs", "2"], ["--jobs", "2", "--no-cache"]], ids=["one-job", "two-jobs", "two-jobs-no-cache"])
def test_build_gives_the_committed_tables_whatever_the_jobs_and_cache(project, options):
    shutil.rmtree(project / "data" / ".cache", ignore_errors=True)
    run("build", *options, cwd=project)  # fills the cache (but not with --no-cache)
    result = run("build", "--check", *options, cwd=project)
    assert "is up to date" in result.stderr
    assert (project / "data" / ".cache").exists() == ("--no-cache" not in options)


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_build_jobs_must_be_a_positive_whole_number(project, jobs):
    result = run("build", "--jobs", jobs, cwd=project, check=False)
    assert result.returncode == 2 and "must be a whole number, 1 or more" in result.stderr


def _add_unreadable_document(project: Path) -> None:
    raw = project / "data" / "raw"
    (raw / "documents" / "zz-scan.md").write_bytes(b"\x00\x01\x02 not text")
    with open(raw / "sources.csv", "a", encoding="utf-8") as handle:
        handle.write("zz-scan,documents/zz-scan.md,A scan,test,,2022-01-01,2022-01-01,false,,,,,,,\n")


def test_build_sets_an_unreadable_document_aside_and_builds_the_others(project):
    clean = project / "data" / "clean"
    mentions = (clean / "mentions.csv").read_bytes()
    _add_unreadable_document(project)
    result = run("build", cwd=project)
    assert "zz-scan.md: is binary" in result.stderr and "1 document(s) not read" in result.stderr
    assert (clean / "mentions.csv").read_bytes() == mentions  # the two real documents, as before
    rows = list(csv.DictReader(io.StringIO((clean / "set_aside.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["source_id"], r["text"], r["reason"][:17]) for r in rows] == [("zz-scan", "zz-scan.md", "document not read")]
    sources = {r["source_id"]: r for r in csv.DictReader(io.StringIO((clean / "sources.csv").read_text(encoding="utf-8-sig")))}
    assert (sources["zz-scan"]["format"], sources["zz-scan"]["dated_by"], sources["zz-scan"]["title"]) == ("", "not read (see set_aside.csv)", "A scan")


def test_build_strict_refuses_an_unreadable_document_and_writes_nothing(project):
    clean = project / "data" / "clean"
    before = {p.name: p.read_bytes() for p in clean.iterdir() if p.is_file()}
    _add_unreadable_document(project)
    result = run("build", "--strict", cwd=project, check=False)
    assert result.returncode == 1 and "--strict: 1 document(s) could not be read: zz-scan.md" in result.stderr
    assert {p.name: p.read_bytes() for p in clean.iterdir() if p.is_file()} == before


def test_a_saved_govuk_page_dropped_into_documents_builds_with_its_own_date_and_department(project):
    shutil.copy(ROOT / "tests" / "fixtures" / "web" / "govuk-press-release.html", project / "data" / "raw" / "documents")
    result = run("build", cwd=project)
    assert "1 document(s) with no row in sources.csv (title and date taken from what each states of itself, where it does): govuk-press-release.html" in result.stderr
    clean = project / "data" / "clean"
    sources = {r["source_id"]: r for r in csv.DictReader(io.StringIO((clean / "sources.csv").read_text(encoding="utf-8-sig")))}
    page = sources["govuk-press-release"]
    # the page says: "Published 12 March 2024", "From: Department for Transport, HM Treasury"
    assert (page["published_from"], page["publisher"], page["format"], page["listed"]) == ("2024-03-12", "Department for Transport; HM Treasury", "govuk", "false")
    commitments = list(csv.DictReader(io.StringIO((clean / "commitments.csv").read_text(encoding="utf-8-sig"))))
    fund = [c for c in commitments if c["source_id"] == "govuk-press-release" and c["amount_gbp"] == "42000000"]
    assert len(fund) == 1 and fund[0]["department"] == "DfT" and fund[0]["n_mentions"] == "4"


def test_a_pdf_a_word_file_and_a_govuk_page_dropped_in_build_with_pages_and_dates(project):
    fixtures = ROOT / "tests" / "fixtures"
    for path in ("documents/briefing.pdf", "documents/grant_notice.docx", "web/govuk-html-publication.html"):
        shutil.copy(fixtures / path, project / "data" / "raw" / "documents")
    run("build", cwd=project)
    clean = project / "data" / "clean"
    sources = {r["source_id"]: r for r in csv.DictReader(io.StringIO((clean / "sources.csv").read_text(encoding="utf-8-sig")))}
    assert {s: (r["format"], r["pages"], r["listed"]) for s, r in sources.items() if r["listed"] == "false"} == {
        "briefing": ("pdf", "4", "false"), "grant_notice": ("docx", "", "false"), "govuk-html-publication": ("govuk", "", "false")}
    # the page says "Published 1 July 2024"; the PDF's file date is not a publication date, and the Word file states none
    assert sources["govuk-html-publication"]["published_from"] == "2024-07-01"
    assert sources["briefing"]["published_from"] == "" and sources["briefing"]["dated_by"].startswith("the dates its parts state (the file was made on")
    mentions = list(csv.DictReader(io.StringIO((clean / "mentions.csv").read_text(encoding="utf-8-sig"))))
    pages = {m["text"]: m["page"] for m in mentions if m["source_id"] == "briefing"}
    # make_documents.py: £45 million ends page 2, its sentence running onto page 3; the £750,000 footnote is on page 1
    assert (pages["£45 million"], pages["£750,000"], pages["£12.5 million"]) == ("2", "1", "1")
    assert {m["page"] for m in mentions if m["source_id"] != "briefing"} == {""}


def test_text_takes_a_source_id_of_the_project():
    by_id = run("text", DFE)
    assert by_id.stdout == (DOCUMENTS / f"{DFE}.md").read_text(encoding="utf-8")
    missing = run("text", "no-such-document", check=False)
    assert missing.returncode == 1 and "no-such-document: cannot be read" in missing.stderr
