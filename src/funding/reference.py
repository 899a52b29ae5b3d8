"""Load the reference tables in data/raw/ and check them; errors name the file, line and field.

This is the loading stage for everything an analyst may edit: the sources table, the
departments (with renames), programmes (with aliases and owners), themes (with keywords),
spending reviews, GDP deflators and the terms the context rules read. What is loaded is
plain frozen data; nothing here decides anything about a document.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from funding.annotate.kinds import DOCUMENT_KINDS, TABLE_KINDS, KindTerms
from funding.years import SpendingReview, parse_fy_label
from funding.rawcsv import RawFileError, read_rows
from funding.vocab import CONTEXT_TERM_KINDS

__all__ = ["Department", "MinisterTitle", "Programme", "Theme", "Source", "Reference", "ReferenceError", "load_reference"]


class ReferenceError(RawFileError):
    """A reference table that is wrong; the message names the file, line and field."""


@dataclass(frozen=True)
class Department:
    dept_id: str
    abbreviation: str
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    successor: str
    aliases: tuple[str, ...]
    bodies: tuple[str, ...] = ()  # names of public bodies whose money is this department's (public_bodies.csv)


@dataclass(frozen=True)
class MinisterTitle:
    """A minister's title and the department it belongs to, while the title was in use."""

    title: str
    dept_id: str
    valid_from: dt.date | None  # None: from the department's own start
    valid_to: dt.date | None  # None: to the department's own end


@dataclass(frozen=True)
class Programme:
    programme: str
    aliases: tuple[str, ...]
    owners: tuple[str, ...]  # dept_ids
    theme_id: str


@dataclass(frozen=True)
class Theme:
    theme_id: str
    theme: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    source_id: str
    file: str
    title: str
    publisher: str
    published_from: dt.date
    published_to: dt.date
    date_estimated: bool
    speaker: str  # dept_id whose "we" the document speaks in, or ""
    licence: str = ""
    url: str = ""  # where it was published (optional column)
    date_basis: str = ""  # how the analyst dated it


@dataclass(frozen=True)
class Reference:
    sources: dict[str, Source]
    departments: dict[str, Department]
    programmes: tuple[Programme, ...]
    themes: dict[str, Theme]
    reviews: tuple[SpendingReview, ...]
    deflators: dict[int, float]
    programme_heads: frozenset[str] = frozenset()  # nouns that end a programme's name (programme_words.csv)
    programme_events: frozenset[str] = frozenset()  # nouns that end a fiscal event's or a document's name
    context_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> terms
    titles: tuple[MinisterTitle, ...] = ()
    kinds: KindTerms = field(default_factory=lambda: KindTerms({}))  # kinds.csv: terms of document and table kinds
    department_terms: tuple[tuple[str, str], ...] = ()  # (term, dept_id): the work a department does (department_terms.csv)


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row of a CSV file, read strictly (funding.rawcsv)."""
    try:
        yield from read_rows(path, required)
    except RawFileError as error:
        raise ReferenceError(error.path, error.line, error.field, error.problem) from None


def _date(path: Path, line: int, field: str, value: str, optional: bool = False) -> dt.date | None:
    if optional and not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ReferenceError(path, line, field, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _fy(path: Path, line: int, field: str, value: str) -> int:
    try:
        return parse_fy_label(value)
    except ValueError:
        raise ReferenceError(path, line, field, f"{value!r} is not a financial year (YYYY-YY)") from None


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _names(path: Path, line: int, field: str, value: str) -> tuple[str, ...]:
    """A ";"-separated list in which no name is empty (an empty alias would match everywhere)."""
    parts = tuple(part.strip() for part in value.split(";"))
    if value and not all(parts):
        raise ReferenceError(path, line, field, f"{value!r} holds an empty name (two ';' together, or one at an end)")
    return parts if value else ()


def load_reference(raw: Path, *, with_sources: bool = True) -> Reference:
    """Load and cross-check every table under ``raw`` (data/raw); sources.csv only if asked."""
    ref_dir = raw / "reference"
    departments: dict[str, Department] = {}
    path = ref_dir / "departments.csv"
    for line, row in _rows(path, ("dept_id", "abbreviation", "name", "valid_from", "valid_to", "successor", "aliases")):
        if row["dept_id"] in departments:
            raise ReferenceError(path, line, "dept_id", f"{row['dept_id']!r} appears twice")
        departments[row["dept_id"]] = Department(
            row["dept_id"], row["abbreviation"], row["name"],
            _date(path, line, "valid_from", row["valid_from"]), _date(path, line, "valid_to", row["valid_to"], True),
            row["successor"], _split(row["aliases"]),
        )
    for line, row in _rows(path, ("dept_id", "successor")):
        if row["successor"] and row["successor"] not in departments:
            raise ReferenceError(path, line, "successor", f"{row['successor']!r} is not a dept_id in this file")

    context_terms = _context_terms(ref_dir / "context_terms.csv")
    departments = _with_bodies(departments, ref_dir / "public_bodies.csv", context_terms.get("third_party", ()))
    department_terms = _department_terms(ref_dir / "department_terms.csv", departments)

    themes: dict[str, Theme] = {}
    path = ref_dir / "themes.csv"
    for line, row in _rows(path, ("theme_id", "theme", "keywords")):
        if not row["theme_id"]:
            raise ReferenceError(path, line, "theme_id", "is empty")
        if row["theme_id"] in themes:
            raise ReferenceError(path, line, "theme_id", f"{row['theme_id']!r} appears twice")
        themes[row["theme_id"]] = Theme(row["theme_id"], row["theme"], _split(row["keywords"]))

    programmes = []
    path = ref_dir / "programmes.csv"
    abbreviations = {d.abbreviation: d.dept_id for d in departments.values()} | {d: d for d in departments}
    for line, row in _rows(path, ("programme", "aliases", "owner", "theme_id")):
        owners = []
        for owner in _split(row["owner"]):
            if owner not in abbreviations:
                raise ReferenceError(path, line, "owner", f"{owner!r} is not a department in departments.csv")
            owners.append(abbreviations[owner])
        if row["theme_id"] not in themes:
            raise ReferenceError(path, line, "theme_id", f"{row['theme_id']!r} is not one of: {', '.join(themes)}")
        if not row["programme"]:
            raise ReferenceError(path, line, "programme", "is empty (an empty name would match everywhere)")
        aliases = _names(path, line, "aliases", row["aliases"]) or (row["programme"],)
        programmes.append(Programme(row["programme"], aliases, tuple(owners), row["theme_id"]))

    titles = []
    path = ref_dir / "minister_titles.csv"
    for line, row in _rows(path, ("title", "dept_id", "valid_from", "valid_to")):
        if row["dept_id"] not in departments:
            raise ReferenceError(path, line, "dept_id", f"{row['dept_id']!r} is not a dept_id in departments.csv")
        titles.append(MinisterTitle(
            row["title"], row["dept_id"],
            _date(path, line, "valid_from", row["valid_from"], True), _date(path, line, "valid_to", row["valid_to"], True),
        ))

    reviews = []
    path = ref_dir / "spending_reviews.csv"
    for line, row in _rows(path, ("review_id", "name", "announced", "fy_start", "fy_end", "aliases")):
        if _fy(path, line, "fy_start", row["fy_start"]) > _fy(path, line, "fy_end", row["fy_end"]):
            raise ReferenceError(path, line, "fy_end", f"{row['fy_end']} is before fy_start {row['fy_start']}")
        reviews.append(SpendingReview(
            row["review_id"], row["name"], _date(path, line, "announced", row["announced"]),
            _fy(path, line, "fy_start", row["fy_start"]), _fy(path, line, "fy_end", row["fy_end"]), _split(row["aliases"]),
        ))

    deflators = load_deflator_index(ref_dir / "gdp_deflators.csv")

    words: dict[str, set[str]] = {"head": set(), "event": set()}
    path = ref_dir / "programme_words.csv"
    for line, row in _rows(path, ("word", "kind")):
        if row["kind"] not in words:
            raise ReferenceError(path, line, "kind", f"{row['kind']!r} is not one of: {', '.join(words)}")
        if not row["word"] or " " in row["word"]:
            raise ReferenceError(path, line, "word", "must be one word")
        words[row["kind"]].add(row["word"].lower())
    kinds = _kinds(ref_dir / "kinds.csv")

    sources: dict[str, Source] = {}
    path, root, folders = raw / "sources.csv", os.path.realpath(raw), {}
    for line, row in ([] if not with_sources else _rows(path, ("source_id", "file", "title", "publisher", "published_from", "published_to", "date_estimated"))):
        if not row["source_id"] or row["source_id"] in sources:
            raise ReferenceError(path, line, "source_id", f"{row['source_id']!r} is empty or appears twice")
        if row["source_id"].startswith(("=", "+", "@")):
            raise ReferenceError(path, line, "source_id", f"{row['source_id']!r} starts as a spreadsheet formula would; rename the file")
        _check_inside(path, line, raw, root, row["file"], folders)
        speaker = row.get("speaker", "")
        if speaker and speaker not in abbreviations:
            raise ReferenceError(path, line, "speaker", f"{speaker!r} is not a department in departments.csv")
        if row["date_estimated"] not in {"true", "false"}:
            raise ReferenceError(path, line, "date_estimated", "must be true or false")
        first, last = _date(path, line, "published_from", row["published_from"]), _date(path, line, "published_to", row["published_to"])
        if first > last:
            raise ReferenceError(path, line, "published_to", f"{last} is before published_from {first}")
        sources[row["source_id"]] = Source(
            row["source_id"], row["file"], row["title"], row["publisher"], first, last,
            row["date_estimated"] == "true", abbreviations.get(speaker, ""), row.get("licence", ""), row.get("url", ""),
            row.get("date_basis", ""),
        )
    return Reference(
        sources, departments, tuple(programmes), themes, tuple(reviews), deflators,
        frozenset(words["head"]), frozenset(words["event"]), context_terms, tuple(titles), kinds, department_terms,
    )


def resolved(path: str | Path, folders: dict[str, str], link: bool | None = None) -> str:
    """``os.path.realpath(path)``, each folder resolved once (``folders`` remembers them): a file
    that is not a link (``link``, where the caller knows) is its folder's real path and its name.
    Thousands of documents lie in one folder."""
    path = os.fspath(path)
    folder, name = os.path.split(path)
    if name in ("", ".", "..") or (os.path.islink(path) if link is None else link):
        return os.path.realpath(path)
    if folder not in folders:
        folders[folder] = os.path.realpath(folder or os.curdir)
    return os.path.join(folders[folder], name)


def _check_inside(path: Path, line: int, raw: Path, root: str, file: str, folders: dict[str, str]) -> None:
    """A document's path must be relative and stay inside data/raw/ (``root``, resolved): "../", "/etc/..." refused."""
    target = resolved(os.path.join(raw, file), folders)
    if not file or os.path.isabs(file) or not target.startswith(root.rstrip(os.sep) + os.sep):
        raise ReferenceError(path, line, "file", f"{file!r} is not a path inside {raw} (give it relative to data/raw/)")


def load_deflator_index(path: Path) -> dict[int, float]:
    """GDP deflators by the first calendar year of their financial year, checked: one row a year,
    each index a positive finite number, no field beyond the header's."""
    deflators: dict[int, float] = {}
    lines: dict[int, int] = {}
    for line, row in _rows(path, ("financial_year", "index")):
        year = _fy(path, line, "financial_year", row["financial_year"])
        if year in deflators:
            raise ReferenceError(path, line, "financial_year", f"{row['financial_year']} already has a row (line {lines[year]})")
        try:
            index = float(row["index"])
        except ValueError:
            raise ReferenceError(path, line, "index", f"{row['index']!r} is not a number") from None
        if not math.isfinite(index) or index <= 0:
            raise ReferenceError(path, line, "index", f"{row['index']!r} is not a positive number")
        if row.get("is_forecast", "false") not in ("true", "false"):
            raise ReferenceError(path, line, "is_forecast", "must be true or false")
        deflators[year], lines[year] = index, line
    if not deflators:
        raise ReferenceError(path, None, None, "has no rows")
    return deflators


def _context_terms(path: Path) -> dict[str, tuple[str, ...]]:
    """Terms the context rules need, by kind (every kind present, possibly empty)."""
    terms: dict[str, list[str]] = {kind: [] for kind in CONTEXT_TERM_KINDS}
    for line, row in _rows(path, ("kind", "term")):
        if row["kind"] not in terms:
            raise ReferenceError(path, line, "kind", f"{row['kind']!r} is not one of: {', '.join(CONTEXT_TERM_KINDS)}")
        if not row["term"]:
            raise ReferenceError(path, line, "term", "is empty")
        terms[row["kind"]].append(row["term"])
    return {kind: tuple(found) for kind, found in terms.items()}


BODY_ABBREVIATION_MIN = 4  # shorter abbreviations ("ACE", "CQC") are too often something else in a text


def _with_bodies(departments: dict[str, Department], path: Path, outside: tuple[str, ...]) -> dict[str, Department]:
    """Departments with the public bodies whose money is theirs (public_bodies.csv, optional).

    A body that ``context_terms.csv`` names as an outside body (its ``third_party`` terms: the
    OBR, the ONS) is left out: its figures are estimates and statistics, not money given.
    """
    if not path.exists():
        return departments
    outside_names = {term.lower() for term in outside}
    bodies: dict[str, list[str]] = {dept_id: [] for dept_id in departments}
    for line, row in _rows(path, ("name", "abbreviation", "department")):
        if row["department"] not in departments:
            raise ReferenceError(path, line, "department", f"{row['department']!r} is not a dept_id in departments.csv")
        if not row["name"]:
            raise ReferenceError(path, line, "name", "is empty (an empty name would match everywhere)")
        names = [row["name"]] + ([row["abbreviation"]] if len(row["abbreviation"]) >= BODY_ABBREVIATION_MIN else [])
        if not outside_names & {n.lower() for n in names}:
            bodies[row["department"]].extend(names)
    return {dept_id: replace(dept, bodies=tuple(bodies[dept_id])) if bodies[dept_id] else dept for dept_id, dept in departments.items()}


def _department_terms(path: Path, departments: dict[str, Department]) -> tuple[tuple[str, str], ...]:
    """(term, dept_id) rows of department_terms.csv (optional), in the file's order."""
    if not path.exists():
        return ()
    terms = []
    for line, row in _rows(path, ("term", "department")):
        if not row["term"].strip():
            raise ReferenceError(path, line, "term", "is empty (an empty term would match everywhere)")
        if row["department"] not in departments:
            raise ReferenceError(path, line, "department", f"{row['department']!r} is not a dept_id in departments.csv")
        terms.append((row["term"].strip(), row["department"]))
    return tuple(terms)


def _kinds(path: Path) -> KindTerms:
    """The terms that tell a document's kind and a table's (kinds.csv)."""
    known = {"document": DOCUMENT_KINDS, "table": TABLE_KINDS}
    terms: dict[tuple[str, str], list[str]] = {}
    for line, row in _rows(path, ("of", "kind", "term")):
        if row["of"] not in known:
            raise ReferenceError(path, line, "of", f"{row['of']!r} is not one of: document, table")
        if row["kind"] not in known[row["of"]]:
            raise ReferenceError(path, line, "kind", f"{row['kind']!r} is not a {row['of']} kind: {', '.join(known[row['of']])}")
        if not row["term"]:
            raise ReferenceError(path, line, "term", "is empty")
        terms.setdefault((row["of"], row["kind"]), []).append(row["term"])
    return KindTerms({key: tuple(found) for key, found in terms.items()})


def alias_pattern(aliases: tuple[str, ...], ignore_case: bool = False) -> re.Pattern[str]:
    """A pattern matching any alias as whole words, the longest that fits first.

    The aliases are compiled as a trie ("Department (?:for (?:Education|Transport)|of Health)"),
    not a flat list of alternatives: with hundreds of names (departments and the public bodies
    of the GOV.UK register) a flat list is tried name by name at every position of a text, a
    trie once letter by letter. An alias that is a prefix of another is tried after it (an
    optional group is greedy), and the whole-word check backs off to it where the longer fails.
    """
    return re.compile(r"(?<!\w)(?:" + trie_pattern(trie(aliases, ignore_case)) + r")(?!\w)", re.I if ignore_case else 0)


def trie(words, fold: bool = False) -> dict:
    """A trie of characters of ``words`` ("" marks where a word ends), lower-cased if ``fold``."""
    root: dict = {}
    for word in words:
        node = root
        for char in (word.lower() if fold else word):
            node = node.setdefault(char, {})
        node[""] = {}
    return root


def trie_pattern(node: dict, space: str = r"\ ") -> str:
    """The regular expression of a trie of characters ("" marks where an alias ends); a space
    is written ``space`` (a whitespace pattern lets a term's words stand across a line break)."""
    branches = [(space if char == " " else re.escape(char)) + trie_pattern(child, space) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body
