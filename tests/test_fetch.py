"""`funding fetch` against a local HTTP server serving hand-written answers in the APIs' shapes.

Never the network: every base points at 127.0.0.1. The fixtures (tests/fixtures/fetch/, see its
README) are invented; every expected value below is read off them by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from funding.fetch import AddressError, Bases, FetchError, Fetcher, RateLimiter, fetch, parse_address, speaker_for
from funding.rawcsv import read_rows
from funding.read import DocumentError, Metadata, read_document
from funding.reference import load_reference

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "fetch"
GOVUK_URL = "https://www.gov.uk/government/news/rural-bus-shelter-grants-open"
QUESTION_URL = "https://questions-statements.parliament.uk/written-questions/detail/2024-01-08/40123"
SEARCH_URL = "https://writtenquestions-api.parliament.uk/api/writtenquestions/questions?uin=40123&tabledWhenFrom=2024-01-08"
PAGE_FILE = "documents/rural-bus-shelter-grants-open.json"
PDF_FILE = "documents/rural-bus-shelter-grants-open--shelter-grant-guidance.pdf"
QUESTION_FILE = "documents/wq-2024-01-08-40123.json"

GOVUK_JSON = (FIXTURES / "govuk-shelter-grants.json").read_bytes()
QUESTION_JSON = (FIXTURES / "written-question.json").read_bytes()
PDF = (FIXTURES / "attachment.pdf").read_bytes()


class Server:
    """A local HTTP server: each path answers from a list of (status, headers, body), the last one repeated."""

    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[int, dict[str, str], bytes]]] = {}
        self.hits: dict[str, int] = {}
        self.times: list[float] = []
        self.agents: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server name)
                owner.hits[self.path] = owner.hits.get(self.path, 0) + 1
                owner.times.append(time.monotonic())
                owner.agents.append(self.headers.get("User-Agent", ""))
                answers = owner.routes.get(self.path) or [(404, {}, b'{"error": {"code": "not_found"}}')]
                status, headers, body = answers.pop(0) if len(answers) > 1 else answers[0]
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.bases = Bases(f"{self.base}/api/content", f"{self.base}/assets", f"{self.base}/wq")

    def add(self, path: str, *answers: tuple[int, dict[str, str], bytes]) -> None:
        self.routes[path] = list(answers)

    def requests(self) -> int:
        return sum(self.hits.values())


@pytest.fixture
def server():
    srv = Server()
    srv.add("/api/content/government/news/rural-bus-shelter-grants-open", (200, {}, GOVUK_JSON))
    srv.add("/assets/media/64a1b2c3d4e5f6a7b8c9d0e1/shelter-grant-guidance.pdf", (200, {"Content-Type": "application/pdf"}, PDF))
    srv.add("/wq/questions/2024-01-08/40123", (200, {}, QUESTION_JSON))
    srv.add("/wq/questions/1790001", (200, {}, QUESTION_JSON))
    srv.add("/wq/questions?uin=40123&tabledWhenFrom=2024-01-08", (200, {}, (FIXTURES / "written-questions-search.json").read_bytes()))
    thread = threading.Thread(target=srv.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


@pytest.fixture
def project(tmp_path):
    """A project folder holding a copy of data/raw (the reference tables and two documents)."""
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    return tmp_path


def fetcher(project: Path, **options) -> Fetcher:
    """A fetcher with its own limiter and short backoff, caching in the project's data/.cache/http."""
    return Fetcher(project / "data" / ".cache" / "http", backoff=0.05, limiter=RateLimiter(10), **options)


def dead_address() -> str:
    """http://127.0.0.1:PORT where nothing listens (the port was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def new_rows(raw: Path) -> dict[str, dict[str, str]]:
    return {row["file"]: row for _line, row in read_rows(raw / "sources.csv", ("file",))}


# -- GOV.UK ------------------------------------------------------------------------------------


def test_govuk_page_and_its_pdf_are_saved_unchanged_with_their_rows(project, server):
    raw = project / "data" / "raw"
    before = (raw / "sources.csv").read_bytes()
    results = fetch([GOVUK_URL], raw, attachments=True, bases=server.bases, fetcher=fetcher(project))
    assert results == [(PAGE_FILE, "saved"), (PDF_FILE, "saved")]
    assert (raw / PAGE_FILE).read_bytes() == GOVUK_JSON
    assert (raw / PDF_FILE).read_bytes() == PDF
    # only the PDF attachment is fetched: not the CSV, not the HTML one
    assert sorted(server.hits) == [
        "/api/content/government/news/rural-bus-shelter-grants-open",
        "/assets/media/64a1b2c3d4e5f6a7b8c9d0e1/shelter-grant-guidance.pdf",
    ]
    assert all(agent.startswith("funding/0.1.0") for agent in server.agents)
    after = (raw / "sources.csv").read_bytes()
    assert after.startswith(before)  # the rows already there are untouched; two lines appended
    assert after[len(before):].count(b"\n") == 2
    rows = new_rows(raw)
    page = {
        "source_id": "rural-bus-shelter-grants-open", "file": PAGE_FILE, "title": "Rural bus shelter grants open",
        "publisher": "Department for Transport; Shelter Standards Agency", "document_type": "GOV.UK news story",
        # 23:30 UTC on 31 March 2023 is 00:30 on 1 April in London (summer time): financial year 2023-24
        "published_from": "2023-04-01", "published_to": "2023-04-01", "date_estimated": "false",
        "financial_year": "2023-24",
        "date_basis": "first_published_at of https://www.gov.uk/government/news/rural-bus-shelter-grants-open "
        "from the GOV.UK Content API, as the day in London",
        "speaker": "DfT", "licence": "Open Government Licence v3.0", "responds_to": "",
        "sha256": hashlib.sha256(GOVUK_JSON).hexdigest(),
        "url": "https://www.gov.uk/government/news/rural-bus-shelter-grants-open",
    }
    assert rows[PAGE_FILE] == page
    assert rows[PDF_FILE] == page | {
        "source_id": "rural-bus-shelter-grants-open--shelter-grant-guidance", "file": PDF_FILE,
        "title": "Shelter grant guidance", "document_type": "PDF attachment to a GOV.UK news story",
        "date_basis": "first_published_at of the GOV.UK page it is attached to "
        "(https://www.gov.uk/government/news/rural-bus-shelter-grants-open), from the Content API, as the day in London",
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "url": "https://assets.publishing.service.gov.uk/media/64a1b2c3d4e5f6a7b8c9d0e1/shelter-grant-guidance.pdf",
    }
    ref = load_reference(raw)  # what `funding build` reads accepts the rows
    source = ref.sources["rural-bus-shelter-grants-open"]
    assert (source.published_from, source.speaker, source.date_estimated) == (dt.date(2023, 4, 1), "DfT", False)
    assert "rural-bus-shelter-grants-open--shelter-grant-guidance" in ref.sources


def test_saved_govuk_json_reads_as_the_page(project, server):
    raw = project / "data" / "raw"
    fetch([GOVUK_URL], raw, bases=server.bases, fetcher=fetcher(project))
    document = read_document(raw / PAGE_FILE)
    assert document.text.startswith(
        "# Rural bus shelter grants open\n\n"
        "Councils can now bid for a share of £7.5 million to replace worn-out rural bus shelters.\n\n"
        "From: Department for Transport; Shelter Standards Agency\n\n"
        "Published 1 April 2023\nLast updated 3 April 2023\n\n"
        "The Department for Transport is investing £7.5 million in new shelters at rural bus stops over the next two years.\n\n"
        "## How to apply\n\n"
        "Each council may bid for up to £20,000 a shelter. Bids close on 30 June 2023.\n"
    )
    assert "- bids from single councils\n" in document.text and "- joint bids from neighbouring councils\n" in document.text
    assert "<" not in document.text  # no markup left
    assert document.kind == "json" and document.source_id == "rural-bus-shelter-grants-open"
    assert document.meta == Metadata(
        title="Rural bus shelter grants open", publisher="Department for Transport; Shelter Standards Agency",
        published=dt.date(2023, 4, 1), updated=dt.date(2023, 4, 3),
        url="https://www.gov.uk/government/news/rural-bus-shelter-grants-open", licence="Open Government Licence v3.0",
        document_type="news_story",  # the Content API's own type, evidence of the document's kind
    )


# -- written questions --------------------------------------------------------------------------

QUESTION_TEXT = (
    "# Bus Shelters: Rural Areas\n\n"
    "Question 40123, tabled on 8 January 2024\n\n"
    "Question to the Department for Transport:\n\n"
    "To ask the Secretary of State for Transport, how much funding his Department has allocated to rural bus "
    "shelter grants in 2024-25.\n\n"
    "Answered on 15 January 2024\n\n"
    "The Department has allocated £3.2 million to rural bus shelter grants in 2024-25.\n\n"
    "A further round will open in the autumn.\n"
)


def test_written_question_is_saved_with_its_row_and_reads_back(project, server):
    raw = project / "data" / "raw"
    assert fetch([QUESTION_URL], raw, bases=server.bases, fetcher=fetcher(project)) == [(QUESTION_FILE, "saved")]
    assert (raw / QUESTION_FILE).read_bytes() == QUESTION_JSON
    assert server.hits == {"/wq/questions/2024-01-08/40123": 1}
    assert new_rows(raw)[QUESTION_FILE] == {
        "source_id": "wq-2024-01-08-40123", "file": QUESTION_FILE,
        "title": "Bus Shelters: Rural Areas – written question 40123", "publisher": "Department for Transport",
        "document_type": "written question and answer", "published_from": "2024-01-15", "published_to": "2024-01-15",
        "date_estimated": "false", "financial_year": "2023-24",
        "date_basis": "dateAnswered of https://questions-statements.parliament.uk/written-questions/detail/2024-01-08/40123 "
        "from the UK Parliament Written Questions API",
        "speaker": "DfT", "licence": "Open Parliament Licence v3.0", "responds_to": "",
        "sha256": hashlib.sha256(QUESTION_JSON).hexdigest(),
        "url": "https://questions-statements.parliament.uk/written-questions/detail/2024-01-08/40123",
    }
    assert load_reference(raw).sources["wq-2024-01-08-40123"].published_to == dt.date(2024, 1, 15)
    document = read_document(raw / QUESTION_FILE)
    assert document.text == QUESTION_TEXT
    assert document.meta == Metadata(
        title="Bus Shelters: Rural Areas", publisher="Department for Transport", published=dt.date(2024, 1, 15),
        updated=None, url=QUESTION_URL, licence="Open Parliament Licence v3.0",
    )


def test_written_question_by_its_api_search_address(project, server):
    raw = project / "data" / "raw"
    assert fetch([SEARCH_URL], raw, bases=server.bases, fetcher=fetcher(project)) == [(QUESTION_FILE, "saved")]
    # the search finds the id, then the whole question is read (a search result's answer may be cut short)
    assert server.hits == {"/wq/questions?uin=40123&tabledWhenFrom=2024-01-08": 1, "/wq/questions/1790001": 1}
    assert (raw / QUESTION_FILE).read_bytes() == QUESTION_JSON


# -- the network: retries, throttling, failures, cache ------------------------------------------------


def test_429_is_retried_after_the_wait_it_asks_for(project, server):
    server.add("/wq/questions/2024-01-08/40123", (429, {"Retry-After": "1"}, b'{"error": "slow down"}'), (200, {}, QUESTION_JSON))
    start = time.monotonic()
    assert fetch([QUESTION_URL], project / "data" / "raw", bases=server.bases, fetcher=fetcher(project)) == [(QUESTION_FILE, "saved")]
    assert time.monotonic() - start >= 1.0
    assert server.hits == {"/wq/questions/2024-01-08/40123": 2}
    assert server.times[1] - server.times[0] >= 1.0


def test_server_errors_that_persist_stop_with_a_clear_message(project, server):
    server.add("/wq/questions/2024-01-08/40123", (503, {}, b"down"))
    before = snapshot(project)
    with pytest.raises(FetchError, match=r"HTTP 503 .*4 times; try again later"):
        fetch([QUESTION_URL], project / "data" / "raw", bases=server.bases, fetcher=fetcher(project))
    assert server.hits == {"/wq/questions/2024-01-08/40123": 4}
    assert snapshot(project) == before


def test_requests_are_throttled_to_ten_a_second(project, server):
    limiter = RateLimiter(10)
    start = time.monotonic()
    for _ in range(6):
        limiter.wait()
    assert time.monotonic() - start >= 0.5 - 0.01
    fetch([GOVUK_URL, QUESTION_URL], project / "data" / "raw", attachments=True, bases=server.bases, fetcher=fetcher(project))
    gaps = [later - earlier for earlier, later in zip(server.times, server.times[1:])]
    assert len(gaps) == 2 and min(gaps) >= 0.09


def test_not_found_names_the_address_and_writes_nothing(project, server):
    before = snapshot(project)
    missing = "https://www.gov.uk/government/news/no-such-story"
    with pytest.raises(FetchError) as caught:
        fetch([QUESTION_URL, missing], project / "data" / "raw", bases=server.bases, fetcher=fetcher(project))
    assert str(caught.value).startswith(f"{missing}: not found (HTTP 404)")
    assert snapshot(project) == before  # not even the question fetched first, nor the cache


def test_offline_is_one_clear_message_and_nothing_changes(project):
    dead = dead_address()
    before = snapshot(project)
    with pytest.raises(FetchError) as caught:
        fetch([GOVUK_URL], project / "data" / "raw", bases=Bases(f"{dead}/api/content", dead, dead), fetcher=fetcher(project))
    assert str(caught.value).startswith(f"{GOVUK_URL}: the server refused the connection")
    assert snapshot(project) == before


def test_cache_is_reused_unless_refresh(project, server):
    raw = project / "data" / "raw"
    fetch([GOVUK_URL], raw, attachments=True, bases=server.bases, fetcher=fetcher(project))
    assert server.requests() == 2
    again = fetch([GOVUK_URL], raw, attachments=True, bases=server.bases, fetcher=fetcher(project))
    assert again == [(PAGE_FILE, "unchanged"), (PDF_FILE, "unchanged")]
    assert server.requests() == 2  # both answers came from data/.cache/http
    assert len(list((project / "data" / ".cache" / "http").glob("*.body"))) == 2
    fetch([GOVUK_URL], raw, attachments=True, bases=server.bases, fetcher=fetcher(project, refresh=True))
    assert server.requests() == 4


def test_a_changed_page_is_refused_unless_force(project, server):
    raw = project / "data" / "raw"
    fetch([GOVUK_URL], raw, bases=server.bases, fetcher=fetcher(project))
    changed = GOVUK_JSON.replace(b"Rural bus shelter grants open", b"Rural bus shelter grants now open")
    server.add("/api/content/government/news/rural-bus-shelter-grants-open", (200, {}, changed))
    before = snapshot(project)
    with pytest.raises(FetchError, match="already holds other bytes.*--force"):
        fetch([GOVUK_URL], raw, bases=server.bases, fetcher=fetcher(project, refresh=True))
    assert snapshot(project) == before
    assert fetch([GOVUK_URL], raw, force=True, bases=server.bases, fetcher=fetcher(project, refresh=True)) == [(PAGE_FILE, "replaced")]
    assert (raw / PAGE_FILE).read_bytes() == changed
    rows = [row for _line, row in read_rows(raw / "sources.csv", ("file",)) if row["file"] == PAGE_FILE]
    assert [(r["title"], r["sha256"]) for r in rows] == [("Rural bus shelter grants now open", hashlib.sha256(changed).hexdigest())]
    load_reference(raw)


def test_an_edited_row_is_refused_unless_force(project, server):
    raw = project / "data" / "raw"
    fetch([QUESTION_URL], raw, bases=server.bases, fetcher=fetcher(project))
    sources = raw / "sources.csv"
    sources.write_bytes(sources.read_bytes().replace(b",DfT,Open Parliament", b",HMT,Open Parliament"))
    with pytest.raises(FetchError, match=r"line 4: the row for documents/wq-2024-01-08-40123.json differs .*\(speaker\)"):
        fetch([QUESTION_URL], raw, bases=server.bases, fetcher=fetcher(project))
    assert fetch([QUESTION_URL], raw, force=True, bases=server.bases, fetcher=fetcher(project)) == [(QUESTION_FILE, "row replaced")]
    assert new_rows(raw)[QUESTION_FILE]["speaker"] == "DfT"


def test_rows_follow_a_sources_file_saved_by_excel(project, server):
    """A byte-order mark and CRLF line ends (Excel's "CSV UTF-8") are kept, and the new row follows them."""
    sources = project / "data" / "raw" / "sources.csv"
    excel = b"\xef\xbb\xbf" + sources.read_bytes().replace(b"\n", b"\r\n")
    sources.write_bytes(excel)
    fetch([QUESTION_URL], project / "data" / "raw", bases=server.bases, fetcher=fetcher(project))
    after = sources.read_bytes()
    assert after.startswith(excel) and after.endswith(b"\r\n") and after.count(b"\r\n") == excel.count(b"\r\n") + 1
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert "wq-2024-01-08-40123" in load_reference(project / "data" / "raw").sources


def test_an_address_it_cannot_fetch_is_refused_before_any_request(project, server):
    with pytest.raises(AddressError, match="not an address funding can fetch"):
        fetch([GOVUK_URL, "https://example.org/news"], project / "data" / "raw", bases=server.bases, fetcher=fetcher(project))
    assert server.requests() == 0


@pytest.mark.parametrize(
    "url, kind, path",
    [
        pytest.param("https://www.gov.uk/government/news/a-story/", "govuk", "/government/news/a-story", id="gov.uk page"),
        pytest.param("https://www.gov.uk/api/content/guidance/x", "govuk", "/guidance/x", id="content api address"),
        pytest.param(QUESTION_URL, "question", "/questions/2024-01-08/40123", id="question page"),
        pytest.param("https://writtenquestions-api.parliament.uk/api/writtenquestions/questions/1790001", "question",
                     "/questions/1790001", id="question api id"),
    ],
)
def test_addresses(url, kind, path):
    target = parse_address(url)
    assert (target.kind, target.path) == (kind, path)


def test_speaker_is_the_department_in_force(project):
    departments = load_reference(project / "data" / "raw", with_sources=False).departments
    # "&" for "and"; an agency not in departments.csv is passed over
    assert speaker_for(["Department for Environment, Food & Rural Affairs", "Some Agency"], dt.date(2020, 1, 1), departments) == "DEFRA"
    # two departments were called MHCLG: the one in force is given by its dept_id
    assert speaker_for(["Ministry of Housing, Communities and Local Government"], dt.date(2019, 5, 1), departments) == "MHCLG-2018"
    assert speaker_for(["HM Treasury", "Cabinet Office"], dt.date(2020, 1, 1), departments) == ""  # joint: no one "we"
    assert speaker_for(["Shelter Standards Agency"], dt.date(2020, 1, 1), departments) == ""


# -- the reader refuses JSON of neither shape -------------------------------------------------------


def test_json_of_neither_shape_is_a_document_error(tmp_path):
    other = tmp_path / "other.json"
    other.write_text('{"items": [1, 2]}', encoding="utf-8")
    with pytest.raises(DocumentError, match=r"other\.json: is JSON but neither a GOV.UK Content API item"):
        read_document(other)
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": ', encoding="utf-8")
    with pytest.raises(DocumentError, match=r"broken\.json: is not valid JSON"):
        read_document(broken)


def test_braces_in_a_text_document_stay_text(tmp_path):
    note = tmp_path / "note.md"
    note.write_text("{draft} We are investing £5m.\n", encoding="utf-8")
    assert read_document(note).text == "{draft} We are investing £5m.\n"


# -- end to end: the command, then the build ----------------------------------------------------------


def test_funding_fetch_command_then_build(project, server):
    env = {
        **os.environ, "PYTHONPATH": str(ROOT / "src"),
        "FUNDING_GOVUK_API": server.bases.govuk_api, "FUNDING_GOVUK_ASSETS": server.bases.govuk_assets,
        "FUNDING_PARLIAMENT_API": server.bases.parliament_api,
    }
    result = subprocess.run(
        [sys.executable, "-m", "funding", "fetch", GOVUK_URL, QUESTION_URL], cwd=project, env=env,
        capture_output=True, text=True, encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    assert "[1/2]" in result.stderr and "[2/2]" in result.stderr
    assert f"{PAGE_FILE}: saved" in result.stderr and f"{QUESTION_FILE}: saved" in result.stderr
    built = subprocess.run(
        [sys.executable, "-m", "funding", "build", "--root", str(project), "--jobs", "1", "--no-cache"], env=env,
        capture_output=True, text=True, encoding="utf-8",
    )
    assert built.returncode == 0, built.stderr
    mentions = [row for _line, row in read_rows(project / "data" / "clean" / "mentions.csv", ("source_id",))]
    found = {(m["source_id"], m["text"]) for m in mentions}
    assert {("rural-bus-shelter-grants-open", "£7.5 million"), ("rural-bus-shelter-grants-open", "£20,000"),
            ("wq-2024-01-08-40123", "£3.2 million")} <= found

    offline = subprocess.run(
        [sys.executable, "-m", "funding", "fetch", "--refresh", GOVUK_URL], cwd=project,
        env=env | {"FUNDING_GOVUK_API": f"{dead_address()}/api/content"}, capture_output=True, text=True, encoding="utf-8",
    )
    assert offline.returncode == 1
    assert f"error: {GOVUK_URL}: the server refused the connection" in offline.stderr and "nothing changed" in offline.stderr
    assert "Traceback" not in offline.stderr
