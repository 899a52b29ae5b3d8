"""Find every money figure in a text and read its value exactly.

``find_money(text)`` yields one ``Money`` per figure ("over £14m", "£15-20 million",
"between £10m and £20m", "GBP 5 million", "(£82 million)", "£ five million",
"3 billion euros", "Fifty million pounds", a cell under a "£m" heading) and one ``SetAside`` for every currency marker that is not followed by an
amount, so that nothing that looks like money is lost without a reason.

Design decisions, each tested in tests/test_money.py:

- A figure needs a currency marker: a symbol (£ $ € ¥), an ISO code before the number
  ("GBP 5m"), or a currency word after it ("5 million euros"). So years, financial years
  ("2021/22", "21-22"), percentages, counts ("300 facilities") and section numbers are never
  money. "pounds" after a number counts only with a scale word or "sterling" ("5 million
  pounds"), because "20 pounds" is as often a weight.
- Amounts are ``decimal.Decimal`` and exact: "£1.2m" is 1200000, never 1199999.99.
- Brackets are not signs: "(£82 million)" in a list is 82 million. A hyphen before "£" is a
  dash or a bullet, not a minus.
- Amounts in words after a currency marker are read ("£ five million", "£twenty-five
  million"); bare number words with no marker are not, as "five million people" is not money.
- Amounts fully in words are read before a scale word and a currency word: "Fifty million
  pounds", "two and a half billion pounds", "a billion pounds", "half a million pounds". The
  scale word is required ("twenty pounds of flour" is a weight), and the currency word is found
  by a plain substring search, so prose without one costs nothing.
- A table under a unit heading holds money without a marker: in a Markdown table ("|" lines)
  whose caption line just above (at most one blank line between) or whose header states a unit
  ("£000", "£'000", "£ thousand", "£k", "£m", "£ million(s)", "£bn", "£ billion"), each cell
  that is one number is a figure in that unit ("1,234" under "£000" is 1234000); its text is
  the cell's number as written. A unit in a column's header ("Cost (£m)", "Allocation (£)")
  governs that column only; a caption's, or one in the first (label) column's header
  ("| £m | 2023-24 |"), governs every other column except those headed by a year, a date, a
  share ("%") or a count. The label column, header rows (a second one with an empty first cell
  included), "-", "n/a", "..", "12%" and zero cells are never money. A header row holding a unit
  and nothing else ("|  |  | £ million |  |") governs the whole table; a section row whose only
  text is its label sets the unit of the rows under it ("| Net borrowing (£ billion) |  |"), or
  none ("(% GDP)"); a row's own label may state its unit. Where the header has year columns,
  only their cells are figures. A signed cell ("-1,055", "+2,590") is a figure of its magnitude
  whose text keeps the sign: what a sign means (a cost or a yield) depends on the table, and is
  read where the role is decided. "£000" is a unit, never £0. Tables are looked at only where a
  unit heading stands, each once.
- Ranges: "£15-20 million", "£15m-£20m", "£10m to £20m" and "between £10m and £20m" are one
  figure with a high end. "from £10m to £20m" and "by £1,000 to £3,000" are changes, so two figures.
- "$" alone is read as US dollars; other currencies keep their ISO code and are never
  converted to pounds here.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from funding.vocab import (
    AMBIGUOUS_CURRENCY_WORDS, AMOUNT_CEILING, CURRENCY_CODES, CURRENCY_SYMBOLS, CURRENCY_WORDS, MAX_DIGITS,
    QUALIFIERS, RATE_TOTAL, SCALES,
)

__all__ = ["Money", "SetAside", "find_money", "parse_money", "format_amount", "states_unit"]


def reduce_by_fields(self):
    """``__reduce__`` for a slots dataclass: pickled as its fields, in order, so that unpickling
    calls the constructor, three times as fast as the dataclass's own state (the build loads
    every document's figures this way)."""
    return (type(self), tuple(getattr(self, name) for name in type(self).__slots__))


@dataclass(frozen=True, slots=True)
class Money:
    """One money figure: where it is, what it says and what it is worth."""

    start: int
    end: int
    text: str
    amount: Decimal
    amount_high: Decimal | None
    currency: str
    qualifier: str
    rate: str

    __reduce__ = reduce_by_fields


@dataclass(frozen=True, slots=True)
class SetAside:
    """A currency marker that is not a money figure, and why."""

    start: int
    end: int
    text: str
    reason: str


# --- the pattern ---------------------------------------------------------------------------

_SP = r"[ \t\u00a0\u202f]*"  # spaces within a line, no-break spaces included
_GAP = _SP + r"(?:\n" + _SP + r")?"  # at most one line end: a wrapped line, never a blank line

_DIGITS = r"""
    (?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])   # 15,642,403 (thousands separators)
      |[0-9]+)                              # 200
    (?:\.[0-9]+)?                           # .8 (a full stop ends a sentence unless a digit follows)
"""

_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TEN_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORD = "(?:" + "|".join(sorted(_UNIT_WORDS + _TEN_WORDS, key=len, reverse=True)) + ")"
_WORDS = rf"""
    (?i:{_NUMBER_WORD}                                # five, twenty
        (?:(?:[ -]|[ ]and[ ])(?:{_NUMBER_WORD}|hundred))*  # twenty-five, one hundred and ten
    )(?![A-Za-z])
"""

# Longest first, so "million" is not read as "m" followed by "illion".
_SCALE = "(?i:" + "|".join(sorted(SCALES, key=len, reverse=True)) + r")(?![A-Za-z])"
# Which scale may follow a number, and how far from it. A word ("million") may follow after
# spaces and one line end (wrapped text). An abbreviation ("bn", "m", "k") must be joined to
# the number or one space after it on the same line; a lone letter after a space must be lower
# case and not start an initial or a list label: "£40\nM. Smith", "£500 b) £600" are £40, £500.
_SCALE_WORDS = [w for w in SCALES if len(w) > 3]
_SCALE_ABBREVIATIONS = [w for w in SCALES if 1 < len(w) <= 3]
_SCALE_LETTERS = [w for w in SCALES if len(w) == 1]
_WORD_SCALE = "(?i:" + "|".join(_SCALE_WORDS) + r")(?![A-Za-z])"
_ABBREVIATION = "(?i:" + "|".join(sorted(_SCALE_ABBREVIATIONS, key=len, reverse=True)) + r")(?![A-Za-z])"
_JOINED = rf"{_ABBREVIATION}|(?i:[{''.join(_SCALE_LETTERS)}])(?![A-Za-z])"
_SPACED = rf"{_ABBREVIATION}|[{''.join(_SCALE_LETTERS)}](?![A-Za-z.)\]:])"
_ONE_SPACE = r"[ \t\u00a0\u202f]"


def _scale_after(gap: str) -> str:
    """A scale after a number: a word across ``gap``, an abbreviation joined or one space on."""
    return rf"(?:{gap}(?={_WORD_SCALE})|{_ONE_SPACE}(?={_SPACED})|(?={_JOINED}))(?P<scale>{_SCALE})"


_SYMBOLS = sorted(CURRENCY_SYMBOLS, key=len, reverse=True)  # "US$" before "$"
_CODES = sorted(CURRENCY_CODES)
_MARKER = "|".join([re.escape(s) for s in _SYMBOLS] + [rf"(?<![A-Za-z]){c}(?![A-Za-z])" for c in _CODES])

_AMOUNT = re.compile(
    rf"""
    (?P<cur>{_MARKER})                 # £, US$, GBP ...
    {_SP}
    (?:(?P<num>{_DIGITS})|(?P<words>{_WORDS}))
    (?:{_scale_after(_GAP)})?          # million (one line end allowed: wrapped text), m, bn
    """,
    re.VERBOSE,
)

# The second half of a range, tried where an amount ends.
_RANGE_TAIL = re.compile(
    rf"""
    {_SP}(?P<conn>[-\u2010-\u2015\u2212]|to(?![A-Za-z])|and(?![A-Za-z])){_SP}   # - – — to and
    (?P<cur>{_MARKER})?{_SP}
    (?P<num>{_DIGITS})
    (?:{_scale_after(_SP)})?
    """,
    re.VERBOSE,
)

# An amount fully in words before a scale word and a currency word: "Fifty million pounds",
# "two and a half billion pounds", "a billion pounds", "half a million pounds". It is matched
# backwards from the scale word, so the pattern ends the text it is searched in.
_FRACTION_OF_ONE = r"half[ ]an?|an?[ ]half|an?[ ]quarter[ ]of[ ]an?|three[ ]quarters[ ]of[ ]an?"
_WORDS_BEFORE_SCALE = re.compile(
    rf"""
    (?<![A-Za-z-])
    (?P<words>(?i:
        (?:{_FRACTION_OF_ONE})                                    # half a, a quarter of a
      | (?:an?[ ]hundred|{_NUMBER_WORD})                          # a hundred, fifty
        (?:(?:[ -]|[ ]and[ ])(?:{_NUMBER_WORD}|hundred))*         # -five, and twenty
        (?:[ ]and[ ]a[ ](?:half|quarter))?                      # and a half
      | an?                                                       # a (billion)
    ))
    {_SP}\Z
    """,
    re.VERBOSE,
)
_WORD_SCALES = ("thousand", "million", "billion", "trillion")
_SCALE_AND_WORD = re.compile(
    rf"(?i)(?<![A-Za-z])(?P<scale>{'|'.join(_WORD_SCALES)}){_SP}(?P<word>{'|'.join(re.escape(w) for w in sorted(CURRENCY_WORDS, key=len, reverse=True))})(?![A-Za-z])"
)
_WORDS_LOOKBACK = 80  # characters before a scale word searched for the number words

# A figure with its currency written after it: "5 million pounds", "3 billion euros",
# "5 million USD"; or in a currency word that names several currencies ("528 million francs").
_WORD_CURRENCIES = sorted(CURRENCY_WORDS, key=len, reverse=True)
_ALL_WORDS = sorted([*CURRENCY_WORDS, *AMBIGUOUS_CURRENCY_WORDS], key=len, reverse=True)
_SUFFIX_AMOUNT = re.compile(
    rf"""
    (?<![0-9A-Za-z.,£$€¥])               # a whole number, not the tail of "£5 million pounds"
    (?P<num>{_DIGITS})
    (?:{_scale_after(_SP)})?
    {_SP}
    (?:(?P<word>(?i:{"|".join(re.escape(w) for w in _ALL_WORDS)}))   # pounds, US dollars, francs
      |(?P<code>{"|".join(sorted(CURRENCY_CODES))})                   # USD (capitals only)
    )(?![A-Za-z])
    """,
    re.VERBOSE,
)
_PENCE_REASON = "an amount in pence: not read as money (write it in pounds to count it)"
_AMBIGUOUS_REASON = "a currency word that names more than one currency ({word}): not read as money"

_QUALIFIER_SPELLINGS = {
    spelling: canonical for canonical, spellings in QUALIFIERS.items() for spelling in spellings
}
_RATE_AFTER = re.compile(
    r"""(?ix)\A[\s*_]*(?:
        (?:a|an|per|each|every)\s+(?P<period>year|annum|month|week|day|hour)(?![a-z])
            (?!\s+(?:ago|earlier|later|before|after|on|to))
      | (?:in\s+)?each\s+of\s+(?:the\s+)?(?:next\s+|following\s+|last\s+|past\s+)?(?:[a-z0-9-]+\s+)?(?P<years>years)(?![a-z])
      | (?P<annual>annually|yearly|per\s+annum|p\.a\.|pa(?![a-z]))
      | (?P<monthly>monthly)(?![a-z]) | (?P<weekly>weekly)(?![a-z])
      | (?:per|a|for\s+each|for\s+every)\s+(?P<unit>head|pupil|child|person|family|learner|student|patient|household|place|school|bed|participant)(?![a-z])
      | (?P<each>each)(?![a-z])
    )"""
)
_RATE_OF_GROUP = {
    "period": None,  # read from the matched word
    "years": "per year",
    "annual": "per year",
    "monthly": "per month",
    "weekly": "per week",
    "unit": "per unit",
    "each": "per unit",
}
_PERIOD_RATE = {
    "year": "per year", "annum": "per year", "month": "per month", "week": "per week", "day": "per day",
    "hour": "per unit",  # an hourly funding rate is a unit price, not a flow of money over time
}
_ADJECTIVE_RATE = {"annual": "per year", "yearly": "per year", "monthly": "per month", "weekly": "per week", "daily": "per day"}

_CONTEXT = 48  # characters looked at before and after a figure for its qualifier and rate


# --- reading values ------------------------------------------------------------------------

_WORD_VALUES = {w: i for i, w in enumerate(_UNIT_WORDS)} | {w: 20 + 10 * i for i, w in enumerate(_TEN_WORDS)}


def _words_to_int(words: str) -> int:
    """Read cardinal number words: "twenty-five" is 25, "one hundred and ten" is 110."""
    total = 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "and":
            continue
        if word == "hundred":
            total = (total or 1) * 100
        else:
            total += _WORD_VALUES[word]
    return total


def _currency_of(marker: str) -> str:
    return CURRENCY_SYMBOLS.get(marker) or marker.upper()


def _value(number: str | None, words: str | None, scale: str | None) -> Decimal:
    base = Decimal(number.replace(",", "")) if number is not None else Decimal(_words_to_int(words or ""))
    return base * SCALES[scale.lower()] if scale else base


def format_amount(amount: Decimal | None) -> str:
    """Write an amount with no exponent and no trailing zeros: 1200000, 15.5, or "" for none.

    >>> format_amount(Decimal("1.2") * 10**6), format_amount(Decimal("15.50")), format_amount(None)
    ('1200000', '15.5', '')
    """
    if amount is None:
        return ""
    if amount == amount.to_integral_value():
        return str(int(amount))
    return format(amount.normalize(), "f")


# --- finding -------------------------------------------------------------------------------

_TRIGGER_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}

# ISO codes: most documents hold none, so one search for any of them (cheap: they start with
# capitals) decides whether the scan needs them. Currency words after a figure ("5 million
# pounds") are checked with plain substring tests, which beat a regular expression whose
# first letters (p, s, e, d) occur everywhere.
_CODES_ANYWHERE = re.compile("|".join(_CODES))
_WORD_STEMS = ("pound", "sterling", "euro", "dollar", "Pound", "Euro", "Dollar")
# Other currency words, rarer still, found in one pass; after a space only, as several occur
# inside common words ("rial" in "trials", "yen" in "Cheyenne").
_OTHER_STEMS = re.compile(" (?:franc|yen|yuan|renminbi|rupee|peso|kron|dinar|shilling|rial)")
# Where pence may be written: a digit, then "p" or "pence" ("50p", "470 pence"); the number is
# read back from there, as a pattern starting with digits would be tried at every digit.
_PENCE_END = re.compile(r"[0-9](?:p|[ \t\u00a0]?pence)(?![A-Za-z0-9])")


def _trigger_for(text: str, codes: bool) -> re.Pattern[str] | None:
    """A pattern matching only the markers present in ``text``.

    A literal pattern ("£") is searched many times faster than a character class, and
    checking whether a single character is present costs almost nothing, so the scan is
    built from the markers this text actually holds.
    """
    present = tuple(m for m in _SYMBOLS if len(m) == 1 and m in text)
    if codes:
        present += tuple(c for c in _CODES if c in text)
    if not present:
        return None
    pattern = _TRIGGER_CACHE.get(present)
    if pattern is None:
        pattern = re.compile("|".join(re.escape(m) for m in present))
        _TRIGGER_CACHE[present] = pattern
    return pattern


def find_money(text: str) -> Iterator[Money | SetAside]:
    """Yield every money figure in ``text`` in order, and every currency marker set aside.

    >>> [m.text for m in find_money("We are investing over £14m, up to £1.2m over 21-22.")]
    ['£14m', '£1.2m']
    >>> m = next(find_money("between £10m and £20m a year"))
    >>> (m.amount, m.amount_high, m.qualifier, m.rate)
    (Decimal('10000000'), Decimal('20000000'), 'between', 'per year')
    """
    found: list[Money | SetAside] = []
    headings: list[_Unit] = []
    codes = _CODES_ANYWHERE.search(text) is not None
    trigger = _trigger_for(text, codes)
    if trigger is not None:
        covered_to = -1
        for hit in trigger.finditer(text):
            pos = hit.start()
            if len(hit.group()) == 3 and (text[pos - 1 : pos].isalpha() or text[hit.end() : hit.end() + 1].isalpha()):
                continue  # "EUR" inside "EUROPE" is not a currency code
            if pos < covered_to:
                continue  # the second marker of a range already read ("£15m-£20m")
            if hit.group() == "$":
                pos = _dollar_start(text, pos)  # "C$", "HK$", "US$": a dollar of its own
            match = _AMOUNT.match(text, pos)
            unit = None
            if match is None or match["num"] == "000":  # "£000" is a unit heading, never £0
                unit = _UNIT_HEADING.match(text, pos)
                if unit is not None:
                    headings.append(_unit_of(unit, text))
                    match = None
            if match is None:
                found.append(_set_aside(text, pos, hit.end()))
                if unit is None and _is_table_line(text, *_line_at(text, pos)):
                    headings.append(_Unit(_currency_of(hit.group()), 1, pos, ""))  # "| Allocation (£) |"
                continue
            money = _read(text, match)
            covered_to = money.end
            found.append(money)
    others = _OTHER_STEMS.search(text) is not None
    if codes or others or any(stem in text for stem in _WORD_STEMS):
        found = _with_free(found, [*_find_suffix_money(text), *_find_word_money(text, others)])
    pence = list(_find_pence(text))
    if pence:
        found = _with_free(found, pence)
    if headings:
        found = _with_table_money(text, found, headings)
    return iter([_checked(item) for item in found])


_DOLLAR_PREFIXES = sorted((s[:-1] for s in CURRENCY_SYMBOLS if s.endswith("$") and len(s) > 1), key=len, reverse=True)


def _dollar_start(text: str, pos: int) -> int:
    """Where the dollar sign at ``pos`` starts with its prefix ("HK" of "HK$"), if it has one."""
    for prefix in _DOLLAR_PREFIXES:
        start = pos - len(prefix)
        if text.startswith(prefix, start) and start >= 0 and not text[start - 1 : start].isalpha():
            return start
    return pos


_NUMBER_IN_FIGURE = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")


def _checked(item: Money | SetAside) -> Money | SetAside:
    """A figure too large or too long to be an amount, set aside with the reason (never rounded).

    >>> [item.reason for item in find_money("£2,000,000bn")]
    ['an amount over 1000000000000000: too large to be a figure']
    """
    if not isinstance(item, Money):
        return item
    digits = max((len(n.replace(",", "").replace(".", "").lstrip("0")) for n in _NUMBER_IN_FIGURE.findall(item.text)), default=0)
    if digits > MAX_DIGITS:
        return SetAside(item.start, item.end, item.text, f"a number of {digits} digits: too long to be an amount")
    if item.amount > AMOUNT_CEILING or (item.amount_high or 0) > AMOUNT_CEILING:
        return SetAside(item.start, item.end, item.text, f"an amount over {AMOUNT_CEILING}: too large to be a figure")
    return item


def _with_table_money(text: str, found: list[Money | SetAside], headings: list[_Unit]) -> list[Money | SetAside]:
    """Add the cells of tables under a unit heading; say so in the heading's set-aside reason."""
    taken = {m.start for m in found if isinstance(m, Money)}
    used: set[int] = set()
    cells = [c for c in _find_table_money(text, headings, used) if c.start not in taken]
    if not cells:
        return found
    found = [
        SetAside(item.start, item.end, item.text, _TABLE_UNIT_REASON) if isinstance(item, SetAside) and item.start in used else item
        for item in found
    ]
    return sorted(found + cells, key=lambda item: item.start)


def _read(text: str, match: re.Match[str]) -> Money:
    start, end = match.start(), match.end()
    currency = _currency_of(match["cur"])
    scale = match["scale"]
    before = text[max(0, start - _CONTEXT) : start]
    qualifier = _qualifier(before)
    amount = _value(match["num"], match["words"], scale)
    high = None
    tail = _RANGE_TAIL.match(text, end) if match["num"] is not None else None
    if tail is not None:
        range_ = _read_range(match, tail, qualifier, before, currency)
        if range_ is not None:
            amount, high = range_
            end = tail.end()
    if high is None and qualifier == "between":
        qualifier = ""  # "between £5m of grants" without a second figure is not a range
    return Money(start, end, text[start:end], amount, high, currency, qualifier, _rate(before, text[end : end + _CONTEXT]))


def _read_range(
    match: re.Match[str], tail: re.Match[str], qualifier: str, before: str, currency: str
) -> tuple[Decimal, Decimal] | None:
    """Return (low, high) when ``tail`` completes a range, or None when it is something else."""
    conn = tail["conn"].lower()
    if conn == "and" and qualifier != "between":
        return None  # "£82 million and £50 million" are two figures
    if conn == "to" and any(_ends_with_word(before.rstrip(_TRAILING_MARKUP).lower(), word) for word in ("from", "by")):
        return None  # "from £50bn to £54bn", "raising it by £1,000 to £3,000": a change, not a range
    if tail["cur"] is None and tail["scale"] is None:
        return None  # "£5m to 2025", "£5m - 300 schools": the second number is not money
    if tail["cur"] is not None and _currency_of(tail["cur"]) != currency:
        return None
    low_scale = match["scale"] or tail["scale"]  # "£15-20 million": the scale serves both
    high_scale = tail["scale"] or (match["scale"] if tail["cur"] is None else None)
    low = _value(match["num"], None, low_scale)
    high = _value(tail["num"], None, high_scale)
    return (low, high) if high > low else None


_TRAILING_MARKUP = " \t\n*_([\u00a0"

def _ends_with_word(before: str, word: str) -> bool:
    """Whether ``before`` ends with ``word`` as a whole word."""
    if not before.endswith(word):
        return False
    return len(before) == len(word) or not before[-len(word) - 1].isalpha()


def _qualifier(before: str) -> str:
    # Look up the last three, two and one words: a few dictionary probes instead of a
    # regular expression anchored at the end, which the engine would try at every position.
    words = before.rstrip(_TRAILING_MARKUP).lower().split()[-3:]
    for n in (3, 2, 1):
        if len(words) >= n:
            found = _QUALIFIER_SPELLINGS.get(" ".join(words[-n:]).lstrip("(["))
            if found is not None:
                return found
    return ""


# "increase funding by £10 billion per annum ... by 2020-21": the size of an annual increase
# reached by a year, one year's amount (that year's level is £10bn higher), not £10bn each year.
_INCREASE_BY = re.compile(r"(?i)\b(?:increases?|increased|increasing|rises?|rising|grows?|growing|raises?|raising)\b[^£.;]{0,60}\bby\s*\Z")
_BY_YEAR = re.compile(r"\bby\s+(?:(?:the\s+)?(?:end\s+of\s+)?)?(?:19|20)\d\d\b")


def _rate(before: str, after: str) -> str:
    found = _RATE_AFTER.match(after)
    if found is not None:
        group = found.lastgroup or ""
        rate = _RATE_OF_GROUP[group] or _PERIOD_RATE[found[group].lower()]
        if rate == "per year" and _INCREASE_BY.search(before) and _BY_YEAR.search(after, found.end()):
            return RATE_TOTAL
        return rate
    tail = before.rstrip(_TRAILING_MARKUP).lower()
    for adjective, rate in _ADJECTIVE_RATE.items():
        if _ends_with_word(tail, adjective):
            return rate
    return RATE_TOTAL


def _set_aside(text: str, start: int, end: int) -> SetAside:
    """The marker and what follows it on its line (up to two words), so a reader sees why."""
    following = re.match(r"[ \t]*\S*(?:[ \t]+\S+)?", text[end : end + 40])
    end += len(following.group()) if following else 0
    return SetAside(start, end, text[start:end], "currency marker not followed by an amount")


def _with_free(found: list[Money | SetAside], extra: list[Money | SetAside]) -> list[Money | SetAside]:
    """``found`` (in order, figures apart) with each extra item that overlaps no figure before it.

    A figure read after its currency marker wins ("£5 million pounds" is one figure). A marker
    set aside inside an extra figure kept goes ("USD" of "5 million USD"). Sorting and one
    bisection per extra item keep this linear, however many figures a text holds.
    """
    figures = [m for m in found if isinstance(m, Money)]
    starts = [m.start for m in figures]
    kept: list[Money | SetAside] = []
    for money in sorted(extra, key=lambda m: (m.start, -m.end)):
        i = bisect.bisect_left(starts, money.end)
        if i and figures[i - 1].end > money.start:
            continue  # inside a figure already read
        if kept and kept[-1].end > money.start:
            continue
        kept.append(money)
    spans = [(m.start, m.end) for m in kept if isinstance(m, Money)]
    span_starts = [a for a, _ in spans]

    def inside_kept(item: SetAside) -> bool:
        i = bisect.bisect_right(span_starts, item.start)
        return bool(i) and spans[i - 1][1] > item.start

    found = [item for item in found if isinstance(item, Money) or not inside_kept(item)] if spans else found
    return sorted([*found, *kept], key=lambda item: item.start)


def _find_suffix_money(text: str) -> Iterator[Money | SetAside]:
    for match in _SUFFIX_AMOUNT.finditer(text):
        start, end = match.start(), match.end()
        word = (match["word"] or "").lower()
        if word == "pounds" and match["scale"] is None:
            continue  # "20 pounds" is as often a weight as money
        if word in AMBIGUOUS_CURRENCY_WORDS:
            yield SetAside(start, end, text[start:end], _AMBIGUOUS_REASON.format(word=word))
            continue
        before = text[max(0, start - _CONTEXT) : start]
        yield Money(
            start,
            end,
            text[start:end],
            _value(match["num"], None, match["scale"]),
            None,
            match["code"] or CURRENCY_WORDS[" ".join(word.split())],
            _qualifier(before),
            _rate(before, text[end : end + _CONTEXT]),
        )


_SCALE_BEFORE = re.compile(rf"(?i)(?<![A-Za-z])(?P<scale>{'|'.join(_WORD_SCALES)}){_SP}\Z")
_CURRENCY_WORD_AT = re.compile(
    "(?i)(?:" + "|".join(re.escape(w) for w in _ALL_WORDS) + ")(?![A-Za-z])"
)
# The first words of a currency name ("US" of "US dollars"), found back from the last word.
_CURRENCY_PREFIX_BEFORE = re.compile(
    "(?i)(?<![A-Za-z])(?:" + "|".join(sorted({re.escape(w.rsplit(" ", 1)[0]) for w in CURRENCY_WORDS if " " in w} - {"pounds"}, key=len, reverse=True)) + r")[ ]\Z"
)


def _find_pence(text: str) -> Iterator[SetAside]:
    """Pence ("50p", "470 pence", "2.5p"): set aside with the reason, never added to pounds."""
    for end in _PENCE_END.finditer(text):
        start = end.start() + 1
        while start > 0 and (text[start - 1].isdigit() or text[start - 1] == "." and text[start - 2 : start - 1].isdigit()):
            start -= 1
        if start > 0 and text[start - 1] in "0123456789.,£$€¥" or text[start - 1 : start].isalpha():
            continue  # "£3.50p", "A4p": not pence on their own
        yield SetAside(start, end.end(), text[start : end.end()], _PENCE_REASON)


def _find_word_money(text: str, others: bool = True) -> Iterator[Money | SetAside]:
    """Amounts fully in words: "Fifty million pounds", "half a million pounds".

    Currency words are rare, so each is found with a plain substring search and the scale word
    and number words are read backwards from it; the text is never scanned with a pattern that
    starts with a letter.
    """
    seen: set[int] = set()
    starts = [at.start() + 1 for at in _OTHER_STEMS.finditer(text)] if others else []
    for stem in _WORD_STEMS:
        at = text.find(stem)
        while at >= 0:
            starts.append(at)
            at = text.find(stem, at + 1)
    for at in starts:
        if at not in seen and not text[at - 1 : at].isalpha():
            seen.add(at)
            money = _word_money_at(text, at)
            if money is not None:
                yield money


def _word_money_at(text: str, at: int) -> Money | SetAside | None:
    """The amount in words whose currency word starts at ``at``, or None."""
    prefix = _CURRENCY_PREFIX_BEFORE.search(text, max(0, at - 16), at)
    at = prefix.start() if prefix is not None else at  # "US dollars"
    word = _CURRENCY_WORD_AT.match(text, at)
    if word is None:
        return None
    scale = _SCALE_BEFORE.search(text, max(0, at - 24), at)
    if scale is None:
        return None  # "twenty pounds of flour": a weight as often as money
    number = _WORDS_BEFORE_SCALE.search(text, max(0, scale.start() - _WORDS_LOOKBACK), scale.start())
    if number is None:
        return None  # "million pounds" with digits before it is read by _SUFFIX_AMOUNT
    start, end = number.start(), word.end()
    name = " ".join(word.group().lower().split())
    if name in AMBIGUOUS_CURRENCY_WORDS:
        return SetAside(start, end, text[start:end], _AMBIGUOUS_REASON.format(word=name))
    before = text[max(0, start - _CONTEXT) : start]
    amount = _words_value(number["words"]) * SCALES[scale["scale"].lower()]
    return Money(
        start, end, text[start:end], amount, None, CURRENCY_WORDS[name],
        _qualifier(before), _rate(before, text[end : end + _CONTEXT]),
    )


_FRACTION_VALUES = (("three quarters", Decimal("0.75")), ("quarter", Decimal("0.25")), ("half", Decimal("0.5")))


def _words_value(words: str) -> Decimal:
    """Read "two and a half" (2.5), "half a" (0.5), "a" (1), "a hundred and twenty" (120) exactly."""
    words = " ".join(words.lower().split())
    if re.fullmatch(_FRACTION_OF_ONE, words):
        return next(value for name, value in _FRACTION_VALUES if name in words)
    if words in ("a", "an"):
        return Decimal(1)
    whole, _, fraction = words.partition(" and a ")  # the pattern allows only "half" or "quarter" after it
    whole = re.sub(r"\Aan? hundred", "one hundred", whole)
    extra = next((value for name, value in _FRACTION_VALUES if name == fraction), Decimal(0))
    return Decimal(_words_to_int(whole)) + extra


# --- tables under a unit heading ----------------------------------------------------------

# A unit heading: a currency marker and a scale with no number ("£000", "£'000", "£ thousand",
# "£k", "£m", "£ million", "£ millions", "£bn", "£ billion"). "£000" is never an amount.
_UNIT_HEADING = re.compile(
    rf"""
    (?P<cur>{_MARKER}){_SP}
    (?P<unit>(?i:['\u2019]?000s?|thousands?|k|millions?|mn|m|billions?|bn))
    (?![A-Za-z0-9]|[,.][0-9])          # not "£000,000"
    """,
    re.VERBOSE,
)
_UNIT_VALUES = {"000": 10**3, "thousand": 10**3, "k": 10**3, "m": 10**6, "million": 10**6, "mn": 10**6, "bn": 10**9, "billion": 10**9}
# "£" alone in a column header: "Allocation (£)", "| £ |".
_POUNDS_HEADER = re.compile(rf"(?:\A|\()[ \t*_]*(?P<cur>{_MARKER})[ \t*_]*(?:\)|\Z)")

# A cell that is one number: "1,234", "12.5", "**300**", "(45)" (brackets are not a sign).
_CELL_NUMBER = re.compile(
    rf"""[ \t*_]*(?P<open>\()?[ \t*_]*
    (?P<sign>[-−–][ \t]?)?
    (?P<plus>\+[ \t]?)?
    (?P<num>{_DIGITS})
    [ \t*_]*(?(open)\))[ \t*_]*""",
    re.VERBOSE,
)
_DELIMITER_ROW = re.compile(r"[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*(?::?-+:?[ \t]*)?")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
# Column headers whose cells are not money even under a table's unit: years, dates, shares, counts.
_NOT_MONEY_COLUMN = re.compile(
    r"(?i)%|\bper[ ]?cent|\bpercentage\b|\A[^A-Za-z]*(?:financial[ ]|calendar[ ]|academic[ ])?(?:years?|fy|date|period)[^A-Za-z]*\Z"
    r"|\bnumber\b|\bno\.|\bcount\b|\brank\b"
)
# A header cell that is a unit and nothing else ("£ million", "£billion", "(£m)").
_UNIT_ONLY = re.compile(rf"[ \t*_]*\(?[ \t]*(?:{_MARKER}){_SP}(?i:['\u2019]?000s?|thousands?|k|millions?|mn|m|billions?|bn)[ \t]*\)?[ \t*_]*")
_TABLE_UNIT_REASON = "unit heading of a table: its numeric cells are read as money in this unit"


@dataclass(frozen=True, slots=True)
class _Unit:
    currency: str
    multiplier: int
    heading: int  # offset of the marker, so the heading can be told apart from its table
    after: str  # words after the unit in its heading, for a rate ("£m a year")


def _unit_of(match: re.Match[str], text: str) -> _Unit:
    """The unit a heading states, with the words after it on its line or in its cell."""
    word = match["unit"].lower().lstrip("'\u2019").rstrip("s")
    end = match.end()
    line_end = text.find("\n", end, end + _CONTEXT)
    after = text[end : end + _CONTEXT if line_end < 0 else line_end].split("|")[0]
    return _Unit(_currency_of(match["cur"]), _UNIT_VALUES[word], match.start(), after)


_MAX_LINE = 4000  # characters; a longer line is prose, never a table row or a caption


def _line_at(text: str, pos: int) -> tuple[int, int]:
    """The line holding ``pos``; clipped to _MAX_LINE either side, so one long line of prose
    holding many markers is not searched again for each."""
    low = max(0, pos - _MAX_LINE)
    start = text.rfind("\n", low, pos) + 1 or low
    end = text.find("\n", pos, pos + _MAX_LINE)
    return start, min(len(text), pos + _MAX_LINE) if end < 0 else end


def _is_line(text: str, start: int, end: int) -> bool:
    """Whether (start, end) is a whole line, not one clipped by _line_at."""
    return (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")


def _is_table_line(text: str, start: int, end: int) -> bool:
    return text[start : start + 8].lstrip(" \t").startswith("|") and _is_line(text, start, end)


def _table_from(text: str, pos: int) -> tuple[int, int]:
    """The run of "|" lines holding ``pos``, as (start, end)."""
    start, end = _line_at(text, pos)
    while start > 0:
        prev = _line_at(text, start - 1)
        if not _is_table_line(text, *prev):
            break
        start = prev[0]
    while end < len(text):
        nxt = _line_at(text, end + 1)
        if not _is_table_line(text, *nxt):
            break
        end = nxt[1]
    return start, end


def _table_below(text: str, line_end: int) -> tuple[int, int] | None:
    """The table that starts on the next line, or after one blank line, or None."""
    pos = line_end + 1
    for _ in range(2):
        if pos >= len(text):
            return None
        line = _line_at(text, pos)
        if _is_table_line(text, *line):
            return _table_from(text, pos)
        if text[line[0] : line[1]].strip():
            return None
        pos = line[1] + 1
    return None


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of one "|" row as (start, end) offsets, between unescaped bars."""
    bars = [i for i in range(start, end) if text[i] == "|" and text[i - 1 : i] != "\\"]
    cells = [(a + 1, b) for a, b in zip(bars, bars[1:])]
    if bars and text[bars[-1] + 1 : end].strip():
        cells.append((bars[-1] + 1, end))  # a last cell with no closing bar
    return cells


def states_unit(text: str) -> bool:
    """Whether ``text`` states a unit heading ("£000", "£ million"), as a table's caption may.

    >>> states_unit("Table 2: allocations (£m)"), states_unit("a £5m fund")
    (True, False)
    """
    return _UNIT_HEADING.search(text) is not None


def _find_table_money(text: str, headings: list[_Unit], used: set[int]) -> Iterator[Money | SetAside]:
    """Numeric cells of the tables that a unit heading governs, each table read once.

    ``used`` collects the offsets of the headings that govern a table.
    """
    done_to = -1
    for heading in headings:
        if heading.heading < done_to:
            used.add(heading.heading)
            continue  # another unit in a table already read
        line = _line_at(text, heading.heading)
        if _is_table_line(text, *line):
            table, caption = _table_from(text, heading.heading), None
        elif _is_line(text, *line):
            table, caption = _table_below(text, line[1]), heading
        else:
            continue  # a marker in a very long line of prose heads no table
        if table is None:
            continue
        done_to = table[1]
        used.add(heading.heading)
        yield from _read_table(text, table, caption)


def _read_table(text: str, table: tuple[int, int], caption: _Unit | None) -> Iterator[Money | SetAside]:
    rows = []
    pos = table[0]
    while pos <= table[1]:
        line = _line_at(text, pos)
        rows.append(line)
        pos = line[1] + 1
    header_count = next((i for i, row in enumerate(rows) if _DELIMITER_ROW.fullmatch(text, *row)), None)
    body = rows[header_count + 1 :] if header_count is not None else rows[1:]
    header = [_cells(text, *row) for row in rows[: header_count if header_count is not None else 1]]
    body_cells = [_cells(text, *row) for row in body]
    while body_cells and _is_header_row(text, body_cells[0]):
        header.append(body_cells.pop(0))  # a second header row: "| | £m | £m |", "| | 2022 | 2023 |"
    units = _column_units(text, header, body_cells, caption)
    years = _year_columns(text, header)
    section: _Unit | None | bool = True  # True: the columns' units; None: a block that is not money
    for cells in body_cells:
        label = _row_label(text, cells)
        if label is not None and not _has_number(text, cells, label):
            section = _section_unit(text[cells[label][0] : cells[label][1]], section)  # "| Net borrowing (£ billion) |  |"
            continue
        row_unit = True if label is None else _section_unit(text[cells[label][0] : cells[label][1]], True)
        if row_unit is True:
            row_unit = section
        if row_unit is None:
            continue  # "| Total Managed Expenditure (% GDP) | 39.6% | ...", or a block of shares
        for column, (start, end) in enumerate(cells):
            if years and column not in years:
                continue  # where a table has year columns, only their cells are figures
            if row_unit is True:
                unit = units.get(column)
            else:  # a unit the row or its section states: every cell after the label
                unit = row_unit if column > (label if label is not None else 0) else None
            if unit is None:
                continue
            number = _CELL_NUMBER.fullmatch(text, start, end)
            if number is None:
                continue  # "-", "n/a", "..", "12%", words
            s, e = number.span("num")
            amount = Decimal(number["num"].replace(",", "")) * unit.multiplier
            if amount == 0:
                continue  # a zero cell ("0", "0.0") states no money
            if number["sign"] or number["plus"]:
                s = number.start("sign") if number["sign"] else number.start("plus")  # "-1,055", "+2,590": a signed change
            yield Money(s, e, text[s:e], amount, None, unit.currency, "", _rate("", unit.after))


# A row label that states a unit of its own ("Public sector net borrowing (£ billion)") or a share
# ("Total Managed Expenditure (% GDP)", "(per cent)"): the row, or the block under it, is read in it.
_SHARE_LABEL = re.compile(r"(?i)\(\s*(?:%|per[ ]?cent)|%\s*(?:of\s+)?GDP\b|\bper[ ]?cent\s+of\b")


def _row_label(text: str, cells: list[tuple[int, int]]) -> int | None:
    """The column of the row's label: its first cell with words, after a row number at most; or None."""
    for column, (start, end) in enumerate(cells[:3]):
        value = text[start:end].strip(" \t*_")
        if any(c.isalpha() for c in value):
            return column
        if value and not (column == 0 and value.isdigit()):
            return None  # a figure before any words: a row of figures with no label
    return None


def _has_number(text: str, cells: list[tuple[int, int]], label: int) -> bool:
    """Whether a row holds a figure (or a share) after its label."""
    for start, end in cells[label + 1 :]:
        value = text[start:end].strip(" \t*_")
        if value and (_CELL_NUMBER.fullmatch(value) or value.endswith("%") or value.lower() in ("negligible", "-", "n/a", "..")):
            return True
    return False


def _section_unit(label: str, current: "_Unit | None | bool") -> "_Unit | None | bool":
    """The unit a label states ("(£ billion)"), None for a share ("(% GDP)"), else ``current``
    ("| Personal tax |  |" heads a block, it states no unit)."""
    found = _UNIT_HEADING.search(label)
    if found is not None:
        return _unit_of(found, label)
    if _SHARE_LABEL.search(label):
        return None
    return current


def _year_columns(text: str, header: list[list[tuple[int, int]]]) -> set[int]:
    """The columns whose header is a year ("2015-16", "2024 to 2025", "2023/24", "2022")."""
    found = set()
    for cells in header:
        for column, (start, end) in enumerate(cells):
            if column and _YEAR_HEADER.fullmatch(text[start:end].strip(" \t*_")):
                found.add(column)
    return found


_YEAR_HEADER = re.compile(r"(?i)(?:fy\s*)?(?:19|20)\d\d(?:\s*(?:[-/\u2013]|to)\s*(?:(?:19|20)?\d\d))?(?:\s*\(\w+\))?")


def _is_header_row(text: str, cells: list[tuple[int, int]]) -> bool:
    """A row with an empty first cell and no figure but years: a second header row."""
    if not cells or text[cells[0][0] : cells[0][1]].strip(" \t*_"):
        return False
    values = [text[s:e].strip(" \t*_") for s, e in cells[1:]]
    return all(not v or _YEAR.fullmatch(v) or not _CELL_NUMBER.fullmatch(v) for v in values)


def _header_unit(text: str, start: int, end: int) -> _Unit | None:
    """The unit one header cell states: "£m", "Allocation (£000)", "(£)"; or None."""
    found = _UNIT_HEADING.search(text, start, end)
    if found is not None:
        return _unit_of(found, text)
    bare = _POUNDS_HEADER.search(text[start:end].strip())
    return _Unit(_currency_of(bare["cur"]), 1, start, "") if bare is not None else None


def _column_units(
    text: str, header: list[list[tuple[int, int]]], body: list[list[tuple[int, int]]], caption: _Unit | None
) -> dict[int, _Unit]:
    """The unit of each money column: its own header's, else the table's (caption or stub header).

    The first column holds the rows' labels, so it takes only a unit its own header states.
    """
    width = max((len(cells) for cells in header + body), default=0)
    titles = ["" for _ in range(width)]
    own: dict[int, _Unit] = {}
    table_unit = caption
    for cells in header:
        filled = [(column, span) for column, span in enumerate(cells) if text[span[0] : span[1]].strip(" \t*_")]
        if len(filled) == 1 and _UNIT_ONLY.fullmatch(text, *filled[0][1]):
            table_unit = table_unit or _header_unit(text, *filled[0][1])  # "|  |  | £ million |  |": the whole table's
            continue
        for column, (start, end) in enumerate(cells):
            titles[column] += " " + text[start:end]
            unit = _header_unit(text, start, end)
            if unit is not None:
                own.setdefault(column, unit)
    stub = own.get(0)
    if stub is not None and not any(cells and _CELL_NUMBER.fullmatch(text, *cells[0]) for cells in body):
        table_unit, own = table_unit or stub, {c: u for c, u in own.items() if c != 0}  # "| £m | 2023-24 |"
    units = dict(own)
    if table_unit is not None:
        for column in range(1, width):
            if column not in units and not _NOT_MONEY_COLUMN.search(titles[column]):
                units[column] = table_unit
    return units


def parse_money(text: str) -> Money:
    """Read one figure written on its own; raise ValueError if ``text`` holds no figure.

    >>> parse_money("£4.8 billion").amount
    Decimal('4800000000.0')
    """
    for item in find_money(text):
        if isinstance(item, Money):
            return item
    raise ValueError(f"no money figure in {text!r}")
