"""Link money figures: components to their package, repeats to what they restate, totals to what they include.

Works on ``Item``s (one per commitment figure, in document order, documents in source_id
order) and returns links with the rule and the words that justify each, so that every link
in relations.csv has its evidence. One module per kind of link: ``components`` (part_of),
``repeats`` (same money), ``includes`` (a total that includes earlier money).
"""

from __future__ import annotations

from funding.link.components import find_components
from funding.link.includes import find_includes
from funding.link.model import Item, Link
from funding.link.repeats import find_repeats

__all__ = ["Item", "Link", "find_links"]


def find_links(items: list[Item]) -> list[Link]:
    """Every part_of, repeat and includes link among ``items``, each with its rule and words."""
    links, parent = find_components(items)
    includes = find_includes(items)
    links.extend(find_repeats(items, parent, includes))
    links.extend(includes)
    return links
