"""Financial years (April to March), numbered by the calendar year they start in, and the
spending reviews that name spans of them: the arithmetic every stage shares.

2022 is 2022-23. ``funding.annotate.periods`` reads periods from text; the reference tables,
the tables and the outputs write and read the labels here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["SpendingReview", "financial_year_of", "fy_label", "parse_fy_label"]


@dataclass(frozen=True)
class SpendingReview:
    """One spending review and the financial years its settlement covers."""

    review_id: str
    name: str
    announced: dt.date
    fy_start: int
    fy_end: int
    aliases: tuple[str, ...] = ()


def fy_label(start_year: int) -> str:
    """The usual label of a financial year: 2022 -> "2022-23".

    >>> fy_label(2022), fy_label(1999)
    ('2022-23', '1999-00')
    """
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def parse_fy_label(label: str) -> int:
    """The start year of a "YYYY-YY" label; ValueError for anything else.

    >>> parse_fy_label("2022-23")
    2022
    """
    match = re.fullmatch(r"((?:19|20)\d\d)-(\d\d)", label.strip())
    if match is None or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"not a financial year label (YYYY-YY): {label!r}")
    return int(match[1])


def financial_year_of(day: dt.date) -> int:
    """The financial year a date falls in: 1 April 2022 to 31 March 2023 is 2022.

    >>> financial_year_of(dt.date(2022, 3, 31)), financial_year_of(dt.date(2022, 4, 1))
    (2021, 2022)
    """
    return day.year if day.month >= 4 else day.year - 1
