"""Write tables: CSV that opens correctly in Excel, and JSON.

The only module besides ``documents`` that touches the disk. Files are written to a
temporary name and renamed into place, so a failed run never leaves half a table.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Iterable, Iterator, Mapping, Sequence

from funding.vocab import ID_COLUMNS

__all__ = ["escape_formula", "TableWriter", "write_csv", "write_json", "atomic_writer"]

#: Leading characters that make a spreadsheet treat a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")  # a negative number is a number, not a formula


def escape_formula(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe; leave the rest.

    >>> escape_formula("=HYPERLINK(\\"http://x\\")"), escape_formula("-cmd"), escape_formula("-11800000")
    ('\\'=HYPERLINK("http://x")', "\'-cmd", '-11800000')
    """
    if isinstance(value, str) and value[:1] in _FORMULA_FIRST and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class TableWriter:
    """Writes rows of one table as CSV to an open text stream, header first.

    Text a spreadsheet would run as a formula gets a leading apostrophe (``escape_formula``),
    which stays in the file: a CSV cell has no other way to say "this is text". Ids
    (ID_COLUMNS) are keys and are written exactly as they are.
    """

    def __init__(self, columns: Sequence[str], out: IO[str], header: bool = True):
        self._columns = tuple(columns)
        self._names = frozenset(self._columns)
        self._escaped = [k for k, name in enumerate(self._columns) if name not in ID_COLUMNS]
        self._writer = csv.writer(out, lineterminator="\n")
        if header:
            self._writer.writerow(self._columns)
        self.count = 0

    def write(self, row: Mapping[str, object]) -> None:
        """One row: a missing column is written empty; a column the table lacks is an error."""
        if not self._names.issuperset(row):
            extra = sorted(set(row) - self._names)
            raise ValueError(f"row has columns the table lacks: {', '.join(map(repr, extra))}")
        values = [row.get(name, "") for name in self._columns]
        for k in self._escaped:  # ``escape_formula`` called only where a cell may need it: a table has millions
            value = values[k]
            if isinstance(value, str) and value[:1] in _FORMULA_FIRST:
                values[k] = escape_formula(value)
        self._writer.writerow(values)
        self.count += 1


def write_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str], out: IO[str]) -> int:
    """Write ``rows`` as CSV with a header to an open text stream (``TableWriter``); return the number of rows."""
    writer = TableWriter(columns, out)
    for row in rows:
        writer.write(row)
    return writer.count


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def write_json(rows: Iterable[Mapping[str, object]], columns: Sequence[str], out: IO[str]) -> int:
    """Write ``rows`` as a JSON array of objects, amounts as numbers; return the number of rows."""
    numeric = {"line", "start", "end", "amount", "amount_high", "amount_gbp", "amount_high_gbp"}
    out.write("[")
    count = 0
    for row in rows:
        record = {}
        for key in columns:
            value = row.get(key, "")
            if key in numeric:
                value = None if value == "" else (Decimal(str(value)) if not isinstance(value, int) else value)
            record[key] = _json_value(value)
        out.write(("\n  " if count == 0 else ",\n  ") + json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


@contextmanager
def atomic_writer(path: Path, *, bom: bool = False) -> Iterator[IO[str]]:
    """Open ``path`` for writing text; it appears only if the block finishes without error.

    With ``bom`` the file starts with a UTF-8 byte-order mark, which Excel needs to read
    "£" as "£" rather than "Â£".
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with io.open(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
            yield handle
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; tables are for everyone to read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
