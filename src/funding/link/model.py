"""What linking works on (``Item``: one commitment figure) and what it returns (``Link``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from funding.money import reduce_by_fields

__all__ = ["Item", "Link", "before", "after", "row_label", "column_header"]


@dataclass(slots=True)
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
    sentence_key: tuple[str, int]  # (source_id, where the sentence begins): figures of one sentence share it
    paragraph_key: tuple[str, int]
    list_id: int | None
    lead_in: str
    programme: str
    theme: str
    period: tuple[int | None, int | None]
    start: int = 0  # the figure's character offset in its document
    line: int = 0
    part: int = 0  # which part of its document (a written answer, a press release) it stands in
    department: str = ""
    qualifier: str = ""
    label: str = ""  # what the figure is for, in the text's words ("new bus shelters")
    period_stated: bool = True  # whether the years are stated in the text (not relative to a date)

    __reduce__ = reduce_by_fields


@dataclass(frozen=True, slots=True)
class Link:
    child: int  # item index
    relation: str  # "part_of", "repeat", "includes"
    parent: int
    rule: str
    evidence: str
    score: float = 1.0  # how sure: the linkage score for a repeat, the rule's confidence otherwise

    __reduce__ = reduce_by_fields

    def moved(self, offset: int, rule: str, evidence: str) -> Link:
        """The same link between the figures ``offset`` places on, with ``rule`` and ``evidence``
        (the same words, one copy shared among many links)."""
        return Link(self.child + offset, self.relation, self.parent + offset, rule, evidence, self.score)


def before(item: Item, width: int = 40) -> str:
    """The words of the figure's sentence just before it."""
    return item.sentence[max(0, item.span[0] - width) : item.span[0]]


def after(item: Item, width: int = 40) -> str:
    """The words of the figure's sentence just after it."""
    return item.sentence[item.span[1] : item.span[1] + width]


_ROW = ". Row: "
_COLUMNS = "Table columns: "


def row_label(item: Item) -> str | None:
    """The first cell of the table row a figure stands in (its recipient: "West Midlands"), or
    None for a figure outside a table or in its row's label."""
    at = item.sentence.find(_ROW)
    if at < 0 or item.span[0] < at + len(_ROW):
        return None
    return item.sentence[at + len(_ROW) :].split("|", 1)[0].strip(" *").lower()


def column_header(item: Item) -> str:
    """The header of the table column a cell stands in ("VRU allocation"), or "" for a figure
    outside a table, or where the header's cells and the row's do not line up one to one."""
    at = item.sentence.find(_ROW)
    head = item.sentence.find(_COLUMNS)
    if at < 0 or head < 0 or item.span[0] < at + len(_ROW):
        return ""
    header = item.sentence[head + len(_COLUMNS) : at].split("; ")
    row = item.sentence[at + len(_ROW) :]
    cells = row.split("|")
    if len(cells) != len(header):
        return ""
    column = item.sentence[at + len(_ROW) : item.span[0]].count("|")
    return header[column].strip() if column < len(header) else ""
