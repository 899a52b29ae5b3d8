"""Decide whether a money figure is a commitment or context, and record why.

A *commitment* is money the government commits, allocates, invests, provides or has made
available, whatever the tense. *Context* is everything else a document quotes: a cut or a
fall, a baseline ("up from £50 billion"), spending power, past spending by others, a cost
estimate, a committee's finding or demand. Context figures never enter totals.

Rules look at the figure's own clause, not the whole sentence, so that "approximately £54
billion core spending power ..., up from £50 billion in 2021-22" gives each figure its own
reason. The first rule that matches decides; each has a readable reason recorded in the
tables. Anything no context rule catches is a commitment, with the verb that says so when
there is one ("commitment: invest").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Role", "classify", "COMMITMENT", "CONTEXT", "CONTEXT_REASONS"]

COMMITMENT = "commitment"
CONTEXT = "context"


@dataclass(frozen=True)
class Role:
    role: str  # COMMITMENT or CONTEXT
    reason: str


_CLAUSE_BREAK = re.compile(r"[;:–—]|,(?=\s+(?:up|down)\s+from\b)|\.\s")  # "up from" stays in the clause after

# (reason, where the words must stand: "before" the figure or "after" it, pattern)
_CONTEXT_RULES: list[tuple[str, str, re.Pattern[str]]] = [
    ("a cut or fall", "before", re.compile(r"(?i)\b(?:fell|fallen|falls?|cut|cuts|reduced|reductions?|decreased?|declined?|lost|shortfall)\b(?:\s+\w+){0,2}\s+(?:by|of)?\s*[\s*_(]*\Z")),
    ("a baseline for comparison", "before", re.compile(r"(?i)\b(?:up|down)\s+from\s*\Z|\bcompared\s+(?:with|to)\s*\Z|\b(?:rose|risen|increased|grew)\s+from\s*\Z")),
    ("spending power, not new money", "after", re.compile(r"(?i)\A[\s*_)]*(?:of\s+)?(?:core\s+)?spending\s+power\b")),
    ("spending by others, past or planned", "before", re.compile(r"(?i)\b(?:spending|spend|spent|expenditure)\b(?:(?!£).){0,80}?\b(?:to|of|was|were|at)\s*\Z")),
    ("a cost estimate", "before", re.compile(r"(?i)\b(?:costs?|costing|would\s+cost|estimated\s+(?:to\s+)?(?:cost|at))\b(?:(?!£).){0,30}\Z")),
    ("a deficit, debt or pressure", "after", re.compile(r"(?i)\A[\s*_)]*(?:funding\s+)?(?:gap|deficit|shortfall|overspend|of\s+debt|debt)\b")),
    ("a real-terms change", "after", re.compile(r"(?i)\A[\s*_)]*in\s+real\s+terms\b")),
]
# Committee text quoted in a response: its figures are findings or demands, not commitments.
_COMMITTEE = re.compile(r"(?i)\A\W*recommendation\s+\d+\s*:|\bthe\s+government\s+should\b|\bwe\s+recommend\b")

# Words that say the money is committed, each with the label recorded as the reason.
_COMMITMENT_CUES: list[tuple[str, re.Pattern[str]]] = [
    (label, re.compile(r"(?i)\b(?:" + pattern + r")\b"))
    for label, pattern in [
        ("make available", r"made\s+(?:\S+\s+){0,3}available|available"),
        ("invest", r"invest\w*"),
        ("provide", r"provid\w*"),
        ("allocate", r"allocat\w*"),
        ("commit", r"commit\w*"),
        ("use", r"will\s+be\s+used|to\s+be\s+spent"),
        ("is for", r"is\s+for|are\s+for|there\s+is"),
        ("fund", r"fund(?:s|ed|ing)?"),
        ("grant", r"grants?"),
        ("announce", r"announc\w*"),
        ("launch", r"launch\w*"),
        ("package", r"package|settlement|plan"),
        ("part of a package", r"includes?|including"),
        ("worth", r"worth"),
        ("pledge", r"pledg\w*|award\w*"),
    ]
]

CONTEXT_REASONS = tuple(reason for reason, _where, _pattern in _CONTEXT_RULES) + ("a committee's finding or demand",)


def _clause(sentence: str, start: int, end: int) -> tuple[str, str]:
    """The words of the figure's own clause before and after it."""
    before = sentence[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    after = sentence[end:]
    following = _CLAUSE_BREAK.search(after)
    if following:
        after = after[: following.start()]
    return before, after


def classify(sentence: str, start: int, end: int) -> Role:
    """The role of the figure at sentence[start:end], with the reason.

    >>> s = "councils will have approximately £54 billion core spending power, up from £50 billion in 2021-22."
    >>> classify(s, 33, 44), classify(s, 74, 85)
    (Role(role='context', reason='spending power, not new money'), Role(role='context', reason='a baseline for comparison'))
    >>> classify("we have made £130 million available", 13, 25)
    Role(role='commitment', reason='commitment: make available')
    """
    before, after = _clause(sentence, start, end)
    for reason, where, pattern in _CONTEXT_RULES:
        if pattern.search(before if where == "before" else after):
            return Role(CONTEXT, reason)
    if _COMMITTEE.search(sentence):
        return Role(CONTEXT, "a committee's finding or demand")
    for words in (before + " " + after, sentence):
        for label, pattern in _COMMITMENT_CUES:
            if pattern.search(words):
                return Role(COMMITMENT, f"commitment: {label}")
    return Role(COMMITMENT, "commitment: no context cue")
