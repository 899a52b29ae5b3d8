"""Web pages: an HTML page reduced to its readable text, blocks on their own lines."""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_to_text", "looks_like_html"]


# --- HTML ------------------------------------------------------------------------------------


def looks_like_html(text: str) -> bool:
    head = text[:1000].lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer form header "
    "main nav ol p section ul details summary title".split()
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg"})
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0]+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str | int] = []  # an int is a line break of that many newlines
        self.skip = 0
        self.pre = 0
        self.cell = 0  # inside a table cell, where a block break is a space: a row stays one line
        self.table = 0  # tables open around here: spaces between cells are markup, not text

    def _break(self, newlines: int = 2) -> None:
        if self.cell:
            if self.parts and isinstance(self.parts[-1], str) and not self.parts[-1].endswith((" ", "|")):
                self.parts.append(" ")
            return
        if self.parts and self.parts[-1] == "- ":
            return  # "<li><p>": the item's first paragraph stays on the marker's line
        while not self.pre and self.parts and isinstance(self.parts[-1], str) and not self.parts[-1].strip():
            self.parts.pop()  # the indentation between "</li>" and "<li>": no text, so no break of its own
        if self.parts and isinstance(self.parts[-1], int):
            self.parts[-1] = max(self.parts[-1], newlines)  # "</li><li>" is one break, not two
        else:
            self.parts.append(newlines)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self._break()
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._break()
            self.parts.append("#" * int(tag[1]) + " ")
        elif tag == "li":
            self._break(1)
            self.parts.append("- ")
        elif tag == "br":
            self._break(1)
        elif tag == "hr":
            self._break()
            self.parts.append("---")
            self._break()
        elif tag == "pre":
            self._break()
            self.pre += 1
        elif tag == "table":
            self.table += 1
            self._break()
        elif tag == "caption":
            self._break()
        elif tag == "tr":
            self._break(1)
            self.parts.append("|")
        elif tag in {"td", "th"}:
            self._close_cell()  # a cell left open before this one
            self.cell = 1
            self.parts.append(" ")

    def _close_cell(self) -> None:
        if not self.cell:
            return
        self.cell = 0
        if self.parts and isinstance(self.parts[-1], str):
            self.parts[-1] = self.parts[-1].rstrip(" ")
        self.parts.append(" |")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag == "table":
            self.table = max(0, self.table - 1)
            self._close_cell()
            self._break()
        elif tag in {"td", "th"}:
            self._close_cell()
        elif tag == "tr":
            self._close_cell()
            self._break(1)
        elif tag == "caption":
            self._break(1)  # the caption stays in the table's block, on the line above its rows
        elif tag in _BLOCK_TAGS or tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._break()
        elif tag == "li":
            self._break(1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self._break()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            self.parts.append(data)
            return
        data = _SPACE.sub(" ", data)
        if self.table and data.startswith(" ") and self.parts and (
            isinstance(self.parts[-1], int) or self.parts[-1].endswith((" ", "|"))
        ):
            data = data[1:]  # the indentation between a table's tags; "|  Fund" would read oddly
        if data:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Return the readable text of an HTML page: blocks on their own lines, markup dropped.

    >>> html_to_text("<p>We are investing <b>£5m</b>.</p><ul><li>one</li><li>two</li></ul>")
    'We are investing £5m.\\n\\n- one\\n- two\\n'

    A table is one row a line, cells between " | ", its header row first, as in Markdown:

    >>> html_to_text("<table><tr><th>Fund</th><th>2024</th></tr><tr><td>Hubs</td><td>£5m</td></tr></table>")
    '| Fund | 2024 |\\n| Hubs | £5m |\\n'
    """
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join("\n" * part if isinstance(part, int) else part for part in parser.parts)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)  # no stray spaces at line ends or starts
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text else ""
