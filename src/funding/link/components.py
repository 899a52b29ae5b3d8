"""Components: which commitment figures are parts of a package, and of which.

Within a document:
- "of which £X" joins the nearest earlier figure of its sentence;
- "£X of this investment" joins the nearest earlier, larger figure of its paragraph, and
  later figures of that paragraph introduced by "is for" or "There is £X for" join it too;
- a figure in a list item joins the last figure of the lead-in that ends with a colon
  ("..., which includes:"), or, when the lead-in has none ("This includes:"), the last
  figure of the paragraph before the list;
- "This investment includes £X and £Y" joins its figures to the latest earlier figure.
A component is always smaller than its parent; a rule that would break this is not applied.
"""

from __future__ import annotations

import re

from funding.link.model import Item, Link, after, before

__all__ = ["find_components"]


_LOOK_BACK = 50  # figures looked back over for a list's lead-in or "this investment"

_OF_WHICH = re.compile(r"(?i)\bof\s+which\s*\Z")
_OF_THIS = re.compile(r"(?i)\A\s*of\s+(?:this|that|these|the)\b")
_IS_FOR = re.compile(r"(?i)\A\s*(?:is|are)\s+(?:for|to)\b")
_THERE_IS = re.compile(r"(?i)\bthere\s+(?:is|are)\s*\Z")
_THIS_INCLUDES = re.compile(
    r"(?i)\A\W*(?:this|that|these|the)\s+(?:\w+\s+){0,2}(?:investment|funding|package|settlement|money|spending)\s+includes?\b"
)


def find_components(items: list[Item]) -> tuple[list[Link], dict[int, int]]:
    """Every part_of link among ``items``, and each component's parent (item index to item index)."""
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
            if _OF_WHICH.search(before(item)):
                target = same_sentence[-1] if same_sentence else (same_paragraph[-1] if same_paragraph else None)
                add_parent(item, target, "of which", item.sentence)
            elif _OF_THIS.search(after(item)):
                larger = [e for e in same_paragraph + same_sentence if e.amount > item.amount]
                target = larger[-1] if larger else None
                add_parent(item, target, "of this", item.sentence)
                if target is not None:
                    paragraph_parent[item.paragraph_key] = target
            elif item.paragraph_key in paragraph_parent and (_IS_FOR.search(after(item)) or _THERE_IS.search(before(item, 20))):
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

    return links, parent
