"""Text files: bytes decoded into the text every offset in the tables refers to.

Documents arrive as they do in the real world: UTF-8 with or without a byte-order mark,
UTF-16 with one, Windows-1252 (where "£" is the byte 0xA3), pages decoded twice so that "£"
reads "Â£", CRLF line ends and empty files. ``decode_bytes`` turns each into one string:

1. the bytes are decoded (BOM first, then strict UTF-8, then strict Windows-1252);
2. double-decoded UTF-8 ("mojibake" such as "Â£" or "â€™") is repaired;
3. CRLF and lone CR line ends become LF, so line numbers match what an editor shows.

For a UTF-8 Markdown or text file with LF line ends and no mojibake, the decoded text is
exactly the file's characters.
"""

from __future__ import annotations

import re
from pathlib import Path

from funding.read.errors import DocumentError

__all__ = ["decode_bytes", "repair_mojibake", "replace_surrogates"]


# --- decoding --------------------------------------------------------------------------------

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "is a PDF, not text (name it .pdf to read it as one)"),
    (b"PK\x03\x04", "is a zip archive (a Word, Excel or OpenDocument file?), not text: name a Word file .docx, an OpenDocument text .odt"),
    (b"\xd0\xcf\x11\xe0", "is an old Office file (.doc or .xls), not text: save it as text or Markdown first"),
    (b"\x89PNG", "is a PNG image, not text"),
    (b"\xff\xd8\xff", "is a JPEG image, not text"),
    (b"\x1f\x8b", "is gzip-compressed: decompress it first"),
)
# Counting each character is far faster than a character-class regex over the same text.
_CONTROL_CHARS = tuple(chr(c) for c in [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])


def decode_bytes(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str, tuple[str, ...]]:
    """Decode a document's bytes; return (text, encoding, notes) or raise DocumentError.

    >>> decode_bytes("£5m".encode("cp1252"))[:2]
    ('£5m', 'cp1252')
    >>> decode_bytes(b"\\xef\\xbb\\xbf\\xc2\\xa35m\\r\\n")[0]
    '£5m\\n'
    """
    notes: list[str] = []
    for signature, reason in _SIGNATURES:
        if data.startswith(signature):
            raise DocumentError(path, reason)
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = _decode(data[3:], "utf-8", path), "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _decode(data, "utf-16", path), "utf-16"
    elif b"\x00" in data[:65536]:
        raise DocumentError(path, "is binary (it contains NUL bytes), not a text document")
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            text, encoding = _decode(data, "cp1252", path, utf8_error=exc), "cp1252"
            notes.append(f"not valid UTF-8 (byte {exc.start}); read as Windows-1252")
    sample = text[:65536]
    present = [ch for ch in _CONTROL_CHARS if ch in sample]  # a presence test is cheaper than a count
    if present and sum(sample.count(ch) for ch in present) > 0.01 * len(sample):
        raise DocumentError(path, "is binary (over 1% control characters), not a text document")
    text, repaired = repair_mojibake(text)
    if repaired:
        notes.append(f"repaired {repaired} double-decoded character sequence(s) such as 'Â£'")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append("CR/CRLF line ends read as LF")
    return text, encoding, tuple(notes)


def _decode(data: bytes, encoding: str, path, utf8_error: UnicodeDecodeError | None = None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        detail = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
        tried = "UTF-8 nor Windows-1252" if utf8_error else encoding
        raise DocumentError(path, f"is neither {tried} text ({detail})") from exc


# Text that was UTF-8, decoded once more as Windows-1252 (or Latin-1): a lead character
# (what a UTF-8 lead byte looks like in Windows-1252) followed by continuation characters.
def _cp1252_chars(first: int, last: int) -> str:
    chars = []
    for byte in range(first, last + 1):
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))  # the five bytes cp1252 leaves undefined pass as Latin-1
    return "".join(chars)


_CONTINUATION = re.escape(_cp1252_chars(0x80, 0xBF)) + "\u0080-\u009f"
_MOJIBAKE = re.compile(
    "(?:[\u00c2-\u00df][" + _CONTINUATION + "]"  # two-byte sequence, such as Â£
    "|[\u00e0-\u00ef][" + _CONTINUATION + "]{2}"  # three-byte sequence, such as â€™
    "|[\u00f0-\u00f4][" + _CONTINUATION + "]{3})+"  # four-byte sequence
)
_LEADS = tuple(chr(c) for c in range(0xC2, 0xF5))
_TO_BYTE = {ch: bytes([b]) for b, ch in zip(range(0x80, 0x100), _cp1252_chars(0x80, 0xFF))}
_TO_BYTE.update({chr(b): bytes([b]) for b in range(0x80, 0xA0)})


def repair_mojibake(text: str) -> tuple[str, int]:
    """Undo UTF-8 that was decoded a second time as Windows-1252; return (text, sequences repaired).

    >>> repair_mojibake("a Â£5 million grant, the councilâ€™s")
    ('a £5 million grant, the council’s', 2)
    >>> repair_mojibake("pâté and São Paulo")
    ('pâté and São Paulo', 0)
    """
    if text.isascii() or not any(lead in text for lead in _LEADS):
        return text, 0  # every sequence starts with a lead character: none, nothing to repair
    count = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal count
        try:
            fixed = b"".join(_TO_BYTE[ch] for ch in match.group()).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            return match.group()
        count += 1
        return fixed

    return _MOJIBAKE.sub(fix, text), count


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> tuple[str, int]:
    """Replace each lone surrogate (not a character; it cannot be written as UTF-8) by U+FFFD.

    One character for one, so every offset still holds. Files read from disk never hold one
    (decoding is strict); a string handed to ``extract_text`` may.

    >>> replace_surrogates("£5m " + chr(0xD800)) == ("£5m " + chr(0xFFFD), 1)
    True
    """
    if _SURROGATE.search(text) is None:
        return text, 0
    return _SURROGATE.subn("\ufffd", text)


