"""Split a document into its parts and read each part's stated date and department.

A file often bundles several official texts: a set of written answers, a statement and a
press release. Each part has its own date and its own speaker, which the periods ("next
year") and departments of its figures depend on.

What starts a part:

- a separator line: a line holding only a bracketed label with a number ("[Part 2]",
  "[Source 2 of 5]") or a horizontal rule ("---", "***", "===", "___");
- a Markdown heading ("# Title", "## Title");
- a new written question ("To ask the ...", "Question to the ...") once an answer has begun,
  that is once a line other than a question has followed the previous "To ask ..." line
  (lines between "Question to the ..." and its "To ask ..." are the question's heading).

The date a part states, the first found in this order (``date_basis``):

1. ``answered on``: "Answered on\\n17 June 2022", "This question was answered on 24th October 2022";
2. ``published``: GOV.UK "Published 12 March 2023", "Published: 12 March 2023" at the start of a line;
3. ``issued on``: "The press release issued by the Department ... on 12 March 2023";
4. ``statement made on``: "Statement made on 12 March 2023", "written statement - made at on ...";
5. ``updated``: GOV.UK "Last updated 12 March 2023", "Updated 12 March 2023" at the start of a line;
6. ``dated line``: a short line among the part's first lines that ends with a date
   ("Friday 24th May 2024", "Volume 552: debated on Monday 5 November 2012", "(28 May 2024)");
7. ``asked on``: "(asked on 11th October 2022)" -- the answer's date wins over the question's.

Dates are written "24 October 2022", "24th October 2022", "Monday 24 October 2022",
"24 Oct 2022", "2022-10-24" or "24/10/2022" (day first). A part that states none has
``published`` None and ``date_basis`` "".

The department a part speaks for, the first found in this order (``department_basis``):

1. ``question to``: "Question to the Department for Education:", "Department for Education
   written question";
2. ``answered by``: a department named on the "Answered by" line or the two lines after it
   ("Answered by A Name - Minister of State (Department for Work and Pensions)");
3. ``from``: GOV.UK "From: Home Office";
4. ``issued by``: "issued by the Ministry of Justice";
5. ``statement by``: "Department of Health and Social Care written statement";
6. ``title of minister``: the first minister's title in the part ("To ask the Secretary of
   State for Education", "Parliamentary Under-Secretary of State for Education"), mapped to
   its department through data/raw/reference/minister_titles.csv;
7. ``named at the top``: a department named in the part's first lines;
8. ``subject of the title``: the department whose work the part's heading is about
   ("# Bus service improvement plans: allocations" is DfT's; ``department_terms.csv``).

Names are looked up in departments.csv ("&" read as "and") and titles in minister_titles.csv,
then followed through renames to the department in force at the part's date
(``funding.annotate.attribute.as_at``). A name used before it was coined (Parliament's site labels old
questions with today's department names) still names that department.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable

from funding.annotate.attribute import LastAsked, as_at, subject_department
from funding.reference import Department, MinisterTitle, Reference, alias_pattern

__all__ = ["Part", "DEPARTMENT_BASES", "DATE_BASES", "find_parts", "part_at", "parse_date"]

#: How a part's department was read, most direct first.
DEPARTMENT_BASES = (
    "question to", "answered by", "from", "issued by", "statement by", "title of minister", "named at the top",
    "section of the text above", "subject of the title", "another part of the file",
)
#: How a part's date was read, most direct first.
DATE_BASES = (
    "answered on", "published", "issued on", "statement made on", "updated", "dated line", "asked on",
    "section of the text above",
)


@dataclass(frozen=True)
class Part:
    start: int  # character offsets in the decoded text
    end: int
    published: dt.date | None  # the part's date as the text states it, or None
    date_basis: str  # "answered on", "published", ... or "" when none
    department: str  # dept_id from departments.csv, or ""
    department_basis: str  # "question to", "answered by", ... or "" when none


# --- what starts a part --------------------------------------------------------------------

_SEPARATOR = re.compile(
    r"""[ \t]*(?:
        \[[ \t]*[A-Za-z][A-Za-z \t]*?[ \t]+\d+(?:[ \t]+of[ \t]+\d+)?[ \t]*\]   # [Part 2], [Source 2 of 5]
      | (?:-[ \t]*){3,} | (?:\*[ \t]*){3,} | (?:=[ \t]*){3,} | (?:_[ \t]*){3,}  # horizontal rules
    )[ \t]*""",
    re.X,
)
_HEADING = re.compile(r"[ \t]{0,3}#{1,6}[ \t]+\S")
_QUESTION = re.compile(r"[ \t]*(?:(To\s+ask)\b|Questions?\s+(?:to|for)\b)", re.I)


def _lines(text: str) -> Iterable[tuple[int, str]]:
    """(offset, line without its end) for every line of ``text``, lazily."""
    offset = 0
    while offset < len(text):
        end = text.find("\n", offset)
        end = len(text) if end < 0 else end + 1
        yield offset, text[offset:end].rstrip("\r\n")
        offset = end


def _part_starts(text: str) -> list[int]:
    starts = [0]
    asked = answered = False
    for offset, line in _lines(text):
        if _SEPARATOR.fullmatch(line) or _HEADING.match(line):
            starts.append(offset)
            asked = answered = False
        elif question := _QUESTION.match(line):
            if answered:
                starts.append(offset)
            # "Question to the ..." heads a question; its "To ask ..." line is the question
            asked, answered = bool(question[1]), False
        elif line.strip() and asked:
            answered = True
    return sorted(set(starts))


# --- dates ---------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        ("january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
         "august aug", "september sept sep", "october oct", "november nov", "december dec"),
        start=1,
    )
    for name in names.split()
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = (
    r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
    rf"(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH})\.?,?\s+(?P<y>(?:19|20)\d\d)"  # 24th October 2022
    r"|(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d)"  # 2022-10-24
    r"|(?P<nd>\d{1,2})/(?P<nm>\d{1,2})/(?P<ny>(?:19|20)\d\d))"  # 24/10/2022
    r"(?![\d/-])"
)
_DATE_ONLY = re.compile(rf"(?i)\b{_DATE}")

_DATED = [  # (basis, a word the cue holds, pattern ending just before the date), most direct first
    ("answered on", "answered", r"\banswered\s+on\s*:?\s*"),
    ("published", "published", r"^[ \t]*(?:First\s+)?Published\s*:?\s*(?:on\s+)?"),
    ("issued on", "issued", r"\bissued\s+by\b[^\n]{0,150}?\bon\s+"),
    ("statement made on", "made", r"\bmade\s+(?:at\s+)?on\s+"),
    ("updated", "updated", r"^[ \t]*(?:Last\s+)?updated\s*:?\s*(?:on\s+)?"),
]
_DATED = [(basis, word, re.compile(cue + _DATE, re.I | re.M)) for basis, word, cue in _DATED]
_DATED_LINE = re.compile(rf"(?i)\b{_DATE}[\s.)\]]*$")  # a line that ends with a date
_ASKED = re.compile(rf"(?i)\b(?:asked|tabled)\s+on\s+{_DATE}")
TOP_LINES = 6  # non-blank lines at the top of a part that may carry its date or department
DATED_LINE = 120  # characters: a longer line is prose, and a date in it dates something else


def parse_date(text: str) -> dt.date | None:
    """The first date written in ``text``, or None.

    >>> parse_date("This question was answered on 24th October 2022")
    datetime.date(2022, 10, 24)
    >>> parse_date("no date here") is None
    True
    """
    match = _DATE_ONLY.search(text)
    return _date_of(match) if match else None


def _date_of(match: re.Match) -> dt.date | None:
    if match["y"]:
        year, month, day = int(match["y"]), _MONTHS[match["m"].lower()], int(match["d"])
    elif match["iy"]:
        year, month, day = int(match["iy"]), int(match["im"]), int(match["id"])
    else:
        year, month, day = int(match["ny"]), int(match["nm"]), int(match["nd"])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _first_date(pattern: re.Pattern, text: str) -> dt.date | None:
    for match in pattern.finditer(text):
        day = _date_of(match)
        if day is not None:
            return day
    return None


def _top_lines(text: str) -> list[str]:
    """The first non-blank lines of a part, separator lines left out."""
    lines = []
    for _, line in _lines(text):
        if line.strip() and not _SEPARATOR.fullmatch(line):
            lines.append(line)
            if len(lines) == TOP_LINES:
                break
    return lines


def _part_date(text: str) -> tuple[dt.date | None, str]:
    lower = text.lower()
    for basis, word, pattern in _DATED:
        day = _first_date(pattern, text) if word in lower else None
        if day is not None:
            return day, basis
    for line in _top_lines(text):
        if len(line) <= DATED_LINE and not _ASKED.search(line):
            day = _first_date(_DATED_LINE, line)
            if day is not None:
                return day, "dated line"
    day = _first_date(_ASKED, text)
    return (day, "asked on") if day is not None else (None, "")


# --- departments ---------------------------------------------------------------------------

_QUESTION_TO = re.compile(r"(?i)\bQuestions?\s+(?:to|for)\s+(?:the\s+)?([^:\n]{3,120})")
_WRITTEN = re.compile(r"(?i)\s+written\s+(question|answer|statement)\b")  # "<Department> written statement"
_TITLE_WORD = re.compile(r"(?i)secretary|minister|chancellor")  # every title in minister_titles.csv holds one
TITLE_REACH = 80  # characters around such a word that may hold the rest of the title
_ANSWERED_BY = re.compile(r"(?i)\bAnswered\s+by\b[^\n]*(?:\n[^\n]*){0,2}")
_FROM = re.compile(r"(?im)^[ \t]*From\s*:[ \t]*(?:\n[ \t]*)?([^\n]+)")
_ISSUED_BY = re.compile(r"(?i)\bissued\s+by\s+(?:the\s+)?([^\n]{3,120})")


@lru_cache(maxsize=16)
def _name_index(departments: tuple[Department, ...], titles: tuple[MinisterTitle, ...]):
    """Patterns for department names and for ministers' titles, and the rows each names.

    A row is (dept_id, valid_from, valid_to): when the name was used for that department.
    """
    names: dict[str, list[tuple[str, dt.date | None, dt.date | None]]] = {}
    for dept in departments:
        for alias in dept.aliases:
            names.setdefault(alias, []).append((dept.dept_id, dept.valid_from, dept.valid_to))
    by_id = {d.dept_id: d for d in departments}
    held: dict[str, list[tuple[str, dt.date | None, dt.date | None]]] = {}
    for title in titles:
        dept = by_id[title.dept_id]
        held.setdefault(title.title.lower(), []).append(
            (title.dept_id, title.valid_from or dept.valid_from, title.valid_to or dept.valid_to)
        )
    return alias_pattern(tuple(names)), names, alias_pattern(tuple(held), ignore_case=True), held


# The index of one Reference's departments and titles, kept while the same tables are asked about.
_NAMES_OF = LastAsked(lambda departments, titles: _name_index(tuple(departments.values()), titles))


def _names_of(ref: Reference):
    return _NAMES_OF(ref.departments, ref.titles)


def _pick(rows: list[tuple[str, dt.date | None, dt.date | None]], day: dt.date | None) -> str:
    """The row a name means on ``day``: in force then, else the latest before, else the first."""
    if day is None:
        return rows[-1][0]
    current = [r for r in rows if (r[1] is None or r[1] <= day) and (r[2] is None or day <= r[2])]
    if current:
        return current[0][0]
    earlier = [r for r in rows if r[1] is not None and r[1] <= day]
    return max(earlier, key=lambda r: r[1])[0] if earlier else rows[0][0]


def _in_force(dept_id: str, day: dt.date | None, ref: Reference) -> str:
    return as_at(dept_id, day, ref.departments).dept_id if day is not None else dept_id


def _department_in(text: str, day: dt.date | None, ref: Reference) -> str:
    """The first department ``text`` names ("&" read as "and"), as at ``day``, or ""."""
    pattern, names, _, _ = _names_of(ref)
    match = pattern.search(text.replace("&", "and"))
    return _in_force(_pick(names[match.group()], day), day, ref) if match else ""


def _title_in(text: str, day: dt.date | None, ref: Reference) -> str:
    """The department of the first minister's title ``text`` holds, as at ``day``, or ""."""
    _, _, pattern, held = _names_of(ref)
    if not held:
        return ""
    text = text.replace("&", "and")
    for word in _TITLE_WORD.finditer(text):
        match = pattern.search(text, max(0, word.start() - TITLE_REACH), word.end() + TITLE_REACH)
        if match:
            return _in_force(_pick(held[match.group().lower()], day), day, ref)
    return ""


HEAD_CHARS = 2500  # a part's header cues ("Answered by", "issued by", a minister's title) stand near its top


def _part_department(text: str, day: dt.date | None, ref: Reference) -> tuple[str, str]:
    """The department a part's header names, and how: prose further down names others in passing."""
    text = text[:HEAD_CHARS]
    for match in _QUESTION_TO.finditer(text):
        found = _department_in(match[1], day, ref)
        if found:
            return found, "question to"
    for match in _WRITTEN.finditer(text):
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        found = _department_in(line[-120:], day, ref)
        if found:
            return found, "question to" if match[1].lower() != "statement" else "statement by"
    for basis, pattern in (("answered by", _ANSWERED_BY), ("from", _FROM), ("issued by", _ISSUED_BY)):
        for match in pattern.finditer(text):
            found = _department_in(match[match.lastindex or 0], day, ref)
            if found:
                return found, basis
    found = _title_in(text, day, ref)
    if found:
        return found, "title of minister"
    found = _department_in("\n".join(_top_lines(text)), day, ref)
    if found:
        return found, "named at the top"
    title = _title_line(text)
    subject = subject_department(title, 0, day, ref) if title else None
    return (subject.dept_id, "subject of the title") if subject is not None else ("", "")


def _title_line(text: str) -> str:
    """The part's title, a first-level heading ("# Bus service improvement plans: allocations"),
    or "": a section's heading ("## Mental health support") is a subject within its text, whose
    department is the text's."""
    for line in _top_lines(text)[:3]:
        if _HEADING.match(line):
            return line.lstrip(" \t#") if _heading_level(line, 0) == 1 else ""
    return ""


# --- the parts -----------------------------------------------------------------------------


def find_parts(text: str, ref: Reference) -> list[Part]:
    """The parts of ``text`` in order, covering all of it (at least one), each with its date and department."""
    starts = _part_starts(text)
    parts = []
    for start, end in zip(starts, starts[1:] + [len(text)]):
        body = text[start:end]
        day, date_basis = _part_date(body)
        department, department_basis = _part_department(body, day, ref)
        parts.append(Part(start, end, day, date_basis, department, department_basis))
    return _borrow_departments(_sections_inherit(parts, [_heading_level(text, p.start) for p in parts]))


def _heading_level(text: str, start: int) -> int:
    """1 to 6 for a part that opens with a Markdown heading ("## 2. Spending"); 0 for one that
    opens a text of its own (a separator, a new question, the file's start without a heading)."""
    line = text[start : text.find("\n", start) if "\n" in text[start:] else len(text)]
    return len(line.lstrip(" \t")) - len(line.lstrip(" \t").lstrip("#")) if _HEADING.match(line) else 0


def _sections_inherit(parts: list[Part], levels: list[int]) -> list[Part]:
    """A section (a part opened by a heading) is part of the text whose heading is above it: it
    takes the date and department of the nearest part before it with a higher heading (a lower
    level), where it states none of its own. A Budget's "### 1.4 Welfare" is the Budget's, of its
    date and HM Treasury's voice; a part opened by a separator or a new question is a text of its
    own and takes nothing from the one before."""
    result: list[Part] = []
    for index, (part, level) in enumerate(zip(parts, levels)):
        if level and (not part.department or part.published is None):
            above = next((result[j] for j in range(index - 1, -1, -1) if levels[j] < level), None)
            if above is not None:
                if not part.department and above.department:
                    part = replace(part, department=above.department, department_basis="section of the text above")
                if part.published is None and above.published is not None:
                    part = replace(part, published=above.published, date_basis="section of the text above")
        result.append(part)
    return result


def _borrow_departments(parts: list[Part]) -> list[Part]:
    """A part that names no department takes the one most of the file's other parts name.

    A file bundles texts on one subject, mostly from one department (its answers, its
    statements, its releases); a part cut from its page without the header keeps the file's
    department, with the weakest basis, which the review queue shows among the least certain.
    Where the other parts name no department, or two equally often, nothing is borrowed.
    """
    named = [p.department for p in parts if p.department]
    if not named or len(named) == len(parts):
        return parts
    counts = {d: named.count(d) for d in named}
    best = max(counts.values())
    leaders = [d for d, n in counts.items() if n == best]
    if len(leaders) > 1:
        return parts
    return [p if p.department else replace(p, department=leaders[0], department_basis="another part of the file") for p in parts]


def part_at(parts: list[Part], offset: int) -> Part:
    """The part holding character ``offset`` (parts as ``find_parts`` returns them)."""
    index = bisect.bisect_right(parts, offset, key=lambda p: p.start) - 1
    return parts[max(index, 0)]
