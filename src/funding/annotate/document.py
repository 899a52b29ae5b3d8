"""Annotate one document: every figure's role, period, department, programme and part.

The per-document stage of the build (``annotate_document``): it depends on nothing but the
document and the reference tables, so documents can be annotated in any order, in parallel,
or taken from a cache (``funding.pipeline``). What it gives the build (``Annotations``) is
linked and counted by ``funding.build``; nothing here is redone there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from funding.annotate.attribute import Attribution, LastAsked, attribute
from funding.annotate.kinds import TableFinder, document_kind
from funding.annotate.parts import find_parts, part_at
from funding.annotate.periods import Period, paragraph_period, resolve_period, same_year, table_lead_in_period, title_period, SAME_YEAR_REACH
from funding.annotate.programmes import ProgrammeFinder, label_after, label_of_item, programme_key
from funding.annotate.role import RoleVocabulary, decide
from funding.extract import Mention, extract_with
from funding.read import DocumentError, replace_surrogates
from funding.reference import Reference
from funding.sentences import SentenceFinder, row_start, sentence_before
from funding.years import financial_year_of

__all__ = ["Document", "AnnotatedFigure", "Annotations", "annotate_document"]


@dataclass(frozen=True)
class Document:
    """A document to build from: its text, dates and whose "we" it speaks in.

    Dates and speaker given here (sources.csv) hold for every part of the text; where they are
    None or "", each figure takes the date and department its part of the text states
    (``funding.annotate.parts``).
    """

    source_id: str
    text: str
    published_from: dt.date | None
    published_to: dt.date | None
    speaker: str = ""
    file: str = ""  # where the text came from, to name in an error
    pages: tuple[tuple[int, int], ...] = ()  # (offset, page) runs, for a format with pages (read.Document.pages)
    document_type: str = ""  # GOV.UK's document type, where the Content API gave one (funding.annotate.kinds)


@dataclass
class AnnotatedFigure:
    mention: Mention
    source_id: str
    sentence: str
    span: tuple[int, int]
    paragraph: str
    list_id: int | None
    lead_in: str
    role: str
    reason: str
    period: Period
    department: str
    department_basis: str
    programme: str
    theme: str
    theme_basis: str
    programme_key: str = ""  # what restatements of the programme share
    programme_basis: str = "unknown"
    label: str = ""
    part: int = 0  # which part of its document the figure stands in
    certainty: float = 1.0  # of its role (funding.annotate.role); 1 where an analyst decided it
    evidence: str = ""  # the evidence for and against its role, with the weights
    table_kind: str = ""  # the kind of table it stands in (funding.annotate.kinds), "" in prose
    reviewed: bool = False
    sentence_start: int = 0  # where its sentence and paragraph begin in the text (their identity)
    paragraph_start: int = 0


def _span_in_sentence(sentence: str, figure: str, nth: int) -> tuple[int, int]:
    """Where the figure stands in its cleaned sentence (the nth time it appears there).

    A figure is not found inside a longer number ("12" in "2012-13", "£5" in "£50"), and a
    table row's figure only among the row's cells, not in the header before them.
    """
    words = " ".join(figure.split())
    start = row_start(sentence) - 1
    for _ in range(nth + 1):
        start = sentence.find(words, start + 1)
        while start >= 0 and _inside_a_number(sentence, start, start + len(words)):
            start = sentence.find(words, start + 1)
        if start < 0:
            return (0, 0)
    return (start, start + len(words))


def _inside_a_number(sentence: str, start: int, end: int) -> bool:
    before, after = sentence[start - 1 : start], sentence[end : end + 2]
    if not sentence[end - 1 : end].isdigit():  # "£51.9 billion43": a footnote after the scale word, not a longer number
        return before.isdigit() or before in (".", ",") and sentence[start - 2 : start - 1].isdigit()
    return (before.isdigit() or before in (".", ",") and sentence[start - 2 : start - 1].isdigit()) or (
        after[:1].isdigit() or after[:1] in (".", ",") and after[1:2].isdigit()
    )


def _uncertain(first: dt.date | None, last: dt.date | None, ref: Reference) -> bool:
    """Whether periods relative to a date known only as a range must be resolved twice: only
    if the range spans a change of financial year, of half year, or of latest spending review."""
    if first is None or last is None:
        return False
    return len({(financial_year_of(d), 4 <= d.month <= 9, _latest_review(d, ref)) for d in (first, last)}) > 1


def _shared_of(departments, context_terms) -> tuple[frozenset[str], RoleVocabulary]:
    """What annotating any document needs of the reference tables: the names of bodies (never
    a programme) and the role's vocabulary (tries compiled from every term and public body,
    costly to build), made once per reference tables, not once per document."""
    bodies = frozenset(alias.lower() for d in departments.values() for alias in (*d.aliases, d.name))
    return bodies, RoleVocabulary.of(context_terms, bodies)


_SHARED = LastAsked(_shared_of)


def _annotate(doc: Document, mentions: list[Mention], ref: Reference, finder: SentenceFinder | None = None, kind: str = "other") -> list[AnnotatedFigure]:
    finder = finder or SentenceFinder(doc.text)
    bodies, vocabulary = _SHARED(ref.departments, ref.context_terms)
    named = ProgrammeFinder(doc.text, ref.programme_heads, ref.programme_events, bodies)
    tables = TableFinder(doc.text, ref.kinds)
    parts = find_parts(doc.text, ref)
    part_number = {id(part): number for number, part in enumerate(parts)}
    seen: dict[tuple[int, str], int] = {}
    paragraphs: dict[str, str] = {}
    titles: dict[int, Period | None] = {}  # part -> the year its title states
    result = []
    for mention in mentions:
        part = part_at(parts, mention.money.start)
        first, last = (doc.published_from, doc.published_to) if doc.published_from else (part.published, part.published)
        speaker, speaker_basis = (doc.speaker, "speaker") if doc.speaker else (part.department, part.department_basis)
        context = finder.context_at(mention.money.start)
        key = (context.sentence_start, mention.money.text)
        span = _span_in_sentence(context.sentence, mention.money.text, seen.get(key, 0))
        seen[key] = seen.get(key, 0) + 1
        cell = tables.cell_at(mention.money.start, mention.money.end)
        role = decide(context.sentence, *span, vocabulary, kind, cell, sentence_before(context.sentence, context.paragraph),
                      float(mention.money.amount) if mention.money.currency == "GBP" else None)
        if cell is not None and cell.year is not None and span[0] >= row_start(context.sentence) and "£" not in mention.money.text:
            period = Period(cell.year_text, cell.year, cell.year, 1, "stated")  # a cell takes its column's year
        else:  # (a cell's year wins over whatever its row's words say, so they are not read for it)
            period = resolve_period(context.sentence, span, first, ref.reviews)
            late = resolve_period(context.sentence, span, last, ref.reviews) if _uncertain(first, last, ref) else period
            if late != period:
                period = replace(period, basis=f"{period.basis}, depends on the estimated date")
            elif period.basis == "relative" and not doc.published_from:
                period = replace(period, basis=f"relative, to the date the text states ({part.date_basis})")
        if period.basis == "unknown":
            period = (paragraph_period(context.paragraph, context.sentence)
                      or (table_lead_in_period(doc.text, mention.money.start) if cell is not None else None)
                      or same_year(context.sentence, doc.text[max(0, context.sentence_start - SAME_YEAR_REACH) : context.sentence_start])
                      or titles.setdefault(id(part), title_period(doc.text, part.start, part.end)) or period)
        who = attribute(context.sentence, span[0], context.paragraph, first, speaker, ref, speaker_basis, kind)
        context_paragraph = paragraphs.setdefault(context.paragraph, context.paragraph)  # one copy per paragraph
        programme, matching_key, programme_basis, label = _programme(who, named, context.sentence, span, ref)
        if context.list_id is not None:  # an item of a list says what its own money is for
            label = label_of_item(context.sentence, span, context.lead_in) or label
        result.append(AnnotatedFigure(
            mention, doc.source_id, context.sentence, span, context.paragraph, context.list_id, context.lead_in,
            role.role, role.reason, period, who.department, who.department_basis, programme, who.theme, who.theme_basis,
            matching_key, programme_basis, label, part_number[id(part)],
            sentence_start=context.sentence_start, paragraph_start=context.paragraph_start,
            certainty=role.certainty, evidence=role.evidence, table_kind=cell.kind if cell is not None else "",
        ))
        result[-1].paragraph = context_paragraph
        if context.sentence == mention.sentence:
            result[-1].sentence = mention.sentence  # one copy of the words
        # a table row's cells share one copy of the row; evidence strings repeat across figures
        result[-1].sentence = paragraphs.setdefault(result[-1].sentence, result[-1].sentence)
        result[-1].evidence = paragraphs.setdefault(role.evidence, role.evidence)
    return result


def _programme(who: Attribution, named: ProgrammeFinder, sentence: str, span: tuple[int, int], ref: Reference) -> tuple[str, str, str, str]:
    """(programme, its key, basis, label): the reference table's programme, else one the text names."""
    if who.programme:
        return who.programme, programme_key(who.programme, ref.programme_heads), "reference", who.programme
    found = named.near(sentence, span)
    if found is not None:
        return found.name, found.key, "text", found.name
    return "", "", "unknown", label_after(sentence, span)


def _latest_review(day: dt.date, ref: Reference) -> str:
    """The spending review in force on ``day`` ("" before the first)."""
    latest = max((r for r in ref.reviews if r.announced <= day), key=lambda r: r.announced, default=None)
    return latest.review_id if latest else ""


@dataclass
class Annotations:
    """What one document gives the build, worked out on its own: its figures annotated (role,
    period, department, programme, where each stands) and the rows it sets aside."""

    source_id: str
    annotated: list[AnnotatedFigure]
    set_aside: list[dict]
    source: dict = field(default_factory=dict)  # its row of the sources table, where the build knows it
    kind: tuple[str, str] = ("other", "")  # the kind of document and what told it (funding.annotate.kinds)


def annotate_document(doc: Document, ref: Reference) -> Annotations:
    """Find and annotate every figure of one document: the per-document stage of the build.

    It depends on nothing but the document and the reference tables, so documents can be
    annotated in any order, in parallel, or taken from a cache (``funding.pipeline``).
    """
    doc = replace(doc, text=replace_surrogates(doc.text)[0])
    try:  # the finder that finds each figure's sentence goes on to give its context
        finder = SentenceFinder(doc.text, remember=True)
        mentions, set_aside = extract_with(doc.text, doc.source_id, doc.pages, finder)
        kind = document_kind(doc.text, ref.kinds, doc.document_type)
        return Annotations(doc.source_id, _annotate(doc, mentions, ref, finder, kind[0]), [item.row() for item in set_aside], kind=kind)
    except Exception as error:  # name the document: a build stops on it rather than lose it
        raise DocumentError(doc.file or doc.source_id, f"could not be built ({type(error).__name__}: {error})") from error
