"""Resolve the period a money figure covers, as UK financial years (April to March).

``resolve_period(sentence, position, published, reviews)`` reads the period expressions in a
figure's sentence and returns the one that belongs to the figure (see "Which figure" below):

- stated financial years in every common spelling: "2022-23", "2022/23", "2024/5", "2022–2023",
  "financial years 21-22 and 22-23", "financial year 2022 to 2023", "the 2022 to 2023 financial
  year", "FY22-23"; ranges and lists ("2022-23 to 2024-25", "between 2017/18 and 2020/21",
  "in both 2019/20 and 2020/21") from the first year to the last; spans ("the three years
  2011–14": 2011-12 to 2013-14); "over four years from 2020/21" (2020-21 to 2023-24);
- "by 2026/27", "a year by 2030-31", "by the 2029/30 financial year": the level reached in that
  year, so that year alone; "until 2026-27", "to 2030/31": an end (the first year not known);
- month dates: "From June 2021 to March 2023" (2021-22 to 2022-23), "until March 2027" (an end),
  "from April 2029" (starts in 2029-30: a rate continues, so no end; an amount belongs to
  that year);
- periods relative to the document's date: "this financial year", "next year", "last year",
  "over the next three years";
- named periods: "over the Spending Review period", "the 2021 Spending Review", "SR21",
  "3-year SR settlement", resolved through the spending reviews table: the review named by
  its year, or else the latest announced on or before the document's date;
- durations with no stated start: "10-year" (n_years known, years not).

Not financial years, so never a figure's period: academic and school years ("for the 2026/27
and 2027/28 academic years"), calendar years ("in 2026", "between 2019 and 2023", "from 2021 to
2022"), baselines and data years ("compared to 2020/21", "based on the 2026/27 patient numbers",
"in 2019-20 prices", "an increase of £500m on this year"). A calendar year nearer the figure than a financial year dates the figure,
so the financial year further off is not its own.

Which figure a period belongs to, when a sentence holds several (``_owned``): "£41m and
£44m in 2026/27 and 2027/28" gives each figure its own year (unless "in both" / "in each
of"); otherwise a period belongs to the figure it follows through a preposition ("£2.2bn in
2021-22"), else to the side less separated by punctuation (a semicolon, dash or ", and" weighs
more than a comma), else to the figure it follows, else to the nearer. A figure with no period of
its own takes, in order: the year of the increase that reaches it as a total ("£700m in 2027/28,
bringing total funding to £6.4bn") or of the total it raises; the period ending its clause after
the next figure ("£310 per patient and £450 per carer in 2027/28"); the
sentence's lead-in ("In 2027/28 the rate is £920, and £640 for ..."). A year belonging to
another figure is never taken otherwise. In a table row a cell takes the financial year its
column header states. ``paragraph_period`` carries a year that opens an earlier sentence of the
paragraph ("For 2013-14, ... Harbour boards also get £3 million") to a sentence that states none.

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
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Sequence

from funding.annotate.words import lowered
from funding.years import SpendingReview, financial_year_of, fy_label

__all__ = [
    "Period",
    "PERIOD_BASES",
    "paragraph_period",
    "same_year",
    "table_lead_in_period",
    "title_period",
    "resolve_period",
]

#: How a period was found, from the most to the least direct.
PERIOD_BASES = ("stated", "paragraph", "sentence", "title", "named", "relative", "end date", "duration", "unknown")


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
        """"2022-23 to 2024-25", "2021-22", "to 2023-24", "from 2023-24", "10 years", or "unknown"."""
        if self.fy_start is not None and self.fy_end is not None:
            if self.fy_start == self.fy_end:
                return fy_label(self.fy_start)
            return f"{fy_label(self.fy_start)} to {fy_label(self.fy_end)}"
        if self.fy_end is not None:
            return f"to {fy_label(self.fy_end)}"
        if self.fy_start is not None:
            return f"from {fy_label(self.fy_start)}"
        if self.n_years is not None:
            return f"{self.n_years} years"
        return "unknown"


UNKNOWN = Period("", None, None, None, "unknown")
NO_DATE = "unknown, relative: no document date"  # a period relative to a date the document does not give
STATED_REACH = 160  # characters between a figure and a stated year it owns, at most


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

_FY_LONG = re.compile(rf"(?<![\d£$€.,])((?:19|20)\d\d){_DASH}(\d{{4}}|\d{{1,2}})(?![\d%])")
_FY_WORDS = re.compile(
    r"(?i)\bfinancial\s+year\s+((?:19|20)\d\d)\s+to\s+((?:19|20)\d\d)\b"  # financial year 2022 to 2023
    r"|\b((?:19|20)\d\d)\s+to\s+((?:19|20)\d\d)\s+financial\s+year\b"  # the 2028 to 2029 financial year
    # GOV.UK's style in prose, two consecutive years after "in", "for" or "during" ("In 2024 to
    # 2025, our expenditure ..."); not "from 2021 to 2022" (calendar years) nor an academic year
    r"|(?:(?<=\bin\s)|(?<=\bfor\s)|(?<=\bduring\s))((?:19|20)\d\d)\s+to\s+((?:19|20)\d\d)\b(?!\s+(?:academic|school|calendar|tax)\b)"
)
_FY_SHORT_LIST = re.compile(
    rf"(?i)\b(?:financial\s+years?|FYs?)\s*(\d\d{_DASH}\d\d(?:\s*(?:,|and|to|&|-|–)\s*\d\d{_DASH}\d\d)*)\b"
)
_FY_SHORT = re.compile(rf"(\d\d){_DASH}(\d\d)")
# "in the 23/24 financial year": a short year named a financial year after it
_FY_SHORT_NAMED = re.compile(rf"(?i)(?<![\d/£$€.,-])(\d\d){_DASH}(\d\d)\s+financial\s+year\b")
_JOIN = re.compile(r"\A\s*(?:to|and|until|through|-|–|—|,|,\s*and)\s*\Z", re.I)
_LIST_JOIN = re.compile(r"\A\s*(?:and|,|,\s*and)\s*\Z", re.I)  # a list of years, not a range
_BY_BEFORE = re.compile(r"(?i)\b(?:by|until|up\s+to|to)\s+(?:the\s+end\s+of\s+)?(?:the\s+)?\Z")
# "over four years from 2020/21", "for the next two financial years from 2028/29"
_N_YEARS_FROM = re.compile(
    rf"(?i)\b(?:(?:next|coming|following)\s+)?({_NUMBER})\s+(?:financial\s+)?years?\s+(?:from|starting\s+(?:in|from))\s+(?:the\s+)?\Z"
)
# "over the four years to 2024/25", "in the three years up to 2019-20": the span ends in the year named
_N_YEARS_TO = re.compile(
    rf"(?i)\b({_NUMBER})\s+(?:financial\s+)?years?\s+(?:to|until|up\s+to|ending\s+(?:in\s+)?)\s*(?:the\s+)?\Z"
)
_MONTH = "(" + "|".join(_MONTHS) + ")"
# "From June 2021 to March 2023"; a range of bare calendar years ("from 2021 to 2022") is not one
_MONTH_RANGE = re.compile(
    rf"(?i)\bfrom\s+(?:\d{{1,2}}\s+)?{_MONTH}\s+((?:19|20)\d\d)\s+(?:to|until|till|through)\s+(?:the\s+end\s+of\s+)?(?:\d{{1,2}}\s+)?{_MONTH}\s+((?:19|20)\d\d)\b"
)
# "from April 2029", "from 1 October 2021", "starting in May 2026"
_MONTH_FROM = re.compile(
    rf"(?i)\b(?:from|starting\s+(?:in|from)|beginning\s+(?:in\s+)?|with\s+effect\s+from)\s+(?:\d{{1,2}}\s+)?{_MONTH}\s+((?:19|20)\d\d)\b"
)

# "six years " just before "from April 2021": the span starts in the month's financial year
_N_YEARS_BEFORE = re.compile(rf"(?i)\b({_NUMBER})\s+(?:financial\s+)?years?\s+\Z")

_RELATIVE = [
    (re.compile(r"(?i)\bthis\s+(?:financial\s+)?year\b"), lambda fy, _n: (fy, fy, 1)),
    (re.compile(r"(?i)\bnext\s+(?:financial\s+)?year\b"), lambda fy, _n: (fy + 1, fy + 1, 1)),
    (re.compile(r"(?i)\blast\s+(?:financial\s+)?year\b"), lambda fy, _n: (fy - 1, fy - 1, 1)),
]
_NEXT_N_YEARS = re.compile(rf"(?i)\b(?:next|coming|following)\s+({_NUMBER})\s+(?:financial\s+)?years\b")
_DURATION = re.compile(rf"(?i)\b({_NUMBER})[-\s]year\b(?!s?[-\s]+old)")  # not "4-year-old"
_SR_GENERIC = re.compile(r"(?i)\b(?:spending\s+review|spending\s+round)\b|\bSR\b(?!\s*\d)")
_SR_YEAR = re.compile(r"(?i)\b(?:((?:19|20)\d\d)\s+spending\s+(?:review|round)|spending\s+(?:review|round)\s+((?:19|20)\d\d)|SR\s?(\d\d(?:\d\d)?))\b")
_END_DATE = re.compile(
    r"(?i)\b(?:by|until|before)\s+(?:the\s+end\s+of\s+)?(?:(" + "|".join(_MONTHS) + r")\s+)?((?:19|20)\d\d)\b(?!\s?[-/–])"
)


# Cheap tests that say an expression cannot be in a sentence, so that its patterns need not
# look: every stated year, month date and end date holds a year's digits ("2021", "1998"), a
# "FY 22-23" holds two pairs of digits, every relative period and duration the word "year",
# and every spending review named by the patterns "spending" or "SR". Case is ignored by
# lowering, except where a text holds one of the four letters that match ASCII ones only when
# case is ignored (then the patterns look anyway).
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")


def _lacks(sentence: str, *words: str) -> bool:
    """Whether ``sentence`` holds none of ``words`` (lower case), ignoring case as the patterns do."""
    lower = lowered(sentence)
    return lower is not None and not any(word in lower for word in words)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    period: Period
    items: tuple[int, ...] = ()  # the years of a list ("2026/27 and 2027/28"), one each
    kind: str = ""  # "from": a start date ("from April 2029"), whose end depends on the figure


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def _long_fy(first: str, second: str) -> int | None:
    span = _long_span(first, second)
    return span[0] if span is not None and span[0] == span[1] else None


def _long_span(first: str, second: str) -> tuple[int, int] | None:
    """The financial years of "2022-23", "2026/7", "2022–2023", or of a span such as "2011–14"
    (three years: 2011-12 to 2013-14); None for calendar years ("2019-2023")."""
    start = int(first)
    if len(second) == 4:
        return (start, start) if int(second) == start + 1 else None
    unit = 10 ** len(second)
    end = start - start % unit + int(second)
    if end <= start:
        end += unit  # 1999-00, 2029/0
    if end == start + 1:
        return start, start
    if len(second) == 2 and end - start <= 10:
        return start, end - 1
    return None


def _short_fy(first: str, second: str) -> int | None:
    start, end = int(first), int(second)
    return 2000 + start if (start + 1) % 100 == end else None


@lru_cache(maxsize=256)  # a paragraph's earlier sentences are read again for each of its figures
def _stated(sentence: str) -> list[_Found]:
    """The financial years ``sentence`` states (a list shared by callers: not to be changed)."""
    if _YEAR_DIGITS.search(sentence) is None and _FY_SHORT.search(sentence) is None:
        return []
    found: list[_Found] = []
    for match in _FY_SHORT_LIST.finditer(sentence):
        years = [y for y in (_short_fy(a, b) for a, b in _FY_SHORT.findall(match[1])) if y is not None]
        if years:
            found.append(_Found(match.start(), match.end(), Period(match[0], min(years), max(years), max(years) - min(years) + 1, "stated")))
    for match in _FY_SHORT_NAMED.finditer(sentence):
        year = _short_fy(match[1], match[2])
        if year is not None and not any(f.start <= match.start() < f.end for f in found):
            found.append(_Found(match.start(), match.end(), Period(match[0], year, year, 1, "stated")))
    for match in _FY_WORDS.finditer(sentence):
        first, second = match[1] or match[3] or match[5], match[2] or match[4] or match[6]
        year = _long_fy(first, second)
        if year is not None and (match[5] is None or int(second) == int(first) + 1):
            found.append(_Found(match.start(), match.end(), Period(match[0], year, year, 1, "stated")))
    for match in _FY_LONG.finditer(sentence):
        if any(f.start <= match.start() < f.end for f in found):
            continue
        span = _long_span(match[1], match[2])
        if span is not None:
            found.append(_Found(match.start(), match.end(), Period(match[0], span[0], span[1], span[1] - span[0] + 1, "stated")))
    found.sort(key=lambda f: f.start)
    return [_widen(sentence, item) for item in _join(sentence, found)]


def _join(sentence: str, found: list[_Found]) -> list[_Found]:
    """"2022-23 to 2024-25" is one period; "2026/27 and 2027/28" too, remembering each year."""
    merged: list[_Found] = []
    for item in found:
        between = sentence[merged[-1].end : item.start] if merged else ""
        if merged and _JOIN.match(between):
            first = merged.pop()
            start, end = first.period.fy_start, item.period.fy_end
            listed = _LIST_JOIN.match(between) and (first.items or first.period.n_years == 1) and item.period.n_years == 1
            items = (first.items or (first.period.fy_start,)) + (item.period.fy_start,) if listed else ()
            period = Period(sentence[first.start : item.end], start, end, end - start + 1, "stated")
            item = _Found(first.start, item.end, period, items)
        merged.append(item)
    return merged


def _widen(sentence: str, item: _Found) -> _Found:
    """Read the words before a single year: "by 2026/27" is the level reached in that year;
    "until 2026-27" an end date; "over four years from 2020/21" four years from it; "over the four
    years to 2024/25" four years ending in it."""
    period = item.period
    if period.fy_start != period.fy_end or period.fy_start is None:
        return item
    window = max(0, item.start - 60)
    if _NOT_THE_MONEYS_BEFORE.search(sentence[window : item.start]):
        return item  # "compared to 2020/21" is a baseline, not an end
    by = _BY_BEFORE.search(sentence[max(0, item.start - 20) : item.start])
    years = _N_YEARS_FROM.search(sentence[window : item.start])
    if years:
        n, start = _number(years[1]), window + years.start()
        return _Found(start, item.end, Period(sentence[start : item.end], period.fy_start, period.fy_start + n - 1, n, "stated"))
    years = _N_YEARS_TO.search(sentence[window : item.start])
    if years:
        n, start = _number(years[1]), window + years.start()
        return _Found(start, item.end, Period(sentence[start : item.end], period.fy_end - n + 1, period.fy_end, n, "stated"))
    if by is None:
        return item
    start = max(0, item.start - 20) + by.start()
    text = sentence[start : item.end]
    if by[0].lower().startswith("by"):
        return _Found(start, item.end, Period(text, period.fy_start, period.fy_end, 1, "stated"))
    return _Found(start, item.end, Period(text, None, period.fy_end, None, "end date"))


def _relative(sentence: str, current: int | None, first_half: bool) -> list[_Found]:
    if _lacks(sentence, "year"):
        return []
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
    generic = not _lacks(sentence, "spending", "sr")  # else neither _SR_YEAR nor _SR_GENERIC can match
    for match in _SR_YEAR.finditer(sentence) if generic else ():
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
    if (latest is not None or published is None) and generic:
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
    if _lacks(sentence, "year"):
        return []
    return [
        _Found(m.start(), m.end(), Period(m[0], None, None, _number(m[1]), "duration"))
        for m in _DURATION.finditer(sentence)
    ]


def _end_dates(sentence: str) -> list[_Found]:
    if _YEAR_DIGITS.search(sentence) is None:
        return []
    found = []
    for match in _END_DATE.finditer(sentence):
        year = int(match[2])
        month = _MONTHS[match[1].lower()] if match[1] else 12
        last = financial_year_of(dt.date(year, month, 1))
        found.append(_Found(match.start(), match.end(), Period(match[0], None, last, None, "end date")))
    return found


@lru_cache(maxsize=256)
def _month_dates(sentence: str) -> list[_Found]:
    """"From June 2021 to March 2023" (2021-22 to 2022-23); "from April 2029" (a start).
    (A list shared by callers: not to be changed.)"""
    if _YEAR_DIGITS.search(sentence) is None:
        return []
    found = []
    for match in _MONTH_RANGE.finditer(sentence):
        first = financial_year_of(dt.date(int(match[2]), _MONTHS[match[1].lower()], 1))
        last = financial_year_of(dt.date(int(match[4]), _MONTHS[match[3].lower()], 1))
        if first <= last:
            found.append(_Found(match.start(), match.end(), Period(match[0], first, last, last - first + 1, "stated")))
    for match in _MONTH_FROM.finditer(sentence):
        if not any(f.start <= match.start() < f.end for f in found):
            first = financial_year_of(dt.date(int(match[2]), _MONTHS[match[1].lower()], 1))
            span = _N_YEARS_BEFORE.search(sentence, 0, match.start())  # "over six years from April 2021"
            if span is not None:
                n = _number(span[1])
                found.append(_Found(span.start(), match.end(), Period(sentence[span.start() : match.end()], first, first + n - 1, n, "stated")))
                continue
            found.append(_Found(match.start(), match.end(), Period(match[0], first, None, None, "stated"), kind="from"))
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
    candidates = _candidates(sentence, published, tuple(reviews))
    if not candidates:
        return UNKNOWN
    chosen = _choose(sentence, position, candidates)
    if published is None and chosen.basis in ("relative", "named") and chosen.fy_start is None and chosen.fy_end is None:
        return Period(chosen.text, None, None, chosen.n_years, NO_DATE)
    return chosen


@lru_cache(maxsize=256)  # the figures of a sentence share its periods: read once, chosen from per figure
def _candidates(sentence: str, published: dt.date | None, reviews: tuple[SpendingReview, ...]) -> tuple[_Found, ...]:
    """Every period expression of ``sentence``, merged, as of its document's date (not yet
    given to any figure)."""
    current = financial_year_of(published) if published is not None else None
    first_half = published is not None and 4 <= published.month <= 9
    candidates = _stated(sentence) + _end_dates(sentence) + _month_dates(sentence)
    candidates += _relative(sentence, current, first_half) + _named(sentence, published, reviews) + _durations(sentence)
    return tuple(_merge(sentence, candidates))


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


# --- which figure a period belongs to ------------------------------------------------------

# Words before a year that say it dates something other than the money: a baseline
# ("compared to 2020/21"), the data a figure was computed from ("based on the 2026/27 ...").
_NOT_THE_MONEYS_BEFORE = re.compile(
    r"(?i)\b(?:compared\s+(?:to|with)|relative\s+to|than(?:\s+in)?|based\s+on|(?:academic|school)\s+years?)\s+(?:the\s+)?\Z"
    # a change "on" a year is measured against it: "an increase of £1.2bn on 2024-25", "... on this year"
    r"|\d(?:\s?(?:m|bn|k|million|billion))?\s+on\s+(?:the\s+)?\Z"
)
# ... and words after it: academic years, price bases, data ("2019/20 prices", "2026/27 patient numbers").
_NOT_THE_MONEYS_AFTER = re.compile(
    r"\s*(?:[A-Z]{2,6}\s+)?(?:academic|school|(?:real|cash)\s+terms|terms|prices|(?:[a-z]+\s+)?numbers|census|data|baseline)\b", re.I
)
# What separates clauses, strongest first: a semicolon, colon or dash, or a comma before a
# conjunction; then a bare comma.
_STRONG_BREAK = re.compile(r"[;:]|\s[-–—]\s|,\s*(?:and|but|while|whereas|with|which|although|compared)\b", re.I)
# A figure the year follows through a preposition: "£X in", "£X a year on ferries by".
_ATTACHED = re.compile(
    r"\A\s*(?:[\w’'%()-]+\s+){0,4}?(?:in|for|during|over|by|from|across|until|to|through)\s+(?:the\s+)?"
    r"(?:both\s+|each\s+of\s+(?:the\s+)?)?\Z",
    re.I,
)
_PREPOSITION_BEFORE = re.compile(r"(?i)\b(?:in|for|during|over|by|from|across|until|through)\s+(?:the\s+)?\Z")
_CALENDAR_YEAR = re.compile(r"(?i)\b(?:in|during)\s+(?:(?:19|20)\d\d)\b(?!\s?[-/–]\s?\d)")
_EACH_YEAR = re.compile(r"(?i)\b(?:for\s+)?(?:each|every)\s+year\b[^,;£]*\Z")
_EACH = re.compile(r"(?i)\b(?:both|each\s+of(?:\s+the)?)\s*\Z")
_FIGURE_JOIN = re.compile(r"\A\s*(?:,|and|or|,\s*and)\s*\Z", re.I)  # "£41m and £44m"
# A total reached by the figure before it: "..., bringing total funding to £6.4 billion"
_TOTAL_TO = re.compile(
    r"(?i)(?:\b(?:bringing|taking|raising|rising|increasing)\b[^;£]*\bto|\bto\s+a\s+total\s+of)\s+(?:[a-z]+\s+){0,2}\Z"
)
_INCREASE_BY = re.compile(r"(?i)\b(?:increas\w*|rais\w*|boost\w*|uplift\w*|grow\w*)\b[^;£]*\bby\s+(?:[a-z]+\s+){0,2}\Z")
_LEAD_IN = re.compile(r"(?i)(?:\A|[,:;]\s*)\W*(?:(?:in|for|from|during|over|across|throughout)\s+)?(?:the\s+)?\Z")
_RATE_AFTER = re.compile(r"\s*(?:per|a|an|each|every)\s+[a-z]", re.I)  # "£7.20 per visit", "£2m a year"
_TABLE = re.compile(r"\ATable columns: (?P<header>.*?)\. Row: (?P<row>.*)\Z", re.S)


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int
    rate: str


def _choose(sentence: str, position: tuple[int, int], candidates: list[_Found]) -> Period:
    """The period of the figure at ``position``: its own if one is attached to it, else one it
    shares with the figures of its clause, else the sentence's lead-in, else unknown."""
    column = _table_column_year(sentence, position)
    if column is not None:
        return column
    table = _TABLE.match(sentence)  # the header's words are not the row's
    candidates = [c for c in candidates if not _dates_something_else(sentence, c) and not (table and c.start < table.start("row"))]
    figures = _figures_with(sentence, position)
    me = next(i for i, f in enumerate(figures) if f.start == position[0])
    sentence = _masked(sentence, figures)
    owned = _owned(sentence, figures, candidates)

    def own(i: int) -> _Found | None:
        mine = [c for c in owned.get(i, []) if c.period.basis != "stated" or _gap(c, figures[i]) <= STATED_REACH]
        # "£90 million in 2027/28 for each year ... to 2030/31" continues the amount to an end
        ends = [c for c in mine if c.period.basis == "end date" and _EACH_YEAR.search(sentence[max(0, c.start - 80) : c.start])]
        # "The Spending Review confirmed £36 billion ... over ten years from 2026-27": a review named
        # before the figure says when it was announced; years the clause states are the money's own
        if any(c.period.basis == "stated" for c in mine):
            mine = [c for c in mine if not (c.period.basis == "named" and c.end <= figures[i].start)]
        return min(ends or mine, key=lambda c: (_gap(c, figures[i]), PERIOD_BASES.index(c.period.basis)), default=None)

    found = own(me) or _shared(sentence, figures, me, candidates, own)
    if found is None and not _RATE_AFTER.match(sentence, figures[me].end):  # not "£8 billion every year"
        only = _the_sentences_one_year([c for c in candidates if c.end <= figures[0].start])  # before every figure
        if only is not None and not _calendar_year_between(sentence, figures[me], only):
            p = only.period  # basis "sentence": a package's own years, where it has one, come first
            return Period(p.text, p.fy_start, p.fy_end, p.n_years, "sentence")
    if found is None or _calendar_year_between(sentence, figures[me], found):
        return UNKNOWN
    return _fit(sentence, found, figures[me])


def _the_sentences_one_year(candidates: list[_Found]) -> _Found | None:
    """The one financial year a sentence states before its first figure, for a figure no period
    is attached to ("Of the 2025-26 funding, £500 million is for A and £380 million for B"); a
    year after a figure is that figure's ("Ports receive £8m, while airports receive £5m in
    2027/28" dates only the £5m)."""
    if len(candidates) != 1:
        return None
    only = candidates[0]
    p = only.period
    return only if p.basis == "stated" and p.fy_start is not None and p.fy_start == p.fy_end else None


def _calendar_year_between(sentence: str, figure: _Figure, found: _Found) -> bool:
    """A calendar year nearer the figure dates it ("from October 2021 and mean that in 2022, a
    visit will cost £31"), so a financial year further off is not its own."""
    between = sentence[figure.end : found.start] if found.start >= figure.end else sentence[found.end : figure.start]
    return bool(_CALENDAR_YEAR.search(between))


def _masked(sentence: str, figures: list[_Figure]) -> str:
    """The sentence with each figure's characters replaced, so that "£4,350" holds no comma."""
    chars = list(sentence)
    for figure in figures:
        chars[figure.start : figure.end] = "£" * (figure.end - figure.start)
    return "".join(chars)


def _gap(found: _Found, figure: _Figure) -> int:
    if found.start >= figure.end:
        return found.start - figure.end
    return max(0, figure.start - found.end)


def _dates_something_else(sentence: str, found: _Found) -> bool:
    before = sentence[max(0, found.start - 30) : found.start]
    return bool(_NOT_THE_MONEYS_BEFORE.search(before) or _NOT_THE_MONEYS_AFTER.match(sentence, found.end))


def _figures_with(sentence: str, position: tuple[int, int]) -> list[_Figure]:
    """The money figures of the sentence, the one at ``position`` included however it was found."""
    figures = [f for f in _figures(sentence) if not (f.start < position[1] and position[0] < f.end)]
    rate = next((f.rate for f in _figures(sentence) if f.start < position[1] and position[0] < f.end), "total")
    figures.append(_Figure(position[0], position[1], rate))
    return sorted(figures, key=lambda f: f.start)


@lru_cache(maxsize=64)
def _figures(sentence: str) -> tuple[_Figure, ...]:
    from funding.money import Money, find_money

    return tuple(_Figure(m.start, m.end, m.rate) for m in find_money(sentence) if isinstance(m, Money))


def _owned(sentence: str, figures: list[_Figure], candidates: list[_Found]) -> dict[int, list[_Found]]:
    """Give each period to the figure it belongs to. "£41m and £44m in 2026/27 and
    2027/28" gives each figure its own year; otherwise a period goes to the figure it follows
    through a preposition ("£X in 2021-22"), else to the side it is less separated from, else
    to the nearer figure."""
    owned: dict[int, list[_Found]] = {}
    for found in candidates:
        before = [i for i, f in enumerate(figures) if f.end <= found.start]
        after = [i for i, f in enumerate(figures) if f.start >= found.end]
        prev, nxt = (before[-1] if before else None), (after[0] if after else None)
        run = _run_ending(sentence, figures, prev) if prev is not None and found.items else []
        if len(run) > 1 and len(run) == len(found.items) and not _EACH.search(sentence[: found.start]):
            for i, year in zip(run, found.items):
                owned.setdefault(i, []).append(_Found(found.start, found.end, Period(found.period.text, year, year, 1, "stated")))
            continue
        later = _respective_run(sentence, figures, after, found) if found.items else []
        if later:  # "over two years (2024/25 and 2025/26) ..., £1.2 billion and £1.45 billion respectively"
            for i, year in zip(later, found.items):
                owned.setdefault(i, []).append(_Found(found.start, found.end, Period(found.period.text, year, year, 1, "stated")))
            if prev is not None and prev not in later:
                owned.setdefault(prev, []).append(found)  # and the whole span stays the total's before it
            continue
        owner = _owner(sentence, figures, prev, nxt, found)
        if owner is not None:
            owned.setdefault(owner, []).append(found)
    return owned


_RESPECTIVELY = re.compile(r"\s*,?\s*respectively\b", re.I)


def _respective_run(sentence: str, figures: list[_Figure], after: list[int], found: _Found) -> list[int]:
    """The figures after a list of years that the sentence pairs with them in order: a run of
    as many figures as years, joined by "and" or commas, followed by "respectively"."""
    for last in after:
        if _RESPECTIVELY.match(sentence, figures[last].end):
            run = _run_ending(sentence, figures, last)
            return run if len(run) == len(found.items) and run[0] in after else []
    return []


def _run_ending(sentence: str, figures: list[_Figure], last: int) -> list[int]:
    """The figures joined by "and" or commas that end with figure ``last``."""
    run = [last]
    while run[0] > 0 and _FIGURE_JOIN.match(sentence[figures[run[0] - 1].end : figures[run[0]].start]):
        run.insert(0, run[0] - 1)
    return run


def _owner(sentence: str, figures: list[_Figure], prev: int | None, nxt: int | None, found: _Found) -> int | None:
    if prev is None or nxt is None:
        return nxt if prev is None else prev
    left, right = sentence[figures[prev].end : found.start], sentence[found.end : figures[nxt].start]
    if _ATTACHED.match(left):
        return prev
    left_break, right_break = _separation(left), _separation(right)
    if left_break != right_break:
        return prev if left_break < right_break else nxt
    if _PREPOSITION_BEFORE.search(left):
        return prev  # "£2 billion, year on year increase provided in 2020/21, an increase of £5 billion"
    return prev if len(left) <= len(right) else nxt


def _separation(text: str) -> int:
    return 2 if _STRONG_BREAK.search(text) else 1 if "," in text else 0


def _shared(sentence, figures, me, candidates, own) -> _Found | None:
    """A period for a figure that has none of its own: a total reached takes the year of the
    increase that reaches it and the other way round ("£700m in 2027/28, bringing the total to
    £6.4bn"); figures of one clause share the period that ends it ("£310 per patient and
    £450 per carer in 2027/28"); any figure takes the sentence's lead-in ("In 2027/28, ...")."""
    figure = figures[me]
    if me > 0 and _TOTAL_TO.search(sentence[figures[me - 1].end : figure.start]):
        found = own(me - 1)
        if found is not None:
            return found
    if me + 1 < len(figures) and _TOTAL_TO.search(sentence[figure.end : figures[me + 1].start]):
        found = own(me + 1)
        if found is not None:
            return found
    # only a period after the next figure ends the clause; one before it is that figure's
    # ("£3 billion for hospitals and a one-off 2026/27 ferry grant worth £90 million")
    after_next = figures[me + 1].end if me + 1 < len(figures) else len(sentence) + 1
    later = [c for c in candidates if c.start >= after_next and not c.items and _separation(sentence[figure.end : c.start]) == 0]
    if me + 1 < len(figures) and re.fullmatch(r"\s*to\s*", sentence[figure.end : figures[me + 1].start]):
        later = []  # "from £2.1 billion to £2.6 billion in 2012-13": the first is where it started
    later = [c for c in later if c.period.basis != "stated" or _gap(c, figure) <= STATED_REACH]
    if later:
        return min(later, key=lambda c: c.start)
    return next((c for c in candidates if c.end <= figures[0].start and _LEAD_IN.search(sentence[: c.start])), None)


def _fit(sentence: str, found: _Found, figure: _Figure) -> Period:
    """Adjust the period to the figure: an amount "from October 2021" belongs to that year
    (a rate continues); an increase "over the 2019/20 and 2021/22 financial years" is the
    level reached in the later year."""
    period = found.period
    if found.kind == "from" and figure.rate == "total" and not _RATE_AFTER.match(sentence, figure.end):
        return Period(period.text, period.fy_start, period.fy_start, 1, period.basis)
    over = re.search(r"(?i)\bover\s+(?:the\s+)?\Z", sentence[max(0, found.start - 10) : found.start])
    if len(found.items) == 2 and over and _INCREASE_BY.search(sentence[max(0, figure.start - 200) : figure.start]):
        return Period(period.text, found.items[-1], found.items[-1], 1, period.basis)
    return period


def _table_column_year(sentence: str, position: tuple[int, int]) -> Period | None:
    """In a table row ("Table columns: Fund; 2022-23; 2023-24. Row: Roads | £5m | £6m") a
    cell takes the financial year its column's header states, when the columns line up."""
    table = _TABLE.match(sentence)
    if table is None or position[0] < table.start("row"):
        return None
    header = [cell.strip() for cell in table["header"].split(";")]
    cells = table["row"].split("|")
    if len(header) != len(cells):
        return None
    column = table["row"].count("|", 0, position[0] - table.start("row"))
    stated = _stated(header[column])
    if len(stated) != 1 or stated[0].period.fy_start is None:
        return None
    return replace(stated[0].period, text=header[column])


# --- a year that opens a paragraph --------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z£])")


def paragraph_period(paragraph: str, sentence: str) -> Period | None:
    """The financial year an earlier sentence of the paragraph opens with, for a sentence that
    states none: "For 2013-14, coastguards were given £9 million ... Harbour boards also
    get £3 million" dates the £3 million too. The nearest earlier sentence that states a
    financial year decides: if that year does not open it (no lead-in), nothing is carried."""
    at = paragraph.find(sentence)
    if at <= 0:
        return None
    for earlier in reversed(_SENTENCE_END.split(paragraph[:at].strip())):
        stated = [f for f in _stated(earlier) + _month_dates(earlier) if not _dates_something_else(earlier, f)]
        if not stated:
            continue
        first_figure = min((f.start for f in _figures(earlier)), default=len(earlier))
        lead = next((f for f in stated if f.end <= first_figure and _LEAD_IN.search(earlier[: f.start])), None)
        if lead is None or lead.kind or lead.items:
            return None
        return replace(lead.period, basis="paragraph")
    return None


_FOOTNOTE_MARK = re.compile(r"\s*\[(?:footnote|note)\s*\d+\]", re.I)
TABLE_LEAD_REACH = 3000  # characters above a table row read for its table's start and lead-in


def table_lead_in_period(text: str, offset: int) -> Period | None:
    """The one financial year the lead-in of the table holding ``offset`` states: the line just
    above the table, ending with a colon ("Funding allocations for the 23/24 financial year ...
    are shown below:"), dates its cells as a list's lead-in dates its items.

    >>> t = "Allocations for 2031-32 are below:\\n\\n| Area | Grant |\\n|---|---|\\n| North | £5m |\\n"
    >>> table_lead_in_period(t, t.index("£5m")).label
    '2031-32'
    """
    above = text[max(0, offset - TABLE_LEAD_REACH) : offset].split("\n")[:-1]  # whole lines above the row's
    while above and above[-1].lstrip().startswith("|"):
        above.pop()  # the table's own rows and header
    while above and not above[-1].strip():
        above.pop()
    if not above:
        return None
    lead = _FOOTNOTE_MARK.sub("", above[-1]).strip()
    if not lead.endswith(":"):
        return None
    stated = [f for f in _stated(lead) if not _dates_something_else(lead, f)]
    if len(stated) != 1 or stated[0].period.fy_start is None or stated[0].period.fy_start != stated[0].period.fy_end or stated[0].items:
        return None
    return replace(stated[0].period, basis="paragraph")


_SAME_YEAR = re.compile(r"(?i)\b(?:in|for|during|over)\s+the\s+same\s+(?:financial\s+)?year\b")
SAME_YEAR_REACH = 600  # characters before a sentence in which "the same year" finds its year


def same_year(sentence: str, before: str) -> Period | None:
    """"The Welsh Government will receive £18.4 billion ... in the same year": the financial year
    last stated before the sentence (in ``before``, the text just before it, across a paragraph
    break), where the sentence says "in the same year" and states none of its own.

    >>> same_year("Wales gets £2 billion in the same year.", "Scotland's grant is £4 billion in 2024-25.\\n\\n").label
    '2024-25'
    """
    if _SAME_YEAR.search(sentence) is None or _stated(sentence):
        return None
    stated = [f for f in _stated(before) if f.period.fy_start is not None and f.period.fy_start == f.period.fy_end]
    if not stated:
        return None
    p = stated[-1].period
    return Period(f"the same year ({p.text})", p.fy_start, p.fy_end, 1, "paragraph")


# --- a year in a part's title ---------------------------------------------------------------

_TITLE_LINES = 6  # a title block is at most this many short lines ("Guidance", the title, "Published ...")
_TITLE_WIDTH = 160
_TITLE_LOOK = 2000  # characters of a part read for its title
_BODY_END = (".", "?", "!", ":", ";")


# "2022 to 2023" in a title is GOV.UK's way of writing a financial year (in prose, "from 2021 to
# 2022" is two calendar years, and is not read so)
_GOVUK_TITLE_YEAR = re.compile(r"(?<![\d/-])(?<!from\s)(?<!From\s)((?:19|20)\d\d)\s+to\s+((?:19|20)\d\d)(?![\d/-])")


def title_period(text: str, start: int, end: int) -> Period | None:
    """The one financial year that the title of a part (or of a whole document) states.

    "Road Maintenance Grant Determination (2025-26): 31/1234", "Rural Grant Determination 2022
    to 2023 No 31/6115" or "Bus grant: conditions of grant for the 2024 to 2025 financial year" dates the figures of the text under it that
    state no year of their own. The title block is the part's first short lines, up to the
    first line that reads as body text (long, or ending a sentence or a lead-in); it must
    state exactly one single financial year, else nothing is carried.
    """
    years: set[int] = set()
    title = ""
    lines = 0
    for line in text[start : min(end, start + _TITLE_LOOK)].splitlines():
        words = line.strip().lstrip("#").strip()
        if not words:
            continue
        if len(words) > _TITLE_WIDTH or words.endswith(_BODY_END) or lines == _TITLE_LINES:
            break
        lines += 1
        for found in _stated(words):
            if found.period.fy_start != found.period.fy_end or found.items:
                return None
            years.add(found.period.fy_start)
            title = words
        for match in _GOVUK_TITLE_YEAR.finditer(words):  # GOV.UK's style in titles: "... Determination 2022 to 2023"
            if int(match[2]) == int(match[1]) + 1:
                years.add(int(match[1]))
                title = words
    if len(years) != 1:
        return None
    year = years.pop()
    return Period(title, year, year, 1, "title")
