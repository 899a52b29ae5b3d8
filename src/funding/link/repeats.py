"""Repeats: mentions of the same money, within and across documents.

Same amount, currency and rate, no conflicting programme or theme, not a component of the
other or of the same package, and one of: the figure is referred back to ("this £300
million", "the £300 million investment"); both name the same programme; or both have the
same theme and the same known period.
"""

from __future__ import annotations

import re

from funding.link.model import Item, Link, before

__all__ = ["find_repeats"]

_REFERRED_BACK = re.compile(r"(?i)\b(?:this|that|the)\s+(?:(?:additional|new|recent|same|existing|whole)\s+)?\Z")


def _related(a: Item, b: Item, parent: dict[int, int]) -> bool:
    """Whether one is part of the other, or both are parts of one package."""
    pa, pb = parent.get(a.index), parent.get(b.index)
    return pa == b.index or pb == a.index or (pa is not None and pa == pb) or (a.list_id is not None and a.list_id == b.list_id and a.source_id == b.source_id)


def find_repeats(items: list[Item], parent: dict[int, int]) -> list[Link]:
    links = []
    earlier: dict[tuple, list[Item]] = {}  # items seen so far, by what a repeat must share
    for b in items:
        key = (b.amount, b.currency, b.rate)
        referred = bool(_REFERRED_BACK.search(before(b, 30)))
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
