"""Resolve the period a money figure covers, as UK financial years (April to March).

``resolve_period(sentence, position, published, reviews)`` reads the period expressions in a
figure's sentence and returns the one nearest the figure:

- stated financial years in every common spelling: "2022-23", "2022/23", "2022–2023",
  "financial years 21-22 and 22-23", "financial year 2022 to 2023", "FY22-23", and ranges
  ("2022-23 to 2024-25");
- periods relative to the document's date: "this financial year", "next year", "last year",
  "over the next three years";
- named periods: "over the Spending Review period", "the 2021 Spending Review", "SR21",
  "3-year SR settlement", resolved through the spending reviews table: the review named by
  its year, or else the latest announced on or before the document's date;
- durations with no stated start: "10-year" (n_years known, years not);
- end dates: "by March 2024" (the last year known, the first not).

Where nothing in the sentence says, the period is unknown and says so. A stated year in
brackets after a relative phrase ("next year (2022-23)") is one stated period.

"Over the next N years" starts in the document's own financial year when the document is
from its first half (April to September), and in the next one when from its second half
(October to March), when next year's budgets are what is being set. This is an assumption,
recorded as the period's basis "relative"; the review file can override it.

Financial years are numbered by the calendar year they start in: 2022 is 2022-23.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

__all__ = [
    "Period",
    "SpendingReview",
    "PERIOD_BASES",
    "financial_year_of",
    "fy_label",
    "parse_fy_label",
    "resolve_period",
]

#: How a period was found, from the most to the least direct.
PERIOD_BASES = ("stated", "named", "relative", "end date", "duration", "unknown")


@dataclass(frozen=True)
class SpendingReview:
    """One spending review and the financial years its settlement covers."""

    review_id: str
    name: str
    announced: dt.date
    fy_start: int
    fy_end: int
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Period:
    """The financial years a figure covers, and how that was known."""

    text: str
    fy_start: int | None
    fy_end: int | None
    n_years: int | None
    basis: str

    @property
    def label(self) -> str:
        """"2022-23 to 2024-25", "2021-22", "to 2023-24", "10 years", or "unknown"."""
        if self.fy_start is not None and self.fy_end is not None:
            if self.fy_start == self.fy_end:
                return fy_label(self.fy_start)
            return f"{fy_label(self.fy_start)} to {fy_label(self.fy_end)}"
        if self.fy_end is not None:
            return f"to {fy_label(self.fy_end)}"
        if self.n_years is not None:
            return f"{self.n_years} years"
        return "unknown"


UNKNOWN = Period("", None, None, None, "unknown")
NO_DATE = "unknown, relative: no document date"  # a period relative to a date the document does not give
STATED_REACH = 60  # characters between a figure and a stated year for the year to be the figure's


def fy_label(start_year: int) -> str:
    """The usual label of a financial year: 2022 -> "2022-23".

    >>> fy_label(2022), fy_label(1999)
    ('2022-23', '1999-00')
    """
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def parse_fy_label(label: str) -> int:
    """The start year of a "YYYY-YY" label; ValueError for anything else.

    >>> parse_fy_label("2022-23")
    2022
    """
    match = re.fullmatch(r"((?:19|20)\d\d)-(\d\d)", label.strip())
    if match is None or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"not a financial year label (YYYY-YY): {label!r}")
    return int(match[1])


def financial_year_of(day: dt.date) -> int:
    """The financial year a date falls in: 1 April 2022 to 31 March 2023 is 2022.

    >>> financial_year_of(dt.date(2022, 3, 31)), financial_year_of(dt.date(2022, 4, 1))
    (2021, 2022)
    """
    return day.year if day.month >= 4 else day.year - 1


# --- the expressions -----------------------------------------------------------------------

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}
_NUMBER = r"(?:\d{1,2}|" + "|".join(_NUMBERS) + ")"
_MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(), start=1
    )
}
_DASH = r"\s?[-/–—]\s?"

_FY_LONG = re.compile(rf"(?<![\d£$€.,])((?:19|20)\d\d){_DASH}(\d\d(?:\d\d)?)(?![\d%])")
_FY_WORDS = re.compile(r"(?i)\bfinancial\s+year\s+((?:19|20)\d\d)\s+to\s+((?:19|20)\d\d)\b")
_FY_SHORT_LIST = re.compile(
    rf"(?i)\b(?:financial\s+years?|FYs?)\s*(\d\d{_DASH}\d\d(?:\s*(?:,|and|to|&|-|–)\s*\d\d{_DASH}\d\d)*)\b"
)
_FY_SHORT = re.compile(rf"(\d\d){_DASH}(\d\d)")
_JOIN = re.compile(r"\A\s*(?:to|and|until|through|-|–|—)\s*\Z", re.I)
_BY_BEFORE = re.compile(r"(?i)\b(?:by|until|up\s+to|to)\s+(?:the\s+end\s+of\s+)?\Z")

_RELATIVE = [
    (re.compile(r"(?i)\bthis\s+(?:financial\s+)?year\b"), lambda fy, _n: (fy, fy, 1)),
    (re.compile(r"(?i)\bnext\s+(?:financial\s+)?year\b"), lambda fy, _n: (fy + 1, fy + 1, 1)),
    (re.compile(r"(?i)\blast\s+(?:financial\s+)?year\b"), lambda fy, _n: (fy - 1, fy - 1, 1)),
]
_NEXT_N_YEARS = re.compile(rf"(?i)\b(?:next|coming|following)\s+({_NUMBER})\s+(?:financial\s+)?years\b")
_DURATION = re.compile(rf"(?i)\b({_NUMBER})[-\s]year\b(?!s?\s+old)")
_SR_GENERIC = re.compile(r"(?i)\b(?:spending\s+review|spending\s+round)\b|\bSR\b(?!\s*\d)")
_SR_YEAR = re.compile(r"(?i)\b(?:((?:19|20)\d\d)\s+spending\s+(?:review|round)|spending\s+(?:review|round)\s+((?:19|20)\d\d)|SR\s?(\d\d(?:\d\d)?))\b")
_END_DATE = re.compile(
    r"(?i)\b(?:by|until|before)\s+(?:the\s+end\s+of\s+)?(?:(" + "|".join(_MONTHS) + r")\s+)?((?:19|20)\d\d)\b(?!\s?[-/–])"
)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    period: Period


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def _long_fy(first: str, second: str) -> int | None:
    start = int(first)
    end = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    if len(second) == 2 and end < start:
        end += 100  # 1999-00
    return start if end == start + 1 else None


def _short_fy(first: str, second: str) -> int | None:
    start, end = int(first), int(second)
    return 2000 + start if (start + 1) % 100 == end else None


def _stated(sentence: str) -> list[_Found]:
    found: list[_Found] = []
    for match in _FY_SHORT_LIST.finditer(sentence):
        years = [y for y in (_short_fy(a, b) for a, b in _FY_SHORT.findall(match[1])) if y is not None]
        if years:
            found.append(_Found(match.start(), match.end(), Period(match[0], min(years), max(years), max(years) - min(years) + 1, "stated")))
    for match in _FY_WORDS.finditer(sentence):
        year = _long_fy(match[1], match[2])
        if year is not None:
            found.append(_Found(match.start(), match.end(), Period(match[0], year, year, 1, "stated")))
    for match in _FY_LONG.finditer(sentence):
        if any(f.start <= match.start() < f.end for f in found):
            continue
        year = _long_fy(match[1], match[2])
        if year is not None:
            found.append(_Found(match.start(), match.end(), Period(match[0], year, year, 1, "stated")))
    found.sort(key=lambda f: f.start)
    # "2022-23 to 2024-25" is one period; "by 2024-25" is an end date.
    merged: list[_Found] = []
    for item in found:
        if merged and _JOIN.match(sentence[merged[-1].end : item.start]):
            first = merged.pop()
            text = sentence[first.start : item.end]
            start, end = first.period.fy_start, item.period.fy_end
            item = _Found(first.start, item.end, Period(text, start, end, end - start + 1, "stated"))
        merged.append(item)
    result = []
    for item in merged:
        if _BY_BEFORE.search(sentence[max(0, item.start - 20) : item.start]) and item.period.fy_start == item.period.fy_end:
            by = _BY_BEFORE.search(sentence[max(0, item.start - 20) : item.start])
            start = max(0, item.start - 20) + by.start()
            item = _Found(start, item.end, Period(sentence[start : item.end], None, item.period.fy_end, None, "end date"))
        result.append(item)
    return result


def _relative(sentence: str, current: int | None, first_half: bool) -> list[_Found]:
    found = []
    for pattern, years in _RELATIVE:
        for match in pattern.finditer(sentence):
            start, end, n = years(current, 0) if current is not None else (None, None, 1)
            found.append(_Found(match.start(), match.end(), Period(match[0], start, end, n, "relative")))
    for match in _NEXT_N_YEARS.finditer(sentence):
        n = _number(match[1])
        first = None if current is None else current if first_half else current + 1
        last = None if first is None else first + n - 1
        found.append(_Found(match.start(), match.end(), Period(match[0], first, last, n, "relative")))
    # "next year" inside "next three years" is not a second period
    return [f for f in found if not any(o is not f and o.start <= f.start and f.end <= o.end and o.end - o.start > f.end - f.start for o in found)]


def _named(sentence: str, published: dt.date | None, reviews: Sequence[SpendingReview]) -> list[_Found]:
    found = []
    for match in _SR_YEAR.finditer(sentence):
        year = match[1] or match[2] or match[3]
        year = int(year) if len(year) == 4 else 2000 + int(year)
        review = next((r for r in reviews if r.announced.year == year), None)
        if review is not None:
            found.append(_Found(match.start(), match.end(), _review_period(match[0], review)))
    pattern, by_alias = _review_aliases(tuple(reviews))
    if pattern is not None:
        for match in pattern.finditer(sentence):
            if not any(f.start <= match.start() < f.end for f in found):
                found.append(_Found(match.start(), match.end(), _review_period(match[0], by_alias[match[0].lower()])))
    latest = None if published is None else max((r for r in reviews if r.announced <= published), key=lambda r: r.announced, default=None)
    if latest is not None or published is None:
        for match in _SR_GENERIC.finditer(sentence):
            if not any(f.start <= match.start() < f.end for f in found):
                period = _review_period(match[0], latest) if latest else Period(match[0], None, None, None, "named")
                found.append(_Found(match.start(), match.end(), period))
    return found


@lru_cache(maxsize=16)
def _review_aliases(reviews: tuple[SpendingReview, ...]):
    by_alias = {alias.lower(): review for review in reviews for alias in review.aliases}
    if not by_alias:
        return None, by_alias
    return re.compile("|".join(re.escape(a) for a in sorted(by_alias, key=len, reverse=True)), re.I), by_alias


def _review_period(text: str, review: SpendingReview) -> Period:
    return Period(text, review.fy_start, review.fy_end, review.fy_end - review.fy_start + 1, "named")


def _durations(sentence: str) -> list[_Found]:
    return [
        _Found(m.start(), m.end(), Period(m[0], None, None, _number(m[1]), "duration"))
        for m in _DURATION.finditer(sentence)
    ]


def _end_dates(sentence: str) -> list[_Found]:
    found = []
    for match in _END_DATE.finditer(sentence):
        year = int(match[2])
        month = _MONTHS[match[1].lower()] if match[1] else 12
        last = financial_year_of(dt.date(year, month, 1))
        found.append(_Found(match.start(), match.end(), Period(match[0], None, last, None, "end date")))
    return found


def resolve_period(
    sentence: str,
    position: tuple[int, int],
    published: dt.date | None,
    reviews: Sequence[SpendingReview] = (),
) -> Period:
    """The period of the figure at ``position`` (start, end) in ``sentence``, or UNKNOWN.

    With no ``published`` date, a period relative to it ("next year", "over the Spending
    Review period") stays unknown, with the basis "unknown, relative: no document date".

    >>> sr21 = SpendingReview("SR2021", "Spending Review 2021", dt.date(2021, 10, 27), 2022, 2024)
    >>> s = "This financial year (2021/22), we have made £130 million available."
    >>> resolve_period(s, (44, 56), dt.date(2022, 2, 2), [sr21]).label
    '2021-22'
    >>> s = "taking total planned investment to £695 million over the Spending Review period"
    >>> resolve_period(s, (35, 47), dt.date(2022, 2, 2), [sr21]).label
    '2022-23 to 2024-25'
    """
    current = financial_year_of(published) if published is not None else None
    first_half = published is not None and 4 <= published.month <= 9
    stated = _stated(sentence)
    candidates = stated + _end_dates(sentence)
    candidates += _relative(sentence, current, first_half) + _named(sentence, published, reviews) + _durations(sentence)
    candidates = _merge(sentence, candidates)
    if not candidates:
        return UNKNOWN
    start, end = position

    def gap(found: _Found) -> int:
        return max(0, found.start - end if found.start >= end else start - found.end if found.end <= start else 0)

    # A stated year far from the figure belongs to another clause ("over £1 billion for ...
    # and a new one-off 2022/23 Services Grant worth £822 million"); named periods reach further.
    candidates = [c for c in candidates if c.period.basis != "stated" or gap(c) <= STATED_REACH]
    if not candidates:
        return UNKNOWN
    chosen = min(candidates, key=lambda c: (gap(c), PERIOD_BASES.index(c.period.basis))).period
    if published is None and chosen.basis in ("relative", "named") and chosen.fy_start is None and chosen.fy_end is None:
        return Period(chosen.text, None, None, chosen.n_years, NO_DATE)
    return chosen


def _merge(sentence: str, candidates: list[_Found]) -> list[_Found]:
    """Join what belongs together: "next year (2022-23)" is one stated period; "3-year SR
    settlement" is the named review; an expression inside another is dropped."""
    candidates = sorted(candidates, key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[_Found] = []
    for item in candidates:
        if kept and item.start >= kept[-1].start and item.end <= kept[-1].end:
            continue  # inside the previous one
        if kept:
            prev = kept[-1]
            between = sentence[prev.end : item.start]
            if prev.period.basis == "relative" and item.period.basis == "stated" and re.fullmatch(r"\s*\(\s*", between):
                close = sentence.find(")", item.end)
                text = sentence[prev.start : close + 1 if close >= 0 else item.end]
                p = item.period
                kept[-1] = _Found(prev.start, item.end, Period(text, p.fy_start, p.fy_end, p.n_years, "stated"))
                continue
            if prev.period.basis == "duration" and item.period.basis == "named" and re.fullmatch(r"\s*", between):
                kept[-1] = _Found(prev.start, item.end, Period(sentence[prev.start : item.end], *_years(item.period), "named"))
                continue
        kept.append(item)
    return kept


def _years(period: Period) -> tuple[int | None, int | None, int | None]:
    return period.fy_start, period.fy_end, period.n_years
