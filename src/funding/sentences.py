"""Find the whole sentence a money figure stands in, across the artefacts of PDF conversion.

Documents converted from PDF break sentences in three ways the sources show: a page break
(``---``) and a footnote block in the middle of a sentence; a paragraph split across pages
with only a blank line between its halves; and Markdown markup (emphasis, ``(#)`` link stubs,
``<sup>`` footnote marks) inside the words. ``SentenceFinder.sentence_at`` rebuilds the
logical paragraph around a position and returns the sentence holding it, markup removed.

The rules for joining two blocks separated by blank lines (and by any page breaks, page
numbers or footnote blocks between them): the first must not end a sentence (no final . ! ?
or :), neither may be a heading or a list, and at least one of these holds: the second starts
in lower case; the first ends with a comma, a hyphen or a function word ("launched in");
or the first already holds a finished sentence, so it is prose cut short, not a heading.

A figure in a list item gets the item as its sentence, after the lead-in that introduces
the list when that ends with a colon ("This includes: parenting programmes (£50 million);").
Only text near figures is examined, so the cost grows with the number of figures, not the
length of the document.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from funding.money import states_unit

__all__ = ["Context", "SentenceFinder", "clean_markup", "row_start", "sentence_before"]

MAX_SENTENCE = 2000  # characters; a longer "sentence" is text with no punctuation at all
PARAGRAPH_LINE = 250  # characters: a longer line is a paragraph of its own, not wrapped text
_MAX_BLOCKS = 12  # blocks joined into one paragraph at most, however the rules read

_PAGE_BREAK = re.compile(r"\s*(?:-{3,}|\*{3,}|_{3,}|\f+|(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?)\s*", re.I)
_FOOTNOTE = re.compile(r"\s*(?:<sup>\s*\d+\s*</sup>|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\[\^\d+\]:|\^\d+)")
_HEADING = re.compile(r"\s*#{1,6}\s")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+•‣◦▪]|\d{1,3}[.)]|\(?[a-z][.)])[ \t]+")
_TERMINATED = re.compile(r"""[.!?:;][)\]"'’”*_\s]*\Z""")
_INTERNAL_STOP = re.compile(r"""[.!?][)\]"'’”*_]*\s+[*_"'‘“(\[]*[A-Z]""")
_STARTS_LOWER = re.compile(r"""[\s*_"'‘“(\[]*[a-z]""")
_LAST_WORD = re.compile(r"""([A-Za-z]+)[\s*_]*\Z""")
_FUNCTION_WORDS = frozenset(
    """a an the of in on to for with by at from and or but nor that which who whom whose as is
    are was were be been being will would can could should may might must shall its their our
    your his her this these those such than into onto over under between including via per not
    has have had it we they he she up out about against among within without across through
    during before after since until while where when whether if so also both either neither""".split()
)

# a sentence ends at . ! or ?, after any closing marks and a GOV.UK footnote mark ("jobs.[footnote 5] The")
_BOUNDARY = re.compile(r"""(?<=[.!?])(?:\[(?:footnote|note)\s*\d+\])?[)\]"'’”*_]*\s+(?=[*_"'‘“(\[#]*[A-Z0-9£$€])""", re.I)
_ABBREVIATIONS = frozenset(
    "e.g i.e mr mrs ms dr prof no nos st vs v cf approx para paras fig figs p pp vol rt hon cllr inc ltd co c ca".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\Z")


@dataclass(frozen=True)
class Context:
    """Where a figure stands: its sentence, its paragraph, and the list it is an item of."""

    sentence: str
    paragraph: str  # the logical paragraph, cleaned; for a list item, the lead-in and the whole list
    list_id: int | None  # offset where the item's list starts; items of one list share it
    lead_in: str  # the sentence introducing the list (ends with a colon), or ""
    sentence_start: int = 0  # where the sentence begins in the text: two sentences of the same words stay two
    paragraph_start: int = 0  # where the paragraph (or the list) begins in the text


class _Paragraph:
    """One logical paragraph as loaded around a position: its blocks joined, where its
    sentences start, and (worked out once, when first asked) its cleaned words and sentences."""

    __slots__ = ("span", "segments", "joined", "prefix", "bounds", "_cleaned", "sentences")

    def __init__(self, span, segments, joined, prefix, bounds):
        self.span, self.segments, self.joined, self.prefix, self.bounds = span, segments, joined, prefix, bounds
        self._cleaned: str | None = None
        self.sentences: dict[int, tuple[str, int]] = {}  # sentence index -> (cleaned, text offset)

    @property
    def cleaned(self) -> str:
        if self._cleaned is None:
            self._cleaned = clean_markup(self.joined)
        return self._cleaned


_NOTHING = _Paragraph((-1, -1), [], "", "", [])


class SentenceFinder:
    """Answer "which sentence holds this position?" for one document, caching per paragraph.

    With ``remember``, ``context_at`` a position ``sentence_at`` was asked about answers from
    the paragraph that gave that sentence: asking ``sentence_at`` over a document's figures and
    then ``context_at`` over the same figures, in the same order, reads each paragraph once and
    answers as asking only ``context_at`` would.
    """

    def __init__(self, text: str, remember: bool = False):
        self.text = text
        self._blocks = _Blocks(text)
        self._paragraphs: dict[tuple[int, int], str] = {}  # (list start, block end) -> paragraph
        self._current = _NOTHING
        self._answered: dict[int, tuple[str, int, _Paragraph]] | None = {} if remember else None  # pos -> what sentence_at said

    def sentence_at(self, pos: int) -> str:
        """Return the cleaned sentence holding character ``pos`` of the text."""
        answer = self._sentence_and_start(pos)
        if self._answered is not None:
            self._answered[pos] = answer
        return answer[0]

    def _sentence_and_start(self, pos: int) -> tuple[str, int, _Paragraph]:
        """The cleaned sentence holding ``pos``, the text offset where it begins, and its paragraph."""
        p = self._current
        if not p.span[0] <= pos < p.span[1]:
            p = self._current = self._load(pos)
        joined_pos = self._to_joined(p, pos)
        i = bisect.bisect_right(p.bounds, joined_pos) - 1
        known = p.sentences.get(i)
        if known is not None:
            return known[0], known[1], p
        start = p.bounds[i]
        end = p.bounds[i + 1] if i + 1 < len(p.bounds) else len(p.joined)
        sentence = p.joined[start:end]
        long = len(sentence) > MAX_SENTENCE  # then the words around pos, which differ by figure
        if long:
            lo = max(start, joined_pos - MAX_SENTENCE // 2)
            sentence = "… " + p.joined[lo : lo + MAX_SENTENCE] + " …"
        if sentence.lstrip().startswith("|"):
            sentence = " | ".join(cell.strip() for cell in sentence.strip().strip("|").split("|"))
        cleaned = clean_markup(sentence)
        if p.prefix and i == 0:
            cleaned = p.prefix + " " + cleaned
        answer = (cleaned, self._from_joined(p, start))
        if not long:
            p.sentences[i] = answer
        return answer[0], answer[1], p

    def context_at(self, pos: int) -> Context:
        """The sentence, paragraph and list membership of character ``pos``."""
        answered = self._answered.pop(pos, None) if self._answered else None
        sentence, sentence_start, p = answered if answered is not None else self._sentence_and_start(pos)
        text = self.text
        block = self._blocks.at(pos)
        item = block.item_at(pos)
        if item is None:
            return Context(sentence, p.cleaned, None, "", sentence_start, p.span[0])
        first = block.list_start(item[0])
        key = (first, block.end)
        if key not in self._paragraphs:  # once per list: every item shares its paragraph
            before = self._blocks.content_before(block.start) if first == block.start else (block.start, first - 1)
            end = block.end
            if block.lines_are_paragraphs():  # the lead-in is the line above the list, which ends at its last item
                before = block.line_span(first - 1) if first > block.start else before
                end = block.list_end(first)
            lead = clean_markup(text[before[0] : before[1]]) if before else ""
            self._paragraphs[key] = (lead + " " + clean_markup(text[first : end])).strip()
        return Context(sentence, self._paragraphs[key], first, p.prefix, sentence_start, first)

    # --- building the paragraph around a position ---------------------------------------------

    def _load(self, pos: int) -> _Paragraph:
        text = self.text
        found = self._blocks.at(pos)
        block = (found.start, found.end)
        row = _table_row_at(text, block, pos)
        item = found.item_at(pos) if row is None else None
        prefix = ""
        if row is not None:
            segments = [row]
            prefix = found.header(row, self._blocks)
        elif item is not None:
            segments = [item]
            prefix = found.lead_in(item[0], self._blocks)
        elif found.lines_are_paragraphs():
            segments = [found.line_span(pos)]  # one line, one paragraph: not the whole run
        else:
            segments = [block]
            for _ in range(_MAX_BLOCKS):
                prev = self._blocks.content_before(segments[0][0])
                if prev is None or not _joins(text, prev, segments[0]):
                    break
                segments.insert(0, prev)
            for _ in range(_MAX_BLOCKS):
                nxt = self._blocks.content_after(segments[-1][1])
                if nxt is None or not _joins(text, segments[-1], nxt):
                    break
                segments.append(nxt)
        parts, joined_segments, offset = [], [], 0
        for s, e in segments:
            joined_segments.append((offset, s, e))
            parts.append(text[s:e])
            offset += e - s + 1
        joined = " ".join(parts)
        return _Paragraph((segments[0][0], segments[-1][1] + 1), joined_segments, joined, prefix, _sentence_starts(joined))

    @staticmethod
    def _from_joined(p: _Paragraph, joined_pos: int) -> int:
        for offset, s, _e in reversed(p.segments):
            if joined_pos >= offset:
                return s + joined_pos - offset
        return p.span[0]

    @staticmethod
    def _to_joined(p: _Paragraph, pos: int) -> int:
        for offset, s, e in reversed(p.segments):
            if pos >= s:
                return offset + min(pos, e) - s
        return 0


class _Block:
    """One run of non-blank lines, with its line starts and which lines start a list item.

    Built once per block and asked by bisection, so a table or list of 10,000 rows is walked
    once, not once per figure in it.
    """

    def __init__(self, text: str, start: int, end: int):
        self.text, self.start, self.end = text, start, end
        self._lines: list[int] | None = None
        self._cache: dict[tuple[str, int], str] = {}

    def _index(self) -> None:
        text, lines = self.text, [self.start]
        at = text.find("\n", self.start, self.end)
        while at >= 0:
            lines.append(at + 1)
            at = text.find("\n", at + 1, self.end)
        is_item = [_LIST_ITEM.match(text, line) is not None for line in lines]
        # the last item line at or before each line; the first line of the run of items (and
        # their indented continuation lines) each line is in; the next item line after each
        self._last_item, self._run_first, self._next_item = [], [], [None] * len(lines)
        last, first, in_run = -1, -1, False
        for i, line in enumerate(lines):
            if is_item[i]:
                last, first = i, first if in_run else i
                in_run = True
            elif not (in_run and text[line : line + 1] in (" ", "\t")):
                in_run = False
            self._last_item.append(last)
            self._run_first.append(first)
        following = None
        for i in range(len(lines) - 1, -1, -1):
            self._next_item[i] = following
            if is_item[i]:
                following = i
        self._lines = lines

    def _line(self, pos: int) -> int:
        if self._lines is None:
            self._index()
        return bisect.bisect_right(self._lines, pos) - 1

    def item_at(self, pos: int) -> tuple[int, int] | None:
        """The list item holding ``pos`` (its lines up to the next item), or None outside a list.
        Where each line is a paragraph, an item is its own line (and lines indented under it)."""
        i = self._line(pos)
        first = self._last_item[i] if i >= 0 else -1
        if first < 0:
            return None
        if self.lines_are_paragraphs():
            if self._run_first[i] < 0 or self._last_item[i] != first or (i != first and self.text[self._lines[i] : self._lines[i] + 1] not in (" ", "\t")):
                return None  # a paragraph after the list, not an item's continuation
            last = i
            while last + 1 < len(self._lines) and self._last_item[last + 1] == first and self.text[self._lines[last + 1] : self._lines[last + 1] + 1] in (" ", "\t"):
                last += 1
            return self._lines[first], self.line_span(self._lines[last])[1]
        following = self._next_item[i]
        return self._lines[first], self.end if following is None else self._lines[following] - 1

    def lines_are_paragraphs(self) -> bool:
        """Whether the block writes one paragraph a line (text taken from a web page, no blank line
        between paragraphs) rather than paragraphs wrapped over lines: a line longer than any
        wrapped text has (``PARAGRAPH_LINE``) says so."""
        key = ("layout", 0)
        if key not in self._cache:
            self._cache[key] = "1" if any(len(line) > PARAGRAPH_LINE for line in self.text[self.start : self.end].split("\n")) and "\n" in self.text[self.start : self.end] else ""
        return bool(self._cache[key])

    def list_end(self, first: int) -> int:
        """Where the list whose first item starts at ``first`` ends: its last item line, or a line indented under it."""
        i = self._line(first)
        while i + 1 < len(self._lines) and (self._last_item[i + 1] == i + 1 or self.text[self._lines[i + 1] : self._lines[i + 1] + 1] in (" ", "\t")):
            i += 1
        return self.line_span(self._lines[i])[1]

    def line_span(self, pos: int) -> tuple[int, int]:
        """(start, end) of the line holding ``pos``, its end before the newline."""
        i = self._line(pos)
        start = self._lines[i]
        end = self._lines[i + 1] - 1 if i + 1 < len(self._lines) else self.end
        return start, end

    def list_start(self, item_start: int) -> int:
        """Where the list holding the item at ``item_start`` starts: the first of its run of items."""
        return self._lines[self._run_first[self._line(item_start)]]

    def lead_in(self, item_start: int, blocks: "_Blocks") -> str:
        """The sentence that introduces the item's list, when it ends with a colon; otherwise ""."""
        first = self.list_start(item_start)
        key = ("lead", first)
        if key not in self._cache:
            if first > self.start:
                window = max(self.start, first - 2 * MAX_SENTENCE)  # the last sentence is all that counts
                self._cache[key] = _last_sentence_if_colon(self.text[window:first])
            else:
                before = blocks.content_before(self.start)
                self._cache[key] = _last_sentence_if_colon(self.text[before[0] : before[1]]) if before else ""
        return self._cache[key]

    def header(self, row: tuple[int, int], blocks: "_Blocks") -> str:
        """The table header put before a row (see _table_header), worked out once per table."""
        key = ("header", row[0] if _header_row(self.text, (self.start, self.end), row) else -1)
        if key not in self._cache:
            self._cache[key] = _table_header(self.text, (self.start, self.end), row, blocks)
        return self._cache[key]


class _Blocks:
    """The blocks of one text met so far, found by bisection on their starts."""

    def __init__(self, text: str):
        self.text = text
        self._starts: list[int] = []
        self._found: list[_Block] = []

    def at(self, pos: int) -> _Block:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self._found[i].start <= pos <= self._found[i].end:
            return self._found[i]
        block = _Block(self.text, *_block_at(self.text, pos))
        self._starts.insert(i + 1, block.start)
        self._found.insert(i + 1, block)
        return block

    def content_before(self, start: int) -> tuple[int, int] | None:
        return _content_block_before(self.text, start, self.at)

    def content_after(self, end: int) -> tuple[int, int] | None:
        return _content_block_after(self.text, end, self.at)


def _block_at(text: str, pos: int) -> tuple[int, int]:
    """The run of non-blank lines holding ``pos``, as (start, end) offsets (end before its newline)."""
    start = text.rfind("\n", 0, pos) + 1
    while start > 0:
        prev_start = text.rfind("\n", 0, start - 1) + 1
        if not text[prev_start : start - 1].strip():
            break
        start = prev_start
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    while end < len(text):
        next_end = text.find("\n", end + 1)
        next_end = len(text) if next_end < 0 else next_end
        if not text[end + 1 : next_end].strip():
            break
        end = next_end
    return start, end


def _is_artefact(block: str) -> bool:
    if _PAGE_BREAK.fullmatch(block):
        return True
    lines = [line for line in block.split("\n") if line.strip()]
    return bool(lines) and all(_FOOTNOTE.match(line) for line in lines)


def _content_block_before(text: str, start: int, block_at=None) -> tuple[int, int] | None:
    """The nearest block before ``start`` that is not a page break, page number or footnote."""
    pos = start - 1
    for _ in range(_MAX_BLOCKS):
        while pos > 0 and text[pos - 1 : pos + 1].isspace():
            pos -= 1
        if pos <= 0:
            return None
        found = (block_at or (lambda p: _block_at(text, p)))(pos - 1 if text[pos] == "\n" else pos)
        block = (found.start, found.end) if isinstance(found, _Block) else found
        if not _is_artefact(text[block[0] : block[1]]):
            return block
        pos = block[0] - 1
    return None


def _content_block_after(text: str, end: int, block_at=None) -> tuple[int, int] | None:
    """The nearest block after ``end`` that is not a page break, page number or footnote."""
    pos = end
    for _ in range(_MAX_BLOCKS):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return None
        found = (block_at or (lambda p: _block_at(text, p)))(pos)
        block = (found.start, found.end) if isinstance(found, _Block) else found
        if not _is_artefact(text[block[0] : block[1]]):
            return block
        pos = block[1]
    return None


def _joins(text: str, first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Whether ``second`` carries on the sentence that ``first`` leaves unfinished."""
    a, b = text[first[0] : first[1]], text[second[0] : second[1]]
    tail = a[-40:]
    if _TERMINATED.search(tail) or _HEADING.match(a) or _HEADING.match(b):
        return False
    if _LIST_ITEM.match(a.split("\n")[-1]) or _LIST_ITEM.match(b):
        return False
    if _STARTS_LOWER.match(b):
        return True
    if tail.rstrip(" \t*_").endswith((",", "-", "–", "(")):
        return True
    last = _LAST_WORD.search(tail)
    if last is not None and last.group(1).lower() in _FUNCTION_WORDS:
        return True
    return bool(_INTERNAL_STOP.search(a))


def _table_row_at(text: str, block: tuple[int, int], pos: int) -> tuple[int, int] | None:
    """The Markdown table row holding ``pos`` ("| Fund | £5m |"), or None outside a table."""
    start = text.rfind("\n", block[0], pos) + 1 if pos > block[0] else block[0]
    start = max(start, block[0])
    if not text.startswith("|", start) and not text[start : start + 4].lstrip().startswith("|"):
        return None
    end = text.find("\n", pos, block[1])
    return start, block[1] if end < 0 else end


def _header_row(text: str, block: tuple[int, int], row: tuple[int, int]) -> bool:
    """Whether ``row`` is the first "|" line of its block (the header itself, which has no prefix)."""
    start = block[0]
    while start < row[0] and not text[start : start + 4].lstrip().startswith("|"):
        start = text.find("\n", start, row[0]) + 1 or row[0]
    return start == row[0]


def _table_header(text: str, block: tuple[int, int], row: tuple[int, int], blocks: "_Blocks | None" = None) -> str:
    """The header of the table a row belongs to, as "Table columns: a; b. Row:", or "" for the
    header itself; led by the caption ("Caption: Allocations (£000).") when the caption states the
    unit the row's figures are read in."""
    start = block[0]
    while start < row[0] and not text[start : start + 4].lstrip().startswith("|"):
        start = text.find("\n", start, row[0]) + 1 or row[0]  # caption lines in the table's block
    first_end = text.find("\n", start, block[1])
    if first_end < 0 or start == row[0]:
        return ""
    header = [clean_markup(cell) for cell in text[start:first_end].strip().strip("|").split("|")]
    prefix = _TABLE_PREFIX + "; ".join(cell for cell in header if cell) + _ROW_MARK
    caption = (block[0], start - 1) if start > block[0] else (blocks.content_before(block[0]) if blocks else _content_block_before(text, block[0]))
    if caption is not None and caption[1] - caption[0] <= _MAX_CAPTION:
        words = clean_markup(text[caption[0] : caption[1]])
        if states_unit(words):
            prefix = f"{_CAPTION_PREFIX}{words.rstrip('.:')}. {prefix}"
    return prefix


_TABLE_PREFIX, _ROW_MARK, _CAPTION_PREFIX = "Table columns: ", ". Row:", "Caption: "
_MAX_CAPTION = 200  # characters; a longer block above a table is prose, not its caption


def row_start(sentence: str) -> int:
    """Where a table row's own cells start in its sentence, after the header put before them; 0
    for any other sentence. A figure in the row ("12") is looked for from there, not in the
    header ("2012-13")."""
    if not sentence.startswith((_TABLE_PREFIX, _CAPTION_PREFIX)):
        return 0
    mark = sentence.find(_ROW_MARK)
    return 0 if mark < 0 else mark + len(_ROW_MARK)


def _last_sentence_if_colon(paragraph: str) -> str:
    paragraph = paragraph.rstrip()
    if not paragraph.rstrip("*_ ").endswith(":"):
        return ""
    starts = _sentence_starts(paragraph)
    return clean_markup(paragraph[starts[-1] :])


def _sentence_starts(paragraph: str) -> list[int]:
    """Offsets where sentences start in ``paragraph``, abbreviations ("e.g.") not ending one."""
    starts = [0]
    for match in _BOUNDARY.finditer(paragraph):
        word = _WORD_BEFORE.search(paragraph, max(0, match.start() - 12), match.start())
        if word is not None:
            token = word.group(1).rstrip(".").lower()
            if token in _ABBREVIATIONS or (len(token) == 1 and word.group(1)[0].isupper()):
                continue
        starts.append(match.end())
    return starts


_SUP = re.compile(r"<sup>.*?</sup>|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\[\^\d+\](?::[ \t]*)?", re.S)  # [^1]: a Word or PDF note mark
_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\((?:\\.|[^)\\])*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_EMPHASIS = re.compile(r"\*+|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])")
_LEADING_MARK = re.compile(r"\A\s*(?:#{1,6}\s+|(?:[-*+•‣◦▪]|\d{1,3}[.)])\s+)")
_ANY_MARKUP = re.compile(r"[<\[*_\\¹²³⁴⁵⁶⁷⁸⁹⁰]")


def clean_markup(fragment: str) -> str:
    """Return ``fragment`` as a reader would say it: no emphasis, link stubs, tags or footnote marks.

    >>> clean_markup("- **£500 million** [Mental Health Plan](#)<sup>1</sup> \\\\(MHRAP\\\\)")
    '£500 million Mental Health Plan (MHRAP)'
    >>> clean_markup("[^2]: It includes £5m[^3] for tutors.")
    'It includes £5m for tutors.'
    """
    if _ANY_MARKUP.search(fragment):
        fragment = _SUP.sub("", fragment)
        fragment = _LINK.sub(r"\1", fragment)
        fragment = _TAG.sub("", fragment)
        fragment = _EMPHASIS.sub("", fragment)
        fragment = _ESCAPE.sub(r"\1", fragment)
    fragment = _LEADING_MARK.sub("", fragment)
    return " ".join(fragment.split())


_SENTENCE_GAP = re.compile(r"(?<=[.!?])\s+")


def sentence_before(sentence: str, paragraph: str) -> str:
    """The sentence before ``sentence`` in its (cleaned) paragraph, or "" when it opens it.

    Only the text just before is read (a sentence is at most MAX_SENTENCE characters), so a
    long paragraph costs no more per figure.

    >>> sentence_before("We give £5m.", "Councils asked for help. We give £5m.")
    'Councils asked for help.'
    """
    index = paragraph.find(sentence)
    if index <= 0:
        return ""
    return _SENTENCE_GAP.split(paragraph[max(0, index - MAX_SENTENCE - 4) : index].strip())[-1]
