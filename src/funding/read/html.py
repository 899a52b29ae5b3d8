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
    "main nav ol p section table tbody thead tfoot tr ul caption details summary title".split()
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg"})
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0]+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str | int] = []  # an int is a line break of that many newlines
        self.skip = 0
        self.pre = 0

    def _break(self, newlines: int = 2) -> None:
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
        elif tag in {"td", "th"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
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
        self.parts.append(data if self.pre else _SPACE.sub(" ", data))


def html_to_text(html: str) -> str:
    """Return the readable text of an HTML page: blocks on their own lines, markup dropped.

    >>> html_to_text("<p>We are investing <b>£5m</b>.</p><ul><li>one</li><li>two</li></ul>")
    'We are investing £5m.\\n\\n- one\\n- two\\n'
    """
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join("\n" * part if isinstance(part, int) else part for part in parser.parts)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)  # no stray spaces at line ends or starts
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text else ""
