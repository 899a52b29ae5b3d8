"""Programmes named in a document's own words, and a short label for what a figure is for.

The reference table ``programmes.csv`` knows the programmes someone wrote a row for; new
documents name others. A name counts as a programme when it is written as one:

- a run of capitalised words (joined by "and", "for", "of", "&", "in", "on", "to", "the") that
  ends in a programme noun from ``programme_words.csv`` ("the Safe Streets Fund", "Bus Service
  Improvement Plan"), or is followed by one in lower case ("the Holiday Lunch programme",
  "the Safety Net intervention scheme", up to two lower-case words between);
- an abbreviation the document defines after a capitalised name, "Bus Service Improvement
  Plan (BSIP)": from there on "BSIP" stands for that name in the same document.

A name ending in an event noun ("the Spring Budget", "the Autumn Statement") says when money
was announced, not what it is for, and is never a programme.

Names are compared by a key: lower case, without "the", joining words, head nouns and the
words "funding" and "money", so "the Safe Streets Fund" and "Safe Streets funding" share the
key "safe streets". A figure's programme is the name nearest it in its sentence, within
``PROGRAMME_REACH`` characters.

``label`` gives what a commitment is for, in a few words of the text: the programme's name,
else the words after "for" or "to" that follow the figure ("£5 million for new bus shelters"
is "new bus shelters").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NamedProgramme", "ProgrammeFinder", "programme_key", "label_after", "label_of_item", "PROGRAMME_REACH"]

PROGRAMME_REACH = 100  # characters between a figure and a name for the name to be the figure's programme

_JOINERS = frozenset("and for of & in on to the".split())
_DROPPED = _JOINERS | {"funding", "money", "new", "national"}
_CAP = r"(?:[A-Z][\w'’\-]*|[A-Z]{2,})"
_JOIN = r"(?:and|for|of|&|in|on|to|the)"
# a capitalised run: Cap (joiner? Cap)*, then up to two lower-case words and a (lower-case) noun
_RUN = re.compile(rf"{_CAP}(?:\s+(?:{_JOIN}\s+)?{_CAP})*")
# after a capitalised run: an optional "(ABBR)", then up to three lower-case words that are not joining words
_LOWER_TAIL = re.compile(r"(?:\s+\([A-Z][A-Za-z&]{1,9}\))?(?:\s+(?!(?:for|to|of|in|on|and|the|a|an|by|with|from|at)\b)[a-z][\w\-]*){0,3}")
_ABBREVIATION = re.compile(r"\s*\(([A-Z][A-Za-z&]{1,9})\)")
# words that start a sentence, not a name ("The", "We", "In March ...")
_LEADING = re.compile(
    r"(?i)\A(?:the|this|these|that|those|our|a|an|its|their|his|her|new|in|through|from|by|under|and|of|for|to|on|at|with"
    r"|we|it|they|he|she|i|you|there|here|as|if|when|while|since|after|before|during|all|each|every|some|any)(?:\s+|\Z)"
)
_POSSESSIVE = re.compile(r"\A.*?['’]s\s+")  # "the Treasury's Shared Outcomes Fund": the fund is the name
_CLAUSE_BREAK = re.compile(r"[;:–—]|\s-\s")
_WORD = re.compile(r"[\w&'’\-]+")


@dataclass(frozen=True)
class NamedProgramme:
    start: int  # offsets in the text the name was found in
    end: int
    name: str  # as written, without a leading "the"
    key: str  # for matching restatements


def programme_key(name: str, heads: frozenset[str] = frozenset()) -> str:
    """The key two spellings of one programme share.

    >>> programme_key("the Safe Streets Fund", frozenset({"fund"}))
    'safe streets'
    """
    words = [w.lower() for w in _WORD.findall(name)]
    kept = [w for w in words if w not in _DROPPED and w not in heads]
    return " ".join(kept)


def _initials_match(abbreviation: str, words: list[str]) -> bool:
    """Whether ABBR could abbreviate the words: its letters are initials taken in order."""
    letters = [c.lower() for c in abbreviation if c.isalpha()]
    initials = [w[0].lower() for w in words if w.lower() not in _JOINERS]
    i = 0
    for c in letters:
        while i < len(initials) and initials[i] != c:
            i += 1
        if i == len(initials):
            return False
        i += 1
    return len(letters) >= 2


class ProgrammeFinder:
    """Find programme names in the sentences of one document.

    ``heads`` and ``events`` are the nouns of programme_words.csv; the document's text is read
    once for the abbreviations it defines.
    """

    def __init__(self, text: str, heads: frozenset[str], events: frozenset[str], bodies: frozenset[str] = frozenset()):
        self.heads = heads
        self.events = events
        self.bodies = bodies  # names of departments and other bodies, lower case: never a programme
        self.defined: dict[str, tuple[str, str]] = {}  # abbreviation -> (name, key)
        for match in _RUN.finditer(text):
            definition = _ABBREVIATION.match(text, match.end())
            if definition is None:
                continue
            name = _LEADING.sub("", match.group())
            words = name.split()
            abbreviation = definition.group(1)
            if not words or not self._is_programme(words[-1], text, definition.end()):
                continue  # "Spending Review (SR)" names an event, "Alternative Provision (AP)" a kind of school
            if abbreviation not in self.defined and _initials_match(abbreviation, words):
                key = programme_key(name, self.heads)
                if key:
                    self.defined[abbreviation] = (name, key)
        self._abbreviations = (
            re.compile(r"\b(?:" + "|".join(re.escape(a) for a in sorted(self.defined, key=len, reverse=True)) + r")\b")
            if self.defined else None
        )

    def _is_programme(self, last_word: str, text: str, end: int) -> bool:
        """Whether a name ending in ``last_word`` at ``end`` of ``text`` is a programme's."""
        if last_word.lower() in self.heads:
            return True
        if last_word.lower() in self.events:
            return False
        tail = _LOWER_TAIL.match(text, end)
        words = [w.strip("()").lower() for w in tail.group().split()] if tail else []
        first = next((w for w in words if w in self.heads or w in self.events), None)
        return first is not None and first in self.heads

    def names_in(self, sentence: str) -> list[NamedProgramme]:
        """Every programme name in ``sentence``, in order."""
        found: list[NamedProgramme] = []
        for match in _RUN.finditer(sentence):
            name = self._programme_name(sentence, match)
            if name is not None:
                found.append(name)
        if self._abbreviations is not None:
            for match in self._abbreviations.finditer(sentence):
                if not any(f.start <= match.start() < f.end for f in found):
                    name, key = self.defined[match.group()]
                    found.append(NamedProgramme(match.start(), match.end(), name, key))
        return sorted(found, key=lambda f: f.start)

    def _programme_name(self, sentence: str, match: re.Match[str]) -> NamedProgramme | None:
        run = match.group()
        start = match.start()
        possessive = _POSSESSIVE.match(run)
        if possessive:
            start += possessive.end()
            run = run[possessive.end():]
        leading = _LEADING.match(run)
        while leading:  # "The", "This", "In" at the start of a sentence are not part of a name
            start += leading.end()
            run = run[leading.end():]
            leading = _LEADING.match(run)
        if not run:
            return None
        words = run.split()
        last = words[-1].lower()
        if last in self.events or run.lower() in self.bodies:
            return None
        end = start + len(run)
        if last not in self.heads:
            tail = _LOWER_TAIL.match(sentence, end)
            tail_words = [w.strip("()").lower() for w in tail.group().split()] if tail else []
            head_at = next((i for i, w in enumerate(tail_words) if w in self.heads or w in self.events), None)
            if head_at is None or tail_words[head_at] in self.events:
                return None
            pieces = tail.group().split()[: head_at + 1]
            end = sentence.find(pieces[-1], end) + len(pieces[-1])
        name = sentence[start:end]
        key = programme_key(name, self.heads)
        if not key or len(words) == 1 and words[0].isupper() and words[0] not in self.defined and last not in self.heads:
            return None
        return NamedProgramme(start, end, name, key)

    def near(self, sentence: str, span: tuple[int, int]) -> NamedProgramme | None:
        """The programme named nearest the figure at ``span`` in ``sentence``, within reach."""
        best: tuple[int, NamedProgramme] | None = None
        for name in self.names_in(sentence):
            distance = max(0, name.start - span[1], span[0] - name.end)
            between = sentence[name.end : span[0]] if name.end <= span[0] else sentence[span[1] : name.start]
            if _CLAUSE_BREAK.search(between):  # a name in another clause is another thing's
                continue
            if distance <= PROGRAMME_REACH and (best is None or distance < best[0]):
                best = (distance, name)
        return None if best is None else best[1]


_FOR = re.compile(r"""\A[^.;:()]{0,40}?\b(?:for|in|to\s+(?:support|fund|help|deliver|improve|build|create|expand)|towards|on)\s+(?!\d)(?:the\s+|a\s+|an\s+)?""", re.I)
_STOP = re.compile(r"""[,.;:()\[\]]|\s(?:which|that|and\s+to|to\s+(?:help|support|ensure)|so\s+that|over|in\s+(?:20|19)\d\d|by|from|between|across|this|until|as|through|via|with)\b""")
_TRAILING = re.compile(r"(?i)(?:\s+(?:and|or|of|the|a|an|to|for|in|on|with|its|their|our|over|each|per|every|including|includes|such\s+as))+\s*\Z")
# words before a figure that say how much or how new, not what for: "An additional £200 million"
_ONLY_MODIFIERS = re.compile(r"(?i)\A(?:(?:a|an|the|this|that|our|additional|extra|further|new|over|around|about|nearly|almost|up\s+to|more\s+than|at\s+least|just|some|total|of|and)\s*)*\Z")
_LABEL_WORDS = 7


def label_after(sentence: str, span: tuple[int, int]) -> str:
    """What the figure at ``span`` is for, from the words after it ("£5m for new bus shelters").

    >>> s = "We will provide £5 million for new bus shelters in rural areas, starting in May."
    >>> label_after(s, (16, 26))
    'new bus shelters in rural areas'
    """
    after = sentence[span[1]:]
    lead = _FOR.match(after)
    if lead is None:
        return ""
    rest = after[lead.end():]
    stop = _STOP.search(rest)
    words = (rest[: stop.start()] if stop else rest).split()[:_LABEL_WORDS]
    phrase = _TRAILING.sub("", " ".join(words)).strip(" '\"’‘“”")
    return phrase if len(phrase) >= 3 and not phrase[0].isdigit() else ""


_ITEM_LEAD = re.compile(r"""\A[\s\-*•‣◦▪]*(?:\(?[a-z0-9]{1,3}[.)]\s+)?""")


def label_of_item(sentence: str, span: tuple[int, int], lead_in: str) -> str:
    """What a figure in a list item is for: the item's own words before the figure.

    >>> s = "This includes: parenting programmes (£50 million);"
    >>> label_of_item(s, (37, 48), "This includes:")
    'parenting programmes'
    """
    start = len(lead_in) if lead_in and sentence.startswith(lead_in) else 0
    words = _ITEM_LEAD.sub("", sentence[start : span[0]]).rstrip(" (–-:").split()
    phrase = _TRAILING.sub("", " ".join(words[-_LABEL_WORDS:])).strip(" ,;'\"’‘“”")
    return phrase if len(phrase) >= 3 and not _ONLY_MODIFIERS.match(phrase) else label_after(sentence, span)
