"""Fetch GOV.UK pages and written answers through the publishers' APIs into data/raw/, each with its sources.csv row.

``funding fetch URL...`` takes

- a GOV.UK address, ``https://www.gov.uk/<path>`` (or ``https://www.gov.uk/api/content/<path>``),
  read through the GOV.UK Content API (``https://www.gov.uk/api/content/<path>``);
- a written question, ``https://questions-statements.parliament.uk/written-questions/detail/<date>/<uin>``
  or one of its Written Questions API addresses (``.../api/writtenquestions/questions/{id}``,
  ``.../questions/{date}/{uin}``, ``.../questions?uin=...&tabledWhenFrom=...``).

What is saved is the API's response body, byte for byte as received, under
``data/raw/documents/`` (``<last part of the page's path>.json``; ``wq-<date tabled>-<uin>.json``
for a written question). The JSON rather than the HTML page, because it is the publisher's
own record of the document: the text without navigation, banners or cookie notices, and the
dates and organisations as fields rather than as words to be found on a page (the web page is
rebuilt from the JSON by ``funding.read.api``). ``--attachments`` also saves a GOV.UK page's
PDF attachments (``<page>--<file>.pdf``), each with its own row.

Every file is checked before anything is written: a document already saved with the same bytes
and the same row is left as it is; one with other bytes, or a row that says otherwise, is an
error unless ``force``. The documents and the new sources.csv are written only after every
address was fetched, so a failure (offline, a 404, a server that keeps refusing) changes
nothing on disk.

Requests share one limiter (at most 10 a second, the Content API's published limit), identify
the tool (User-Agent ``funding/<version>``), time out, and are retried with backoff on 429 and
5xx, honouring Retry-After. Answers are cached under ``data/.cache/http/`` by URL and reused
unless ``refresh``. The API bases can be changed for tests with the environment variables in
``ENVIRONMENT``.
"""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import hashlib
import http.client
import io
import json
import logging
import os
import re
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from funding import __version__
from funding.annotate.attribute import department_called
from funding.years import financial_year_of, fy_label
from funding.rawcsv import RawFileError, read_rows
from funding.read.api import GOVUK_LICENCE, GOVUK_WEB, PARLIAMENT_LICENCE, london_date, parse_api_json, read_api
from funding.read.errors import DocumentError
from funding.reference import Department, ReferenceError, load_reference

__all__ = [
    "AddressError", "Bases", "ENVIRONMENT", "FetchError", "Fetched", "Fetcher", "RateLimiter", "SOURCE_COLUMNS",
    "fetch", "parse_address", "speaker_for",
]

log = logging.getLogger("funding")

#: Environment variables that move an API (for tests against a local server), with their defaults.
ENVIRONMENT = {
    "FUNDING_GOVUK_API": "https://www.gov.uk/api/content",
    "FUNDING_GOVUK_ASSETS": "https://assets.publishing.service.gov.uk",
    "FUNDING_PARLIAMENT_API": "https://writtenquestions-api.parliament.uk/api/writtenquestions",
}
#: The columns of sources.csv, in the order a new file gets them (data/raw/README.md).
SOURCE_COLUMNS = (
    "source_id", "file", "title", "publisher", "document_type", "published_from", "published_to", "date_estimated",
    "financial_year", "date_basis", "speaker", "licence", "responds_to", "sha256",
)
RATE = 10.0  # requests a second: the GOV.UK Content API's limit, kept for every host
TIMEOUT = 30.0  # seconds for a connection or a read
ATTEMPTS = 4  # tries of one request that meets 429 or 5xx
MAX_WAIT = 120.0  # seconds: a longer Retry-After is an error ("try again later"), not a hang
CACHE = Path(".cache") / "http"  # beside data/raw: data/.cache/http

_GOVUK_HOSTS = {"www.gov.uk", "gov.uk"}
_QUESTIONS_HOST = "questions-statements.parliament.uk"
_PARLIAMENT_API_HOST = "writtenquestions-api.parliament.uk"
_ASSETS_DEFAULT = ENVIRONMENT["FUNDING_GOVUK_ASSETS"]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UIN = re.compile(r"[A-Za-z0-9]+")


class FetchError(Exception):
    """An address that could not be fetched or saved; the message names it and says why."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


class AddressError(FetchError):
    """An address that is neither a GOV.UK page nor a written question: a mistake in the command."""


# --- addresses -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bases:
    """Where each API is; the real services unless the environment says otherwise."""

    govuk_api: str = ENVIRONMENT["FUNDING_GOVUK_API"]
    govuk_assets: str = ENVIRONMENT["FUNDING_GOVUK_ASSETS"]
    parliament_api: str = ENVIRONMENT["FUNDING_PARLIAMENT_API"]

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Bases:
        env = os.environ if environ is None else environ
        return cls(*(env.get(name) or default for name, default in ENVIRONMENT.items()))


@dataclass(frozen=True)
class Target:
    """One address given, parsed: a GOV.UK path, or a written question by id, date and uin, or search."""

    url: str
    kind: str  # "govuk" or "question"
    path: str = ""  # GOV.UK: "/government/news/..."; question: the API path after the base
    query: str = ""  # question search: the query string, passed on as given


def parse_address(url: str) -> Target:
    """What ``url`` names, or AddressError saying which addresses are understood.

    >>> parse_address("https://www.gov.uk/government/news/a-story?utm=x").path
    '/government/news/a-story'
    >>> parse_address("https://questions-statements.parliament.uk/written-questions/detail/2024-01-08/HL123").path
    '/questions/2024-01-08/HL123'
    """
    parts = urllib.parse.urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    if parts.scheme in {"http", "https"} and host in _GOVUK_HOSTS:
        path = path.removeprefix("/api/content")
        if path:
            return Target(url, "govuk", path)
    elif parts.scheme in {"http", "https"} and host == _QUESTIONS_HOST:
        match = re.fullmatch(r"/written-questions/detail/([^/]+)/([^/]+)", path)
        if match and _DATE.fullmatch(match[1]) and _UIN.fullmatch(match[2]):
            return Target(url, "question", f"/questions/{match[1]}/{match[2]}")
    elif parts.scheme in {"http", "https"} and host == _PARLIAMENT_API_HOST:
        rest = path.removeprefix("/api/writtenquestions")
        if re.fullmatch(r"/questions/\d+", rest, re.I):
            return Target(url, "question", "/questions/" + rest.rsplit("/", 1)[1])
        match = re.fullmatch(r"/questions/([^/]+)/([^/]+)", rest, re.I)
        if match and _DATE.fullmatch(match[1][:10]) and _UIN.fullmatch(match[2]):
            return Target(url, "question", f"/questions/{match[1][:10]}/{match[2]}")
        keys = {k.lower() for k in urllib.parse.parse_qs(parts.query)}
        if rest.lower() == "/questions" and "uin" in keys:
            return Target(url, "question", "/questions", parts.query)
    raise AddressError(
        url,
        "not an address funding can fetch; give a GOV.UK page (https://www.gov.uk/...) or a written question "
        "(https://questions-statements.parliament.uk/written-questions/detail/DATE/UIN)",
    )


# --- HTTP: throttled, retried, cached ---------------------------------------------------------


class RateLimiter:
    """At most ``rate`` requests a second, however many threads ask; one is shared by every request."""

    def __init__(self, rate: float = RATE):
        self.interval = 1.0 / rate
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Sleep until the next request may start."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            time.sleep(start - now)


LIMITER = RateLimiter()


def _contact() -> str:
    """The project's address from its installed metadata (pyproject [project.urls]), or ""."""
    try:
        from importlib.metadata import PackageNotFoundError, metadata

        meta = metadata("funding")
    except (ImportError, PackageNotFoundError):
        return ""
    urls = [entry.split(",", 1)[-1].strip() for entry in meta.get_all("Project-URL") or []]
    return next((u for u in [*urls, meta.get("Home-page") or ""] if u), "")


def user_agent() -> str:
    """'funding/0.1.0 (+https://...)': who is asking, as the APIs' terms ask clients to say."""
    contact = _contact()
    return f"funding/{__version__}" + (f" (+{contact})" if contact else "")


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date), or None.

    >>> _retry_after("3"), _retry_after(None), _retry_after("Wed, 21 Oct 2015 07:28:00 GMT")
    (3.0, None, 0.0)
    """
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def _connection_problem(reason: object) -> str:
    if isinstance(reason, socket.gaierror):
        return "cannot find the server (no network connection, or a wrong name)"
    if isinstance(reason, ConnectionRefusedError):
        return "the server refused the connection (offline, or the service is down)"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no answer within {TIMEOUT:.0f} s"
    return f"cannot connect ({getattr(reason, 'strerror', None) or reason})"


@dataclass
class Fetcher:
    """GET with the shared limiter, retries and the cache; cache entries are written by ``commit``."""

    cache: Path | None
    refresh: bool = False
    timeout: float = TIMEOUT
    attempts: int = ATTEMPTS
    backoff: float = 1.0  # seconds before the first retry when no Retry-After is given; doubles
    limiter: RateLimiter = field(default_factory=lambda: LIMITER)
    sent: int = 0  # requests sent over the network
    _pending: dict[str, bytes] = field(default_factory=dict)

    def _cache_file(self, url: str) -> Path:
        return self.cache / hashlib.sha256(url.encode("utf-8")).hexdigest()

    def get(self, url: str) -> bytes:
        """The body of ``url`` (from the cache unless refreshing); FetchError naming it otherwise."""
        if url in self._pending:
            return self._pending[url]
        if self.cache is not None and not self.refresh:
            body, meta = self._cache_file(url).with_suffix(".body"), self._cache_file(url).with_suffix(".json")
            try:
                if json.loads(meta.read_text(encoding="utf-8")).get("url") == url:
                    return body.read_bytes()
            except (OSError, ValueError):
                pass
        data = self._download(url)
        self._pending[url] = data
        return data

    def _download(self, url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": user_agent(), "Accept": "application/json, */*"})
        for attempt in range(1, self.attempts + 1):
            self.limiter.wait()
            self.sent += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as error:
                status, reason, wait = error.code, error.reason, _retry_after(error.headers.get("Retry-After"))
                error.close()
                if status != 429 and not 500 <= status < 600:
                    raise FetchError(url, _status_problem(status, reason)) from None
                problem = f"HTTP {status} {reason}"
            except urllib.error.URLError as error:
                if not isinstance(error.reason, (TimeoutError, socket.timeout)):
                    raise FetchError(url, _connection_problem(error.reason)) from None
                problem, wait = _connection_problem(error.reason), None
            except (TimeoutError, socket.timeout, http.client.HTTPException, ConnectionError) as error:
                problem, wait = _connection_problem(error), None
            if attempt == self.attempts:
                raise FetchError(url, f"{problem}, {attempt} times; try again later")
            wait = self.backoff * 2 ** (attempt - 1) if wait is None else wait
            if wait > MAX_WAIT:
                raise FetchError(url, f"{problem}; the server asks to wait {wait:.0f} s (Retry-After); try again later")
            log.info("%s: %s; trying again in %.1f s", url, problem, wait)
            time.sleep(wait)
        raise AssertionError("unreachable")

    def commit(self) -> None:
        """Keep every answer fetched in this run in the cache (after the documents were saved)."""
        if self.cache is None:
            return
        for url, data in self._pending.items():
            file = self._cache_file(url)
            _write_atomic(file.with_suffix(".body"), data)
            meta = {"url": url, "sha256": hashlib.sha256(data).hexdigest(), "fetched": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
            _write_atomic(file.with_suffix(".json"), json.dumps(meta, indent=1).encode("utf-8"))
        self._pending.clear()


def _status_problem(status: int, reason: str) -> str:
    if status == 404:
        return "not found (HTTP 404): check the address; a page that was removed or never published gives this"
    if status == 410:
        return "gone (HTTP 410): the page was withdrawn"
    return f"refused (HTTP {status} {reason})"


# --- documents and their rows ------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    """A document fetched and its sources.csv row, not yet saved."""

    address: str  # the address it came from (the one given, or the attachment's)
    file: str  # "documents/<name>", relative to data/raw
    data: bytes
    row: dict[str, str]


def _slug(text: str) -> str:
    """A file-name-safe lower-case slug.

    >>> _slug("Rural Bus-Shelter grants (2023).PDF"), _slug("=+@")
    ('rural-bus-shelter-grants-2023-pdf', 'document')
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-") or "document"


def speaker_for(names: Iterable[str], day: dt.date, departments: dict[str, Department]) -> str:
    """The department (for sources.csv's speaker) among ``names``, as at ``day``; "" for none or several.

    Names are matched whole against departments.csv's names and aliases ("&" read as "and");
    a name held by two departments in turn is the one in force on ``day``. The abbreviation is
    given where only one department has it, else the dept_id (MHCLG was two departments).
    """
    chosen = {found.dept_id for found in (department_called(n, day, departments) for n in names) if found}
    if len(chosen) != 1:
        return ""
    dept = departments[chosen.pop()]
    shared = sum(other.abbreviation == dept.abbreviation for other in departments.values())
    return dept.abbreviation if shared == 1 else dept.dept_id


def _row(file: str, data: bytes, **values: str) -> dict[str, str]:
    """A sources.csv row: the given values, one line each (the strict reader refuses line breaks)."""
    day = dt.date.fromisoformat(values.pop("published"))
    row = {
        "source_id": Path(file).stem, "file": file, "published_from": day.isoformat(), "published_to": day.isoformat(),
        "date_estimated": "false", "financial_year": fy_label(financial_year_of(day)), "responds_to": "",
        "sha256": hashlib.sha256(data).hexdigest(), **values,
    }
    return {key: " ".join(value.split()) for key, value in row.items()}


def _get(fetcher: Fetcher, address: str, url: str) -> bytes:
    """``fetcher.get(url)``, an error naming the address given (and the API address asked)."""
    try:
        return fetcher.get(url)
    except FetchError as error:
        if url == address:
            raise
        raise FetchError(address, f"{error.reason} (asked {url})") from None


def _from_api(address: str, api_url: str, data: bytes, want: str):
    """The parsed item and Document of an API answer, or FetchError if it is not the shape expected."""
    try:
        item, shape = parse_api_json(data, api_url)
    except DocumentError as error:
        raise FetchError(address, f"the API's answer is not usable: {error.reason} ({api_url})") from None
    if shape != want:
        raise FetchError(address, f"the API's answer is not a {'GOV.UK content item' if want == 'govuk' else 'written question'} ({api_url})")
    return item, read_api(Path(api_url.rsplit("/", 1)[-1] or "item"), data)


def _fetch_govuk(target: Target, fetcher: Fetcher, bases: Bases, departments, attachments: bool) -> list[Fetched]:
    api_url = bases.govuk_api.rstrip("/") + urllib.parse.quote(target.path, safe="/%:@!$&'()*+,;=-._~")
    data = _get(fetcher, target.url, api_url)
    item, document = _from_api(target.url, api_url, data, "govuk")
    meta = document.meta
    basis = "first_published_at"
    published = meta.published
    if published is None:
        basis, published = "public_updated_at", meta.updated
    if published is None:
        raise FetchError(target.url, f"the content item gives neither first_published_at nor public_updated_at ({api_url})")
    organisations = [o.get("title", "") for o in (item.get("links") or {}).get("organisations") or [] if isinstance(o, dict)]
    speaker = speaker_for(organisations, published, departments)
    kind = str(item.get("document_type") or "page").replace("_", " ")
    slug = _slug(item["base_path"].rstrip("/").rsplit("/", 1)[-1])
    common = {
        "publisher": meta.publisher, "published": published.isoformat(), "speaker": speaker, "licence": GOVUK_LICENCE,
    }
    page = Fetched(target.url, f"documents/{slug}.json", data, _row(
        f"documents/{slug}.json", data, title=meta.title, document_type=f"GOV.UK {kind}",
        date_basis=f"{basis} of {meta.url} from the GOV.UK Content API, as the day in London", url=meta.url, **common,
    ))
    found = [page]
    for attachment in (item.get("details") or {}).get("attachments") or [] if attachments else []:
        if not isinstance(attachment, dict) or not _is_pdf(attachment):
            continue
        url = urllib.parse.urljoin(GOVUK_WEB + "/", str(attachment["url"]))
        asset = bases.govuk_assets.rstrip("/") + url[len(_ASSETS_DEFAULT):] if url.startswith(_ASSETS_DEFAULT + "/") else url
        pdf = _get(fetcher, url, asset)
        if not pdf.startswith(b"%PDF-"):
            raise FetchError(url, f"is listed as a PDF attachment of {target.url} but is not a PDF")
        stem = Path(urllib.parse.urlsplit(str(attachment.get("filename") or url)).path).stem
        file = f"documents/{slug}--{_slug(stem)}.pdf"
        found.append(Fetched(url, file, pdf, _row(
            file, pdf, title=str(attachment.get("title") or stem), document_type=f"PDF attachment to a GOV.UK {kind}",
            date_basis=f"{basis} of the GOV.UK page it is attached to ({meta.url}), from the Content API, as the day in London",
            url=url, **common,
        )))
    return found


def _is_pdf(attachment: dict) -> bool:
    kind = str(attachment.get("content_type") or "").split(";")[0].strip().lower()
    return kind == "application/pdf" or (not kind and str(attachment.get("url", "")).lower().endswith(".pdf"))


def _fetch_question(target: Target, fetcher: Fetcher, bases: Bases, departments) -> list[Fetched]:
    base = bases.parliament_api.rstrip("/")
    path = target.path
    if target.query:  # a search: it must find exactly one question, then that question is read whole
        found = json.loads(_json_text(target.url, _get(fetcher, target.url, f"{base}/questions?{target.query}")))
        if not isinstance(found, dict):
            raise FetchError(target.url, "the API's answer is not a search result")
        results = [r.get("value") or {} for r in found.get("results") or [] if isinstance(r, dict)]
        if len(results) != 1:
            uins = ", ".join(f"{r.get('uin')} tabled {str(r.get('dateTabled', ''))[:10]}" for r in results[:5])
            raise FetchError(target.url, f"{len(results)} written questions match{': ' + uins if uins else ''}; "
                             "give one question's address (add tabledWhenFrom=DATE, or use .../questions/ID)")
        path = f"/questions/{results[0].get('id')}"
    api_url = base + path
    data = _get(fetcher, target.url, api_url)
    item, document = _from_api(target.url, api_url, data, "question")
    value, meta = item["value"], document.meta
    if meta.published is None:
        raise FetchError(target.url, f"written question {value.get('uin')} has no dateAnswered: it is not answered yet")
    tabled = london_date(value.get("dateTabled"))
    uin = str(value.get("uin") or "")
    file = f"documents/wq-{tabled.isoformat() if tabled else 'undated'}-{_slug(uin)}.json"
    body = str(value.get("answeringBodyName") or "")
    return [Fetched(target.url, file, data, _row(
        file, data, title=f"{meta.title} – written question {uin}", publisher=body,
        document_type="written question and answer", published=meta.published.isoformat(),
        date_basis=f"dateAnswered of {meta.url or 'written question ' + uin} from the UK Parliament Written Questions API",
        speaker=speaker_for([body], meta.published, departments), licence=PARLIAMENT_LICENCE, url=meta.url,
    ))]


def _json_text(address: str, data: bytes) -> str:
    try:
        json.loads(data.decode("utf-8-sig"))
        return data.decode("utf-8-sig")
    except (UnicodeDecodeError, ValueError):
        raise FetchError(address, "the API's answer is not JSON") from None


# --- saving: every check first, then every write ------------------------------------------------


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` so that it is either as before or complete, never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _csv_line(values: list[str], quoting: int, newline: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=quoting, lineterminator=newline).writerow(values)
    return buffer.getvalue()


def _new_sources(path: Path, fetched: list[Fetched], force: bool) -> tuple[bytes | None, list[str], dict[str, str]]:
    """sources.csv with the rows of ``fetched`` (None if unchanged), the problems, and each file's fate."""
    if path.exists():
        raw = path.read_bytes()
        try:
            rows = read_rows(path, ("source_id", "file"))
        except RawFileError as error:
            return None, [f"{error}; correct sources.csv first"], {}
    else:
        raw, rows = _csv_line(list(SOURCE_COLUMNS), csv.QUOTE_MINIMAL, "\n").encode("utf-8"), []
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    lines = io.StringIO(text, newline="").readlines()  # the lines the csv reader numbers (not str.splitlines's)
    header_line = next(line for line in lines if line.strip())
    newline = "\r\n" if header_line.endswith("\r\n") else "\n"
    quoting = csv.QUOTE_ALL if header_line.lstrip().startswith('"') else csv.QUOTE_MINIMAL
    header = [name.strip() for name in next(csv.reader([header_line]))]
    by_file = {Path(row["file"]).as_posix(): (line, row) for line, row in rows}
    by_id = {row["source_id"]: (line, row) for line, row in rows}
    problems, fate, added = [], {}, []
    for item in fetched:
        new = {name: item.row.get(name, "") for name in header}  # a "url" column, if added, is filled too
        if item.file in by_file:
            line, old = by_file[item.file]
            differ = [name for name in header if old.get(name, "") != new[name]]
            if not differ:
                fate[item.file] = "unchanged"
            elif force:
                lines[line - 1] = _csv_line([new[name] for name in header], quoting, newline)
                fate[item.file] = "replaced"
            else:
                problems.append(f"{path}, line {line}: the row for {item.file} differs from what {item.address} gives "
                                f"now ({', '.join(differ)}); give --force to replace it")
        elif new["source_id"] in by_id:
            line, old = by_id[new["source_id"]]
            problems.append(f"{path}, line {line}: source_id {new['source_id']!r} is already the row of {old['file']}; "
                            f"rename or remove that document before fetching {item.address}")
        else:
            added.append(_csv_line([new[name] for name in header], quoting, newline))
            fate[item.file] = "added"
    if problems or not (added or "replaced" in fate.values()):
        return None, problems, fate
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    return (b"\xef\xbb\xbf" if bom else b"") + "".join(lines + added).encode("utf-8"), problems, fate


def save(fetched: list[Fetched], raw: Path, *, force: bool = False) -> list[tuple[str, str]]:
    """Save the documents and their rows; (file, what happened) for each. Nothing is written on any problem."""
    unique: dict[str, Fetched] = {}
    problems = []
    for item in fetched:
        if item.file in unique and unique[item.file].data != item.data:
            problems.append(f"{item.address} and {unique[item.file].address} would both be saved as {item.file}")
        unique.setdefault(item.file, item)
    writes, existed = [], set()
    for item in unique.values():
        target = raw / item.file
        if target.exists():
            existed.add(item.file)
        if not target.exists():
            writes.append(item)
        elif target.read_bytes() != item.data:
            if force:
                writes.append(item)
            else:
                problems.append(f"{target} already holds other bytes than {item.address} gives now; "
                                "give --force to replace it (its row is replaced too)")
    sources, csv_problems, fate = _new_sources(raw / "sources.csv", list(unique.values()), force)
    problems += csv_problems
    if problems:
        raise FetchError("nothing saved", "; ".join(problems))
    for item in writes:
        _write_atomic(raw / item.file, item.data)
    if sources is not None:
        _write_atomic(raw / "sources.csv", sources)
    outcomes = []
    for file, item in unique.items():
        if file not in existed:
            outcomes.append((file, "saved"))
        elif item in writes:
            outcomes.append((file, "replaced"))
        else:
            outcomes.append((file, {"added": "row added", "replaced": "row replaced"}.get(fate.get(file, ""), "unchanged")))
    return outcomes


def fetch(
    urls: Iterable[str], raw: Path, *, attachments: bool = False, refresh: bool = False, force: bool = False,
    bases: Bases | None = None, fetcher: Fetcher | None = None,
) -> list[tuple[str, str]]:
    """Fetch every address, then save the documents and their sources.csv rows; (file, what happened) each.

    Raises AddressError for an address it cannot fetch (before any request), FetchError naming
    the address for anything else; on any error nothing is written.
    """
    raw = Path(raw)
    targets = [parse_address(url) for url in urls]
    bases = bases or Bases.from_environment()
    try:
        departments = load_reference(raw, with_sources=False).departments
    except ReferenceError as error:
        raise FetchError(str(raw), f"the reference tables are wrong: {error}") from None
    fetcher = fetcher or Fetcher(raw.resolve().parent / CACHE, refresh=refresh)
    fetched: list[Fetched] = []
    for number, target in enumerate(targets, start=1):
        if len(targets) > 1:
            log.info("[%d/%d] %s", number, len(targets), target.url)
        if target.kind == "govuk":
            fetched += _fetch_govuk(target, fetcher, bases, departments, attachments)
        else:
            fetched += _fetch_question(target, fetcher, bases, departments)
    results = save(fetched, raw, force=force)
    fetcher.commit()
    return results
