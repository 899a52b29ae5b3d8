"""Load data/raw, build, and write data/clean: the only stage of the build that touches the disk.

Every table is rendered to bytes in memory first; only when all of them are ready are they
written, each to a temporary file renamed into place, so that a failed build (a bad review
row, an unreadable document) leaves the previous tables as they were. ``stale_tables``
compares the rendered bytes with the files on disk, for ``funding build --check``.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import Iterator

from funding.build import TABLE_COLUMNS, Document, Tables, build_tables
from funding.documents import read_document
from funding.output import write_csv
from funding.reference import Reference, load_reference
from funding.review import Review, load_review
from funding.schema import datapackage_json

__all__ = ["load_inputs", "render_tables", "write_tables", "stale_tables", "build_project", "data_version"]


def _documents(raw: Path, ref: Reference) -> Iterator[Document]:
    """Each document listed in sources.csv, read only when asked for."""
    for source in sorted(ref.sources.values(), key=lambda s: s.source_id):
        document = read_document(raw / source.file)  # raises DocumentError naming the file
        yield Document(source.source_id, document.text, source.published_from, source.published_to, source.speaker, str(raw / source.file))


def load_inputs(raw: Path, *, review: bool = True) -> tuple[Iterator[Document], Reference, Review]:
    """The documents listed in sources.csv (read lazily), the reference tables and the review file."""
    ref = load_reference(raw)
    missing = [s.file for s in ref.sources.values() if not (raw / s.file).exists()]
    if missing:
        raise ValueError(f"{raw / 'sources.csv'}: listed but missing: {', '.join(missing)}")
    documents = _documents(raw, ref)
    listed = {(raw / s.file).resolve() for s in ref.sources.values()}
    unlisted = sorted(p.name for p in (raw / "documents").iterdir() if p.is_file() and p.resolve() not in listed)
    if unlisted:
        raise ValueError(f"{raw / 'sources.csv'}: no row for {', '.join(unlisted)} in documents/; add one (see data/raw/README.md)")
    return documents, ref, load_review(raw / "review.csv", ref) if review else Review()


def render_tables(tables: Tables) -> dict[str, bytes]:
    """Each table as the exact bytes of its file (UTF-8 with a byte-order mark, for Excel)."""
    files = {}
    for name, columns in TABLE_COLUMNS.items():
        buffer = io.StringIO()
        write_csv(getattr(tables, name), columns, buffer)
        files[f"{name}.csv"] = buffer.getvalue().encode("utf-8-sig")
    files["datapackage.json"] = datapackage_json().encode("utf-8")
    return files


def write_tables(files: dict[str, bytes], clean: Path) -> None:
    """Write every file into ``clean``: all to temporary names first, then renamed into place."""
    clean.mkdir(parents=True, exist_ok=True)
    staged = []
    try:
        for name, data in sorted(files.items()):
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=clean)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)
            staged.append((tmp, clean / name))
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)


def stale_tables(files: dict[str, bytes], clean: Path) -> list[str]:
    """The files in ``clean`` that differ from what a build would write now (or are missing)."""
    return [name for name, data in sorted(files.items()) if not (clean / name).exists() or (clean / name).read_bytes() != data]


def build_project(raw: Path) -> tuple[Tables, dict[str, bytes]]:
    """Build the tables from ``raw`` and render them; nothing is written."""
    documents, ref, review = load_inputs(raw)
    tables = build_tables(documents, ref, review)
    return tables, render_tables(tables)


def data_version(clean: Path) -> str:
    """A short fingerprint of the clean tables, shown in the workbook and the report index."""
    digest = hashlib.sha256()
    for path in sorted(clean.glob("*.csv")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]
