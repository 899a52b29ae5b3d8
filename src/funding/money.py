"""Find every money figure in a text and read its value exactly.

``find_money(text)`` yields one ``Money`` per figure ("over £14m", "£15-20 million",
"between £10m and £20m", "GBP 5 million", "(£82 million)", "£ five million",
"3 billion euros") and one ``SetAside`` for every currency marker that is not followed by an
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
- Ranges: "£15-20 million", "£15m-£20m", "£10m to £20m" and "between £10m and £20m" are one
  figure with a high end. "from £10m to £20m" is a change, so two figures.
- "$" alone is read as US dollars; other currencies keep their ISO code and are never
  converted to pounds here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from funding.vocab import CURRENCY_CODES, CURRENCY_SYMBOLS, CURRENCY_WORDS, QUALIFIERS, RATE_TOTAL, SCALES

__all__ = ["Money", "SetAside", "find_money", "parse_money", "format_amount"]


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

_SYMBOLS = sorted(CURRENCY_SYMBOLS, key=len, reverse=True)  # "US$" before "$"
_CODES = sorted(CURRENCY_CODES)
_MARKER = "|".join([re.escape(s) for s in _SYMBOLS] + [rf"(?<![A-Za-z]){c}(?![A-Za-z])" for c in _CODES])

_AMOUNT = re.compile(
    rf"""
    (?P<cur>{_MARKER})                 # £, US$, GBP ...
    {_SP}
    (?:(?P<num>{_DIGITS})|(?P<words>{_WORDS}))
    (?:{_GAP}(?P<scale>{_SCALE}))?     # million, m, bn ... (one line end allowed: wrapped text)
    """,
    re.VERBOSE,
)

# The second half of a range, tried where an amount ends.
_RANGE_TAIL = re.compile(
    rf"""
    {_SP}(?P<conn>[-\u2010-\u2015\u2212]|to(?![A-Za-z])|and(?![A-Za-z])){_SP}   # - – — to and
    (?P<cur>{_MARKER})?{_SP}
    (?P<num>{_DIGITS})
    (?:{_SP}(?P<scale>{_SCALE}))?
    """,
    re.VERBOSE,
)

# A figure with its currency written after it: "5 million pounds", "3 billion euros".
_WORD_CURRENCIES = sorted(CURRENCY_WORDS, key=len, reverse=True)
_SUFFIX_AMOUNT = re.compile(
    rf"""
    (?<![0-9A-Za-z.,£$€¥])               # a whole number, not the tail of "£5 million pounds"
    (?P<num>{_DIGITS})
    (?:{_SP}(?P<scale>{_SCALE}))?
    {_SP}
    (?P<word>(?i:{"|".join(re.escape(w) for w in _WORD_CURRENCIES)}))(?![A-Za-z])
    """,
    re.VERBOSE,
)

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
    trigger = _trigger_for(text, _CODES_ANYWHERE.search(text) is not None)
    if trigger is not None:
        covered_to = -1
        for hit in trigger.finditer(text):
            pos = hit.start()
            if len(hit.group()) == 3 and (text[pos - 1 : pos].isalpha() or text[hit.end() : hit.end() + 1].isalpha()):
                continue  # "EUR" inside "EUROPE" is not a currency code
            if pos < covered_to:
                continue  # the second marker of a range already read ("£15m-£20m")
            if text.startswith("$", pos) and text.startswith("US", pos - 2):
                pos -= 2
            match = _AMOUNT.match(text, pos)
            if match is None:
                found.append(_set_aside(text, pos, hit.end()))
                continue
            money = _read(text, match)
            covered_to = money.end
            found.append(money)
    if any(stem in text for stem in _WORD_STEMS):
        found.extend(_find_suffix_money(text, found))
        found.sort(key=lambda item: item.start)
    return iter(found)


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
    if conn == "to" and _ends_with_word(before.rstrip(_TRAILING_MARKUP).lower(), "from"):
        return None  # "from £50bn to £54bn" is a change, not a range
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


def _rate(before: str, after: str) -> str:
    found = _RATE_AFTER.match(after)
    if found is not None:
        group = found.lastgroup or ""
        return _RATE_OF_GROUP[group] or _PERIOD_RATE[found[group].lower()]
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


def _find_suffix_money(text: str, found: list[Money | SetAside]) -> Iterator[Money]:
    taken = [(m.start, m.end) for m in found if isinstance(m, Money)]
    for match in _SUFFIX_AMOUNT.finditer(text):
        start, end = match.start(), match.end()
        if any(s < end and start < e for s, e in taken):
            continue
        word = match["word"].lower()
        if word == "pounds" and match["scale"] is None:
            continue  # "20 pounds" is as often a weight as money
        before = text[max(0, start - _CONTEXT) : start]
        yield Money(
            start,
            end,
            text[start:end],
            _value(match["num"], None, match["scale"]),
            None,
            CURRENCY_WORDS[word],
            _qualifier(before),
            _rate(before, text[end : end + _CONTEXT]),
        )


def parse_money(text: str) -> Money:
    """Read one figure written on its own; raise ValueError if ``text`` holds no figure.

    >>> parse_money("£4.8 billion").amount
    Decimal('4800000000.0')
    """
    for item in find_money(text):
        if isinstance(item, Money):
            return item
    raise ValueError(f"no money figure in {text!r}")
