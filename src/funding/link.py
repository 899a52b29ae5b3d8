"""Link money figures: components to their package, repeats to what they restate, totals to what they include.

Works on ``Item``s (one per commitment figure, in document order, documents in source_id
order) and returns links with the rule and the words that justify each, so that every link
in relations.csv has its evidence.

Components (part_of), within a document:
- "of which £X" joins the nearest earlier figure of its sentence;
- "£X of this investment" joins the nearest earlier, larger figure of its paragraph, and
  later figures of that paragraph introduced by "is for" or "There is £X for" join it too;
- a figure in a list item joins the last figure of the lead-in that ends with a colon
  ("..., which includes:"), or, when the lead-in has none ("This includes:"), the last
  figure of the paragraph before the list;
- "This investment includes £X and £Y" joins its figures to the latest earlier figure.
A component is always smaller than its parent; a rule that would break this is not applied.

Repeats (same commitment), within and across documents: same amount, currency and rate, no
conflicting programme or theme, not a component of the other or of the same package, and one
of: the figure is referred back to ("this £300 million", "the £300 million investment"); both
name the same programme; or both have the same theme and the same known period.

Includes: "taking total planned investment to £X" includes the earlier figures of its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Item", "Link", "find_links"]


@dataclass
class Item:
    """A commitment figure with what linking needs to know about it."""

    index: int  # position in the list of items
    mention_id: str
    source_id: str
    amount: Decimal
    currency: str
    rate: str
    sentence: str
    span: tuple[int, int]  # the figure's place in ``sentence``
    paragraph: str
    sentence_key: tuple[str, str]  # (source_id, sentence): figures of one sentence share it
    paragraph_key: tuple[str, str]
    list_id: int | None
    lead_in: str
    programme: str
    theme: str
    period: tuple[int | None, int | None]


@dataclass(frozen=True)
class Link:
    child: int  # item index
    relation: str  # "part_of", "repeat", "includes"
    parent: int
    rule: str
    evidence: str


_LOOK_BACK = 50  # figures looked back over for a list's lead-in or "this investment"

_OF_WHICH = re.compile(r"(?i)\bof\s+which\s*\Z")
_OF_THIS = re.compile(r"(?i)\A\s*of\s+(?:this|that|these|the)\b")
_IS_FOR = re.compile(r"(?i)\A\s*(?:is|are)\s+(?:for|to)\b")
_THERE_IS = re.compile(r"(?i)\bthere\s+(?:is|are)\s*\Z")
_THIS_INCLUDES = re.compile(
    r"(?i)\A\W*(?:this|that|these|the)\s+(?:\w+\s+){0,2}(?:investment|funding|package|settlement|money|spending)\s+includes?\b"
)
_REFERRED_BACK = re.compile(r"(?i)\b(?:this|that|the)\s+(?:(?:additional|new|recent|same|existing|whole)\s+)?\Z")
_TAKING_TOTAL = re.compile(r"(?i)\b(?:taking|bringing|brings|takes)\s+(?:the\s+)?(?:total|overall)\b(?:\s+\w+){0,3}\s+to\s*\Z")


def _before(item: Item, width: int = 40) -> str:
    return item.sentence[max(0, item.span[0] - width) : item.span[0]]


def _after(item: Item, width: int = 40) -> str:
    return item.sentence[item.span[1] : item.span[1] + width]


def find_links(items: list[Item]) -> list[Link]:
    """Every part_of, repeat and includes link among ``items``, each with its rule and words."""
    links: list[Link] = []
    parent: dict[int, int] = {}

    def add_parent(child: Item, candidate: Item | None, rule: str, evidence: str) -> None:
        if candidate is None or child.index in parent or candidate.amount <= child.amount:
            return
        if candidate.currency != child.currency:
            return
        parent[child.index] = candidate.index
        links.append(Link(child.index, "part_of", candidate.index, rule, evidence))

    by_source: dict[str, list[Item]] = {}
    for item in items:
        by_source.setdefault(item.source_id, []).append(item)

    for doc in by_source.values():
        paragraph_parent: dict[tuple[str, str], Item] = {}
        by_sentence: dict[tuple[str, str], list[Item]] = {}
        by_paragraph: dict[tuple[str, str], list[Item]] = {}
        for i, item in enumerate(doc):
            same_sentence = [e for e in by_sentence.get(item.sentence_key, ()) if e.span[0] < item.span[0]]
            same_paragraph = list(by_paragraph.get(item.paragraph_key, ()))
            by_sentence.setdefault(item.sentence_key, []).append(item)
            by_paragraph.setdefault(item.paragraph_key, []).append(item)
            if _OF_WHICH.search(_before(item)):
                target = same_sentence[-1] if same_sentence else (same_paragraph[-1] if same_paragraph else None)
                add_parent(item, target, "of which", item.sentence)
            elif _OF_THIS.search(_after(item)):
                larger = [e for e in same_paragraph + same_sentence if e.amount > item.amount]
                target = larger[-1] if larger else None
                add_parent(item, target, "of this", item.sentence)
                if target is not None:
                    paragraph_parent[item.paragraph_key] = target
            elif item.paragraph_key in paragraph_parent and (_IS_FOR.search(_after(item)) or _THERE_IS.search(_before(item, 20))):
                add_parent(item, paragraph_parent[item.paragraph_key], "is for", item.sentence)
            elif item.list_id is not None and item.lead_in.rstrip().endswith(":"):
                earlier = doc[max(0, i - _LOOK_BACK) : i]
                in_lead = [e for e in earlier if e.list_id is None and e.sentence in item.lead_in]
                if in_lead:
                    add_parent(item, in_lead[-1], "list under a lead-in", f"{item.lead_in} … {item.sentence}")
                else:
                    before_list = [e for e in earlier if e.list_id is None and e.paragraph in item.paragraph]
                    target = before_list[-1] if before_list else None
                    add_parent(item, target, "list under a lead-in", f"{target.sentence if target else ''} … {item.sentence}")
            elif _THIS_INCLUDES.search(item.sentence):
                outside = [e for e in doc[max(0, i - _LOOK_BACK) : i] if e.sentence_key != item.sentence_key]
                add_parent(item, outside[-1] if outside else None, "this investment includes", item.sentence)

    links.extend(_repeats(items, parent))
    links.extend(_includes(items))
    return links


def _related(a: Item, b: Item, parent: dict[int, int]) -> bool:
    """Whether one is part of the other, or both are parts of one package."""
    pa, pb = parent.get(a.index), parent.get(b.index)
    return pa == b.index or pb == a.index or (pa is not None and pa == pb) or (a.list_id is not None and a.list_id == b.list_id and a.source_id == b.source_id)


def _repeats(items: list[Item], parent: dict[int, int]) -> list[Link]:
    links = []
    earlier: dict[tuple, list[Item]] = {}  # items seen so far, by what a repeat must share
    for b in items:
        key = (b.amount, b.currency, b.rate)
        referred = bool(_REFERRED_BACK.search(_before(b, 30)))
        for a in reversed(earlier.get(key, ())):
            if _related(a, b, parent):
                continue
            if (a.programme and b.programme and a.programme != b.programme) or (a.theme and b.theme and a.theme != b.theme):
                continue
            if referred and a.source_id == b.source_id:
                rule = "referred back to"
            elif a.programme and a.programme == b.programme:
                rule = "same programme"
            elif a.theme and a.theme == b.theme and None not in a.period and a.period == b.period:
                rule = "same theme and period"
            else:
                continue
            links.append(Link(b.index, "repeat", a.index, rule, b.sentence))
            break
        earlier.setdefault(key, []).append(b)
    return links


def _includes(items: list[Item]) -> list[Link]:
    by_sentence: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        by_sentence.setdefault(item.sentence_key, []).append(item)
    links = []
    for b in items:
        if _TAKING_TOTAL.search(_before(b, 60)):
            for a in by_sentence[b.sentence_key]:
                if a.span[0] < b.span[0] and a.amount < b.amount:
                    links.append(Link(b.index, "includes", a.index, "taking the total to", b.sentence))
    return links
