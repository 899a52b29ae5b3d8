"""Components: which commitment figures are parts of a package, and of which.

Each rule below proposes (part, package) pairs with the words that justify them; a figure
then takes the proposal of the strongest rule, the nearest package first among equals.
Rules look back (or ahead) over a bounded window of figures of the same document: at most
``_WINDOW`` figures and ``_LINES`` lines away, so linking stays linear in the number of figures.

Rules, strongest first:
1. structure: a figure in a list item joins the last figure of the lead-in that ends with a
   colon ("..., which includes:"), or, when the lead-in has none ("This includes:"), the last
   figure of the paragraph before the list; a row of an allocations list ("b. Leeds City
   Council: £6,118,204", a name, a colon, the figure) joins the total the text stated before it
   ("The total amount of grant payable under this determination is £X"), the grant
   determination's form; a cell of a table column whose header names an abbreviation ("VRU
   allocation") joins the figure just above the table whose sentence names it ("£55m available
   to support the work of VRUs"), when the column's cells add up to no more than that figure;
2. the text says so:
   - "of which £X" joins the nearest earlier figure of its sentence (or paragraph);
   - "£X of the £Y ..." joins £Y, unless the sentence goes on to state the total it brings
     ("..., bringing total funding to £Z": the enclosing total is the package then);
   - "£X of this investment" joins the nearest earlier, larger figure, and later figures of
     that paragraph introduced by "is for" or "There is £X for" join it too;
   - a sentence opening "Of this," / "From this," / "Of that total ...," puts its figures
     in the nearest larger figure before it;
   - "... forms part of the £Y" makes £Y the package of the earlier figures of its sentence,
     or, when the sentence refers back ("This funding forms part of ..."), of the last figure
     before it;
   - "as part of this commitment, ... £X" joins £X to the last larger figure before it;
   - "This investment includes £X", "Funding also includes £X", "This comprises £X and £Y"
     ("consists of", "is made up of", "is split into", "breaks down into") join the nearest larger figure
     before the sentence; with "also", the figures in between are its parts too, and the
     package is the first figure larger than all of them together;
   - "£Y ..., including £X" joins £X to £Y in one sentence;
   - a figure joined by "and" to the figure before it in its sentence ("including £X for A and
     £Z for B", "of which £X is for A and £Z for B") joins the same package, when the text said
     which package the figure before belongs to; "£P and £Q ..., including £X and £Z
     respectively" pairs the parts with the packages in order;
3. arithmetic: two or more neighbouring figures that add up to a figure just after or just
   before them (within ``_ROUNDING``) are its parts (never cells of one table's different rows,
   which are other recipients' money, unless the total is a "Total" row's) ("£3 million ... £4.92 million ... a share
   of almost £8 million"; "nearly £500 million ... an extra £19 million ... on top of the
   £480 million"), unless they are items of one list (siblings), or, after the total, a
   sentence says "also" ("We also fund £3 million ..." adds to what came before). An amount
   "for each year" counts once a year of a total "over three years".
A component is always smaller than its package and in the same currency, and rates (per
year, per pupil) are never packages nor components; a proposal that would break this is dropped.
"""

from __future__ import annotations

import re
from decimal import Decimal

from funding.link.includes import STATES_TOTAL
from funding.link.model import Item, Link, after, before, column_header, row_label

__all__ = ["find_components"]


_WINDOW = 12  # figures looked back over (or ahead) for a package or its parts
_LINES = 6  # ... and at most this many lines away
_LIST_WINDOW = 50  # figures looked back over for a list's lead-in (a list can be long)
_ROUNDING = Decimal("0.01")  # parts that add up to a total within 1% of it
_TOTAL_RATE = "total"

_ROW = re.compile(r"\A\W*(?:[a-z]{1,3}[.)]\s+)?[^£:;.]{2,80}:\s*\Z")  # "b. Leeds City Council: " before the figure
_STATED_TOTAL = re.compile(
    r"(?i)\btotal\s+(?:amount\s+of\s+|value\s+of\s+)?(?:grant|funding|allocations?)\b[^£.;]{0,80}?\b(?:is|are|will\s+be|of)\s*\Z"
)
_ROW_LINES = 12  # a row is at most this many lines below the stated total

_ABOVE_TABLE = 12  # lines above a table's first row in which its columns' total may be stated
_ABBREVIATION = re.compile(r"\b[A-Z][A-Z0-9]{2,7}\b")  # "VRU", "BSIP": a programme's short name in a header

_STRUCTURE, _SAYS_SO, _ADDS_UP = 0, 1, 2  # rule strength: lower wins
# how sure each kind of rule is, shown with every link (relations.csv score) so that the review
# queue shows arithmetic first: a list or a sentence that says so is rarely wrong, a sum can be chance
CONFIDENCE = {_STRUCTURE: 0.9, _SAYS_SO: 0.9, _ADDS_UP: 0.6}

_OF_WHICH = re.compile(r"(?i)\bof\s+which\s*\Z")
_OF_THIS = re.compile(r"(?i)\A\s*of\s+(?:this|that|these|the)\b")
_OF_THE_FIGURE = re.compile(r"(?i)\A\s*of\s+(?:the|this|that)\s+(?:\w+\s+){0,2}\Z")  # "£1bn of the [total] £2.3bn"
_IS_FOR = re.compile(r"(?i)\A\s*(?:is|are)\s+(?:for|to)\b")
_THERE_IS = re.compile(r"(?i)\bthere\s+(?:is|are)\s*\Z")
_OF_THIS_OPENING = re.compile(
    r"""(?ix)\A\W*
    (?:of|from|out\s+of)\s+(?:this|that|these|those|which|the\s+total)  # "Of this", "From this", "Of the total"
    [^,.;£]{0,60},                                                     # "Of that total high needs funding,"
    """
)
_PART_OF = re.compile(
    r"""(?ix)\b
    (?:forms?|formed|forming|is|are|was|were|as)\s+  # "forms part of", "is part of", "as part of"
    (?:a\s+|one\s+)?part\s+of\s+
    (?:the|a|an|our|its|this|that)?\s*
    (?:\w+\s+)?                                      # "the overall £X"
    \Z"""
)
_AS_PART_OF_THIS = re.compile(
    r"""(?ix)\bas\s+part\s+of\s+(?:this|that|these|the)\s+
    (?:\w+\s+){0,2}?
    (?:commitment|investment|funding|package|programme|plan|money|settlement|fund|allocation)s?\b"""
)
_REFERS_BACK = re.compile(r"(?i)\A\W*(?:this|these|that|those|it|the\s+(?:funding|investment|money|package))\b")
_INCLUDES_OPENING = re.compile(
    r"""(?ix)\A\W*
    (?:(?:this|that|these|the|our|it)\b(?:\s+[\w-]+){0,3}?\s+|funding\s+)  # "This significant investment", "Funding"
    (?P<also>also\s+)?
    (?:includes?|included|comprises?|comprised|consists?\s+of|(?:is|are|was)\s+made\s+up\s+of|
       (?:is|are|was|will\s+be)\s+split\s+(?:into|between)|breaks?\s+down\s+(?:into|as))\b"""
)
_EACH_YEAR = re.compile(r"(?i)\A[^.;£]{0,80}?\b(?:for\s+)?(?:each|every)\s+year\b")  # "£523m ... for each year of ..."
_OVER_YEARS = re.compile(r"(?i)\A[^.;£]{0,20}?\bover\s+(?P<n>two|three|four|five|[2-9])\s+years\b")  # "£2.4bn over three years"
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5}
_ALSO = re.compile(r"(?i)\balso\b")
_INCLUDES_REACH = 80  # characters from "includes" to the figure it names ("This includes the X Fund - £26 million")
_INCLUDING = re.compile(r"(?i)\bincluding\s+(?:\w+\s+){0,2}\Z")
# the words between two figures of one sentence that make the second a sibling of the first:
# "£X for A and £Z", "£X for A, £Y for B and £Z" (no other figure, no clause break, not too far)
_AND_SIBLING = re.compile(r"(?i)\A[^£;:.()]{0,100}?(?:(?:,\s*)?\band\s+(?:a\s+further\s+|another\s+)?|,\s*)\Z")
_RESPECTIVELY = re.compile(r"(?i)\A[^£;.]{0,60}?\brespectively\b")
_SIBLING_RULES = ("of which", "of this", "including", "this investment includes", "and (the same package)")


def find_components(items: list[Item]) -> tuple[list[Link], dict[int, int]]:
    """Every part_of link among ``items``, and each component's parent (item index to item index)."""
    proposals: list[tuple[int, int, int, Item, Item, str, str]] = []  # (strength, child, order, child, parent, rule, words)
    by_source: dict[str, list[Item]] = {}
    for item in items:
        by_source.setdefault(item.source_id, []).append(item)
    for doc in by_source.values():
        _propose(doc, proposals)

    links: list[Link] = []
    parent: dict[int, int] = {}
    for strength, _child, _order, child, package, rule, words in sorted(proposals, key=lambda p: p[:3]):
        if child.index in parent or not _can_contain(package, child):
            continue
        parent[child.index] = package.index
        links.append(Link(child.index, "part_of", package.index, rule, words, CONFIDENCE[strength]))
    links.sort(key=lambda l: l.child)
    return links, parent


def _can_contain(package: Item, part: Item) -> bool:
    return (
        package.amount > part.amount
        and package.currency == part.currency
        and package.rate == _TOTAL_RATE
        and part.rate == _TOTAL_RATE
    )


def _propose(doc: list[Item], out: list) -> None:
    """Add every rule's proposals for one document's figures (in document order) to ``out``."""
    order = 0

    said: dict[int, Item] = {}  # figure index -> the package the text says it belongs to (first said)

    def propose(strength: int, child: Item | None, package: Item | None, rule: str, words: str) -> None:
        nonlocal order
        if child is not None and package is not None and child is not package:
            out.append((strength, child.index, order, child, package, rule, words))
            order += 1
            if rule in _SIBLING_RULES and _can_contain(package, child):
                said.setdefault(child.index, package)

    by_sentence: dict[tuple[str, str], list[Item]] = {}
    for item in doc:
        by_sentence.setdefault(item.sentence_key, []).append(item)
    paragraph_parent: dict[tuple[str, str], Item] = {}
    column_totals = _column_totals(doc)
    for i, item in enumerate(doc):
        earlier = _window(doc, i)
        sentence = by_sentence[item.sentence_key]
        in_sentence = [e for e in sentence if e.span[0] < item.span[0]]
        before_sentence = [e for e in earlier if e.sentence_key != item.sentence_key]
        larger_before = [e for e in before_sentence if e.amount > item.amount]

        # 1. structure
        if item.list_id is not None and item.lead_in.rstrip().endswith(":"):
            package, introduced = _list_package(item, doc[max(0, i - _LIST_WINDOW) : i])
            propose(_STRUCTURE, item, package, "list under a lead-in", f"{introduced} … {item.sentence}")

        if item.list_id is not None and _ROW.search(item.sentence[: item.span[0]]):
            total = _stated_total(item, doc[max(0, i - _LIST_WINDOW) : i])
            propose(_STRUCTURE, item, total, "a row under a stated total", _joined(total, item))

        if item.index in column_totals:
            total, header = column_totals[item.index]
            propose(_STRUCTURE, item, total, "a column under a stated total", f"{total.sentence} … {header}: {item.sentence}")

        # 2. the text says so
        if _OF_WHICH.search(before(item)):
            in_paragraph = [e for e in earlier if e.paragraph_key == item.paragraph_key]
            package = (in_sentence or in_paragraph or [None])[-1]
            propose(_SAYS_SO, item, package, "of which", item.sentence)
        following = [e for e in sentence if e.span[0] > item.span[0]]
        gap = item.sentence[item.span[1] : following[0].span[0]] if following else ""
        if following and _OF_THE_FIGURE.search(gap):
            if not STATES_TOTAL.search(item.sentence[following[0].span[1] :]):
                propose(_SAYS_SO, item, following[0], "of the", item.sentence)
        elif _OF_THIS.search(after(item)):
            package = ([e for e in earlier if e.amount > item.amount] or [None])[-1]
            propose(_SAYS_SO, item, package, "of this", item.sentence)
            if package is not None:
                paragraph_parent[item.paragraph_key] = package
        elif item.paragraph_key in paragraph_parent and (_IS_FOR.search(after(item)) or _THERE_IS.search(before(item, 20))):
            propose(_SAYS_SO, item, paragraph_parent[item.paragraph_key], "is for", item.sentence)
        if _OF_THIS_OPENING.search(item.sentence):
            package = (larger_before or [None])[-1]
            propose(_SAYS_SO, item, package, "of this", _joined(package, item))
        if _PART_OF.search(before(item, 60)):
            parts = in_sentence or (before_sentence[-1:] if _REFERS_BACK.search(item.sentence) else [])
            for part in parts:
                propose(_SAYS_SO, part, item, "forms part of", _joined(part, item))
        if _AS_PART_OF_THIS.search(item.sentence[: item.span[0]]) and not in_sentence:
            package = (larger_before or [None])[-1]
            propose(_SAYS_SO, item, package, "as part of this", _joined(package, item))
        opening = _INCLUDES_OPENING.search(item.sentence)
        if opening and _names_after(opening.end(), item, sentence):
            package, siblings = _includes_package(item, before_sentence, also=bool(opening.group("also")))
            for part in [*siblings, item]:
                propose(_SAYS_SO, part, package, "this investment includes", item.sentence)
        elif _INCLUDING.search(before(item)):
            package = _respective_package(item, in_sentence, sentence)
            if package is None:
                package = ([e for e in in_sentence if e.amount > item.amount] or [None])[-1]
            propose(_SAYS_SO, item, package, "including", item.sentence)
        if in_sentence and item.index not in said and in_sentence[-1].index in said:
            first = in_sentence[-1]
            if _AND_SIBLING.search(item.sentence[first.span[1] : item.span[0]]):
                package = _respective_package(item, in_sentence, sentence) or said[first.index]
                propose(_SAYS_SO, item, package, "and (the same package)", item.sentence)

        # 3. arithmetic
        # a figure after the total in a sentence saying "also" adds to it rather than splitting it
        for parts in (_adding_up(item, reversed(earlier)), _adding_up(item, _window(doc, i, ahead=True), stop=_ALSO)):
            for part in parts:
                propose(_ADDS_UP, part, item, "adds up", _joined(parts[0], item) if parts[0].start < item.start else _joined(item, parts[-1]))


def _column_totals(doc: list[Item]) -> dict[int, tuple[Item, str]]:
    """Each table cell whose column total the text states just above the table: item index ->
    (the figure stating it, the column's header)."""
    columns: dict[tuple[int, str, str], list[Item]] = {}  # (table's first row, its header, column) -> cells
    tops: dict[str, tuple[int, int]] = {}  # a table's header -> (its first row's line, the last row's seen)
    for item in doc:
        header = column_header(item)
        if not header:
            continue
        table = item.sentence[: item.sentence.find(". Row: ")]
        top, last = tops.get(table, (item.line, item.line))
        if item.line - last > 2:  # rows apart: another table with the same header
            top = item.line
        tops[table] = (top, item.line)
        if _ABBREVIATION.search(header):
            columns.setdefault((top, table, header), []).append(item)
    found: dict[int, tuple[Item, str]] = {}
    for (top, _table, header), cells in columns.items():
        names = [re.compile(rf"\b{re.escape(name)}(?:s|'s|’s)?\b") for name in dict.fromkeys(_ABBREVIATION.findall(header))]
        summed = sum(cell.amount for cell in cells)
        # (a heading between them starts another part, "## Grip", so parts are not compared)
        above = [e for e in doc if 0 < top - e.line <= _ABOVE_TABLE and row_label(e) is None]
        total = next((e for e in reversed(above) if e.amount >= summed and any(n.search(e.sentence) for n in names)), None)
        if total is not None:
            for cell in cells:
                found[cell.index] = (total, header)
    return found


def _stated_total(row: Item, earlier: list[Item]) -> Item | None:
    """The last figure before ``row`` that the text states as a total of grant or funding, or None."""
    for e in reversed(earlier):
        if row.line - e.line > _ROW_LINES:
            return None
        if _STATED_TOTAL.search(e.sentence[: e.span[0]]):
            return e
    return None


def _respective_package(item: Item, in_sentence: list[Item], sentence: list[Item]) -> Item | None:
    """With "£P and £Q ..., including £X and £Z respectively", the package of the same rank as ``item``.

    The parts are the run of figures joined by "and" (or commas) around ``item`` that ends in
    "respectively"; the packages are as many figures just before the run. None when the
    sentence does not pair them.
    """
    run = [item]
    for e in reversed(in_sentence):
        if not _AND_SIBLING.search(item.sentence[e.span[1] : run[0].span[0]]):
            break
        run.insert(0, e)
    later = [e for e in sentence if e.span[0] > item.span[0]]
    for e in later:
        gap = item.sentence[run[-1].span[1] : e.span[0]]
        if not _AND_SIBLING.search(gap):
            break
        run.append(e)
    if len(run) < 2 or not _RESPECTIVELY.search(after(run[-1], 80)):
        return None
    packages = [e for e in in_sentence if e.span[0] < run[0].span[0]][-len(run) :]
    if len(packages) < len(run):
        return None
    return packages[run.index(item)]


def _window(doc: list[Item], i: int, ahead: bool = False) -> list[Item]:
    """The figures just before ``doc[i]`` (or just after it), within ``_WINDOW`` figures and ``_LINES`` lines."""
    line = doc[i].line
    if ahead:
        return [e for e in doc[i + 1 : i + 1 + _WINDOW] if e.line - line <= _LINES]
    return [e for e in doc[max(0, i - _WINDOW) : i] if line - e.line <= _LINES]


def _joined(first: Item | None, second: Item) -> str:
    """The words of both figures' sentences, once each."""
    if first is None or first.sentence == second.sentence:
        return second.sentence
    return f"{first.sentence} … {second.sentence}"


def _list_package(item: Item, earlier: list[Item]) -> tuple[Item | None, str]:
    """The figure a list item belongs to: the last one of its lead-in, else of the paragraph before the list.

    Also returns the words that introduce the list.
    """
    outside = [e for e in earlier if e.list_id is None]
    in_lead = [e for e in outside if e.sentence in item.lead_in]
    if in_lead:
        return in_lead[-1], item.lead_in
    before_list = [e for e in outside if e.paragraph in item.paragraph]
    return (before_list[-1], before_list[-1].sentence) if before_list else (None, "")


def _names_after(cue_end: int, item: Item, sentence: list[Item]) -> bool:
    """Whether "includes" (ending at ``cue_end``) names ``item``: the first figure after it is near, and it is no lead-in."""
    named = [e for e in sentence if e.span[0] >= cue_end]
    if item not in named or item.sentence[cue_end:].lstrip().startswith(":"):
        return False
    return named[0].span[0] - cue_end <= _INCLUDES_REACH


def _includes_package(item: Item, before_sentence: list[Item], also: bool) -> tuple[Item | None, list[Item]]:
    """The package "This investment (also) includes £X" refers to, and with "also" the parts named before £X."""
    if not also:
        larger = [e for e in before_sentence if e.amount > item.amount]
        return (larger[-1] if larger else None), []
    # "also" says something was named before: prefer a package with at least one part named
    # before this figure, else the nearest larger figure.
    named = item.amount
    siblings: list[Item] = []
    first: Item | None = None
    for e in reversed([e for e in before_sentence if e.rate == _TOTAL_RATE]):
        if e.amount > named:
            if siblings:
                return e, siblings
            first = first or e
        named += e.amount
        siblings.append(e)
    return first, []


def _adding_up(total: Item, neighbours, stop: re.Pattern[str] | None = None) -> list[Item]:
    """The run of two or more figures next to ``total`` (nearest first) that add up to it, or [].

    The run ends at a figure whose sentence matches ``stop``.
    """
    if total.rate != _TOTAL_RATE:
        return []
    years = _OVER_YEARS.search(after(total))
    n_years = (_NUMBERS.get(years["n"].lower()) or int(years["n"])) if years else 1
    run: list[Item] = []
    summed = Decimal(0)
    row = row_label(total)
    for e in neighbours:
        if e.rate != _TOTAL_RATE or e.currency != total.currency or e.amount >= total.amount:
            break
        if e.list_id is not None and e.list_id == total.list_id:  # items of one list are siblings
            break
        if stop is not None and stop.search(e.sentence):
            break
        other_row = row_label(e)
        if row is not None and other_row is not None and other_row != row and not row.startswith("total"):
            break  # another recipient's cell: the rows of a table are siblings
        run.append(e)
        # an amount "for each year" of a total "over three years" counts three times
        summed += e.amount * n_years if n_years > 1 and _EACH_YEAR.search(after(e, 100)) else e.amount
        if len(run) >= 2 and abs(summed - total.amount) <= _ROUNDING * total.amount:
            return sorted(run, key=lambda x: x.start)
        if summed > total.amount * (1 + _ROUNDING):
            break
    return []
