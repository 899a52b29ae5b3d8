"""What kind of document a text is, and what kind of table each figure in a table stands in.

Both are evidence for a figure's role (``funding.annotate.role``): most figures of a Budget, an annual
report or a statistics release are not commitments, nine in ten of a press release's are; a
cell of a fiscal-aggregates table never is, the cost of a spending measure in a policy-decisions
table (a scorecard) is.

**Document kinds** (``DOCUMENT_KINDS``) are read, in this order, from:

1. the document's title (its first ``#`` heading, or its first line): a term of
   ``data/raw/reference/kinds.csv`` of ``of=document`` for a titled kind ("Budget", "Spending
   Review", "Annual Report and Accounts", "Statistics", "Strategy", "Committee");
2. GOV.UK's document type where the Content API gave one (``press_release``, ``speech``);
3. the text's own markers of its genre, counted ("Question to the", "Statement made on",
   "Press release"): a bundle of written answers is a written answer, of press releases an
   announcement;

and are ``other`` where none says. The basis is kept with the kind (``title``, ``document
type``, ``text``), for ``sources.csv``.

**Table kinds** (``TABLE_KINDS``) come from the table's caption (the heading or line just above
it), its header and its rows' labels, matched against ``of=table`` terms of kinds.csv, the
caption's words counting double; a table whose header has a "Head" column of "Tax" and "Spend"
rows is a policy-decisions table whatever its caption. Each table row also gets its kind in a
policy-decisions table (``spend``, ``tax`` or ``total``), and each cell its sign ("-" is a cost
to the Exchequer, "+" or none a yield).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from funding.annotate.words import lowered

__all__ = ["DOCUMENT_KINDS", "TABLE_KINDS", "KindTerms", "TableCell", "document_kind", "TableFinder"]

#: Kinds of document, as ``sources.csv`` writes them.
DOCUMENT_KINDS = (
    "budget", "spending_review", "strategy", "annual_report", "statistics", "announcement", "written_answer",
    "written_statement", "committee_report", "other",
)
#: Kinds of table, as ``mentions.csv`` writes a figure's ``table_kind``.
TABLE_KINDS = ("policy_decisions", "fiscal_aggregates", "departmental_budgets", "allocations", "accounts", "statistics")

# Kinds told by the title, in the order they are tried ("Annual Report and Accounts" before "Plan").
_TITLED = ("annual_report", "statistics", "spending_review", "budget", "committee_report", "strategy")
# Kinds told by markers counted in the text.
_MARKED = ("written_answer", "written_statement", "announcement")
_TABLE_ORDER = ("accounts", "departmental_budgets", "fiscal_aggregates", "policy_decisions", "allocations")


@dataclass(frozen=True)
class KindTerms:
    """The terms of kinds.csv: (of, kind) -> terms."""

    terms: dict[tuple[str, str], tuple[str, ...]]

    def of(self, of: str, kind: str) -> tuple[str, ...]:
        return self.terms.get((of, kind), ())


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """Any of ``terms`` as whole words, case-insensitive; None for none."""
    if not terms:
        return None
    found = _PATTERNS.get(terms)
    if found is None:
        parts = sorted((re.escape(t).replace(r"\ ", r"\s+") for t in terms), key=len, reverse=True)
        found = _PATTERNS[terms] = re.compile(r"(?i)(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")
    return found


def _title(text: str) -> str:
    """The document's title: its first "#" heading within its first lines, else its first line
    (not a "[Source 1 of 5]" marker: a bundle of short texts has no title of its own)."""
    lines = [line.strip() for line in text[:4000].split("\n")[:12] if line.strip()]
    for line in lines:
        if line.startswith("#"):
            return line.lstrip("#").strip()
    if lines and not lines[0].startswith("[Source"):
        return lines[0][:200]
    return ""


def document_kind(text: str, terms: KindTerms, document_type: str = "") -> tuple[str, str]:
    """(kind, basis) of a document from its title, GOV.UK document type, or its text's markers.

    >>> t = KindTerms({("document", "budget"): ("Budget",), ("document", "written_answer"): ("Answered by",)})
    >>> document_kind("# Spring Budget 2031\\n\\nThe Chancellor ...", t)
    ('budget', 'title')
    >>> document_kind("[Source 1 of 2]\\nAnswered by Jo Bloggs\\n[Source 2 of 2]\\nAnswered by A N Other", t)
    ('written_answer', 'text')
    """
    title = _title(text)
    if title:
        for kind in _TITLED:
            pattern = _pattern(terms.of("document", kind))
            if pattern is not None and pattern.search(title):
                return kind, "title"
    if document_type:
        for kind in _MARKED:
            if document_type in terms.of("document", kind):
                return kind, "document type"
    counts = []
    head = text[:200_000]
    lower = lowered(head)
    for kind in _MARKED:
        markers = tuple(t for t in terms.of("document", kind) if "_" not in t)
        if lower is not None and not any(t.split()[0].lower() in lower for t in markers if t.split()):
            markers = ()  # not one marker's first word is in the text: none can be counted
        pattern = _pattern(markers)
        counts.append((len(pattern.findall(head)) if pattern is not None else 0, -_MARKED.index(kind), kind))
    best = max(counts)
    return (best[2], "text") if best[0] else ("other", "no title, type or marker says")


@dataclass(frozen=True)
class TableCell:
    """Where a figure stands in a table: the table's kind, its row's, and the cell's sign."""

    kind: str  # one of TABLE_KINDS
    row: str  # in a policy-decisions table: "spend", "tax", "total"; else ""
    sign: str  # "-", "+" or "" (a signed cell's own sign; "" for a figure written with "£")
    caption: str
    year: int | None = None  # the financial year (its start) its column is headed by, if any
    year_text: str = ""  # that header as written ("2016-17")


_HEAD = re.compile(r"(?i)\A\s*head\s*\Z")
_TAX_HEAD = re.compile(r"(?i)\A\s*tax(?:es)?\s*\Z")
_SPEND_HEAD = re.compile(r"(?i)\A\s*(?:spend|spending|ame|del)\s*\Z")
_TOTAL_LABEL = re.compile(r"(?i)\A\W*(?:\d+\s+)?(?:total|net\s+total|sub-?total)\b|\btotal\s+(?:\w+\s+){0,2}(?:decisions|measures|policy)\b")
# A column headed by a financial year: "2016-17", "2016/17", "2016 to 2017", "2016-2017".
_FY_HEADER = re.compile(r"((?:19|20)\d\d)\s*(?:[-/\u2013]|to)\s*(?:(?:19|20)?\d\d)(?:\s*\(\w+\))?")
_DELIMITER = re.compile(r"\A[\s|:\-]+\Z")
_SIGNED = re.compile(r"[\s*_]*([-\u2212\u2013+])")  # matched at the figure's start


def _cells(line: str) -> list[str]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [cell.strip(" \t*_") for cell in inner.split("|")]


@dataclass
class _Table:
    start: int
    end: int
    kind: str
    caption: str
    head_column: int | None
    lines: list[tuple[int, int]]  # (start, end) of each row
    years: dict[int, tuple[int, str]]  # column -> (financial year's start, header as written)


class TableFinder:
    """The table (if any) holding each offset of one text, each table read once."""

    def __init__(self, text: str, terms: KindTerms) -> None:
        self.text = text
        self.terms = terms
        self._tables: list[_Table] = []

    def cell_at(self, start: int, end: int) -> TableCell | None:
        """The table cell (or row label) holding the figure at text[start:end], or None in prose."""
        text = self.text
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if not text[line_start : line_start + 8].lstrip(" \t").startswith("|"):
            return None
        table = next((t for t in self._tables if t.start <= line_start <= t.end), None)
        if table is None:
            table = self._read(line_start)
            self._tables.append(table)
        cells = _cells(text[line_start:line_end])
        row = self._row_kind(table, cells, line_start)
        signed = _SIGNED.match(text, start, end)
        column = text.count("|", line_start, start) - (1 if text[line_start:start].lstrip(" \t").startswith("|") else 0)
        year, year_text = table.years.get(column, (None, ""))
        sign = signed.group(1).replace("\u2212", "-").replace("\u2013", "-") if signed else ""
        return TableCell(table.kind, row, sign, table.caption, year, year_text)

    def _read(self, pos: int) -> _Table:
        text = self.text
        lines = []
        start = pos
        while start > 0:  # back to the table's first row
            prev = text.rfind("\n", 0, start - 1) + 1
            if not text[prev : prev + 8].lstrip(" \t").startswith("|"):
                break
            start = prev
        cursor = start
        while cursor < len(text):
            end = text.find("\n", cursor)
            end = len(text) if end < 0 else end
            if not text[cursor : cursor + 8].lstrip(" \t").startswith("|"):
                break
            lines.append((cursor, end))
            cursor = end + 1
        table_end = lines[-1][1] if lines else pos
        caption = self._caption(start)
        rows = [_cells(text[a:b]) for a, b in lines]
        delimiter = next((i for i, r in enumerate(rows) if _DELIMITER.match("|".join(r) or "-")), None)
        header = rows[: (delimiter if delimiter is not None else 1)]
        if delimiter is not None and delimiter + 1 < len(rows) and not (rows[delimiter + 1][:1] or [""])[0]:
            header = header + [rows[delimiter + 1]]
        head_column = next((i for r in header for i, c in enumerate(r) if _HEAD.match(c)), None)
        labels = " ; ".join(next((c for c in r if any(ch.isalpha() for ch in c)), "") for r in rows)
        heads = " ; ".join(" ; ".join(r) for r in header)
        kind = self._kind(caption, heads, labels, rows, head_column)
        years = {}
        for r in header:
            for column, value in enumerate(r):
                year = _FY_HEADER.fullmatch(value)
                if year:
                    years[column] = (int(year.group(1)), value)
        return _Table(start, table_end, kind, caption, head_column, lines, years)

    def _caption(self, table_start: int) -> str:
        """The heading or line just above the table (one blank line between at most)."""
        text = self.text
        cursor = table_start - 1
        for _ in range(3):
            if cursor <= 0:
                return ""
            prev = text.rfind("\n", 0, cursor) + 1
            line = text[prev:cursor].strip()
            if line:
                return line.lstrip("#").strip()[:300]
            cursor = prev - 1
        return ""

    def _kind(self, caption: str, heads: str, labels: str, rows: list[list[str]], head_column: int | None) -> str:
        if head_column is not None and any(len(r) > head_column and (_TAX_HEAD.match(r[head_column]) or _SPEND_HEAD.match(r[head_column])) for r in rows):
            return "policy_decisions"
        scores = []
        for kind in _TABLE_ORDER:
            pattern = _pattern(self.terms.of("table", kind))
            if pattern is None:
                continue
            score = 2 * len(pattern.findall(caption)) + len(pattern.findall(heads)) + 0.5 * len(pattern.findall(labels))
            scores.append((score, -_TABLE_ORDER.index(kind), kind))
        best = max(scores, default=(0, 0, "statistics"))
        return best[2] if best[0] > 0 else "statistics"

    def _row_kind(self, table: _Table, cells: list[str], line_start: int) -> str:
        if table.kind != "policy_decisions":
            return ""
        label = next((c for c in cells if any(ch.isalpha() for ch in c)), "")
        if _TOTAL_LABEL.search(label):
            return "total"
        if table.head_column is not None and len(cells) > table.head_column:
            head = cells[table.head_column]
            if _TAX_HEAD.match(head):
                return "tax"
            if _SPEND_HEAD.match(head):
                return "spend"
        return ""
