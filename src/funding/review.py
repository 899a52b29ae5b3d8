"""The analyst's review file: decisions a person made by hand, by stable id, each with a reason.

``data/raw/review.csv`` has four columns: ``id``, ``field``, ``value``, ``reason``. An id is
a mention id (``m…``) or a commitment id (``c…``, the same hash as its first mention's id).

| field | on | value |
|---|---|---|
| role | a mention | ``commitment`` or ``context`` |
| context_reason | a mention | why it is context (with role = context) |
| repeat_of | a mention | the id of the mention or commitment it restates; empty to undo an automatic repeat |
| parent_id | a commitment | the commitment it is part of; empty to undo an automatic link |
| department | a commitment | abbreviations in departments.csv, several joined by ";" |
| programme | a commitment | a programme in programmes.csv, or empty |
| theme | a commitment | a theme_id in themes.csv |
| fy_start, fy_end | a commitment | financial years, YYYY-YY |
| period_text | a commitment | the words the period is read from |
| confirm | a commitment | the name of a field whose automatic value a person has checked |

Every row must have a reason. The file is read strictly (``funding.rawcsv``: UTF-8, every
quote closed, four fields a row). An unknown id, field or value, a second row for the same id
and field (a repeat or a contradiction: never "the last one wins"), and fy_start after fy_end
are errors naming the file, line and field; every commitment and mention a row touches says
``reviewed = true`` in the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from funding.annotate.classify import COMMITMENT, CONTEXT
from funding.link import Link
from funding.years import parse_fy_label
from funding.rawcsv import RawFileError, read_rows
from funding.reference import Reference
from funding.vocab import REVIEW_COLUMNS

__all__ = ["Review", "ReviewError", "load_review", "REVIEW_FIELDS"]

MENTION_FIELDS = ("role", "context_reason", "repeat_of")
COMMITMENT_FIELDS = ("parent_id", "department", "programme", "theme", "fy_start", "fy_end", "period_text", "confirm")
REVIEW_FIELDS = MENTION_FIELDS + COMMITMENT_FIELDS
COLUMNS = REVIEW_COLUMNS


class ReviewError(ValueError):
    """A review row that cannot be applied; the message names the file, line and field."""


@dataclass(frozen=True)
class ReviewRow:
    line: int
    id: str
    field: str
    value: str
    reason: str

    @property
    def key(self) -> str:
        return self.id[1:]  # the hash shared by a commitment and its first mention


@dataclass
class Review:
    rows: tuple[ReviewRow, ...] = ()
    path: Path = field(default=Path("review.csv"))

    def _error(self, row: ReviewRow, column: str, problem: str) -> ReviewError:
        return ReviewError(f"{self.path}, line {row.line}, field '{column}': {problem}")

    def check_ids(self, mention_ids: set[str]) -> None:
        """Raise ReviewError for a row whose id (or id value) names no mention or commitment."""
        keys = {m[1:] for m in mention_ids}
        for row in self.rows:
            if row.key not in keys:
                raise self._error(row, "id", f"{row.id!r} is not a mention or commitment id in the documents")
            if row.field in {"repeat_of", "parent_id"} and row.value and row.value[1:] not in keys:
                raise self._error(row, "value", f"{row.value!r} is not a mention or commitment id in the documents")

    def check_commitments(self, commitment_ids: set[str]) -> None:
        """Raise ReviewError for a commitment field given on a mention that starts no commitment."""
        keys = {c[1:] for c in commitment_ids}
        for row in self.rows:
            if row.field in COMMITMENT_FIELDS and row.key not in keys:
                raise self._error(row, "id", f"{row.id!r} is not a commitment (nor the first mention of one); "
                                  "use the commitment_id from commitments.csv")

    def for_commitments(self, owner: dict[str, str]) -> Review:
        """The review with each commitment decision moved to the commitment its id's mention belongs to now.

        ``owner`` maps every commitment mention's hash to its commitment's hash. A decision is
        written against a commitment id, which is its first mention's; when a new document
        restates that figure and sorts first, the commitment's id changes but the mention
        stays, so the decision still finds its commitment. Two decisions that now land on one
        commitment and field with different values are a contradiction, named by both lines.
        """
        rows = []
        for row in self.rows:
            if row.field in COMMITMENT_FIELDS and row.key in owner:
                value = row.value
                if row.field == "parent_id" and value[1:] in owner:
                    value = "c" + owner[value[1:]]
                row = replace(row, id="c" + owner[row.key], value=value)
            rows.append(row)
        decided: dict[tuple[str, str], ReviewRow] = {}
        for row in rows:
            if row.field in COMMITMENT_FIELDS and row.field != "confirm":
                earlier = decided.setdefault((row.key, row.field), row)
                if earlier.value != row.value:
                    raise self._error(row, "value", f"{row.value!r} contradicts line {earlier.line}, which sets {row.field} of the same "
                                      f"commitment ({row.id}) to {earlier.value!r}")
        return Review(tuple(rows), self.path)

    def roles(self) -> dict[str, dict[str, str]]:
        """mention hash -> the role (and context_reason) decided for it."""
        decided: dict[str, dict[str, str]] = {}
        for r in self.rows:
            if r.field in ("role", "context_reason"):
                decided.setdefault(r.key, {})[r.field] = r.value
        return decided

    def keys(self) -> set[str]:
        """The hashes of every mention and commitment the review has a row for."""
        return {r.key for r in self.rows}

    def named(self) -> set[str]:
        """The hashes the review names: its rows' ids and the ids its repeat_of and parent_id values give."""
        return self.keys() | {r.value[1:] for r in self.rows if r.field in ("repeat_of", "parent_id") and r.value}

    def repeat_overrides(self) -> dict[str, tuple[str, ReviewRow]]:
        """mention hash -> (hash of what it restates, or "" to undo, row)."""
        return {r.key: (r.value[1:] if r.value else "", r) for r in self.rows if r.field == "repeat_of"}

    def parent_override(self, commitment_id: str) -> ReviewRow | None:
        return next((r for r in self.rows if r.key == commitment_id[1:] and r.field == "parent_id"), None)

    def commitment_fields(self, commitment_id: str) -> dict[str, str]:
        """Field values the review sets on a commitment (confirm rows set nothing but mark it reviewed)."""
        return {
            r.field: r.value for r in self.rows
            if r.key == commitment_id[1:] and r.field in COMMITMENT_FIELDS and r.field not in ("parent_id", "confirm")
        }

    def row_setting(self, commitment_id: str, field: str) -> ReviewRow | None:
        """The row that sets ``field`` on a commitment, if any (there is at most one)."""
        return next((r for r in self.rows if r.key == commitment_id[1:] and r.field == field), None)

    def link_for(self, row: ReviewRow, child: int, parent: int, relation: str) -> Link:
        return Link(child, relation, parent, f"review: {row.reason}", f"{self.path.name} line {row.line}")


def load_review(path: Path, ref: Reference) -> Review:
    """Read and check a review file; a missing file is an empty review."""
    if not path.exists():
        return Review((), path)
    try:
        records = read_rows(path, COLUMNS, exact=True)
    except RawFileError as error:
        raise ReviewError(str(error)) from None
    rows = []
    review = Review((), path)
    seen: dict[tuple[str, ...], ReviewRow] = {}
    for line, record in records:
        row = ReviewRow(line, *(record[c] for c in COLUMNS))
        if not row.id[:1] in {"m", "c"} or len(row.id) != 13:
            raise review._error(row, "id", f"{row.id!r} is not a mention id (m…) or commitment id (c…)")
        if row.field not in REVIEW_FIELDS:
            raise review._error(row, "field", f"{row.field!r} is not one of: {', '.join(REVIEW_FIELDS)}")
        if not row.reason:
            raise review._error(row, "reason", "every decision needs a reason")
        problem = _check_value(row, ref)
        if problem:
            raise review._error(row, "value", problem)
        key = (row.key, row.field, row.value) if row.field == "confirm" else (row.key, row.field)
        earlier = seen.setdefault(key, row)
        if earlier is not row:
            same = "repeats" if earlier.value == row.value else f"contradicts (value {earlier.value!r})"
            raise review._error(row, "field", f"{row.field} of {row.id} is already decided: this row {same} line {earlier.line}; keep one")
        rows.append(row)
    for key in {r.key for r in rows}:
        start, end = seen.get((key, "fy_start")), seen.get((key, "fy_end"))
        if start and end and parse_fy_label(start.value) > parse_fy_label(end.value):
            later = max(start, end, key=lambda r: r.line)
            raise review._error(later, "value", f"fy_start {start.value} (line {start.line}) is after fy_end {end.value} (line {end.line})")
    return Review(tuple(rows), path)


def _check_value(row: ReviewRow, ref: Reference) -> str:
    value = row.value
    if row.field == "role" and value not in (COMMITMENT, CONTEXT):
        return f"{value!r} is not {COMMITMENT} or {CONTEXT}"
    if row.field == "department":
        known = {d.abbreviation for d in ref.departments.values()}
        unknown = [d for d in value.split(";") if d not in known]
        if unknown or not value:
            return f"{unknown[0] if unknown else value!r} is not a department abbreviation in departments.csv"
    if row.field == "programme" and value and value not in {p.programme for p in ref.programmes}:
        return f"{value!r} is not a programme in programmes.csv"
    if row.field == "theme" and value not in ref.themes:
        return f"{value!r} is not one of: {', '.join(ref.themes)}"
    if row.field in ("fy_start", "fy_end"):
        try:
            parse_fy_label(value)
        except ValueError as error:
            return str(error)
    if row.field == "confirm" and value not in COMMITMENT_FIELDS + ("role",):
        return f"{value!r} is not a field that can be confirmed"
    if row.field in ("repeat_of", "parent_id") and value and (value[:1] not in {"m", "c"} or len(value) != 13):
        return f"{value!r} is not a mention or commitment id"
    return ""
