"""Includes: a stated total (a level) that includes earlier money, usually the increase that brings it there.

- "..., taking total planned investment to £695 million", "bringing total high needs funding to
  £11.9 billion", "a top-up in 2025-26, which brought total funding to £12 billion" (any tense), "raising total funding for 2025/26 to £160 million", "to a total of £9.1 billion",
  "This means that overall funding will total £63.9 billion": the total includes the earlier
  figures of its sentence (not the "£Y" of "£X of the £Y increase", which the total does not
  include whole) or, when the sentence refers back ("This is an increase of 21% and will bring
  total funding to £9.7 billion"), the last figure before it;
- "£160 million has been allocated, a £30 million uplift from the previous year", "rising to
  £2.9 billion, an increase of around £90 million": the level includes its increase.
A total is always larger than what it includes; rates (per year, per pupil) are left out.
"""

from __future__ import annotations

import re

from funding.link.model import Item, Link, before

__all__ = ["find_includes", "STATES_TOTAL"]

_QUALIFIER = r"(?:(?:almost|nearly|over|around|about|approximately|some|just\s+(?:over|under)|more\s+than|in\s+excess\s+of|up\s+to)\s+)?"
_LINES = 6  # a total that refers back looks at most this many lines up

# "take", "bring", "raise" in any tense: "bringing", "brings", "brought", "took", "raised"
_RAISE_VERB = r"(?:(?:tak|bring|rais)(?:e|es|ing|s|ed)?|brought|took|taken)"
STATES_TOTAL = re.compile(rf"(?i)\b{_RAISE_VERB}\s+(?:the\s+|our\s+)?(?:total|overall)\b")
_TOTAL_TO = re.compile(
    rf"""(?ix)(?:
      \b{_RAISE_VERB}\s+(?:the\s+|our\s+)?(?:total|overall)\b[^£.;]{{0,160}}?\bto\s+  # "bringing total ... to", "which brought total ... to"
      | \bto\s+a\s+total\s+of\s+                                                                    # "to a total of"
      | \bmean(?:s|ing)?\b[^£.;]{{0,120}}?\b(?:will\s+)?(?:total|reach|rise\s+to|increase\s+to)\s+     # "This means ... will total"
    ){_QUALIFIER}\Z"""
)
_INCREASE_OF = re.compile(rf"(?i),\s+an?\s+(?:increase|uplift|rise)\s+of\s+{_QUALIFIER}\Z")  # ", an increase of around £90m"
_A_FIGURE = re.compile(rf"(?i),\s+an?\s+{_QUALIFIER}\Z")  # ", a £30 million uplift": the noun comes after
_INCREASE_NOUN = re.compile(r"(?i)\A\s*(?:increase|uplift|rise|boost)\b")
_REFERS_BACK = re.compile(r"(?i)\A\W*(?:this|these|that|it)\b")
_OF_THE = re.compile(r"(?i)\A\s*of\s+(?:the|this|that)\s+(?:\w+\s+){0,2}\Z")


def find_includes(items: list[Item]) -> list[Link]:
    """Every includes link among ``items``: (whole, "includes", part), each with its rule and sentence."""
    by_sentence: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        by_sentence.setdefault(item.sentence_key, []).append(item)
    links = []
    for i, b in enumerate(items):
        sentence = by_sentence[b.sentence_key]
        earlier = [a for a in sentence if a.span[0] < b.span[0]]
        if _TOTAL_TO.search(before(b, 240)):
            parts = [a for a in earlier if not _is_of_the_target(a, sentence)]
            rule, words = "taking the total to", b.sentence
            if not parts and i > 0 and _REFERS_BACK.search(b.sentence):
                previous = items[i - 1]
                if previous.source_id == b.source_id and b.line - previous.line <= _LINES:
                    parts, words = [previous], f"{previous.sentence} … {b.sentence}"
            for a in parts:
                if a.amount < b.amount and a.rate == "total" and b.rate == "total":
                    links.append(Link(b.index, "includes", a.index, rule, words, 0.9))
        elif earlier and _is_increase_after_level(b):
            level = earlier[-1]
            if level.amount > b.amount and level.rate == "total" and b.rate == "total":
                links.append(Link(level.index, "includes", b.index, "an increase in a level", b.sentence, 0.7))
    return links


def _is_of_the_target(figure: Item, sentence: list[Item]) -> bool:
    """Whether ``figure`` is the £Y of "£X of the £Y" in its sentence."""
    previous = [a for a in sentence if a.span[1] <= figure.span[0]]
    return bool(previous) and bool(_OF_THE.search(figure.sentence[previous[-1].span[1] : figure.span[0]]))


def _is_increase_after_level(figure: Item) -> bool:
    """Whether ``figure`` is an increase put after the level it raises: "£160m, a £30m uplift"."""
    words_before = before(figure, 60)
    return bool(_INCREASE_OF.search(words_before)) or bool(
        _A_FIGURE.search(words_before) and _INCREASE_NOUN.search(figure.sentence[figure.span[1] :])
    )
