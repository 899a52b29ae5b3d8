"""Includes: a stated total that includes earlier money ("taking total planned investment to £695 million")."""

from __future__ import annotations

import re

from funding.link.model import Item, Link, before

__all__ = ["find_includes"]

_TAKING_TOTAL = re.compile(r"(?i)\b(?:taking|bringing|brings|takes)\s+(?:the\s+)?(?:total|overall)\b(?:\s+\w+){0,3}\s+to\s*\Z")


def find_includes(items: list[Item]) -> list[Link]:
    by_sentence: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        by_sentence.setdefault(item.sentence_key, []).append(item)
    links = []
    for b in items:
        if _TAKING_TOTAL.search(before(b, 60)):
            for a in by_sentence[b.sentence_key]:
                if a.span[0] < b.span[0] and a.amount < b.amount:
                    links.append(Link(b.index, "includes", a.index, "taking the total to", b.sentence))
    return links
