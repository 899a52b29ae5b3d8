"""Link money figures: components to their package, repeats to what they restate, totals to what they include.

Works on ``Item``s (one per commitment figure, in document order, documents in source_id
order: ``find_within`` one document's, ``find_repeats`` all of them) and returns links with
the rule and the words that justify each, so that every link in relations.csv has its evidence. One module per kind of link: ``components`` (part_of),
``repeats`` (same money), ``includes`` (a total that includes earlier money).
"""

from __future__ import annotations

from funding.link.components import find_components
from funding.link.includes import find_includes
from funding.link.model import Item, Link
from funding.link.repeats import find_repeats

__all__ = ["Item", "Link", "find_within", "find_repeats"]


def find_within(items: list[Item]) -> tuple[list[Link], dict[int, int], list[Link]]:
    """The links the text of one document states, among its ``items``: part_of links, each
    component's package (item index to item index), and includes links. ``find_repeats`` then
    links figures across documents, given the packages and totals found here."""
    links, parent = find_components(items)
    return links, parent, find_includes(items)
