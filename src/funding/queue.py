"""The review queue: every automatic decision in the clean tables, with how certain it is.

``review_queue(tables)`` reads the tables ``funding build`` (or ``funding extract --out``)
wrote and turns each decision the rules made, and no person has reviewed, into a
``Decision``: a certainty from 0 to 1, the basis it rests on, the words behind it, and the
review.csv lines that would confirm it or change it. The decisions that put most money at risk
come first ((1 - certainty) x amount: a doubtful £2bn before a doubtful £2m), then the least
certain, so the first decisions an analyst checks are those that move a total most. A role's
certainty is the evidence model's (``certainty`` in mentions.csv, ``funding.annotate.role``). Nothing is re-run: the
queue reads only what the tables say.

Kinds of decision and where their certainty comes from:

- ``role``: each mention's role, by the rule that decided it (``context_reason``, or
  ``commitment_reason``: "commitment: no context cue" is a guess, "commitment: invest" is not);
- ``repeat``: each automatic repeat link, from its ``link_score`` (bits of evidence): the
  margin over ``funding.link.repeats.THRESHOLD`` read as log-odds, so a link just over the
  threshold is a coin toss (0.5) and one 5 bits over is near certain; and each pair of equal
  amounts in one document that was *not* linked (a possible missed repeat);
- ``component``: each ``part_of`` and ``includes`` relation, by its rule's ``score``; each
  package, by whether its components add up;
- ``period`` and ``department``: each commitment, by ``period_basis`` and ``department_basis``.

The certainty of each basis is in ``CERTAINTY``, one table. A decision is skipped once the
row it is read from says ``reviewed = true`` (a person has decided something there) or its
basis is ``review``. A line to confirm marks the row reviewed without changing it; a line to
change holds ``<...>`` where only the analyst knows the value. review.csv has no field for an
``includes`` link or a package's reconciliation: those are confirmed with ``confirm,role``.
"""

from __future__ import annotations

import csv
import errno
import io
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable, Mapping

from funding.link.repeats import THRESHOLD

__all__ = ["Decision", "review_queue", "read_tables", "render_table", "shorten", "CERTAINTY", "KINDS", "QUEUE_COLUMNS"]

KINDS = ("role", "repeat", "component", "period", "department")
QUEUE_COLUMNS = ("certainty", "kind", "id", "where", "figure", "decision", "basis", "words", "confirm", "change", "note")

#: (kind, basis) -> how certain a decision on that basis is, 0 to 1. Set by hand from how often
#: each rule is right on the development corpus and how directly the text says so: a figure
#: after "cut by" or under "Question to the Department for ..." is rarely wrong; a figure no
#: rule explains, a department named somewhere in the paragraph, a period the text never states
#: are where mistakes are. Only the order matters: the queue shows the lowest first.
CERTAINTY: dict[tuple[str, str], float] = {
    # role: context, by the rule that matched (funding.annotate.classify)
    ("role", "spending power, not new money"): 0.95,
    ("role", "a baseline for comparison"): 0.9,
    ("role", "a benefit ratio"): 0.9,
    ("role", "a real-terms change"): 0.9,
    ("role", "a cut or fall"): 0.85,
    ("role", "a deficit, debt or pressure"): 0.75,
    ("role", "a difference between schemes"): 0.75,
    ("role", "a committee's finding or demand"): 0.75,
    ("role", "a cost estimate"): 0.7,
    ("role", "a price or charge, not public money"): 0.7,
    ("role", "a reported statistic"): 0.65,
    ("role", "spending reported as expenditure"): 0.7,
    ("role", "a third party's figure"): 0.7,
    ("role", "a questioner's proposal, not a commitment"): 0.7,
    ("role", "a cumulative track record"): 0.65,
    ("role", "spending by others, past or planned"): 0.6,
    ("role", "local-government settlement money, not ring-fenced"): 0.6,
    # role: commitment, by the cue word found (a verb of giving near the figure is surest)
    ("role", "commitment: make available"): 0.9,
    ("role", "commitment: invest"): 0.9,
    ("role", "commitment: allocate"): 0.9,
    ("role", "commitment: commit"): 0.9,
    ("role", "commitment: provide"): 0.85,
    ("role", "commitment: pledge"): 0.85,
    ("role", "commitment: use"): 0.8,
    ("role", "commitment: announce"): 0.8,
    ("role", "commitment: is for"): 0.75,
    ("role", "commitment: fund"): 0.75,
    ("role", "commitment: grant"): 0.75,
    ("role", "commitment: launch"): 0.75,
    ("role", "commitment: part of a package"): 0.7,
    ("role", "commitment: package"): 0.65,
    ("role", "commitment: worth"): 0.65,
    ("role", "commitment: no context cue"): 0.4,
    ("role", "commitment"): 0.5,  # tables written before commitment_reason: the cue is not known
    # repeat: equal amounts in one document left apart (a linked pair takes its link_score)
    ("repeat", "not linked: equal amounts in one sentence"): 0.85,
    ("repeat", "not linked: equal amounts in one document"): 0.55,
    ("repeat", "not linked: equal distinctive amounts in one document"): 0.35,  # three or more significant figures
    # component: a package, by its reconciliation (a relation takes its score)
    ("component", "adds up"): 0.95,
    ("component", "off by rounding"): 0.8,
    ("component", "package amount not in pounds"): 0.5,
    ("component", "components cover part of the package"): 0.5,
    ("component", "components exceed the package"): 0.3,
    # period, by period_basis (funding.annotate.periods; the part before a comma when the whole is not here)
    ("period", "stated"): 0.9,
    ("period", "inherited from its package"): 0.75,
    ("period", "named"): 0.75,
    ("period", "relative"): 0.65,
    ("period", "paragraph"): 0.6,
    ("period", "title"): 0.6,
    ("period", "sentence"): 0.6,
    ("period", "end date"): 0.5,
    ("period", "named, depends on the estimated date"): 0.45,
    ("period", "relative, depends on the estimated date"): 0.4,
    ("period", "duration"): 0.3,
    ("period", "unknown"): 0.15,
    ("period", "unknown, relative: no document date"): 0.1,
    # department, by department_basis (funding.annotate.parts, funding.annotate.attribute)
    ("department", "question to"): 0.9,
    ("department", "answered by"): 0.9,
    ("department", "money from"): 0.9,
    ("department", "from"): 0.85,
    ("department", "issued by"): 0.85,
    ("department", "statement by"): 0.85,
    ("department", "programme"): 0.8,
    ("department", "actor in sentence"): 0.75,
    ("department", "speaker"): 0.7,
    ("department", "title of minister"): 0.7,
    ("department", "inherited from its package"): 0.7,
    ("department", "actor in sentence before"): 0.6,
    ("department", "sentence"): 0.55,
    ("department", "named at the top"): 0.55,
    ("department", "section of the text above"): 0.55,
    ("department", "subject of the sentence"): 0.45,
    ("department", "subject of the paragraph"): 0.4,
    ("department", "subject of the title"): 0.45,
    ("department", "another part of the file"): 0.35,
    ("department", "paragraph"): 0.35,
    ("department", "unknown"): 0.1,
}
UNLISTED = 0.5  # a basis CERTAINTY does not list (a new rule): neither trusted nor doubted

_NOTES = {
    "unknown, relative: no document date": "the period is relative ('next year') and the document has no date: give it one "
    "(published_from/published_to in data/raw/sources.csv, or `funding extract --published`) rather than review each figure",
    "components cover part of the package": "a part may be missing, or the package is counted whole rightly",
    "components exceed the package": "a component is likely not part of it, or a repeat was missed",
}
_WIDTH = 160  # characters of a sentence shown around its figure


@dataclass(frozen=True)
class Decision:
    """One automatic decision, how certain it is, and the review.csv lines that would settle it."""

    certainty: float
    kind: str
    id: str  # the mention (m...) or commitment (c...) a review line names
    where: str  # source_id:line
    figure: str
    decision: str
    basis: str
    words: str
    confirm: tuple[str, ...]  # review.csv lines that accept the decision
    change: tuple[str, ...] = ()  # lines that change it, "<...>" for the analyst's value
    note: str = ""
    amount: Decimal = Decimal(0)  # for ordering: larger sums first among equally certain

    def row(self) -> dict[str, str]:
        values = {name: getattr(self, name) for name in QUEUE_COLUMNS}
        values.update(certainty=f"{self.certainty:.2f}", confirm="\n".join(self.confirm), change="\n".join(self.change))
        return values


def certainty_of(kind: str, basis: str) -> float:
    """The certainty of ``basis`` for ``kind``: the whole basis, else its part before the first comma."""
    found = CERTAINTY.get((kind, basis))
    if found is None:
        found = CERTAINTY.get((kind, basis.split(",")[0].strip()), UNLISTED)
    return found


def link_certainty(score: float) -> float:
    """A repeat link's certainty from its score in bits: the margin over THRESHOLD as log-odds.

    >>> [round(link_certainty(s), 2) for s in (1.5, 2.5, 6.5)]
    [0.5, 0.67, 0.97]
    """
    return 1 / (1 + math.pow(2, -(score - THRESHOLD)))


def review_queue(tables: Mapping[str, Any], kinds: Iterable[str] = KINDS) -> list[Decision]:
    """Every unreviewed automatic decision of ``kinds`` in ``tables``, least certain first.

    ``tables`` maps table names to rows: lists of dicts as read from the CSV files (``read_tables``)
    or the DataFrames of ``funding.totals.load_tables``. mentions and commitments are needed;
    relations and packages are read when present.
    """
    mentions = _rows(tables["mentions"])
    commitments = _rows(tables["commitments"])
    relations, packages = _rows(tables.get("relations", [])), _rows(tables.get("packages", []))
    by_mention = {m["mention_id"]: m for m in mentions}
    by_commitment = {c["commitment_id"]: (c, by_mention.get(c["first_mention_id"], {})) for c in commitments}
    makers = {
        "role": lambda: _roles(mentions),
        "repeat": lambda: [*_repeats(mentions, by_mention), *_missed_repeats(mentions, by_commitment)],
        "component": lambda: [*_relations(relations, by_commitment), *_packages(packages, by_commitment)],
        "period": lambda: _periods(by_commitment),
        "department": lambda: _departments(by_commitment),
    }
    decisions = [d for kind in KINDS if kind in set(kinds) for d in makers[kind]()]
    return sorted(decisions, key=lambda d: (-at_risk(d), round(d.certainty, 4), -d.amount, KINDS.index(d.kind), d.where, d.id, d.decision))


def at_risk(decision: "Decision") -> float:
    """The money a decision puts at risk: (1 - certainty) x its amount, in pounds. The queue
    starts with the decisions that move a total most if they are wrong."""
    return round((1.0 - decision.certainty) * float(decision.amount), 2)


def _roles(mentions: list[dict]) -> Iterable[Decision]:
    for m in mentions:
        if _true(m["reviewed"]):
            continue
        role = m["role"]
        basis = (m["context_reason"] if role == "context" else m.get("commitment_reason", "")) or role
        other = "commitment" if role == "context" else "context"
        confirm = [_line(m["mention_id"], "role", role, f"checked: {basis}")]
        if role == "context":  # without it the reason would become "review: context"
            confirm.append(_line(m["mention_id"], "context_reason", basis, "checked"))
        stated = m.get("certainty", "")
        certainty = float(stated) if stated not in ("", None) and not (isinstance(stated, float) and math.isnan(stated)) else certainty_of("role", basis)
        yield Decision(
            certainty, "role", m["mention_id"], _where(m), m["text"], role, basis, shorten(m["sentence"], m["text"]),
            tuple(confirm), (_line(m["mention_id"], "role", other, f"<why it is {other}>"),), amount=_amount(m["amount_gbp"]),
        )


def _repeats(mentions: list[dict], by_mention: dict[str, dict]) -> Iterable[Decision]:
    """Automatic repeat links (a review decision has no score)."""
    for m in mentions:
        if not m.get("link_score") or _true(m["reviewed"]):
            continue
        earlier = by_mention.get(m["linked_to"], {})
        yield Decision(
            link_certainty(float(m["link_score"])), "repeat", m["mention_id"], _where(m), m["text"],
            f"the same money as {m['linked_to']} ({_where(earlier)}, {earlier.get('text', '')})",
            m.get("link_evidence") or m["link"], shorten(m["sentence"], m["text"]),
            (_line(m["mention_id"], "repeat_of", m["linked_to"], f"checked: the same money as {earlier.get('text', '')} on line {earlier.get('line', '')}"),),
            (_line(m["mention_id"], "repeat_of", "", "<why it is not the same money>"),),
            f"link score {float(m['link_score']):+.1f} bits against a threshold of {THRESHOLD:+.1f}", _amount(m["amount_gbp"]),
        )


def _missed_repeats(mentions: list[dict], by_commitment: dict[str, tuple[dict, dict]]) -> Iterable[Decision]:
    """Commitments of equal amount in one document that were not linked: each later one with the nearest earlier."""
    last: dict[tuple, dict] = {}  # (source, amount, currency, rate) -> the latest first mention seen
    for m in mentions:
        commitment, _first = by_commitment.get(m.get("commitment_id", ""), ({}, {}))
        if m["role"] != "commitment" or not commitment or commitment["first_mention_id"] != m["mention_id"]:
            continue
        key = (m["source_id"], m["amount"], m["currency"], m["rate"])
        earlier = last.get(key)
        last[key] = m
        if earlier is None or _true(commitment["reviewed"]):
            continue
        same_sentence = earlier["sentence"] == m["sentence"]
        basis = "not linked: equal " + ("amounts in one sentence" if same_sentence else
                                         "distinctive amounts in one document" if _significant(m["amount"]) >= 3 else "amounts in one document")
        yield Decision(
            certainty_of("repeat", basis), "repeat", m["mention_id"], _where(m), m["text"],
            f"other money than {earlier['mention_id']} ({_where(earlier)}, {earlier['text']})", basis,
            shorten(m["sentence"], m["text"]),
            (_line(m["mention_id"], "repeat_of", "", f"checked: not the same money as {earlier['text']} on line {earlier['line']}"),),
            (_line(m["mention_id"], "repeat_of", earlier["mention_id"], "<why it is the same money>"),),
            "a possible missed repeat: if it is the same money it is counted twice", _amount(m["amount_gbp"]),
        )


def _relations(relations: list[dict], by_commitment: dict[str, tuple[dict, dict]]) -> Iterable[Decision]:
    for r in relations:
        if r["basis"] == "review" or not r.get("score"):
            continue
        whole, whole_first = by_commitment.get(r["to_id"] if r["relation"] == "part_of" else r["from_id"], ({}, {}))
        part_id = r["from_id"] if r["relation"] == "part_of" else r["to_id"]
        part, first = by_commitment.get(part_id, ({}, {}))
        if not part or _true(part["reviewed"]):
            continue
        package = f"{whole.get('commitment_id', '')} ({whole_first.get('text', '')})"
        if r["relation"] == "part_of":
            decision = f"part of {package}"
            confirm = (_line(part_id, "parent_id", r["to_id"], f"checked: part of {whole_first.get('text', '')}"),)
            change = (_line(part_id, "parent_id", "", f"<why it is not part of {whole_first.get('text', '')}>"),)
            note = ""
        else:
            decision = f"included in {package}, not counted again"
            confirm = (_line(part_id, "confirm", "role", f"checked: included in {whole_first.get('text', '')}"),)
            change = ()
            note = "review.csv has no field to undo an 'includes' link; `confirm` marks it checked"
        yield Decision(
            float(r["score"]), "component", part_id, _where(first), first.get("text", ""), decision,
            f"{r['relation']}: {r['rule']} (score {r['score']})", shorten(r["evidence"], first.get("text", "")),
            confirm, change, note, _amount(part.get("amount_gbp", "")),
        )


def _packages(packages: list[dict], by_commitment: dict[str, tuple[dict, dict]]) -> Iterable[Decision]:
    for p in packages:
        if _true(p["reviewed"]):
            continue
        commitment, first = by_commitment.get(p["package_id"], ({}, {}))
        status = p["status"]
        pid = p["package_id"]
        if status == "components exceed the package":
            change = (_line("<c... of a component>", "parent_id", "", f"<why it is not part of {first.get('text', '')}>"),)
        elif status == "components cover part of the package":
            change = (_line("<c... of a missing part>", "parent_id", pid, f"<why it is part of {first.get('text', '')}>"),)
        else:
            change = ()
        counted = "through its components" if p["counted_as"] == "components" else "whole"
        n = p["n_components"]
        sums = f"{n} component{'' if n == '1' else 's'}, £{_money(p['components_gbp'])} of £{_money(p['amount_gbp'])}"
        yield Decision(
            certainty_of("component", status), "component", pid, _where(first), first.get("text", ""),
            f"a package counted {counted}", f"{status} ({sums})", shorten(commitment.get("quote", ""), first.get("text", "")),
            (_line(pid, "confirm", "role", f"checked: {status}, counted {counted}"),), change,
            "; ".join(filter(None, (_NOTES.get(status), "no review field for a package's sum: `confirm` marks it checked"))),
            _amount(p["amount_gbp"]),
        )


def _periods(by_commitment: dict[str, tuple[dict, dict]]) -> Iterable[Decision]:
    for cid, (c, first) in by_commitment.items():
        basis = c["period_basis"]
        if _true(c["reviewed"]) or basis == "review":
            continue
        decision = _years(c["fy_start"], c["fy_end"])
        said = f"{basis}: '{c['period_text']}'" if c["period_text"] else basis
        yield Decision(
            certainty_of("period", basis), "period", cid, _where(first), first.get("text", ""), decision, said,
            shorten(c["quote"], first.get("text", "")),
            (_line(cid, "confirm", "fy_start", f"checked: {decision}"),),
            (_line(cid, "fy_start", "<YYYY-YY>", "<the words that give the years>"), _line(cid, "fy_end", "<YYYY-YY>", "<the same>")),
            _NOTES.get(basis, ""), _amount(c["total_gbp"] or c["amount_gbp"]),
        )


def _departments(by_commitment: dict[str, tuple[dict, dict]]) -> Iterable[Decision]:
    for cid, (c, first) in by_commitment.items():
        basis = c["department_basis"]
        if _true(c["reviewed"]) or basis == "review":
            continue
        decision = c["department"] or "department unknown"
        yield Decision(
            certainty_of("department", basis), "department", cid, _where(first), first.get("text", ""), decision, basis,
            shorten(c["quote"], first.get("text", "")),
            (_line(cid, "confirm", "department", f"checked: {decision}"),),
            (_line(cid, "department", "<abbreviation>", "<whose money it is, and how the text says so>"),),
            amount=_amount(c["total_gbp"] or c["amount_gbp"]),
        )


def _years(first: str, last: str) -> str:
    """A period as a reader says it: '2022-23 to 2024-25', 'until 2023-24 (start unknown)'."""
    if first and last:
        return first if first == last else f"{first} to {last}"
    if first or last:
        return f"from {first} (end unknown)" if first else f"until {last} (start unknown)"
    return "years unknown"


def shorten(sentence: str, figure: str, width: int = _WIDTH) -> str:
    """The sentence, or the whole words of it within ``width`` characters around the figure, with "…".

    >>> shorten("Councils will get £5 million for roads this year.", "£5 million", 30)
    '… will get £5 million for roads …'
    """
    text = " ".join(sentence.split())
    if len(text) <= width:
        return text
    at = max(text.find(" ".join(figure.split())), 0)
    start = max(0, min(at - (width - len(figure)) // 2, len(text) - width))
    end = start + width
    words = [(w.start(), w.end()) for w in re.finditer(r"\S+", text) if w.start() >= start and w.end() <= end]
    if words:
        start, end = words[0][0], words[-1][1]
    return ("… " if start > 0 else "") + text[start:end] + (" …" if end < len(text) else "")


def render_table(decisions: Iterable[Decision]) -> str:
    """The decisions as a plain-text list, a few lines each: what, why, the words, the lines to paste."""
    out = []
    for d in decisions:
        out.append(f"{d.certainty:.2f}  {d.kind:<10}  {d.id}  {d.where}  {d.figure}")
        out.append(f"      {d.decision}  [{d.basis}]")
        out.append(f"      \"{d.words}\"")
        if d.note:
            out.append(f"      note: {d.note}")
        for label, lines in (("confirm:", d.confirm), ("change:", d.change)):
            out.extend(f"      {label if i == 0 else '':<8} {line}" for i, line in enumerate(lines))
        out.append("")
    return "\n".join(out)


def read_tables(folder: Path) -> dict[str, list[dict]]:
    """The tables the queue reads from a folder of clean tables; FileNotFoundError names one missing."""
    tables: dict[str, list[dict]] = {}
    for name in ("mentions", "commitments", "relations", "packages"):
        path = folder / f"{name}.csv"
        if not path.exists():
            if name in ("mentions", "commitments"):
                raise FileNotFoundError(errno.ENOENT, "no such table", str(path))
            tables[name] = []
            continue
        with open(path, encoding="utf-8-sig", newline="") as handle:
            tables[name] = list(csv.DictReader(handle))
    return tables


def _rows(table: Any) -> list[dict]:
    """Rows as dicts of strings, from a list of dicts or a DataFrame (typed by load_tables)."""
    if hasattr(table, "to_dict"):
        table = table.to_dict("records")
    return [{k: _text(v) for k, v in row.items()} for row in table]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.0f}" if value.is_integer() else str(value)
    return str(value)


def _true(value: Any) -> bool:
    return value is True or value == "true"


def _where(mention: dict) -> str:
    return f"{mention['source_id']}:{mention['line']}" if mention else ""


def _amount(value: str) -> Decimal:
    try:
        return Decimal(value) if value else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _money(value: str) -> str:
    """Pounds as millions for a short note: '27.2m', '1.96m', '11,900m'."""
    millions = f"{_amount(value) / 1_000_000:,.2f}".rstrip("0").rstrip(".")
    return f"{millions}m"


def _significant(amount: str) -> int:
    digits = "".join(str(d) for d in _amount(amount).normalize().as_tuple().digits).strip("0")
    return len(digits) or 1


def _line(*fields: str) -> str:
    """One review.csv line: id, field and value quoted only when they must be, the reason always."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields[:3])
    reason = fields[3].replace('"', '""')
    return f'{buffer.getvalue()},"{reason}"'
