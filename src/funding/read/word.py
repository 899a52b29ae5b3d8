"""Word (.docx) and OpenDocument text (.odt) files into Markdown-like decoded text.

Both give the same shape, so the money finder and the sentence splitter read them as they read
a Markdown document:

- paragraphs separated by a blank line; headings as "# " ("Title" and "Heading 1"), "## " ...;
- list items as "- " lines (nested ones indented two spaces a level), numbered or not;
- tables as "| a | b |" rows, the first row (the header) first, a blank line before and after;
  a cell merged into its neighbour is left empty, so a figure is never read twice;
- a footnote or endnote reference as "[^1]" where it stands (the money finder reads "£5m[^1]" as
  £5m and finds nothing in "[^1]"), and the notes themselves after the body under "## Notes" as
  "[^1]: text" paragraphs, numbered in the order they are referred to.

Running headers and footers, comments, deleted tracked changes, text boxes and field codes are
left out: they are not the document's sentences. A Word file has no fixed pages (they depend on
the printer and fonts), so ``Document.pages`` is empty.

Dates: ``Metadata.published`` and ``updated`` stay empty. A Word file's "created" date is when
its template or first draft was made, and "modified" is the last save by anyone (often a
conversion or a colleague's edit), so neither is the date the document was published; only
the title (core properties, or the ODF meta title) is taken.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from typing import TYPE_CHECKING

from lxml import etree

from funding.read.errors import DocumentError

if TYPE_CHECKING:
    from funding.read import Document

__all__ = ["office_kind", "read_docx", "read_odt"]

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: old .doc, or an encrypted .docx
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream an encrypted OOXML file holds
_SUFFIXES = {".docx": "docx", ".docm": "docx", ".dotx": "docx", ".odt": "odt", ".ott": "odt"}
_NOTE = "offsets index the extracted text (see `funding text`); footnotes follow the body under \"## Notes\""
_XML = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)


def office_kind(data: bytes, path: Path | str) -> str | None:
    """"docx" or "odt" when the bytes say so (a zip holding word/document.xml, or the ODF text
    mimetype; an encrypted Office file), else by the name's suffix; None for anything else.

    >>> office_kind(b"PK\\x03\\x04 not really a zip", "notes.odt"), office_kind(b"plain", "a.txt")
    ('odt', None)
    """
    if data.startswith(_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "mimetype" in names and package.read("mimetype").strip() == ODT_MIMETYPE:
                    return "odt"
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError):
            pass  # a broken zip: its name decides, and the reader explains
    elif data.startswith(_OLE) and _ENCRYPTED_PACKAGE in data:
        return "docx"
    return _SUFFIXES.get(Path(path).suffix.lower())


# --- shared -----------------------------------------------------------------------------------


class _Notes:
    """Footnotes and endnotes numbered in the order the body refers to them."""

    def __init__(self, texts: Callable[[str, str], str]):
        self._texts = texts  # (kind, id) -> the note's text
        self._numbers: dict[tuple[str, str], int] = {}
        self.lines: list[str] = []

    def marker(self, kind: str, note_id: str) -> str:
        key = (kind, note_id)
        if key not in self._numbers:
            self._numbers[key] = len(self._numbers) + 1
            self.lines.append(f"[^{self._numbers[key]}]: {self._texts(kind, note_id)}".rstrip())
        return f"[^{self._numbers[key]}]"


def _join(blocks: list[str], notes: _Notes) -> str:
    """The blocks with blank lines between, the notes after them under "## Notes"."""
    blocks = [block for block in blocks if block.strip()]
    if notes.lines:
        blocks += ["## Notes", *notes.lines]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _row_line(cells: list[str]) -> str:
    """One table row as "| a | b |"; a "|" inside a cell becomes "/" so the columns stay true."""
    return "| " + " | ".join(" ".join(cell.replace("|", "/").split()) for cell in cells) + " |"


def _table_block(rows: list[list[str]]) -> str:
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    return "\n".join(_row_line(row) for row in rows)


def _open_zip(path: Path, data: bytes, what: str) -> zipfile.ZipFile:
    if data.startswith(_OLE):
        if _ENCRYPTED_PACKAGE in data:
            raise DocumentError(path, f"is a password-protected (encrypted) {what}: save an unprotected copy and read that")
        raise DocumentError(path, f"is an old-format Office file (.doc), not a {what}: save it as .docx or .odt first")
    if not data.startswith(_ZIP):
        raise DocumentError(path, f"is not a {what} (it is not a zip package)")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise DocumentError(path, f"is a damaged {what}: its zip package cannot be opened ({exc})") from exc


def _read_member(path: Path, package: zipfile.ZipFile, name: str, what: str) -> bytes:
    try:
        return package.read(name)
    except KeyError as exc:
        raise DocumentError(path, f"is not a {what} (its package has no {name})") from exc
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as exc:  # CRC errors, truncation
        raise DocumentError(path, f"is a damaged {what}: {name} cannot be read ({exc})") from exc


def _parse(path: Path, xml: bytes, name: str, what: str) -> etree._Element:
    try:
        return etree.fromstring(xml, _XML)
    except etree.XMLSyntaxError as exc:
        raise DocumentError(path, f"is a damaged {what}: {name} is not well-formed XML ({exc})") from exc


# --- Word -------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
_W_SKIP = frozenset(W + tag for tag in (
    "pPr", "rPr", "del", "moveFrom", "instrText", "delText", "drawing", "pict", "object",
    "commentReference", "footnoteRef", "endnoteRef", "annotationRef", "separator", "continuationSeparator",
)) | {_MC_ALTERNATE}
_W_CONTAINERS = frozenset(W + tag for tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag"))
_HEADING_STYLE = re.compile(r"(?i)heading ([1-9])")
_LIST_STYLE = re.compile(r"(?i)list (?:bullet|number)(?: ([2-9]))?")
_FOOTNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_ENDNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"


def read_docx(path: Path | str, data: bytes) -> Document:
    """A Word document's text in document order (see the module docstring for its shape).

    Raises DocumentError naming the file for a damaged zip, a zip that is not a Word document,
    an encrypted (password-protected) file or an old binary .doc.
    """
    import docx  # python-docx is imported only when a Word file is read

    from funding.read import Document, Metadata

    path = Path(path)
    with _open_zip(path, data, "Word document") as package:
        if "word/document.xml" not in package.namelist():
            raise DocumentError(path, "is not a Word document (its package has no word/document.xml)")
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds (KeyError, ValueError, its own) for a bad package
        raise DocumentError(path, f"is not a readable Word document ({type(exc).__name__}: {exc})") from exc
    notes = _Notes(_word_notes(path, word))
    styles = _WordStyles(word)
    blocks = _word_blocks(word.element.body, styles, notes)
    title = (word.core_properties.title or "").strip()
    return Document(path.stem, path, _join(blocks, notes), "", "docx", ("Word: " + _NOTE,), meta=Metadata(title=title))


def _word_notes(path: Path, word) -> Callable[[str, str], str]:
    """Look a footnote or endnote up by kind and id, reading its part only when first asked."""
    parts: dict[str, dict[str, str]] = {}

    def text(kind: str, note_id: str) -> str:
        if kind not in parts:
            parts[kind] = {}
            reltype = _FOOTNOTES_RT if kind == "footnote" else _ENDNOTES_RT
            try:
                blob = word.part.part_related_by(reltype).blob
            except KeyError:  # a reference to a note the package does not hold
                return ""
            root = _parse(path, blob, f"its {kind}s part", "Word document")
            for note in root.iterchildren(W + kind):
                if note.get(W + "type") in (None, "normal"):  # not the separator lines
                    paragraphs = [_word_inline(p, None) for p in note.iter(W + "p")]
                    parts[kind][note.get(W + "id")] = " ".join(" ".join(p.split()) for p in paragraphs if p.strip())
        return parts[kind].get(note_id, "")

    return text


class _WordStyles:
    """Each paragraph style's heading level and list level, worked out once per style."""

    def __init__(self, word):
        self._styles = word.styles
        self._cache: dict[str, tuple[int | None, int | None]] = {}

    def levels(self, style_id: str | None) -> tuple[int | None, int | None]:
        """(heading level, list level) of a style, following the styles it is based on."""
        if style_id not in self._cache:
            heading = listed = None
            try:
                style = self._styles.get_by_id(style_id, 1) if style_id else self._styles.default(1)  # 1: paragraph
            except Exception:  # an id naming no style: Word falls back to the default too
                style = None
            for _ in range(20):  # a chain of based-on styles; a cycle stops here
                if style is None:
                    break
                name = style.name or ""
                match = _HEADING_STYLE.fullmatch(name)
                if heading is None and (name.lower() == "title" or match):
                    heading = int(match.group(1)) if match else 1
                ppr = style.element.pPr
                if heading is None and ppr is not None and ppr.find(W + "outlineLvl") is not None:
                    level = int(ppr.find(W + "outlineLvl").get(W + "val", "9"))
                    heading = level + 1 if level < 9 else None
                listed_match = _LIST_STYLE.fullmatch(name)
                if listed is None and listed_match:
                    listed = int(listed_match.group(1) or 1) - 1
                if listed is None and ppr is not None and ppr.find(W + "numPr") is not None:
                    listed = _numbering_level(ppr.find(W + "numPr"))
                style = style.base_style
            self._cache[style_id] = (heading, listed)
        return self._cache[style_id]


def _numbering_level(num_pr) -> int | None:
    """The list level numbering properties give (0 for the outermost), None for "no numbering"."""
    num_id = num_pr.find(W + "numId")
    if num_id is not None and num_id.get(W + "val") == "0":
        return None
    ilvl = num_pr.find(W + "ilvl")
    return int(ilvl.get(W + "val", "0")) if ilvl is not None else 0


def _children(container, tags: tuple[str, ...] = (W + "p", W + "tbl")) -> Iterator:
    """The children of a body, cell, table or row with these tags (paragraphs and tables, rows,
    cells) in order, through content controls and the like that Word wraps them in."""
    for child in container:
        if child.tag in tags:
            yield child
        elif child.tag in _W_CONTAINERS:
            yield from _children(child, tags)


def _word_blocks(body, styles: _WordStyles, notes: _Notes) -> list[str]:
    blocks: list[str] = []
    items: list[str] = []  # the list being gathered: consecutive items share one block
    for element in _children(body):
        if element.tag == W + "tbl":
            rows = _word_rows(element, notes)
            text, item = _table_block(rows), None
        else:
            text = _word_inline(element, notes).strip()
            text, item = _word_paragraph(element, text, styles)
        if item is None and items:
            blocks.append("\n".join(items))
            items = []
        if item is not None:
            items.append(item)
        elif text:
            blocks.append(text)
    if items:
        blocks.append("\n".join(items))
    return blocks


def _word_paragraph(p, text: str, styles: _WordStyles) -> tuple[str, str | None]:
    """(text as a block, None) or ("", text as a list item) for one paragraph."""
    if not text:
        return "", None
    ppr = p.find(W + "pPr")
    style = ppr.find(W + "pStyle") if ppr is not None else None
    heading, listed = styles.levels(style.get(W + "val") if style is not None else None)
    if ppr is not None:
        outline = ppr.find(W + "outlineLvl")
        if outline is not None:
            level = int(outline.get(W + "val", "9"))
            heading = level + 1 if level < 9 else None
        num_pr = ppr.find(W + "numPr")
        if num_pr is not None:
            listed = _numbering_level(num_pr)
    text = " ".join(text.split()) if heading else text
    if heading:
        return "#" * min(heading, 6) + " " + text, None
    if listed is not None:
        return "", "  " * min(listed, 8) + "- " + " ".join(text.split())
    return text, None


def _word_inline(element, notes: _Notes | None) -> str:
    """The text of a paragraph's runs, note references as "[^N]" (left out where notes is None)."""
    parts: list[str] = []

    def walk(parent) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag in _W_SKIP or not isinstance(tag, str):
                continue
            elif tag in (W + "tab", W + "ptab"):
                parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                parts.append(" " if child.get(W + "type") in ("page", "column") else "\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag in (W + "footnoteReference", W + "endnoteReference"):
                if notes is not None:
                    kind = "footnote" if tag == W + "footnoteReference" else "endnote"
                    parts.append(notes.marker(kind, child.get(W + "id", "")))
            elif tag == W + "p":  # a paragraph nested in a cell's walk
                parts.append(" ")
                walk(child)
            else:
                walk(child)

    walk(element)
    return "".join(parts)


def _word_rows(table, notes: _Notes) -> list[list[str]]:
    """A table's rows of cell texts; merged cells after the first are empty, nested tables flattened."""
    rows = []
    for tr in _children(table, (W + "tr",)):
        cells: list[str] = []
        tr_pr = tr.find(W + "trPr")
        before = tr_pr.find(W + "gridBefore") if tr_pr is not None else None
        cells += [""] * (int(before.get(W + "val", "0")) if before is not None else 0)
        for tc in _children(tr, (W + "tc",)):
            tc_pr = tc.find(W + "tcPr")
            span = tc_pr.find(W + "gridSpan") if tc_pr is not None else None
            merge = tc_pr.find(W + "vMerge") if tc_pr is not None else None
            continued = merge is not None and merge.get(W + "val", "continue") == "continue"
            text = "" if continued else " ".join(_word_inline(tc, notes).split())
            cells += [text] + [""] * (int(span.get(W + "val", "1")) - 1 if span is not None else 0)
        rows.append(cells)
    return rows


# --- OpenDocument -----------------------------------------------------------------------------

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_ODF_INLINE_SKIP = frozenset({
    OFFICE + "annotation", OFFICE + "annotation-end", TEXT + "tracked-changes", TEXT + "bookmark",
    TEXT + "bookmark-start", TEXT + "bookmark-end", TEXT + "reference-mark", TEXT + "soft-page-break",
})
_ODF_SECTIONS = frozenset({TEXT + "section", TEXT + "list-header"})
_MAX_REPEAT = 100  # a cell or row "repeated" more often than this is a layout artefact, not data


def read_odt(path: Path | str, data: bytes) -> Document:
    """An OpenDocument text file's text in document order, in the same shape as ``read_docx``."""
    from funding.read import Document, Metadata

    path = Path(path)
    what = "OpenDocument text file"
    with _open_zip(path, data, what) as package:
        names = set(package.namelist())
        if "META-INF/manifest.xml" in names and b"encryption-data" in _read_member(path, package, "META-INF/manifest.xml", what):
            raise DocumentError(path, f"is a password-protected (encrypted) {what}: save an unprotected copy and read that")
        content = _parse(path, _read_member(path, package, "content.xml", what), "content.xml", what)
        meta = _parse(path, package.read("meta.xml"), "meta.xml", what) if "meta.xml" in names else None
    body = content.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise DocumentError(path, f"is not a {what} (content.xml has no office:text body)")
    titles = _odf_title_styles(content)
    bodies: dict[str, str] = {}
    notes = _Notes(lambda kind, note_id: bodies.get(note_id, ""))
    blocks = _odf_blocks(body, titles, notes, bodies)
    title = meta.findtext(f".//{_DC_TITLE}") if meta is not None else None
    return Document(path.stem, path, _join(blocks, notes), "", "odt", ("OpenDocument: " + _NOTE,), meta=Metadata(title=(title or "").strip()))


def _odf_title_styles(content) -> set[str]:
    """Names of the paragraph styles that are the "Title" style or derive from it in content.xml."""
    parents = {
        style.get(STYLE + "name"): style.get(STYLE + "parent-style-name")
        for style in content.iter(STYLE + "style")
    }
    titles = {"Title"}
    for name in parents:
        seen, current = 0, name
        while current is not None and seen < 20:
            if current in titles:
                titles.add(name)
                break
            current, seen = parents.get(current), seen + 1
    return titles


def _odf_blocks(container, titles: set[str], notes: _Notes, bodies: dict[str, str], depth: int = -1) -> list[str]:
    blocks: list[str] = []
    for child in container:
        tag = child.tag
        if tag == TEXT + "h":
            text = " ".join(_odf_inline(child, notes, bodies).split())
            level = int(child.get(TEXT + "outline-level", "1") or 1)
            blocks.append("#" * min(max(level, 1), 6) + " " + text if text else "")
        elif tag == TEXT + "p":
            text = _odf_inline(child, notes, bodies).strip()
            blocks.append("# " + " ".join(text.split()) if text and child.get(TEXT + "style-name") in titles else text)
        elif tag == TEXT + "list":
            blocks.append("\n".join(_odf_items(child, notes, bodies, depth + 1)))
        elif tag == TABLE + "table":
            blocks.append(_table_block(_odf_rows(child, notes, bodies)))
        elif tag in _ODF_SECTIONS:
            blocks += _odf_blocks(child, titles, notes, bodies, depth)
    return blocks


def _odf_items(lst, notes: _Notes, bodies: dict[str, str], depth: int) -> list[str]:
    """A list's items as "- " lines, nested lists indented, an item's paragraphs joined."""
    lines: list[str] = []
    for item in lst:
        if item.tag not in (TEXT + "list-item", TEXT + "list-header"):
            continue
        words: list[str] = []
        nested: list[str] = []
        for part in item:
            if part.tag in (TEXT + "p", TEXT + "h"):
                words.append(_odf_inline(part, notes, bodies))
            elif part.tag == TEXT + "list":
                nested += _odf_items(part, notes, bodies, depth + 1)
        text = " ".join(" ".join(words).split())
        if text:
            lines.append("  " * min(depth, 8) + "- " + text)
        lines += nested
    return lines


def _odf_inline(element, notes: _Notes | None, bodies: dict[str, str]) -> str:
    """A paragraph's text: runs of white space collapse to one (as ODF says), text:s counts spaces."""
    parts: list[str] = [_collapse(element.text)]
    for child in element:
        tag = child.tag
        if tag == TEXT + "s":
            parts.append(" " * min(int(child.get(TEXT + "c", "1") or 1), 100))
        elif tag == TEXT + "tab":
            parts.append("\t")
        elif tag == TEXT + "line-break":
            parts.append("\n")
        elif tag == TEXT + "note":
            if notes is not None:
                note_id = child.get(TEXT + "id") or f"note{len(bodies)}"
                body = child.find(TEXT + "note-body")
                paragraphs = [_odf_inline(p, None, bodies) for p in body.iter(TEXT + "p", TEXT + "h")] if body is not None else []
                bodies[note_id] = " ".join(" ".join(p.split()) for p in paragraphs if p.strip())
                parts.append(notes.marker(child.get(TEXT + "note-class", "footnote"), note_id))
        elif tag not in _ODF_INLINE_SKIP and isinstance(tag, str) and not tag.startswith("{urn:oasis:names:tc:opendocument:xmlns:drawing"):
            parts.append(_odf_inline(child, notes, bodies))
        parts.append(_collapse(child.tail))
    return "".join(parts)


def _collapse(text: str | None) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text) if text else ""


def _odf_rows(table, notes: _Notes, bodies: dict[str, str]) -> list[list[str]]:
    """A table's rows, header rows first as written; covered (merged) cells empty."""
    rows: list[list[str]] = []
    for child in table:
        if child.tag == TABLE + "table-row":
            cells: list[str] = []
            for cell in child:
                if cell.tag not in (TABLE + "table-cell", TABLE + "covered-table-cell"):
                    continue
                text = ""
                if cell.tag == TABLE + "table-cell":  # its paragraphs, lists and nested tables, in one line
                    text = " ".join(" ".join(_odf_blocks(cell, set(), notes, bodies)).split())
                repeat = min(int(cell.get(TABLE + "number-columns-repeated", "1") or 1), _MAX_REPEAT)
                cells += [text] * repeat
            while cells and not cells[-1]:
                cells.pop()
            repeat = min(int(child.get(TABLE + "number-rows-repeated", "1") or 1), _MAX_REPEAT)
            rows += [cells] * (repeat if any(cells) else 1)
        elif child.tag in (TABLE + "table-header-rows", TABLE + "table-rows", TABLE + "table-row-group"):
            rows += _odf_rows(child, notes, bodies)
    return rows
