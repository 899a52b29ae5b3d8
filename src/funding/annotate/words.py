"""Looking for words ignoring case, cheaply: a rule's words are looked for in the lowered text
before its pattern is tried, and the pattern is skipped where none of them is there.

The one catch: four letters match ASCII ones when case is ignored (İ ı ſ K match i, s, k), so
a text holding one of them may match a pattern whose words its lower case does not hold. For
such a text ``lowered`` gives None: every pattern is tried.
"""

from __future__ import annotations

import re

__all__ = ["lowered"]

_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")  # İ ı ſ K: re.IGNORECASE matches them to i, s, k


def lowered(text: str) -> str | None:
    """``text`` in lower case, to look for a rule's words in; None where a word cannot be ruled
    out that way (the text holds a letter that matches an ASCII one only ignoring case).

    >>> lowered("The Fund"), lowered("ınvest")
    ('the fund', None)
    """
    return None if _FOLDS_TO_ASCII.search(text) else text.lower()
