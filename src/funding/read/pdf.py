"""PDF: the text a reader sees, in reading order, without the furniture of the printed page.

PDFium (pypdfium2) gives each page's text in reading order, one line per ``\\r\\n``. A layout
pass then looks at each line's position and type size, from PDFium's own per-character boxes
and font sizes, and

- drops running headers and footers: lines in the top and bottom bands of the page that recur,
  digits masked, at the same height on at least half the pages ("Page 3 of 9", a print date,
  a title), and page numbers on their own ("12", "Page 12 of 40", "- 12 -", "3/18");
- takes footnotes out of the body: the smaller type at the foot of a page, starting with a
  number, goes after the body under "## Notes" as "[^N]: text", keeping the page it was printed
  on; a raised or smaller digit in the body (a superscript marker) is written "[^N]";
- rebuilds paragraphs: lines join with a space, a wider gap than the usual line spacing starts
  a new paragraph (a blank line), and a paragraph cut by a page break goes on without one when
  its last line does not end a sentence or the next page starts in lower case;
- marks headings by type size ("# ", larger type first), list items ("- ") from bullet glyphs
  or the small round bullets a browser draws, and writes a ruled table's rows as Markdown pipe
  rows, header first ("| Region | 2025-26 |"), as funding.sentences reads them;
- rejoins a word PDFium found hyphenated at a line end only when it is clearly a break: the
  document uses the joined word elsewhere and never the hyphenated one ("co-ordinating" stays).

Why not pdfplumber for the whole pass: it is pure Python and reads about 7 pages a second here,
against 400 to 600 for ``pdftotext``; the target is half of ``pdftotext``'s rate. PDFium's text
page costs about 2 ms a page, and asking it for a handful of character positions per line
(first character, digits that may be superscripts) keeps the layout pass under that. pdfplumber
would cost about 0.1 s a page even for its table finder alone, so a table ruled as a grid of
lines (as Word, LibreOffice and browsers draw one) is read from PDFium too: the rules' positions
from the page's path objects, each cell's text by its rectangle. pdfplumber's table finder is
kept for pages whose rules are drawn as boxes instead, where it pays. Not PyMuPDF: its AGPL
licence does not suit the project.

A scanned PDF (no text layer), an encrypted one and a damaged one each raise DocumentError
naming the file. Metadata: the Title where it is a real title (not empty, "untitled", the file's
own name, or a word processor's "Microsoft Word - x.docx"); the creation date as ``created``
only, not as the publication date (a file is made before it is published, and often made again
later), and not at all for PDFs printed by a web browser, whose date is the day of printing. A
PDF is dated by the dates its text states (``funding.annotate.parts``) or by its row of sources.csv.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import io
import re
import threading
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from funding.read.errors import DocumentError

__all__ = ["read_pdf"]

_PDFIUM = threading.Lock()  # PDFium is not thread-safe: one document at a time per process
BAND = 0.1  # top and bottom tenth of the page: where running headers and footers sit
SMALL = 0.92  # footnote type: below this share of the body size
LARGE = 1.15  # heading type: at least this share of the body size
_FOOT_LINES = 8  # lines at a page's foot whose right edge is measured
GAP = 1.3  # a gap above this many times the usual line spacing starts a paragraph

_TERMINAL = re.compile(r"""[.!?:;][)\]"'’”]*\s*\Z""")
_PAGE_NUMBER = re.compile(
    r"""\s*(?:(?:page|p\.)\s*)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?\s*(?:(?:of|/)\s*\d{1,4})?\s*\Z""", re.I
)
_BULLET = re.compile(r"[•●▪◦‣∙·○■□➢►\uf0b7\uf0a7\uf0d8\uf076\uf0fc]\s*")
_HYPHEN_MARK = "\ufffe"  # PDFium's mark for a hyphen it found at a line end
_WORD_END, _WORD_START = re.compile(r"\w+\Z"), re.compile(r"\w+")
_WORD = re.compile(r"\w+(?:-\w+)*")
_DIGITS = re.compile(r"\d+")
_NUMBERED = re.compile(r"(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]\s")
_LEADING_NUMBER = re.compile(r"\s*(\d{1,3})\s*(?=\S)")
_BROWSER = re.compile(r"chrom|skia|mozilla|webkit|firefox|safari|wkhtmltopdf", re.I)


@dataclass
class _Line:
    """One printed line: its text and where and how large it stands on its page."""

    text: str
    page: int  # 1-based
    x: float
    y: float  # baseline of its first letter, PDF units from the page's foot
    y_last: float  # baseline of its last row (PDFium joins hyphenated rows into one line)
    size: float
    last: int = 0  # text index of its last character
    x_end: float = 0.0  # right edge of its last character; measured only near the page's foot
    bullet: bool = False


@dataclass
class _Block:
    """A paragraph, heading, list, table or footnote, built from lines of one or more pages."""

    kind: str  # "p", "h", "list", "table", "note"
    pieces: list[tuple[str, int]]  # (text, page)
    level: int = 0
    number: str = ""


def read_pdf(path: Path | str, data: bytes) -> "Document":  # noqa: F821 (imported late: no cycle)
    """Read a PDF's bytes into a Document of kind "pdf" with its pages, notes and metadata."""
    from funding.read import Document

    path = Path(path)
    with _PDFIUM:
        pdf = _open(path, data)
        try:
            if len(pdf) == 0:
                raise DocumentError(path, "is a PDF with no pages")
            lines, heights, tables = _read_lines(pdf, data)
            if not any(line.text.strip() for page in lines for line in page):
                raise DocumentError(path, "has no text layer: it is a scan; run OCR (for example ocrmypdf) first")
            meta = _metadata(pdf, path)
        finally:
            pdf.close()
    text, pages = _layout(lines, heights, tables)
    return Document(path.stem, path, text, "utf-8", "pdf", ("PDF: offsets index the extracted text (see `funding text`)",), pages, meta)


def _open(path: Path, data: bytes):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise DocumentError(path, "is an encrypted PDF that needs a password; save an unprotected copy first") from exc
        if code == raw.FPDF_ERR_SECURITY:
            raise DocumentError(path, "is a PDF whose security handler PDFium does not support; save an unprotected copy") from exc
        raise DocumentError(path, "is a PDF that cannot be read: it is damaged or cut short; download it again") from exc


# --- lines from PDFium ---------------------------------------------------------------------------


def _read_lines(pdf, data: bytes) -> tuple[list[list[_Line]], list[float], dict[int, list]]:
    """Every page's lines, the pages' heights, and the ruled tables found, by page."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pages, heights, tables = [], [], {}
    plumber = None
    for index in range(len(pdf)):
        try:
            page = pdf[index]
            textpage = page.get_textpage()
        except pdfium.PdfiumError:  # a damaged page: its text is lost, the others still count
            pages.append([])
            heights.append(heights[-1] if heights else 842.0)
            continue
        heights.append(page.get_height())
        bullets, across, down, boxes = _drawn_marks(page)
        lines = _page_lines(textpage, index + 1, bullets)
        found = _grid_tables(textpage, across, down, heights[-1])
        if not found and boxes >= 2:  # rules drawn as boxes or one shape: pdfplumber's finder
            if plumber is None:
                import pdfplumber

                plumber = pdfplumber.open(io.BytesIO(data))
            found = [(t.bbox, t.extract()) for t in plumber.pages[index].find_tables()]
        if found:
            tables[index + 1] = found
        pages.append(lines)
    if plumber is not None:
        plumber.close()
    return pages, heights, tables


def _page_lines(textpage, number: int, bullets: list[tuple[float, float]]) -> list[_Line]:
    """One page's printed lines, in PDFium's reading order, with superscripts marked."""
    import pypdfium2.raw as raw

    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    box = [ctypes.c_double() for _ in range(4)]
    text = textpage.get_text_range()
    same = raw.FPDFText_CountChars(textpage) == len(text)  # else map text to character indices

    def char_of(i: int) -> int:
        return i if same else raw.FPDFText_GetCharIndexFromTextIndex(textpage, i)

    def where(i: int) -> tuple[float, float, float]:
        char = char_of(i)
        raw.FPDFText_GetCharOrigin(textpage, char, origin_x, origin_y)
        return origin_x.value, origin_y.value, raw.FPDFText_GetFontSize(textpage, char)

    lines: list[_Line] = []
    pos = 0
    for row in text.split("\r\n"):
        start, pos = pos, pos + len(row) + 2
        if not row.strip():
            continue
        anchor = start + next((k for k, c in enumerate(row) if not (c.isspace() or c.isdigit())), 0)
        x, y, size = where(anchor)
        if anchor != start:
            x = where(start)[0]
        y_last = where(start + row.rfind(_HYPHEN_MARK) + 1)[1] if _HYPHEN_MARK in row else y
        end = start + len(row) - 1
        if lines and abs(lines[-1].y_last - y) < 0.5 * size and x > lines[-1].x:
            previous = lines[-1]  # the same printed line, cut by PDFium after a raised mark
            row = _mark_superscripts(_Line(row, number, x, previous.y, y, previous.size), start, where)
            previous.text += row if previous.text.endswith(" ") or row[:1] in ",.;:)" else " " + row
            previous.last = end
            continue
        line = _Line(row, number, x, y, y_last, size, end)
        line.text = _mark_superscripts(line, start, where)
        line.bullet = any(bx < x < bx + 40 and abs(by - (y + 0.3 * size)) < 0.6 * size for bx, by in bullets)
        lines.append(line)
    for line in lines:
        line.text = line.text.rstrip()
    for line in lines[-_FOOT_LINES:]:  # a paragraph's last line on the page: full or short?
        raw.FPDFText_GetCharBox(textpage, char_of(line.last), *box)
        line.x_end = box[1].value
    return lines


def _mark_superscripts(line: _Line, start: int, where) -> str:
    """The line's text with each raised or smaller run of digits written as "[^N]".

    Only digit runs are examined, from their last digit back, so a page costs a few calls into
    PDFium per number rather than per character.
    """
    text = line.text
    out, last = [], 0
    for match in _DIGITS.finditer(text):
        first = match.start()
        k = match.end()
        while k > first:
            _x, y, size = where(start + k - 1)
            if not (y > line.y + 0.2 * line.size or size < 0.85 * line.size):
                break
            k -= 1
        if k == match.end() or k == 0:
            continue  # not raised; or a line opening with a small number: a footnote's own, read later
        out.append(text[last:k])
        number = text[k : match.end()]
        out.append(f"[^{number}]")
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _drawn_marks(page) -> tuple[list[tuple[float, float]], list, list, int]:
    """What the page draws besides text: small round bullets (their centres, as a browser draws
    list bullets), thin rules across (x0, x1, y) and down (x, y0, y1), and how many larger boxes
    (which may be a table drawn as rectangles)."""
    import pypdfium2.raw as raw

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bullets, across, down, boxes = [], [], [], 0
    for k in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, k)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
        width, height = x1 - x0, y1 - y0
        if 1.5 < width < 7 and abs(width - height) < 0.5:
            bullets.append((x0, (y0 + y1) / 2))
        elif height <= 2 and width >= 10:
            across.append((x0, x1, (y0 + y1) / 2))
        elif width <= 2 and height >= 8:
            down.append(((x0 + x1) / 2, y0, y1))
        elif width >= 30 and height >= 8:
            boxes += 1
    return bullets, across, down, boxes


def _grid_tables(textpage, across: list, down: list, height: float) -> list:
    """Tables ruled as a grid of separate lines: (bbox from the top, as pdfplumber gives it, and
    rows of cell texts, top row first). Each cell's text is asked of PDFium by its rectangle."""
    tables = []
    for x0, x1, y0, y1 in _grids(down):
        columns = _distinct(x for x, a, b in down if x0 - 1 <= x <= x1 + 1 and a < y1 and b > y0)
        rows = _distinct(y for a, b, y in across if y0 - 2 <= y <= y1 + 2 and a < x1 and b > x0)
        if len(columns) < 2 or len(rows) < 2:
            continue
        cells = [
            [" ".join(textpage.get_text_bounded(left + 0.5, low + 0.5, right - 0.5, high - 0.5).split())
             for left, right in zip(columns, columns[1:])]
            for high, low in zip(rows[::-1], rows[::-1][1:])
        ]
        tables.append(((columns[0], height - rows[-1], columns[-1], height - rows[0]), cells))
    return tables


def _grids(down: list) -> list[tuple[float, float, float, float]]:
    """The extents (x0, x1, y0, y1) of groups of vertical rules that overlap in height."""
    groups: list[list[float]] = []
    for x, y0, y1 in sorted(down, key=lambda rule: -rule[2]):
        for group in groups:
            if y0 < group[3] + 2 and y1 > group[2] - 2:
                group[:] = [min(group[0], x), max(group[1], x), min(group[2], y0), max(group[3], y1)]
                break
        else:
            groups.append([x, x, y0, y1])
    return [tuple(group) for group in groups if group[1] - group[0] >= 20]


def _distinct(values, tolerance: float = 2.0) -> list[float]:
    """Sorted values with near-duplicates (a double rule, a border drawn twice) merged."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


# --- the layout pass ------------------------------------------------------------------------------


def _layout(pages: list[list[_Line]], heights: list[float], tables: dict[int, list]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The document's text and its page offsets, from its lines (see the module docstring)."""
    _drop_running_lines(pages, heights)
    body_size = _body_size(pages)
    pitch = _line_pitch(pages, body_size)
    levels = _heading_levels(pages, body_size)
    body: list[_Block] = []
    notes: list[_Block] = []
    ended_full = False
    for number, lines in enumerate(pages, start=1):
        lines, page_notes = _split_footnotes(lines, body_size, heights[number - 1])
        notes.extend(page_notes)
        blocks = _blocks(lines, body_size, pitch, levels, tables.get(number, ()), heights[number - 1])
        joint = _continues(body[-1], blocks[0], ended_full) if body and blocks else ""
        if joint:
            body[-1].pieces.extend([(joint, 0)] + blocks.pop(0).pieces)
        body.extend(blocks)
        ended_full = _ends_full(lines, body_size)
    parts: list[tuple[str, int]] = []
    for block in body:
        parts.extend(_render(block))
        parts.append(("\n\n", 0))
    if notes:
        parts.append(("## Notes\n\n", 0))
        for block in notes:
            parts.extend(_render(block))
            parts.append(("\n\n", 0))
    return _join(parts)


def _drop_running_lines(pages: list[list[_Line]], heights: list[float]) -> None:
    """Remove page numbers, and lines repeated (digits masked) at one height in the top or
    bottom band on at least half the pages (two at least)."""
    def in_band(line: _Line, height: float) -> bool:
        return line.y > height * (1 - BAND) or line.y < height * BAND

    seen: Counter = Counter()
    for lines, height in zip(pages, heights):
        keys = {_running_key(line) for line in lines if in_band(line, height)}
        seen.update(keys)
    needed = max(2, (len(pages) + 1) // 2)
    for i, (lines, height) in enumerate(zip(pages, heights)):
        pages[i] = [
            line for line in lines
            if not (in_band(line, height) and (seen[_running_key(line)] >= needed or _PAGE_NUMBER.match(line.text)))
        ]


def _running_key(line: _Line) -> tuple[str, int]:
    return _DIGITS.sub("#", " ".join(line.text.split()).lower()), round(line.y / 3)


def _body_size(pages: list[list[_Line]]) -> float:
    """The type size most of the text is set in."""
    sizes: Counter = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _line_pitch(pages: list[list[_Line]], body_size: float) -> float:
    """The usual distance between baselines of body lines in one paragraph."""
    gaps: Counter = Counter()
    for lines in pages:
        for a, b in zip(lines, lines[1:]):
            if _same_size(a.size, body_size) and _same_size(b.size, body_size) and 0 < a.y_last - b.y < 3 * body_size:
                gaps[round(2 * (a.y_last - b.y)) / 2] += 1
    return gaps.most_common(1)[0][0] if gaps else 1.2 * body_size


def _heading_levels(pages: list[list[_Line]], body_size: float) -> dict[float, int]:
    """Heading level by type size: the largest size is level 1."""
    sizes = sorted({round(line.size * 2) / 2 for lines in pages for line in lines if line.size >= LARGE * body_size}, reverse=True)
    return {size: min(level, 6) for level, size in enumerate(sizes, start=1)}


def _same_size(a: float, b: float) -> bool:
    return abs(a - b) <= 0.05 * b


def _split_footnotes(lines: list[_Line], body_size: float, height: float) -> tuple[list[_Line], list[_Block]]:
    """The page's body lines, and its footnotes: the run of smaller type at the foot of the page,
    starting with a number, under the last line of body type."""
    k = len(lines)
    while k > 0 and lines[k - 1].size < SMALL * body_size and lines[k - 1].y < height / 2:
        k -= 1
    foot = lines[k:]
    if not foot or not _LEADING_NUMBER.match(foot[0].text):
        return lines, []
    notes: list[_Block] = []
    for line in foot:
        number = _LEADING_NUMBER.match(line.text)
        if number:
            notes.append(_Block("note", [(line.text[number.end() :], line.page)], number=number.group(1)))
        else:
            _append(notes[-1], line.text, line.page)
    return lines[:k], notes


def _blocks(lines: list[_Line], body_size: float, pitch: float, levels: dict[float, int], tables, height: float) -> list[_Block]:
    """One page's body lines as blocks: paragraphs, headings, lists and tables."""
    blocks: list[_Block] = []
    placed = set()
    previous: _Line | None = None
    for line in lines:
        table = _table_of(line, tables, height)
        if table is not None:
            if id(table) not in placed:
                placed.add(id(table))
                blocks.append(_Block("table", [(_pipe_rows(table[1]), line.page)]))
            previous = None
            continue
        level = levels.get(round(line.size * 2) / 2, 0)
        text = line.text
        bullet = _BULLET.match(text)
        is_item = line.bullet or bool(bullet)
        current = blocks[-1] if blocks and previous is not None else None
        if bullet:
            text = text[bullet.end() :]
        if is_item:
            text = "- " + text
        elif _NUMBERED.match(text) and current is not None and (current.kind == "list" or current.pieces[-1][0].endswith(":")):
            is_item = True  # "1." after a lead-in ending with a colon, or after another item
        gap = previous is not None and (previous.y_last - line.y > GAP * pitch * line.size / body_size or previous.y_last < line.y)
        if is_item and current is not None and current.kind == "list":
            current.pieces.append(("\n" + text, line.page))
        elif is_item:
            blocks.append(_Block("list", [(text, line.page)]))
        elif current is not None and not gap and (
            (level and current.kind == "h" and current.level == level)
            or (not level and current.kind == "p" and _same_size(previous.size, line.size))
            or (not level and current.kind == "list" and line.x > previous.x - 1)
        ):
            _append(current, text, line.page)
        elif level:
            blocks.append(_Block("h", [(text, line.page)], level=level))
        else:
            blocks.append(_Block("p", [(text, line.page)]))
        previous = line
    return blocks


def _append(block: _Block, text: str, page: int) -> None:
    """Add the next line of a paragraph: after a space, or straight after a soft hyphen (dropped)
    or a hyphen between letters (marked, to be judged with the whole text in view)."""
    before = block.pieces[-1][0]
    if before.endswith(("\xad", "\x02")):
        block.pieces[-1] = (before[:-1], block.pieces[-1][1])
    elif before.endswith("-") and before[-2:-1].isalpha() and text[:1].islower():
        block.pieces[-1] = (before[:-1] + _HYPHEN_MARK, block.pieces[-1][1])
    elif not before.endswith(" "):
        text = " " + text
    block.pieces.append((text, page))


def _table_of(line: _Line, tables, height: float):
    for table in tables:
        x0, top, x1, bottom = table[0]
        if x0 - 2 <= line.x <= x1 and height - bottom - 2 <= line.y <= height - top + 2:
            return table
    return None


def _pipe_rows(rows: list[list[str | None]]) -> str:
    """A table's rows as Markdown pipe rows, header first, a cell's lines joined by spaces."""
    def cell(value: str | None) -> str:
        return " ".join((value or "").split()).replace("|", "/")

    return "\n".join("| " + " | ".join(cell(value) for value in row) + " |" for row in rows if any(row))


def _ends_full(lines: list[_Line], body_size: float) -> bool:
    """Whether the page's last body line runs to the right margin (so its paragraph may go on
    over the page even though the line ends a sentence)."""
    if not lines:
        return False
    margin = max(line.x_end for line in lines[-_FOOT_LINES:])
    return lines[-1].x_end >= margin - 2 * body_size


def _continues(last: _Block, first: _Block, ended_full: bool = False) -> str:
    """What joins a page's first block to the block the page before ended with, if it carries
    it on: a space for a paragraph (or list item) cut short, or whose last line is full width
    and the next page opens with a paragraph; a line end for a list's next item; "" when the
    next page starts afresh."""
    tail = last.pieces[-1][0]
    head = first.pieces[0][0].lstrip()
    if last.kind == "list" and first.kind == "list":
        return "\n"
    if last.kind == "p" and first.kind == "p" and (ended_full or not _TERMINAL.search(tail) or head[:1].islower()):
        return " "
    if last.kind == "list" and first.kind == "p" and head[:1].islower():
        return " "
    return ""


def _render(block: _Block) -> list[tuple[str, int]]:
    if block.kind == "h":
        first, page = block.pieces[0]
        return [("#" * block.level + " " + first, page), *block.pieces[1:]]
    if block.kind == "note":
        first, page = block.pieces[0]
        return [(f"[^{block.number}]: " + first, page), *block.pieces[1:]]
    return list(block.pieces)


def _join(parts: list[tuple[str, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Concatenate (text, page) parts into the text and its page starts; page 0 marks a
    separator, which belongs to no page of its own."""
    text_parts, pages, offset, current = [], [], 0, None
    for piece, page in parts:
        if page and page != current and piece.strip():
            pages.append((offset, page))
            current = page
        text_parts.append(piece)
        offset += len(piece)
    text = "".join(text_parts).rstrip() + "\n"
    if _HYPHEN_MARK not in text:
        return text, tuple(pages)
    text, removed = _resolve_hyphens(text)
    return text, tuple((offset - bisect_left(removed, offset), page) for offset, page in pages)


def _resolve_hyphens(text: str) -> tuple[str, list[int]]:
    """The text with each line-end hyphen PDFium marked judged, and where hyphens were dropped.

    A hyphen is dropped only where the joined word is used elsewhere in the document and the
    hyphenated one is not ("implemen-tation"); otherwise it stays ("co-ordinating"), and any mark
    not between two words becomes a plain hyphen.
    """
    words = set(_WORD.findall(text.replace(_HYPHEN_MARK, " ").lower()))
    out, removed, last = [], [], 0
    mark = text.find(_HYPHEN_MARK)
    while mark >= 0:
        left = _WORD_END.search(text, max(0, mark - 60), mark)
        right = _WORD_START.match(text, mark + 1)
        out.append(text[last:mark])
        if left and right and (left.group() + right.group()).lower() in words and f"{left.group()}-{right.group()}".lower() not in words:
            removed.append(mark)
        else:
            out.append("-")
        last = mark + 1
        mark = text.find(_HYPHEN_MARK, last)
    out.append(text[last:])
    return "".join(out), removed


# --- metadata -----------------------------------------------------------------------------------


def _metadata(pdf, path: Path):
    from funding.read import Metadata

    info = pdf.get_metadata_dict(skip_empty=True)
    title = " ".join(info.get("Title", "").split())
    if (
        not title
        or title.lower() in {"untitled", path.stem.lower(), path.name.lower()}
        or re.search(r"\.(docx?|odt|pdf|html?|rtf|pptx?|xlsx?)\Z", title, re.I)
        or title.lower().startswith("microsoft word - ")
    ):
        title = ""
    made_by = info.get("Creator", "") + " " + info.get("Producer", "")
    created = None if _BROWSER.search(made_by) else _pdf_date(info.get("CreationDate", ""))
    return Metadata(title=title, created=created)


def _pdf_date(value: str) -> dt.date | None:
    """A PDF date string ("D:20240131120000Z") as a date, or None if it is not one.

    >>> _pdf_date("D:20240131120000+00'00'"), _pdf_date("nonsense")
    (datetime.date(2024, 1, 31), None)
    """
    match = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", value.strip())
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return None
