"""Build the clean tables from the documents: mentions, commitments, relations, years, packages.

``build_tables`` is a pure function of the documents' texts, the reference tables and the
review file; ``funding build`` (cli) loads them, calls it and writes the tables atomically.

What is counted, so that totals never double count (``counted`` and ``count_note``):
- context figures are never commitments;
- a figure restated is one commitment (mentions share its commitment_id);
- a package whose components add up to it, exactly or within 1% (rounding), is counted
  through its components, so that totals by theme see the parts; a package whose named
  components cover only part of it is counted whole, and its components are not;
- money that a later total includes ("taking total planned investment to £695 million") is
  counted inside that total, not again beside it;
- figures in another currency, per-unit rates, and per-year rates over unknown years are not
  counted, and say why.
"""

from __future__ import annotations

import gc
import hashlib
from array import array
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import ROUND_FLOOR, Decimal
from operator import itemgetter
from typing import Callable, Iterable, Iterator, Protocol, Sequence

from funding.annotate.classify import COMMITMENT, CONTEXT
from funding.annotate.document import AnnotatedFigure, Annotations, Document, annotate_document
from funding.annotate.parts import DEPARTMENT_BASES
from funding.annotate.periods import PERIOD_BASES, Period
from funding.link import Item, Link, find_repeats, find_within
from funding.link.repeats import AROUND, Compared, compare_within
from funding.money import Money, format_amount, reduce_by_fields
from funding.reference import Reference
from funding.review import Review, ReviewError
from funding.years import fy_label
from funding.vocab import MENTION_COLUMNS, RATE_TOTAL, SET_ASIDE_COLUMNS

__all__ = [
    "Tables", "build_tables", "link_tables", "write_linked", "TableSink", "TablesSink", "RowSink", "RowPlan", "write_rows",
    "LinkPart", "link_part",
    "TABLE_COLUMNS",
]

BUILD_MENTION_COLUMNS = MENTION_COLUMNS + (
    "role", "certainty", "context_reason", "commitment_reason", "role_evidence", "table_kind", "commitment_id", "link", "linked_to", "link_score", "link_evidence", "reviewed",
)
COMMITMENT_COLUMNS = (
    "commitment_id", "amount_gbp", "amount_high_gbp", "qualifier", "rate", "total_gbp",
    "label", "department", "department_basis", "programme", "programme_basis", "theme", "theme_basis",
    "period_text", "fy_start", "fy_end", "n_years", "period_basis",
    "parent_id", "counted", "count_note", "n_mentions", "source_id", "first_mention_id", "quote", "reviewed",
)
RELATION_COLUMNS = ("from_id", "relation", "to_id", "basis", "rule", "score", "evidence")
YEAR_COLUMNS = ("commitment_id", "financial_year", "amount_gbp", "allocation", "counted", "reviewed")
PACKAGE_COLUMNS = (
    "package_id", "amount_gbp", "n_components", "components_gbp", "difference_gbp", "status", "counted_as", "reviewed",
)
#: One row a document built: where it came from and how it was dated. A document with no row
#: in data/raw/sources.csv (``listed`` false) takes its title, publisher and date from what it
#: says of itself (a GOV.UK page's "Published" and "From" lines, a PDF's title).
SOURCE_COLUMNS = (
    "source_id", "file", "format", "title", "publisher", "published_from", "published_to", "date_estimated", "dated_by",
    "speaker", "url", "licence", "pages", "kind", "kind_basis", "listed",
)
TABLE_COLUMNS = {
    "mentions": BUILD_MENTION_COLUMNS,
    "commitments": COMMITMENT_COLUMNS,
    "relations": RELATION_COLUMNS,
    "commitment_years": YEAR_COLUMNS,
    "packages": PACKAGE_COLUMNS,
    "set_aside": SET_ASIDE_COLUMNS,
    "sources": SOURCE_COLUMNS,
}
#: Department bases that say only which department a part of the text speaks for, not whose
#: money a figure is: a component's package says more. (sources.csv's speaker is an analyst's
#: word on the whole document and stands.)
SPEAKER_BASES = DEPARTMENT_BASES
#: A part's department it did not state itself: weaker than any figure's own evidence.
BORROWED_BASES = frozenset({"section of the text above", "another part of the file"})
ROUNDING = Decimal("0.01")  # components within 1% of their package "add up, off by rounding"


@dataclass
class Tables:
    """The clean tables, as lists of rows (dicts keyed by the TABLE_COLUMNS names)."""

    mentions: list[dict] = field(default_factory=list)
    commitments: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    commitment_years: list[dict] = field(default_factory=list)
    packages: list[dict] = field(default_factory=list)
    set_aside: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)


def _period_rank(period: Period) -> int:
    return PERIOD_BASES.index(period.basis.split(",")[0])


def build_tables(documents: Iterable[Document], ref: Reference, review: Review | None = None) -> Tables:
    """The clean tables for ``documents`` (in any order), reference tables and review.

    Documents are taken one at a time and their text let go once annotated, so that a
    generator of documents keeps only the figures, not the texts, in memory.
    """
    return link_tables((annotate_document(doc, ref) for doc in documents), review)


def link_tables(documents: Iterable[Annotations], review: Review | None = None) -> Tables:
    """The clean tables from every document's annotations (in any order) and the review:
    the analyst's roles applied, figures linked across documents, commitments counted.

    All in memory: for a corpus too large for that, ``write_linked`` does the same work
    reading each document's annotations when it needs them and giving each row to a sink."""
    by_source = {doc.source_id: doc for doc in documents}
    sink = TablesSink()
    write_linked(sorted(by_source), by_source.__getitem__, review, sink)
    return sink.tables


class TablesSink:
    """Collects the rows ``write_linked`` gives into a ``Tables``."""

    def __init__(self) -> None:
        self.tables = Tables()

    def add(self, table: str, row: dict) -> None:
        getattr(self.tables, table).append(row)

    def recall(self, source_id: str, signature: str) -> bool:
        return False

    def rows(self, plan: RowPlan, load: Callable[[str], Annotations]) -> None:
        write_rows(load(plan.source_id), plan, self)


class RowSink(Protocol):
    """Where ``write_rows`` puts one document's rows: ``add("mentions", row)``, ..."""

    def add(self, table: str, row: dict) -> None: ...


class TableSink(RowSink, Protocol):
    """Where ``write_linked`` puts each row: ``add("mentions", row)``, ``add("commitments", row)``, ...
    Rows of one table come in the table's order.

    Pass 3 asks ``recall(source_id, signature)`` before it makes a document's rows: a sink
    that kept the rows it was given for that document, under the same signature, may give them
    again itself and say True. Otherwise ``rows(plan, load)`` follows: the sink has the rows made
    by ``write_rows(load(plan.source_id), plan, sink)``, here or on another process (the plan is
    all they take from linking), and puts them after the rows of the documents before it. The
    signature stands for everything besides the document's annotations that its rows depend on
    (the review's roles for its figures, their commitments and links, and what the commitments
    it states first are made of: other documents' figures by their document's
    ``LinkPart.identity``, or the rows themselves); the sink keys what it keeps by the annotations."""

    def recall(self, source_id: str, signature: str) -> bool: ...

    def rows(self, plan: RowPlan, load: Callable[[str], Annotations]) -> None: ...


def write_linked(source_ids: Sequence[str], load: Callable[[str], Annotations], review: Review | None, sink: TableSink,
                 load_part: Callable[[str], LinkPart | None] | None = None) -> None:
    """Link the documents ``source_ids`` (in that order) and give every row of every table to ``sink``.

    ``load(source_id)`` gives a document's annotations; it is called twice a document, and
    nothing but the commitments' compact keys is kept between the calls, so memory does not
    hold the documents' sentences or their mention rows:

    1. each document in turn: the analyst's roles applied, its commitment figures linked
       within it (components to their package, totals to what they include: the text of one
       document says so), and each figure kept as a compact item (its amount, years,
       programme, department and the words just around it);
    2. repeats linked across all documents on those items, the figures grouped into
       commitments, packages and totals counted;
    3. each document again: what its rows take from linking worked out (a ``RowPlan``), and
       its mention rows and the rows of the commitments it states first, with their quote,
       made from its annotations and the plan (``write_rows``) where the sink says; or, where
       the sink kept them from an earlier build under the same signature, given again by the
       sink without loading the document.

    ``load_part(source_id)``, where given, gives pass 1 the document's ``LinkPart`` made
    beforehand (None where it has none), so that pass 1 need not load the document.
    """
    linker = _Linker(review or Review())
    with _long_lived() as settled:
        for source_id in source_ids:
            part = load_part(source_id) if load_part is not None else None
            if part is None or not linker.add_part(part):
                linker.add(load(source_id))
        linker.link()
        settled()
        for row in linker.relations:
            sink.add("relations", row)
        for row in linker.packages:
            sink.add("packages", row)
        linker.packages = []
        for source_id in source_ids:
            linker.write(source_id, load, sink)


@contextmanager
def _long_lived() -> Iterator[Callable[[], None]]:
    """Python's cyclic garbage collector kept off what linking keeps.

    Passes 1 and 2 make millions of small objects (a few a figure) that live to the end and
    hold no reference cycles: every full collection would walk them all (a fifth of a
    rebuild's time at 200 MB). The collector is paused until the function this gives is
    called; what was made by then is frozen (``gc.freeze``: left out of collections) and the
    collector runs again, for the garbage of pass 3. Both are undone on leaving."""
    enabled, frozen = gc.isenabled(), False

    def settled() -> None:
        nonlocal frozen
        gc.freeze()
        frozen = True
        if enabled:
            gc.enable()

    gc.disable()
    try:
        yield settled
    finally:
        if frozen:
            gc.unfreeze()
        if enabled:
            gc.enable()


@dataclass
class LinkPart:
    """What linking keeps of one document (pass 1 of ``write_linked``), numbered from 0: its
    commitment figures as compact items and members, the links within it, and every figure's
    mention id (to know whether the review decides a role in it). Made where the document is
    annotated and cached beside its annotations, so that linking reads a few bytes a figure."""

    mention_ids: tuple[str, ...]
    items: list[Item]
    members: list[_Member]
    within: list[Link]
    parent: dict[int, int]
    includes: list[Link]
    compared: Compared  # its figures' pairs compared for repeats, within the document
    identity: str = ""  # what it was made from (the document's cache key), set where it is loaded from a cache; "" where unknown


def link_part(doc: Annotations, commitments: list[AnnotatedFigure] | None = None) -> LinkPart:
    """A document's ``LinkPart``: its commitment figures (by default those its annotations say
    are commitments) linked within it, components to their package and totals to what they
    include, as the text of one document says."""
    if commitments is None:
        commitments = [a for a in doc.annotated if a.role == COMMITMENT]
    items = [_item(k, a) for k, a in enumerate(commitments)]
    links, parent, includes = find_within(items)
    members = [
        _Member(a.mention.mention_id, a.source_id, replace(a.mention.money, text=""), a.period, a.department, a.department_basis,
                a.programme, a.programme_basis, a.label, a.theme, a.theme_basis, a.reviewed)
        for a in commitments
    ]
    items = [compact(i) for i in items]
    compared = compare_within(items, parent)
    for item in items:
        if not item.programme:  # across documents it is never scored (``find_repeats``): keep no words
            item.sentence, item.span, item.label, item.sentence_key = "", (0, 0), "", None
    return LinkPart(tuple(a.mention.mention_id for a in doc.annotated), items, members, links, parent, includes, compared)


@dataclass(slots=True)
class _Member:
    """What a commitment's row needs of one of its figures, without its sentence."""

    mention_id: str
    source_id: str
    money: Money
    period: Period
    department: str
    department_basis: str
    programme: str
    programme_basis: str
    label: str
    theme: str
    theme_basis: str
    reviewed: bool

    __reduce__ = reduce_by_fields


class _Linker:
    """The three passes of ``write_linked``: ``add`` each document, ``link``, ``write`` each document."""

    def __init__(self, review: Review):
        self.review = review
        self.roles = review.roles()  # mention hash -> the analyst's role and reason
        self.wanted = review.named()
        self.seen: set[str] = set()  # mention ids the review names, found in the documents
        self.index_of: dict[str, int] = {}  # mention hash -> commitment index, for the hashes the review names
        self.items: list[Item] = []
        self.members: list[_Member] = []
        self.within: list[Link] = []  # part_of links, found in each document
        self.parent: dict[int, int] = {}
        self.includes: list[Link] = []
        self.compared = Compared([], set())  # repeats compared within each document
        self._relations: list[tuple] = []
        self.packages: list[dict] = []
        self.documents: list[tuple[int, int, tuple, str]] = []  # each document's first commitment, commitments, review roles, identity
        self.written = 0  # documents written so far, in pass 3
        self.shared: dict = {}  # one copy of each value the figures share (a department, a basis, a period), however many
        # documents it was read from: most of what is kept of a figure is such values

    def _reviewed(self, doc: Annotations) -> list[AnnotatedFigure]:
        """The document's commitment figures, the analyst's word on roles applied to every figure."""
        commitments = []
        for a in doc.annotated:
            key = a.mention.mention_id[1:]
            if key in self.wanted:
                self.seen.add(a.mention.mention_id)
                _take_role(a, self.roles.get(key, {}))
            if a.role == COMMITMENT:
                commitments.append(a)
        return commitments

    def add(self, doc: Annotations) -> None:
        """Pass 1: one document's commitment figures, linked within the document, kept compact."""
        self.add_part(link_part(doc, self._reviewed(doc)), reviewed=True)

    def add_part(self, part: LinkPart, reviewed: bool = False) -> bool:
        """Pass 1 from a document's ``LinkPart`` made beforehand (``link_part``): False, and nothing
        added, when the review decides the role of one of its figures (``add`` the document then)."""
        if not reviewed and any(m[1:] in self.roles for m in part.mention_ids):
            return False
        self.seen.update(m for m in part.mention_ids if m[1:] in self.wanted)
        offset, share = len(self.items), self.shared.setdefault  # one copy of each value the figures share
        decided = tuple((m, sorted(self.roles[m[1:]].items())) for m in part.mention_ids if m[1:] in self.roles)
        self.documents.append((offset, len(part.items), decided, part.identity))
        for item, member in zip(part.items, part.members):
            item.index += offset
            if member.mention_id[1:] in self.wanted:
                self.index_of[member.mention_id[1:]] = item.index
            # (a document's source_id is one object in its part already: the pickle keeps one copy of it)
            for name in ("currency", "rate", "programme", "theme", "department", "qualifier", "label", "period"):
                value = getattr(item, name)
                setattr(item, name, share(value, value))
            for name in ("period", "department", "department_basis", "programme", "programme_basis", "label", "theme", "theme_basis"):
                value = getattr(member, name)
                setattr(member, name, share(value, value))
            self.items.append(item)
            self.members.append(member)
        self.within.extend(l.moved(offset, share(l.rule, l.rule), l.evidence) for l in part.within)
        self.parent.update((child + offset, parent + offset) for child, parent in part.parent.items())
        self.includes.extend(l.moved(offset, share(l.rule, l.rule), l.evidence) for l in part.includes)
        compared = part.compared.moved(offset, self.shared)
        self.compared.candidates.extend(compared.candidates)
        self.compared.conflicts.update(compared.conflicts)
        return True

    def link(self) -> None:
        """Pass 2: repeats across documents, commitments, packages, totals and relations."""
        review, members, index_of = self.review, self.members, self.index_of
        review.check_ids(self.seen)
        overrides = review.repeat_overrides()
        repeats = find_repeats(self.items, self.parent, self.includes, self.compared)
        self.compared = None
        links = [*self.within, *[l for l in repeats if members[l.child].mention_id[1:] not in overrides], *self.includes]
        self.items = []  # let the compact items go: the rows need only the members
        for key, (target, row) in sorted(overrides.items()):
            if target and key in index_of and target in index_of:
                links.append(review.link_for(row, index_of[key], index_of[target], "repeat"))

        group = _groups(len(members), [l for l in links if l.relation == "repeat"])
        groups, cid = _Groups(group), _Ids(members)
        review = review.for_commitments({key: cid[group[i]][1:] for key, i in index_of.items()})
        named = review.keys()
        review.check_commitments({cid[root] for root in groups if cid[root][1:] in named})

        parent_of: dict[int, tuple[int, Link]] = {}
        for link in links:
            if link.relation == "part_of":
                child, parent = group[link.child], group[link.parent]
                if child != parent and child not in parent_of and not _is_ancestor(child, parent, parent_of):
                    parent_of[child] = (parent, link)
        for root in groups:
            row = review.parent_override(cid[root]) if cid[root][1:] in named else None
            if row is None:
                continue
            parent_of.pop(root, None)
            if row.value:
                parent = group[index_of[row.value[1:]]]
                if parent == root or _is_ancestor(root, parent, parent_of):
                    raise ValueError(f"{review.path}, line {row.line}, field 'value': {row.value} would make a commitment part of itself")
                parent_of[root] = (parent, review.link_for(row, root, parent, "part_of"))
        includes = {(group[l.child], group[l.parent]): l for l in links if l.relation == "includes" if group[l.child] != group[l.parent]}
        self.link_of: dict[int, Link] = {}
        for link in links:  # a figure's first repeat link is its best
            if link.relation == "repeat":
                self.link_of.setdefault(link.child, link)
        del links, repeats  # the links no row needs go before the rows are made

        enclosing = {part: whole for (whole, part) in sorted(includes)}
        related = {*parent_of, *(parent for parent, _link in parent_of.values()), *(i for pair in includes for i in pair)}
        first = [root for root in groups if root in related or cid[root][1:] in named]  # review errors before anything is written
        rows, self.row_for = _commitment_rows(members, groups, cid, parent_of, enclosing, review, named, first)
        self.packages = _count(rows, cid, parent_of, includes)
        for row in rows.values():
            row["counted"] = bool_text(row["counted"])

        # (from, relation, to, link), in the table's order; each row is made as it is written
        self._relations = sorted([(cid[root], "part_of", cid[parent], link) for root, (parent, link) in parent_of.items()]
                                 + [(cid[whole], "includes", cid[part], link) for (whole, part), link in includes.items()],
                                 key=lambda r: r[:3])

        self.group, self.groups, self.cid = group, groups, cid
        self.mention_ids = [m.mention_id for m in members]
        self.rows = rows

    def _row_alone(self, root: int) -> dict:
        """The row of a commitment in no package or total, counted on its own (made in pass 3)."""
        row = self.row_for(root)
        del self.rows[root]
        _counted(row)
        row["counted"] = bool_text(row["counted"])
        return row

    def _standing_alone(self, root: int, first: int, count: int, made: dict[int, dict]) -> tuple:
        """What the row of a commitment in no package or total depends on, for the signature of
        the document that states it first (at ``first``, ``count`` figures): the figures that
        make it up, each by its place, and, for those in other documents, the documents'
        identity and review roles. Where one of those documents has no identity, the row itself."""
        own = []
        for i in self.groups[root]:
            if first <= i < first + count:
                own.append(i - first)  # the document's own figures: its annotations and roles are signed already
                continue
            offset, _count, decided, identity = self.documents[bisect_right(self.documents, i, key=itemgetter(0)) - 1]
            if not identity:
                made[root] = self._row_alone(root)
                return tuple(made[root].values())
            own.append((identity, decided, i - offset))
        return tuple(own)

    @property
    def relations(self) -> Iterator[dict]:
        """The rows of relations.csv, made one at a time (then let go: they are given once)."""
        relations, self._relations = self._relations, []
        for from_id, relation, to_id, link in relations:
            basis = "review" if link.rule.startswith("review") else "text"
            yield {"from_id": from_id, "relation": relation, "to_id": to_id, "basis": basis, "rule": link.rule, "score": _score(link), "evidence": link.evidence}

    def write(self, source_id: str, load: Callable[[str], Annotations], sink: TableSink) -> None:
        """Pass 3: one document's rows: its mentions, what it set aside, its source row, and the
        commitments it states first (in the order they stand in it) with their phased years.

        What the rows take from linking is worked out first, and signed; the rows are made
        (``write_rows``) only where the sink has not kept them under that signature."""
        first, count, decided, _identity = self.documents[self.written]
        self.written += 1
        link_of, mention_ids, group, cid = self.link_of, self.mention_ids, self.group, self.cid
        roots = [i for i in range(first, first + count) if group[i] == i]  # a restatement's commitment is written with its first mention
        made = {i: self.rows.pop(i) for i in roots if i in self.rows}  # in a package or a total, or named by the review
        figures = [(cid[group[i]], *((l.rule, mention_ids[l.parent], _score(l), l.evidence) if (l := link_of.get(i)) else ()))
                   for i in range(first, first + count)]
        signature = hashlib.sha256(repr((
            decided,
            figures,
            [tuple(made[i].values()) if i in made else self._standing_alone(i, first, count, made) for i in roots],
        )).encode()).hexdigest()
        if sink.recall(source_id, signature):
            return
        stated = {i - first: made.get(i) or self._row_alone(i) for i in roots}
        sink.rows(RowPlan(source_id, signature, decided, figures, stated), load)


@dataclass
class RowPlan:
    """What one document's rows take from linking (pass 3 of ``write_linked``): with its
    annotations, all ``write_rows`` needs, so that the rows can be made on any process."""

    source_id: str
    signature: str  # what the sink keeps the rows under (``TableSink``)
    decided: tuple  # the review's word on its figures: (mention_id, sorted (field, value) pairs), in the document's order
    figures: list[tuple]  # each commitment figure, in order: (commitment_id,) for a first mention, or
    # (commitment_id, rule, linked_to, score, evidence) for a repeat
    stated: dict[int, dict]  # the rows of the commitments it states first, by their first figure's place among its commitment figures


def _take_role(a: AnnotatedFigure, decided: dict) -> None:
    """The analyst's role for a figure (a review row's fields), where the review gives one."""
    if "role" in decided:
        a.role, a.reason, a.reviewed = decided["role"], decided.get("context_reason", f"review: {decided['role']}"), True


def write_rows(doc: Annotations, plan: RowPlan, sink: RowSink) -> None:
    """Give ``sink`` one document's rows (pass 3 of ``write_linked``), made from its annotations
    and its ``RowPlan``: its mentions, what it set aside, its source row, and the commitments it
    states first (in the order they stand in it) with their phased years."""
    if plan.decided:
        decided = {mention_id: dict(fields) for mention_id, fields in plan.decided}
        for a in doc.annotated:
            if a.mention.mention_id in decided:
                _take_role(a, decided[a.mention.mention_id])
    commitments = [a for a in doc.annotated if a.role == COMMITMENT]
    if len(commitments) != len(plan.figures):
        raise AssertionError(f"{plan.source_id}: {len(commitments)} commitment figures in pass 3, {len(plan.figures)} in pass 1")
    position = {id(a): k for k, a in enumerate(commitments)}
    for a in doc.annotated:
        row = a.mention.row()
        k = position.get(id(a))
        figure = plan.figures[k] if k is not None else ()
        repeat = len(figure) > 1  # (commitment_id, rule, linked_to, score, evidence)
        row.update({
            "role": a.role,
            "certainty": "1" if a.reviewed else f"{a.certainty:.2f}",
            "context_reason": a.reason if a.role == CONTEXT else "",
            "commitment_reason": a.reason if a.role == COMMITMENT else "",
            "role_evidence": "review: an analyst's decision" if a.reviewed and a.evidence == "" else a.evidence,
            "table_kind": a.table_kind,
            "commitment_id": figure[0] if figure else "",
            "link": "" if not figure else (f"repeat: {figure[1]}" if repeat else "first mention"),
            "linked_to": figure[2] if repeat else "",
            "link_score": figure[3] if repeat else "",
            "link_evidence": figure[4] if repeat and not figure[1].startswith("review") else "",
            "reviewed": bool_text(a.reviewed),
        })
        sink.add("mentions", row)
    for row in doc.set_aside:
        sink.add("set_aside", row)
    if doc.source:
        sink.add("sources", doc.source)
    for k, row in plan.stated.items():
        row["quote"] = commitments[k].sentence
    for row in sorted(plan.stated.values(), key=lambda r: int(r.pop("_start"))):
        sink.add("commitments", row)
        for year in _years(row):
            sink.add("commitment_years", year)


def compact(item: Item) -> Item:
    """The item as repeats across documents need it: its sentence cut to the words linking reads
    around the figure (``repeats.AROUND`` characters either side), no paragraph or lead-in."""
    start, end = item.span
    cut = max(0, start - AROUND)
    sentence = item.sentence[cut : end + AROUND]
    return replace(item, sentence=sentence, span=(start - cut, end - cut), paragraph="", lead_in="", paragraph_key=None)


def _item(index: int, a: AnnotatedFigure) -> Item:
    money = a.mention.money
    return Item(
        index, a.mention.mention_id, a.source_id, money.amount, money.currency, money.rate, a.sentence, a.span,
        a.paragraph, (a.source_id, a.sentence_start), (a.source_id, a.paragraph_start), a.list_id, a.lead_in,
        a.programme_key, a.theme, (a.period.fy_start, a.period.fy_end),
        money.start, a.mention.line, a.part, a.department, money.qualifier, a.label,
        a.period.basis.split(",")[0] in ("stated", "paragraph", "sentence", "title", "end date"),
    )


class _Groups:
    """Each commitment's figures by its first (its root), in order: the root alone, unless repeats
    joined others to it. Iterates over the roots. Most commitments are one figure: no list is kept for those."""

    def __init__(self, group: array):
        self.group = group
        self.joined: dict[int, list[int]] = {}
        for i, root in enumerate(group):
            if root != i:
                self.joined.setdefault(root, [root]).append(i)

    def __getitem__(self, root: int) -> list[int]:
        return self.joined.get(root) or [root]

    def __iter__(self) -> Iterator[int]:
        return (i for i, root in enumerate(self.group) if root == i)


class _Ids:
    """Each commitment's id, made when asked from its first figure's mention id ("m..." gives "c...")."""

    def __init__(self, members: list[_Member]):
        self.members = members

    def __getitem__(self, root: int) -> str:
        return "c" + self.members[root].mention_id[1:]


def _groups(n: int, repeats: list[Link]) -> array:
    """Union-find: each item's group is its earliest member."""
    root = list(range(n))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for link in repeats:
        a, b = find(link.child), find(link.parent)
        root[max(a, b)] = min(a, b)
    return array("q", (find(i) for i in range(n)))


def _is_ancestor(candidate: int, node: int, parent_of: dict[int, tuple[int, Link]]) -> bool:
    while node in parent_of:
        node = parent_of[node][0]
        if node == candidate:
            return True
    return False


def _commitment_rows(members: list[_Member], groups: dict[int, list[int]], cid, parent_of, enclosing, review: Review, decided: set[str],
                     first: Iterable[int]) -> tuple[dict[int, dict], Callable[[int], dict]]:
    """The rows of the commitments ``first`` (in that order), and a function making any other's row.

    A component takes what it does not state from its package, money inside a later total from
    that total. The quote is left empty, for pass 3 to fill in; ``decided``: the hashes the
    review has rows for. ``first`` must hold every commitment in a package or a total, as
    component or whole, so that the rows made later stand alone.
    """
    rows: dict[int, dict] = {}

    visiting: set[int] = set()  # a total and what it includes may point at each other

    def row_for(root: int) -> dict:
        if root in rows:
            return rows[root]
        visiting.add(root)
        group = [members[i] for i in groups[root]]
        first = group[0]
        money = first.money
        period, dept, named, label, themed = _chosen(group)
        above = parent_of[root][0] if root in parent_of else enclosing.get(root)
        parent = row_for(above) if above is not None and (above in rows or above not in visiting) else None
        inherited = "inherited from its package" if root in parent_of else "inherited from the total that includes it"
        row = {
            "commitment_id": cid[root],
            "amount_gbp": format_amount(money.amount) if money.currency == "GBP" else "",
            "amount_high_gbp": format_amount(money.amount_high) if money.currency == "GBP" else "",
            "qualifier": money.qualifier,
            "rate": money.rate,
            "department": dept.department if dept else "",
            "department_basis": dept.department_basis if dept else "unknown",
            "label": label,
            "programme": named.programme if named else "",
            "programme_basis": named.programme_basis if named else "unknown",
            "theme": themed.theme if themed else "",
            "theme_basis": themed.theme_basis if themed else "unknown",
            "period_text": period.text,
            "fy_start": fy_label(period.fy_start) if period.fy_start is not None else "",
            "fy_end": fy_label(period.fy_end) if period.fy_end is not None else "",
            "n_years": str(period.n_years) if period.n_years is not None else "",
            "period_basis": period.basis,
            "parent_id": cid[parent_of[root][0]] if root in parent_of else "",
            "n_mentions": str(len(group)),
            "source_id": first.source_id,
            "first_mention_id": first.mention_id,
            "quote": "",
            "reviewed": bool_text(any(a.reviewed for a in group)),
            "_start": str(money.start),
        }
        if parent is not None:  # components inherit what they do not state
            if (not row["fy_start"] and not row["fy_end"] or row["period_basis"] == "sentence") and parent["fy_start"]:
                for key in ("fy_start", "fy_end", "n_years"):
                    row[key] = parent[key]
                row["period_text"], row["period_basis"] = parent["period_text"], inherited
            if root in parent_of and parent["department"] and (not row["department"] or row["department_basis"] in SPEAKER_BASES):
                row["department"], row["department_basis"] = parent["department"], "inherited from its package"
            if root in parent_of and not row["theme"] and parent["theme"]:
                row["theme"], row["theme_basis"] = parent["theme"], "inherited from its package"
        if row["commitment_id"][1:] in decided:
            for name, value in review.commitment_fields(row["commitment_id"]).items():
                row[name] = value
                if name in {"fy_start", "fy_end"}:
                    row["period_basis"] = "review"
                elif f"{name}_basis" in row:
                    row[f"{name}_basis"] = "review"
            if row["period_basis"] == "review" and row["fy_start"] and row["fy_end"]:
                _check_years(row, review)
                row["n_years"] = str(int(row["fy_end"][:4]) - int(row["fy_start"][:4]) + 1)
            row["reviewed"] = "true"
        rows[root] = row
        return row

    for root in first:
        row_for(root)
    return rows, row_for


def _chosen(group: list[_Member]) -> tuple[Period, _Member | None, _Member | None, str, _Member | None]:
    """What a commitment takes from its figures, in one pass over them (most commitments are one
    figure, and a search for each choice cost more than the rest of its row): the most exact
    period (the first of the best rank); the first figure with a department, one a part borrowed
    from the text above or the file's other parts (BORROWED_BASES) only where none has its own; the first whose
    programme is the reference table's, else the first naming one; that one's label, else the
    first label; the first whose theme comes from its programme, else the first with a theme."""
    dept = reference = programme = by_programme = themed = labelled = borrowed = None
    for a in group:
        if dept is None and a.department:
            if a.department_basis in BORROWED_BASES:
                borrowed = borrowed or a
            else:
                dept = a
        if reference is None and a.programme_basis == "reference":
            reference = a
        if programme is None and a.programme:
            programme = a
        if labelled is None and a.label:
            labelled = a
        if by_programme is None and a.theme_basis == "programme":
            by_programme = a
        if themed is None and a.theme:
            themed = a
    named = reference or programme
    label = named.label if named else labelled.label if labelled else ""
    return min((a.period for a in group), key=_period_rank), dept or borrowed, named, label, by_programme or themed


def _check_years(row: dict, review: Review) -> None:
    """A review that leaves fy_start after fy_end (one set beside the other's automatic value)
    is an error naming the review row: there is no way to phase money over no years."""
    if row["fy_start"] <= row["fy_end"]:
        return
    set_here = [r for r in (review.row_setting(row["commitment_id"], f) for f in ("fy_start", "fy_end")) if r is not None]
    given = " and ".join(f"{r.field} {r.value}" for r in set_here)
    other = "fy_end" if set_here[0].field == "fy_start" else "fy_start"
    raise ReviewError(
        f"{review.path}, line {set_here[-1].line}, field 'value': {given} leaves fy_start {row['fy_start']} after "
        f"fy_end {row['fy_end']}" + ("" if len(set_here) == 2 else f" (the automatic {other}); give {other} as well")
    )


def _total(row: dict) -> Decimal | None:
    """The money a commitment stands for over its period, where that can be known."""
    if not row["amount_gbp"]:
        return None
    amount = Decimal(row["amount_gbp"])
    if row["rate"] == RATE_TOTAL:
        return amount
    if row["rate"] == "per year" and row["n_years"]:
        return amount * int(row["n_years"])
    return None


def _counted(row: dict) -> None:
    """A commitment's total, and whether it is counted on its own (no package or total around it)."""
    total = _total(row)
    row["total_gbp"] = format_amount(total)
    row["counted"], row["count_note"] = total is not None, "counted" if total is not None else (
        "not in pounds" if not row["amount_gbp"] else f"a rate ({row['rate']}) that cannot be totalled")


def _count(rows, cid, parent_of, includes) -> list[dict]:
    """Mark each commitment of ``rows`` (those in packages and totals) counted or not, and why; the packages table."""
    packages = []
    for row in rows.values():
        _counted(row)
    children: dict[int, list[int]] = {}
    for child, (parent, _link) in parent_of.items():
        children.setdefault(parent, []).append(child)
    for parent, kids in sorted(children.items(), key=lambda kv: cid[kv[0]]):
        whole = _total(rows[parent])
        parts = [_total(rows[k]) for k in kids]
        known = [p for p in parts if p is not None]
        summed = sum(known, Decimal(0))
        if whole is None:
            status, as_ = "package amount not in pounds", "components"
        elif len(known) == len(parts) and summed == whole:
            status, as_ = "adds up", "components"
        elif len(known) == len(parts) and abs(summed - whole) <= ROUNDING * whole:
            status, as_ = "off by rounding", "components"
        elif summed < whole:
            status, as_ = "components cover part of the package", "package"
        else:
            status, as_ = "components exceed the package", "package"
        if as_ == "components":
            rows[parent]["counted"], rows[parent]["count_note"] = False, f"counted through its {len(kids)} components ({status})"
        else:
            for k in kids:
                rows[k]["counted"], rows[k]["count_note"] = False, f"part of {cid[parent]}, counted whole"
        packages.append({
            "package_id": cid[parent], "amount_gbp": format_amount(whole), "n_components": str(len(kids)),
            "components_gbp": format_amount(summed), "difference_gbp": format_amount(summed - whole) if whole is not None else "",
            "status": status, "counted_as": as_,
            # reviewed when a person decided the package's own fields or which parts it has
            "reviewed": bool_text(rows[parent]["reviewed"] == "true" or any(parent_of[k][1].rule.startswith("review") for k in kids)),
        })
    for (whole, part), _link in sorted(includes.items(), key=lambda kv: (cid[kv[0][0]], cid[kv[0][1]])):
        if rows[whole]["counted"] and rows[part]["counted"]:
            rows[part]["counted"], rows[part]["count_note"] = False, f"included in {cid[whole]}"
    return packages


def _years(row: dict) -> list[dict]:
    """Phase a commitment over its financial years: stated, even split or per-year rate."""
    if not (row["fy_start"] and row["fy_end"] and row["amount_gbp"]):
        return []
    first, last = int(row["fy_start"][:4]), int(row["fy_end"][:4])
    years = list(range(first, last + 1))
    amount = Decimal(row["amount_gbp"])
    if row["rate"] == "per year":
        amounts, allocation = [amount] * len(years), "per-year rate"
    elif row["rate"] != RATE_TOTAL:
        return []
    elif len(years) == 1:
        amounts, allocation = [amount], "single year"
    else:
        amounts, allocation = _even_split(amount, len(years)), "even split"
    return [
        {
            "commitment_id": row["commitment_id"], "financial_year": fy_label(year),
            "amount_gbp": format_amount(part), "allocation": allocation, "counted": row["counted"],
            "reviewed": row["reviewed"],
        }
        for year, part in zip(years, amounts)
    ]


def _even_split(amount: Decimal, n: int) -> list[Decimal]:
    """Split into n whole-pound parts that add up exactly, earlier years taking the odd pounds.

    >>> _even_split(Decimal(695_000_000), 3)
    [Decimal('231666667'), Decimal('231666667'), Decimal('231666666')]
    """
    base = (amount / n).quantize(Decimal(1), rounding=ROUND_FLOOR)
    extra = int(amount - base * n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def _score(link: Link) -> str:
    """A link's score as written: one decimal, "review" links have none."""
    return "" if link.rule.startswith("review") else f"{link.score:.1f}"


def bool_text(value: bool) -> str:
    """A boolean as the tables write it."""
    return "true" if value else "false"
