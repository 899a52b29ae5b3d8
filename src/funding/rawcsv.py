"""Read the CSV files a person edits (data/raw/): strictly, every problem named by file, line and field.

The build, the command line and the notebooks read sources.csv, review.csv and the reference
tables through ``read_rows`` (or ``read_frame``, the same rows as a pandas DataFrame), so a
file that one of them accepts the others accept too. Refused, each with the file and line:

- a file that is not UTF-8 (a byte-order mark is allowed), such as one saved as Windows-1252;
- a quote that is never closed, or closed in the middle of a field (``"a"b``);
- a field that runs over several lines (almost always a quote left open that swallowed
  the rows after it);
- a row with more or fewer fields than the header (an unquoted comma);
- a field longer than the csv module's limit (131,072 characters);
- a header missing a required column, naming a column twice, or (``exact``) naming others.

Values are stripped of surrounding spaces; blank lines are skipped.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

__all__ = ["RawFileError", "read_rows", "read_frame"]


class RawFileError(ValueError):
    """A hand-edited file that is wrong; the message names the file, line and field."""

    def __init__(self, path: Path | str, line: int | None, field: str | None, problem: str):
        where = f"{path}" + (f", line {line}" if line else "") + (f", field '{field}'" if field else "")
        super().__init__(f"{where}: {problem}")
        self.path, self.line, self.field, self.problem = Path(path), line, field, problem


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RawFileError(path, None, None, "file is missing") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise RawFileError(
            path, line, None,
            f"is not UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8 (in Excel: CSV UTF-8)",
        ) from None


def read_rows(
    path: Path | str, required: tuple[str, ...], *, exact: bool = False
) -> list[tuple[int, dict[str, str]]]:
    """(line, row) for each data row of ``path``; raise RawFileError for any problem.

    ``required`` columns must be in the header; with ``exact`` the header must be exactly them.

    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.csv"
    >>> _ = bad.write_text("a,b\\n1,2,3\\n", encoding="utf-8")
    >>> read_rows(bad, ("a", "b"))
    Traceback (most recent call last):
    ...
    funding.rawcsv.RawFileError: ...bad.csv, line 2: has 3 fields where the header has 2 (an unquoted comma?)
    """
    path = Path(path)
    reader = csv.reader(io.StringIO(_text(path), newline=""), strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    line = 1
    while True:
        line = reader.line_num + 1  # where the next record starts
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problem = str(error)
            if "field larger than field limit" in problem:
                problem = f"a field longer than {csv.field_size_limit():,} characters (a quote left open?)"
            elif "unexpected end of data" in problem:
                problem = "a quote is opened and never closed"
            elif "expected after" in problem:
                problem = "a quote closes in the middle of a field (one left open on this line or above?)"
            raise RawFileError(path, line, None, problem) from None
        if not record or (len(record) == 1 and not record[0].strip()):
            continue  # a blank line
        for number, value in enumerate(record):
            if "\n" in value or "\r" in value:
                name = header[number] if header and number < len(header) else None
                raise RawFileError(path, line, name, "a field runs over several lines (a quote left open?)")
        if header is None:
            header = [name.strip() for name in record]
            _check_header(path, header, required, exact)
            continue
        if len(record) != len(header):
            raise RawFileError(path, line, None, f"has {len(record)} fields where the header has {len(header)} (an unquoted comma?)")
        rows.append((line, {name: value.strip() for name, value in zip(header, record)}))
    if header is None:
        raise RawFileError(path, 1, None, f"is empty; the header needs {', '.join(required)}")
    return rows


def _check_header(path: Path, header: list[str], required: tuple[str, ...], exact: bool) -> None:
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise RawFileError(path, 1, twice[0], "column named twice")
    missing = [name for name in required if name not in header]
    if missing:
        raise RawFileError(path, 1, missing[0], f"column missing; the header needs {', '.join(required)}")
    if exact and tuple(header) != tuple(required):
        raise RawFileError(path, 1, None, f"the header must be {','.join(required)}")


def read_frame(path: Path | str, required: tuple[str, ...] = (), *, exact: bool = False):
    """The rows of ``read_rows`` as a DataFrame of strings (empty cells are "", never NaN)."""
    import pandas as pd

    rows = read_rows(path, required, exact=exact)
    if rows:
        return pd.DataFrame([row for _line, row in rows], dtype=str)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    return pd.DataFrame(columns=[name.strip() for name in header], dtype=str)
