"""Repeats: mentions of the same money, found by record linkage rather than a chain of rules.

1. **Blocking.** Only figures of one currency, rate and order of magnitude are compared, and of
   those only pairs of about the same value are scored
   ("£2.6 billion" and "£2,600 million" are one value; a rate only with a rate): the same
   amount, or a rounding of it within 10% ("over £12 billion" and "£11.9 billion"). Each figure
   is compared only with the ``WINDOW`` latest earlier figures of its block, so the work grows
   with the number of figures, not with its square.
2. **Ruling out.** Conflicting evidence ends a pair: different programmes, stated financial
   years that do not overlap (years worked out from "this year" only weigh against), items of one list, a component and its package or two parts of one package,
   cells of table rows for different recipients (four forces given £4,388,080 each),
   figures in two documents that do not name the same programme,
   or a sum introduced as other money ("another £5 million", "a second £300 million").
3. **Increases of one total.** Two increases for the same single year, each included in a total
   ("an additional £2.3 billion for 2025/26 ... will total £63.9 billion"; later "increasing by
   £3.7 billion in 2025/26, taking the total to £65.3 billion"), are one increase when the two
   totals were found to be one sum: the budget's rise for that year, its estimate revised. Any
   amounts; nothing else may conflict.
4. **Scoring.** Each piece of evidence adds a weight (a log-odds, in bits, that the two are the
   same money); ``WEIGHTS`` lists them. Pairs whose score reaches ``THRESHOLD`` are linked, best
   first, and join their groups unless that would put a ruled-out pair in one group; the
   groups are the commitments. Each link keeps its score and the evidence that made it.

The prior depends on how distinctive the amount is: a figure with three or more significant
figures (£33.9 million, £1,152,238) is rarely repeated by chance, a round one (£10 million)
often is. The weights are set by hand from the conventions of the development corpus and
checked against it; ``funding review`` shows the links nearest the threshold first.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import groupby
from operator import attrgetter, itemgetter

from funding.link.model import Item, Link, before, row_label

__all__ = ["find_repeats", "compare_within", "Compared", "score_pair", "Score", "WEIGHTS", "THRESHOLD", "WINDOW", "AROUND"]

WINDOW = 40  # earlier figures of the same block a figure is compared with
THRESHOLD = 1.5  # bits of evidence a pair needs to be linked
REVISED_REACH = Decimal("0.05")  # a budget line restated later for the same year, revised by at most 5%
ROUNDED_REACH = Decimal("0.1")  # a rounded restatement differs by at most 10% ("over £500 million", "£541 million")
_PAIRWISE = 2  # groups of up to this many windows are checked pair by pair when they merge
_FAR = float(ROUNDED_REACH) * (1 + 1e-9)  # amounts further apart than this (as floats) are surely other amounts

#: evidence name -> weight (bits); positive says "same money", negative "different money"
WEIGHTS: dict[str, float] = {
    "same amount": 0.0,
    "same amount, rounded": -1.0,  # "over £12 billion" restating "£11.9 billion" (a hedged, rounder figure)
    "same amount, rounded, no hedge": -2.0,  # "a £3 million boost", later "£3.1 million" (within 5%)
    "revised amount for the same year": -2.0,  # "will reach £63.9 billion in 2025/26", later "£65.3 billion" in 2025/26
    "distinctive amount": 1.0,  # three or more significant figures
    "round amount": -1.0,  # one significant figure (£10 million, £2 billion)
    "referred back": 3.0,  # "this £300 million", "the £300 million investment"
    "same programme": 3.0,
    "programme named on one side only": -0.5,
    "same department": 0.5,
    "different department": -1.5,
    "same years": 1.5,
    "different years, one relative to a date": -1.5,  # "this year" read from a date that may be wrong
    "same theme": 0.5,
    "different theme": -0.5,
    "same purpose": 1.0,  # the words saying what each is for share most of their words
    "different purpose": -2.0,  # "£10 million in schools" and "£10 million in hospitals"
    "same words around": 2.0,  # most content words around the two figures are shared
    "some words shared": 1.0,
    "no words shared": -1.0,
    "same part": 3.0,  # one written answer or press release: equal amounts in it are mostly one sum
    "same document": 2.5,
    "other document": -1.0,
    "same sentence": -3.0,  # "a £1,200 grant ... and a second £1,200"
    "introduced as new money": -2.5,  # "a further £300 million", "an additional £2 billion"
    "increase in the same total for the same year": 3.0,  # the totals that include the two are one sum
}

_REFERRED_BACK = re.compile(r"(?i)\b(?:this|that|these|the|those)\s+(?:(?:additional|extra|new|recent|same|existing|whole|total|full|overall)\s+)?\Z")
_ANOTHER = re.compile(r"(?i)\b(?:another|a\s+second|a\s+third)\s+(?:\w+\s+)?\Z")
_NEW_MONEY = re.compile(r"(?i)\b(?:a\s+further|further|a\s+new|new|an\s+(?:additional|extra)|additional|extra)\s+(?:\w+\s+)?\Z")


@dataclass(frozen=True)
class Score:
    total: float
    evidence: tuple[str, ...]  # "same programme (+3.0)", ...

    def describe(self) -> str:
        """"score +5.0: referred back (+3.0); same part (+3.0); ..." """
        return f"score {self.total:+.1f}: " + "; ".join(self.evidence)

    def strongest(self) -> str:
        """The weightiest evidence for the link, for a short note: "referred back"."""
        best = max(self.evidence, key=lambda e: float(e.rsplit("(", 1)[1].rstrip(")")))
        return best.rsplit(" (", 1)[0]


@lru_cache(maxsize=4096)
def _significant_figures(amount: Decimal) -> int:
    digits = amount.normalize().as_tuple().digits
    text = "".join(map(str, digits)).strip("0")
    return len(text) or 1


_CONTENT_WORD = re.compile(r"[A-Za-z][a-z’'\-]{3,}|[A-Z]{2,}")
_COMMON = frozenset(
    """this that these those with from will have been were which their there they them than then also into
    over under more most such other each every year years million billion funding fund money pounds government
    department provide provided providing including total about would could should being""".split()
)
AROUND = 80  # characters either side of a figure whose words are compared


def _words_around(item: Item) -> frozenset[str]:
    return _words_near(item.sentence, item.span)


@lru_cache(maxsize=4096)
def _words_near(sentence: str, span: tuple[int, int]) -> frozenset[str]:
    start, end = span
    window = sentence[max(0, start - AROUND) : start] + " " + sentence[end : end + AROUND]
    return frozenset(w.lower() for w in _CONTENT_WORD.findall(window)) - _COMMON


def _overlap(a: Item, b: Item) -> tuple[float, int]:
    """Jaccard overlap of the content words around two figures, and how many they share."""
    wa, wb = _words_around(a), _words_around(b)
    return (len(wa & wb) / len(wa | wb) if wa | wb else 0.0), len(wa & wb)


def _stem(word: str) -> str:
    """A crude singular: "families" and "family", "services" and "service" compare equal."""
    word = word.lower()
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _label_words(label: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _CONTENT_WORD.findall(label) if w.lower() not in _COMMON)


def _purpose(a: Item, b: Item) -> str | None:
    """Whether what the two figures are for (their labels) agrees, disagrees, or is not known."""
    wa, wb = _label_words(a.label), _label_words(b.label)
    if not wa or not wb:
        return None
    shared = len(wa & wb)
    if shared == 0:
        return "different purpose"
    return "same purpose" if 2 * shared >= min(len(wa), len(wb)) else None


def _rounded(amount: Decimal, figures: int) -> Decimal:
    """``amount`` to ``figures`` significant figures: 11.9 billion to 2 is 12 billion."""
    if amount == 0:
        return amount
    exponent = amount.adjusted() - figures + 1
    return amount.scaleb(-exponent).quantize(Decimal(1), rounding=ROUND_HALF_UP).scaleb(exponent)


def block_key(item: Item) -> tuple:
    """What a figure must share with another to be compared: currency, rate and order of magnitude."""
    return (item.amount.adjusted() if item.amount else 0, item.currency, item.rate)


def _same_value(a: Item, b: Item) -> str | None:
    """How the two values agree, or None when they are other amounts.

    "same amount"; "same amount, rounded": a hedged ("over", "almost") figure that is the other
    rounded to its own significant figures (over £12 billion, £11.9 billion), within 10%, or an
    unhedged one within 5% (a £3 million boost, £3.1 million); "revised amount for
    the same year": within 5% and stated for the same single financial year (a budget line's
    later estimate).
    """
    if a.amount == b.amount:
        return "same amount"
    if abs(a.amount - b.amount) > ROUNDED_REACH * max(a.amount, b.amount):
        return None
    coarse, fine = (a, b) if _significant_figures(a.amount) < _significant_figures(b.amount) else (b, a)
    close = abs(a.amount - b.amount) <= ROUNDED_REACH * max(a.amount, b.amount)
    rounds_to = _rounded(fine.amount, _significant_figures(coarse.amount)) == coarse.amount
    if close and coarse.qualifier and rounds_to:
        return "same amount, rounded"
    if rounds_to and abs(a.amount - b.amount) <= REVISED_REACH * max(a.amount, b.amount):
        return "same amount, rounded, no hedge"
    one_year = a.period[0] is not None and a.period == b.period and a.period[0] == a.period[1]
    if one_year and abs(a.amount - b.amount) <= REVISED_REACH * max(a.amount, b.amount):
        return "revised amount for the same year"
    return None


def _programmes_conflict(a: str, b: str) -> bool:
    """Different programmes: neither name's words contain the other's."""
    if not a or not b:
        return False
    wa, wb = set(a.split()), set(b.split())
    return not (wa <= wb or wb <= wa)


def _years_conflict(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> bool:
    """Years that cannot be one sum's: they do not overlap, or they end in different years.

    "£523 million ... for each year to 2028/29" is not "£500 million in 2025/26", though
    the years overlap: a sum's years end where its text says they end.
    """
    if a[1] is not None and b[1] is not None and a[1] != b[1]:
        return True
    if None in a or None in b:
        return False
    return a[1] < b[0] or b[1] < a[0]


def _related(a: Item, b: Item, parent: dict[int, int], referred: bool) -> bool:
    """Whether one is part of the other, or both are parts of one package or items of one list.

    A later item that refers back to an earlier one's sum ("4. The £253.5 million of ...") is
    not its sibling but a restatement of it.
    """
    pa, pb = parent.get(a.index), parent.get(b.index)
    same_list = a.list_id is not None and a.list_id == b.list_id and a.source_id == b.source_id
    return pa == b.index or pb == a.index or (pa is not None and pa == pb) or (same_list and not referred)


def score_pair(a: Item, b: Item, parent: dict[int, int]) -> Score | None:
    """How strongly the later figure ``b`` restates the earlier ``a``; None when ruled out."""
    value = _same_value(a, b)
    referred = bool(_REFERRED_BACK.search(before(b, 30)))
    if value is None or _related(a, b, parent, referred and value == "same amount"):
        return None
    if _conflict(a, b):
        return None
    years_differ = _years_conflict(a.period, b.period)
    if not referred and b.rate == "total" and _ANOTHER.search(before(b, 30)):
        return None  # "another £5 million" is other money; "a second £1,200 grant" at one rate is the rate
    found: list[str] = [value]
    sig = min(_significant_figures(a.amount), _significant_figures(b.amount))
    if sig >= 3 and value == "same amount":
        found.append("distinctive amount")
    elif sig == 1:
        found.append("round amount")
    same_document = a.source_id == b.source_id
    # "the £500 million Recovery Plan" names its own programme; it refers back only to that programme
    if same_document and referred and value == "same amount" and (not b.programme or b.programme == a.programme):
        found.append("referred back")
    if not referred and _NEW_MONEY.search(before(b, 30)):
        found.append("introduced as new money")
    if a.programme and a.programme == b.programme or (a.programme and b.programme and not _programmes_conflict(a.programme, b.programme)):
        found.append("same programme")
    elif bool(a.programme) != bool(b.programme):
        found.append("programme named on one side only")
    found.extend(_departments(a, b))
    if None not in a.period and a.period == b.period:
        found.append("same years")
    elif years_differ:
        found.append("different years, one relative to a date")
    if a.theme and b.theme:
        found.append("same theme" if a.theme == b.theme else "different theme")
    purpose = _purpose(a, b)
    if purpose is not None:
        found.append(purpose)
    overlap, shared = _overlap(a, b)
    if overlap >= 0.3 and shared >= 2:
        found.append("same words around")
    elif overlap >= 0.12 and shared >= 2:
        found.append("some words shared")
    elif overlap < 0.05:
        found.append("no words shared")
    if not same_document:
        found.append("other document")
    elif a.sentence_key == b.sentence_key:
        found.append("same sentence")
    elif a.part == b.part:
        found.append("same part")
    else:
        found.append("same document")
    total = sum(WEIGHTS[name] for name in found)
    return Score(total, tuple(f"{name} ({WEIGHTS[name]:+.1f})" for name in found))


def _conflict(a: Item, b: Item) -> bool:
    """Evidence that two figures are other money, whatever their amounts: programmes, stated years,
    or two documents that do not name the same programme (across documents only a programme both
    name joins two figures)."""
    if _programmes_conflict(a.programme, b.programme):
        return True
    if _years_conflict(a.period, b.period) and a.period_stated and b.period_stated:
        return True
    if _other_rows(a, b):
        return True
    return a.source_id != b.source_id and not (a.programme and a.programme == b.programme)


def _other_rows(a: Item, b: Item) -> bool:
    """Two cells of tables in rows for different recipients are other money, however equal:
    four police forces given £4,388,080 each are four allocations."""
    rows = row_label(a), row_label(b)
    return None not in rows and rows[0] != rows[1]


def _departments(a: Item, b: Item) -> list[str]:
    """The department evidence, where both figures have one: any department in common, or none."""
    if not (a.department and b.department):
        return []
    return ["same department" if set(a.department.split(";")) & set(b.department.split(";")) else "different department"]


def _score_increases(a: Item, b: Item) -> Score:
    found = ["increase in the same total for the same year", *_departments(a, b)]
    found.append("same part" if a.part == b.part else "same document")
    return Score(sum(WEIGHTS[name] for name in found), tuple(f"{name} ({WEIGHTS[name]:+.1f})" for name in found))


class _Positions:
    """An item's position in the list from its index: the index itself where they agree (as in a build)."""

    def __init__(self, items: list[Item]):
        self.table = None if all(item.index == i for i, item in enumerate(items)) else {item.index: i for i, item in enumerate(items)}

    def __getitem__(self, index: int) -> int:
        return index if self.table is None else self.table[index]


def _one_year(item: Item) -> int | None:
    start, end = item.period
    return start if start is not None and start == end and item.period_stated else None


@dataclass
class Compared:
    """The pairs of figures compared and what came of it: ``candidates`` (pairs scored over the
    threshold: whether the two stand apart, minus the score, later and earlier index, the link)
    and ``conflicts`` (pairs of one value ruled out, or scored below zero)."""

    candidates: list[tuple]
    conflicts: set[tuple[int, int]]

    def moved(self, offset: int, shared: dict | None = None) -> Compared:
        """The same pairs with every index moved by ``offset`` (a document's items among all),
        the links' texts taken from ``shared`` where it has them (one copy of each, however many
        documents have a pair scored alike)."""
        one = (lambda text: text) if shared is None else (lambda text: shared.setdefault(text, text))
        return Compared(
            [(apart, score, b + offset, a + offset,
              link.moved(offset, one(link.rule), one(link.evidence)))
             for apart, score, b, a, link in self.candidates],
            {(a + offset, b + offset) for a, b in self.conflicts},
        )


def _close(a: Item, a_value: float, b: Item, b_value: float) -> bool:
    """Whether two figures are of about one value (``_same_value``), far-apart amounts passed over
    first as floats (``a_value``, ``b_value``)."""
    return abs(a_value - b_value) <= _FAR * max(a_value, b_value) and _same_value(a, b) is not None


def _compare(a: Item, b: Item, parent: dict[int, int], compared: Compared) -> None:
    """Score the later ``b`` against the earlier ``a``, of about the same value, into ``compared``."""
    score = score_pair(a, b, parent)
    if score is None or score.total < 0:  # ruled out, or the evidence is against
        compared.conflicts.add((a.index, b.index))
    elif score.total >= THRESHOLD:
        rule, evidence = _texts(score)
        apart = a.source_id != b.source_id or a.part != b.part
        compared.candidates.append((apart, -score.total, b.index, a.index, Link(b.index, "repeat", a.index, rule, evidence, score.total)))


@lru_cache(maxsize=4096)
def _texts(score: Score) -> tuple[str, str]:
    """A repeat link's rule and evidence: one copy of each for the many pairs scored alike (copies
    of one document give thousands)."""
    return f"{score.strongest()}, score {score.total:+.1f}", score.describe()


def compare_within(items: list[Item], parent: dict[int, int]) -> Compared:
    """The pairs of one document's figures that repeats compares (each with the ``WINDOW``
    latest earlier figures of its block), scored. What one document's text says of its own
    figures, so it is worked out with the document and kept with it."""
    compared = Compared([], set())
    blocks: dict[tuple, list[Item]] = {}
    values: dict[tuple, array] = {}
    for b in items:
        key = block_key(b)
        block, floats = blocks.setdefault(key, []), values.setdefault(key, array("d"))
        value = float(b.amount)
        for a, other in zip(block[-WINDOW:], floats[-WINDOW:]):
            if _close(a, other, b, value):  # other amounts are ruled out, and ``ruled_out`` says so without keeping the pair
                _compare(a, b, parent, compared)
        block.append(b)
        floats.append(value)
    return compared


def _across(a: Item, b: Item) -> bool:
    """Figures of two documents are only ever one sum when both name one programme (``_conflict``)."""
    return a.source_id != b.source_id and not (a.programme and a.programme == b.programme)


def find_repeats(items: list[Item], parent: dict[int, int], includes: list[Link] = (), within: Compared | None = None) -> list[Link]:
    """Links from figures to the earlier figures they restate, grouped so that no group holds a conflict.

    Each figure is compared with the ``WINDOW`` latest earlier figures of its block. Those of
    its own document are compared by ``compare_within``, document by document (``within``:
    its results for every document, made beforehand with the items' indices; by default they
    are made here). Those of other documents are scored only where both name one programme:
    across documents nothing else joins two figures, so any other such pair is ruled out
    without being scored.

    Pairs over the threshold are taken best first, and each joins two groups of figures unless
    some pair across the two groups was ruled out or scored below zero (so "£300m in 2021-22" and "£300m for the
    Safety Valve" never end up in one commitment through a third figure like both). A link
    that joins nothing new is kept too, as further evidence; each figure's best link comes first.
    """
    if within is None:  # the figures of one document come together
        within = Compared([], set())
        for _source, run in groupby(items, key=lambda item: item.source_id):
            one = compare_within(list(run), parent)
            within.candidates.extend(one.candidates)
            within.conflicts.update(one.conflicts)
    candidates = list(within.candidates)
    # Pairs compared and ruled out, or scored below zero. Most pairs compared are other amounts,
    # ruled out by value, or figures of two documents naming no one programme: those are not kept
    # (``ruled_out`` tells them again from where the two stand in their block), so memory grows
    # with the pairs of one value, not with every pair compared.
    compared = Compared(candidates, set(within.conflicts))
    by_index = _Positions(items)
    block_of, place = array("q", bytes(8 * len(items))), array("q", bytes(8 * len(items)))  # each item's block and place in it
    blocks: dict[tuple, list[Item]] = {}
    named: dict[tuple, list[Item]] = {}  # each block's figures that name a programme, by programme
    numbers: dict[tuple, int] = {}  # each block's number
    for b in items:
        key = block_key(b)
        block = blocks.setdefault(key, [])
        at = by_index[b.index]
        block_of[at], place[at] = numbers.setdefault(key, len(numbers)), len(block)
        if b.programme:
            same = named.setdefault((key, b.programme), [])
            value = float(b.amount)
            for a in reversed(same):
                if place[by_index[a.index]] < len(block) - WINDOW:
                    break  # beyond the window, and so is every earlier one
                if a.source_id != b.source_id and _close(a, float(a.amount), b, value):  # one document's pairs are compare_within's
                    _compare(a, b, parent, compared)
            same.append(b)
        block.append(b)
    conflicts = compared.conflicts
    group: dict[int, int] = {}
    members: dict[int, list[int]] = {}

    def find(i: int) -> int:
        root = i
        while group.get(root, root) != root:
            root = group[root]
        while i != root:  # each figure on the way now points at the group's root
            group[i], i = root, group[i]
        return root

    def ruled_out(x: int, y: int) -> bool:
        """Whether the pair was compared (one block, within ``WINDOW`` of each other) and ruled out."""
        x, y = min(x, y), max(x, y)
        px, py = by_index[x], by_index[y]
        if block_of[px] != block_of[py] or place[py] - place[px] > WINDOW:
            return False
        a, b = items[px], items[py]
        return _across(a, b) or (x, y) in conflicts or _same_value(a, b) is None

    in_block = [[b.index for b in block] for block in blocks.values()]  # each block's figures by place, numbered as ``numbers``

    def apart(ma: list[int], mb: list[int], gb: int) -> bool:
        """Whether some pair across two groups was ruled out. Only pairs within ``WINDOW`` of
        each other in a block can have been, so a large group is searched from the other's
        members' neighbours in their blocks, not pair by pair (copies of one document make
        groups of thousands)."""
        if len(ma) > len(mb):
            ma, mb = mb, ma
        if len(mb) <= _PAIRWISE * WINDOW:
            return any(ruled_out(x, y) for x in ma for y in mb)
        for x in ma:
            px = by_index[x]
            block, at = in_block[block_of[px]], place[px]
            if any(find(y) == gb and ruled_out(x, y) for y in block[max(0, at - WINDOW) : at + WINDOW + 1] if y != x):
                return True
        return False

    accepted = []
    for _apart, _score, b, a, link in _sorted_by(candidates, itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3)):
        ga, gb = find(a), find(b)
        if ga != gb:
            ma, mb = members.get(ga, [ga]), members.get(gb, [gb])
            if apart(ma, mb, ga if len(ma) > len(mb) else gb):
                continue
            small, large = (ma, mb) if len(ma) <= len(mb) else (mb, ma)
            large.extend(small)  # the members of a group are only ever searched, in no order
            group[max(ga, gb)] = min(ga, gb)
            members[min(ga, gb)] = large
            members.pop(max(ga, gb), None)
        accepted.append(link)
    accepted.extend(_same_increases(items, includes, find, members, group))
    return _sorted_by(accepted, attrgetter("child"), (attrgetter("score"), True), attrgetter("parent"))


def _sorted_by(values: list, *keys) -> list:
    """``values`` sorted by the first key, then the next (a key with True: largest first), as
    ``sorted`` with a tuple of them would, but one stable sort a key, last first: no tuple is made
    for each value (hundreds of thousands of links at once)."""
    values = list(values)
    for key in reversed(keys):
        key, largest_first = key if isinstance(key, tuple) else (key, False)
        values.sort(key=key, reverse=largest_first)
    return values


def _same_increases(items, includes, find, members, group) -> list[Link]:
    """Increases for one year included in totals of one group: one increase, its estimate revised."""
    by_total: dict[tuple[int, int], list[int]] = {}  # (group of the total, year) -> increases, in order
    for link in includes:
        year = _one_year(items[link.parent])
        if year is not None:
            by_total.setdefault((find(link.child), year), []).append(link.parent)
    links = []
    for (_total, _year), increases in sorted(by_total.items()):
        first = min(increases)
        for b in sorted(set(increases) - {first}):
            ga, gb = find(first), find(b)
            if ga == gb:
                continue
            ma, mb = members.get(ga, [ga]), members.get(gb, [gb])
            if any(_conflict(items[min(x, y)], items[max(x, y)]) for x in ma for y in mb):
                continue
            score = _score_increases(items[first], items[b])
            group[max(ga, gb)] = min(ga, gb)
            members[min(ga, gb)] = ma + mb
            members.pop(max(ga, gb), None)
            links.append(Link(b, "repeat", first, f"{score.strongest()}, score {score.total:+.1f}", score.describe(), score.total))
    return links
