"""Load data/raw, build, and write data/clean: the only stage of the build that touches the disk.

Every table is rendered to bytes in memory first; only when all of them are ready are they
written, so that a failed build (a bad review row, an unreadable document) leaves the
previous tables as they were. The tables are one set: ``write_tables`` writes the whole set
into a new folder beside the old one (each file flushed to disk), carries over any other file
the old folder held, and puts the new folder in the old one's place, so that a reader, or a
build killed at any moment, sees either the whole old set or the whole new one, never a mix:

- on Linux the two folders are swapped in one step (``renameat2`` with ``RENAME_EXCHANGE``);
- elsewhere the old folder is renamed aside and the new one renamed into its place; a build
  killed between the two renames leaves the old set aside, and the next write (or
  ``recover_tables``) puts it back before doing anything else;
- leftovers of an interrupted write (``.NAME.new-*``, ``.NAME.old-*`` beside the folder, and
  ``*.tmp`` in it) are removed by the next write.

``stale_tables`` compares the rendered bytes with the files on disk, for ``funding build --check``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Iterator

from funding.build import TABLE_COLUMNS, Document, Tables, build_tables
from funding.documents import read_document
from funding.output import write_csv
from funding.reference import Reference, load_reference
from funding.review import Review, load_review
from funding.schema import datapackage_json

__all__ = ["load_inputs", "render_tables", "write_tables", "recover_tables", "stale_tables", "build_project", "data_version"]


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
    """Replace the set of tables in ``clean`` by ``files``, as one set (see the module's docstring)."""
    clean = Path(os.path.abspath(clean))
    clean.parent.mkdir(parents=True, exist_ok=True)
    recover_tables(clean)
    new = Path(tempfile.mkdtemp(prefix=f".{clean.name}.new-", dir=clean.parent))
    try:
        for name, data in sorted(files.items()):
            _write_synced(new / name, data)
        if clean.is_dir():
            _carry_over(clean, new, set(files))
            os.chmod(new, clean.stat().st_mode & 0o7777)
        else:
            os.chmod(new, 0o755)
        _fsync_dir(new)
        _put_in_place(new, clean)
    finally:
        if new.exists():
            shutil.rmtree(new, ignore_errors=True)
    _fsync_dir(clean.parent)


def recover_tables(clean: Path) -> None:
    """Undo what an interrupted ``write_tables`` left: the old set put back, leftovers removed."""
    clean = Path(os.path.abspath(clean))
    parent = clean.parent
    if not parent.is_dir():
        return
    aside = sorted(parent.glob(f".{clean.name}.old-*"))
    if aside and not clean.exists():
        os.rename(aside.pop(), clean)
    for leftover in [*aside, *parent.glob(f".{clean.name}.new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    if clean.is_dir():
        for tmp in clean.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o644)


def _carry_over(old: Path, new: Path, written: set[str]) -> None:
    """Files the old folder holds that are not tables (a .gitkeep, a note) go into the new one."""
    for entry in sorted(old.iterdir()):
        if entry.name in written or entry.name.endswith(".tmp"):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, new / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, new / entry.name, follow_symlinks=False)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder
    finally:
        os.close(fd)


def _put_in_place(new: Path, clean: Path) -> None:
    """``new`` becomes ``clean``; the old ``clean``, if any, is removed."""
    if not clean.exists():
        os.rename(new, clean)
        return
    if _exchange(new, clean):
        shutil.rmtree(new)  # now holds the old set
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{clean.name}.old-", dir=clean.parent))
    os.rmdir(aside)
    os.rename(clean, aside)
    os.rename(new, clean)  # killed before this line, the next write puts ``aside`` back
    shutil.rmtree(aside, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step where the system can (Linux renameat2); False where not."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
        return False  # an old kernel or a file system without exchange: rename in two steps
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


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
