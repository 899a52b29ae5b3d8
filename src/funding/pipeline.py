"""Load data/raw, build, and write data/clean: the only stage of the build that touches the disk.

``build_into`` writes each row into a new folder beside data/clean as it is made (nothing of
the tables is held in memory); only when every table is complete does the folder take
data/clean's place, so that a failed build (a bad review row, an unreadable document under
``--strict``) leaves the previous tables as they were. ``build_project`` does the same work in
memory, for small projects and tests. The tables are one set: ``table_folder`` (and
``write_tables``, for tables rendered to bytes) writes the whole set into a new folder beside
the old one (each file flushed to disk), carries over any other file the old folder held, and
puts the new folder in the old one's place, so that a reader, or a build killed at any moment,
sees either the whole old set or the whole new one, never a mix:

- on Linux the two folders are swapped in one step (``renameat2`` with ``RENAME_EXCHANGE``);
- elsewhere the old folder is renamed aside and the new one renamed into its place; a build
  killed between the two renames leaves the old set aside, and the next write (or
  ``recover_tables``) puts it back before doing anything else;
- leftovers of an interrupted write (``.NAME.new-*``, ``.NAME.old-*`` beside the folder, and
  ``*.tmp`` in it) are removed by the next write.

``build_into(check=True)`` builds into a temporary folder and names the files that differ, for
``funding build --check``.

The per-document stage (read, find, annotate: ``funding.annotate.document.annotate_document``) runs on a pool of
processes (``jobs``; the same pool later makes each document's rows, ``_CsvFiles``) and its
result is kept in a cache, keyed by the
document's bytes, its row of sources.csv and the rules' version (a hash of the package's
source files and data/raw/reference), so that a document already seen is not read again.
Beside the annotations the cache keeps the document's ``build.LinkPart`` (its figures linked
within it, as compact keys), which is all the linking across documents reads, and the rows
last written for it with their signature (``_CsvFiles``), copied when a later build signs
them the same way. The documents are then linked together in source_id order, so the tables
are the same bytes whatever the number of processes and whatever came from the cache.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import filecmp
import functools
import hashlib
import io
import logging
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import funding
from funding.annotate.attribute import department_called
from funding.annotate.classify import CONTEXT
from funding.annotate.document import Annotations, Document, annotate_document
from funding.build import SOURCE_COLUMNS, TABLE_COLUMNS, LinkPart, RowPlan, Tables, TablesSink, bool_text, link_part, write_linked, write_rows
from funding.read import Document as ReadDocument
from funding.read import DocumentError, Metadata, read_document
from funding.output import TableWriter, write_csv
from funding.reference import Reference, Source, load_reference, resolved
from funding.review import Review, load_review
from funding.schema import datapackage_json
from funding.vocab import SET_ASIDE_COLUMNS, UNREAD

__all__ = [
    "load_inputs", "render_tables", "write_tables", "table_folder", "recover_tables", "build_project", "build_into", "Built",
    "data_version",
    "default_jobs", "rules_version", "annotate_sources", "annotate_on_worker", "unread", "CACHE",
]

log = logging.getLogger("funding")

CACHE = Path("data") / ".cache" / "documents"  # under the project folder; safe to delete
_ROWS = "-rows"  # the cache file of a document's rows as last written (``_CsvFiles``): its key and this
_PART = "-links"  # the cache file of a document's build.LinkPart is its key and this
PROGRESS_SECONDS = 5.0  # how often a long build says how far it has got


def _documents(raw: Path, ref: Reference) -> Iterator[Document]:
    """Each document to build, read only when asked for."""
    for task in _tasks(raw, ref):
        document = read_document(task.path)  # raises DocumentError naming the file
        yield _document(task, document, ref)


def load_inputs(raw: Path, *, review: bool = True) -> tuple[Iterator[Document], Reference, Review]:
    """The documents (read lazily), the reference tables and the review file."""
    ref = _checked_reference(raw)
    return _documents(raw, ref), ref, load_review(raw / "review.csv", ref) if review else Review()


def _checked_reference(raw: Path) -> Reference:
    """The reference tables and sources.csv, every listed document present."""
    ref = load_reference(raw)
    missing = [s.file for s in ref.sources.values() if not os.path.exists(os.path.join(raw, s.file))]
    if missing:
        raise ValueError(f"{raw / 'sources.csv'}: listed but missing: {', '.join(missing)}")
    return ref


def _skipped(entry: os.DirEntry) -> bool:
    """Files in documents/ that are not documents: hidden files and the lock files editors leave."""
    return entry.name.startswith((".", "~$")) or entry.name.endswith("~") or not entry.is_file()


def _tasks(raw: Path, ref: Reference) -> list[_Task]:
    """Every document to build, in source_id order: those sources.csv lists, and the files in
    documents/ it does not list (their title and date read from the document itself)."""
    tasks = [_Task(s.source_id, raw / s.file, s) for s in ref.sources.values()]
    folders: dict[str, str] = {}
    listed = {resolved(task.path, folders) for task in tasks}
    folder = raw / "documents"
    found: list[os.DirEntry] = []
    if folder.is_dir():
        with os.scandir(folder) as entries:
            found = sorted((entry for entry in entries if not _skipped(entry)), key=lambda entry: entry.name)
    by_id = {task.source_id: task for task in tasks}
    for entry in found:
        if resolved(entry.path, folders, entry.is_symlink()) in listed:
            continue
        path = Path(entry.path)
        if path.stem in by_id:
            raise ValueError(f"{path}: has the same source_id {path.stem!r} as {by_id[path.stem].path}; rename one")
        by_id[path.stem] = _Task(path.stem, path, None)
    unlisted = sorted(t.path.name for t in by_id.values() if t.source is None)
    if unlisted:
        log.info("%d document(s) with no row in sources.csv (title and date taken from what each states of itself, where it does): %s",
                 len(unlisted), ", ".join(unlisted))
    return [by_id[source_id] for source_id in sorted(by_id)]


def _document(task: _Task, document: ReadDocument, ref: Reference) -> Document:
    """What the build needs of a document read: dates and speaker from its sources.csv row,
    else from what the document states of itself (a page's "Published" date and "From")."""
    if task.source is not None:
        s = task.source
        return Document(task.source_id, document.text, s.published_from, s.published_to, s.speaker, str(task.path), document.pages, document.meta.document_type)
    day = document.meta.published
    return Document(task.source_id, document.text, day, day, _department(document.meta.publisher, day, ref), str(task.path), document.pages, document.meta.document_type)


def _department(publisher: str, day, ref: Reference) -> str:
    """The lead department (dept_id) of a publisher line: the first organisation named (GOV.UK
    lists the lead organisation first) that departments.csv knows by its name or an alias; "" if none."""
    for name in publisher.split(";"):
        found = department_called(name, day, ref.departments)
        if found is not None:
            return found.dept_id
    return ""


def source_row(task: _Task, document: ReadDocument | None, doc: Document | None) -> dict:
    """The document's row of the sources table (``build.SOURCE_COLUMNS``)."""
    s, meta = task.source, (document.meta if document is not None else Metadata())
    row = dict.fromkeys(SOURCE_COLUMNS, "")
    row.update(source_id=task.source_id, file=f"documents/{task.path.name}" if s is None else s.file, format=document.kind if document else "",
               url=(s.url if s is not None else "") or meta.url, licence=meta.licence, listed=bool_text(s is not None),
               title=task.path.stem, date_estimated="false")
    if s is not None:  # the analyst's row: its citation and dates stand, read or not
        row.update(title=s.title, publisher=s.publisher, published_from=s.published_from.isoformat(),
                   published_to=s.published_to.isoformat(), date_estimated=bool_text(s.date_estimated))
    if document is None:  # not read: nothing is known of it but its file and sources.csv row
        row["dated_by"] = "not read (see set_aside.csv)"
        return row
    if document.pages:
        row["pages"] = max(page for _, page in document.pages)
    if s is not None:
        row.update(dated_by=f"sources.csv: {s.date_basis}" if s.date_basis else "sources.csv", speaker=s.speaker, licence=s.licence or meta.licence)
        return row
    row.update(title=meta.title or task.path.stem, publisher=meta.publisher, date_estimated="false", speaker=doc.speaker if doc else "")
    if meta.published is not None:
        row.update(published_from=meta.published.isoformat(), published_to=meta.published.isoformat(), dated_by="the document's own metadata")
    else:
        made = f" (the file was made on {meta.created.isoformat()}, not taken as its publication date)" if meta.created else ""
        row["dated_by"] = "the dates its parts state" + made
    return row


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
    with table_folder(clean) as new:
        for name, data in sorted(files.items()):
            _write_synced(new / name, data)


@contextmanager
def table_folder(clean: Path) -> Iterator[Path]:
    """A new, empty folder to write a set of tables into; when the block ends without error,
    every file in it is flushed to disk and the folder replaces ``clean`` in one step (the old
    folder's other files carried over). On an error ``clean`` is left as it was."""
    clean = Path(os.path.abspath(clean))
    clean.parent.mkdir(parents=True, exist_ok=True)
    recover_tables(clean)
    new = Path(tempfile.mkdtemp(prefix=f".{clean.name}.new-", dir=clean.parent))
    try:
        yield new
        written = {entry.name for entry in new.iterdir()}
        if clean.is_dir():
            _carry_over(clean, new, written)
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
    for leftover in [*aside, *parent.glob(f".{clean.name}.new-*"), *parent.glob(f".{clean.name}.check-*")]:
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


def build_project(raw: Path, *, jobs: int | None = None, cache: Path | None = None, scheduler: str | None = None) -> tuple[Tables, dict[str, bytes]]:
    """Build the tables from ``raw`` in memory and render them; nothing is written but the document cache.

    For a small project, or to look at the rows in Python; ``build_into`` writes the same
    bytes without holding the tables. ``jobs``: processes for the per-document stage (default:
    every core this process may use); ``cache``: the folder of the per-document cache (None: no
    cache); ``scheduler``: the address of a Dask scheduler to run the per-document stage on
    instead. A document that cannot be read (a scan with no text layer, an encrypted or broken
    file) does not stop the others: it is a row of set_aside.csv whose reason starts
    "document not read" (``unread``).
    """
    review, store = _annotated(raw, jobs, cache, scheduler)
    sink = TablesSink()
    with store:
        write_linked(store.source_ids, store.load, review, sink, store.load_part)
    return sink.tables, render_tables(sink.tables)


@dataclass
class Built:
    """What ``build_into`` made: rows a table, the figures the command line reports, and for
    a check the tables that differ from those on disk."""

    rows: dict[str, int]
    context: int  # mentions whose role is context
    counted: int  # commitments counted in totals
    unread: list[dict]  # set_aside rows of documents that could not be read
    files: int
    stale: list[str] | None = None  # with check: the files that a build would change


def build_into(raw: Path, clean: Path, *, jobs: int | None = None, cache: Path | None = None, scheduler: str | None = None,
               strict: bool = False, check: bool = False) -> Built:
    """Build the tables from ``raw`` and write them to ``clean`` as one set, each row written
    as it is made, so that memory does not grow with the tables (``build.write_linked``).

    ``strict``: a document that cannot be read is an error, and nothing is written. ``check``:
    nothing is written either; ``Built.stale`` names the files in ``clean`` that differ from
    what this build makes. On any error ``clean`` is left as it was.
    """
    ref, review, tasks = _inputs(raw)
    jobs = min(jobs or default_jobs(), max(1, len(tasks)))  # no more processes than documents
    with _worker_pool(jobs, ref) as pool, \
            annotate_sources(tasks, ref, jobs=jobs, cache=cache, version=rules_version(raw), scheduler=scheduler, pool=pool) as store:
        if strict and store.unread:
            names = ", ".join(r["text"] for r in store.unread)
            raise ValueError(f"--strict: {len(store.unread)} document(s) could not be read: {names}")
        if check:
            clean = Path(os.path.abspath(clean))
            clean.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(prefix=f".{clean.name}.check-", dir=clean.parent) as folder:
                built = _write_set(store, review, Path(folder), pool, jobs)
                built.stale = [name for name in sorted(os.listdir(folder))
                               if not (clean / name).is_file() or not filecmp.cmp(Path(folder) / name, clean / name, shallow=False)]
            return built
        with table_folder(clean) as folder:
            return _write_set(store, review, folder, pool, jobs)


def _write_set(store: _Store, review: Review, folder: Path, pool: Executor | None = None, jobs: int = 1) -> Built:
    progress = _Reporting(store)
    with _CsvFiles(folder, store, pool, progress, jobs) as sink:
        write_linked(store.source_ids, progress.load, review, sink, store.load_part)
    _write_synced(folder / "datapackage.json", datapackage_json().encode("utf-8"))
    return Built(sink.rows_written, sink.context, sink.counted, store.unread, len(TABLE_COLUMNS) + 1)


def _inputs(raw: Path) -> tuple[Reference, Review, list[_Task]]:
    ref = _checked_reference(raw)
    return ref, load_review(raw / "review.csv", ref), _tasks(raw, ref)


def _annotated(raw: Path, jobs: int | None, cache: Path | None, scheduler: str | None) -> tuple[Review, _Store]:
    ref, review, tasks = _inputs(raw)
    return review, annotate_sources(tasks, ref, jobs=jobs or default_jobs(), cache=cache, version=rules_version(raw), scheduler=scheduler)


@contextmanager
def _worker_pool(jobs: int, ref: Reference) -> Iterator[Executor | None]:
    """The build's pool of ``jobs`` processes (None for one job): the per-document stage runs on
    it, and then pass 3 (each document's rows). Its processes are started at once, while this
    process is small (on Linux they are forks of it), and given the reference tables once."""
    if jobs <= 1:
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(ref,))
    try:
        pool.submit(int).result()  # (the first task starts every process)
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _DocumentRows:
    """A sink for one document's rows (``build.write_rows``): each table's rows as CSV text, the
    bytes its file will hold, with the counts the command line reports."""

    def __init__(self) -> None:
        self.buffers = {name: io.StringIO() for name in TABLE_COLUMNS}
        self.writers = {name: TableWriter(columns, self.buffers[name], header=False) for name, columns in TABLE_COLUMNS.items()}
        self.context = self.counted = 0

    def add(self, table: str, row: dict) -> None:
        self.writers[table].write(row)
        if table == "mentions":
            self.context += row["role"] == CONTEXT
        elif table == "commitments":
            self.counted += row["counted"] == "true"

    def made(self, signature: str) -> tuple:
        """(signature, text a table, rows a table, context mentions, counted commitments): what
        ``_CsvFiles`` writes, and keeps in the cache to give again."""
        texts = {name: buffer.getvalue() for name, buffer in self.buffers.items() if buffer.tell()}
        return signature, texts, {name: self.writers[name].count for name in texts}, self.context, self.counted


def _rows_made(doc: Annotations, plan: RowPlan) -> tuple:
    sink = _DocumentRows()
    write_rows(doc, plan, sink)
    return sink.made(plan.signature)


def _rows_on_worker(folder: str, documents: list[tuple[str, RowPlan, bool]]) -> list[tuple | None]:
    """Documents' rows made on a worker from their cached annotations (``_DocumentRows.made``),
    each (key, plan, keep) kept in the cache where ``keep``; None for a document whose
    annotations cannot be loaded (the main process then loads them, annotating it again)."""
    made = []
    for key, plan, keep in documents:
        doc = _cached(folder, key)
        if not isinstance(doc, Annotations):
            made.append(None)
            continue
        made.append(_rows_made(doc, plan))
        if keep:
            _store(folder, key + _ROWS, pickle.dumps(made[-1], protocol=pickle.HIGHEST_PROTOCOL))
    return made


ROWS_BATCH = 16  # documents whose rows one task of the pool makes (a task has a cost of its own)


class _CsvFiles:
    """A sink for ``write_linked`` that writes each row into its table's file in ``folder``:
    the same bytes as ``render_tables``. Counts what the command line reports.

    A document's rows are made as text (``_DocumentRows``) and written when the document is
    done. Given a ``pool``, they are made on its processes, ``ROWS_BATCH`` documents a task, a
    few tasks ahead, and written in the documents' order as they come back. Given a ``store``
    with a cache, that text is kept there beside the document's annotations under its
    signature, and given again by ``recall`` when a later build signs the document the same
    way: an unchanged document whose links did not change is not loaded to write its rows."""

    def __init__(self, folder: Path, store: _Store | None = None, pool: Executor | None = None, progress: _Reporting | None = None,
                 jobs: int = 1):
        self.store, self.pool, self.progress = store, pool, progress
        self.handles = {name: open(folder / f"{name}.csv", "w", encoding="utf-8-sig", newline="") for name in TABLE_COLUMNS}
        self.files = {name: TableWriter(columns, self.handles[name]) for name, columns in TABLE_COLUMNS.items()}  # header first
        self.counts = dict.fromkeys(TABLE_COLUMNS, 0)  # rows written as a document's text, besides the files' own writers
        self.context = self.counted = 0
        # documents whose rows are not yet written, in order, a group at a time: (their rows made, or a
        # Future of them, and each one's plan and loader, to make them here where a worker could not)
        self.pending: deque[tuple[list[tuple | None] | Future, list[tuple[RowPlan, Callable] | None]]] = deque()
        self.batch: list[tuple[tuple[str, RowPlan, bool], tuple[RowPlan, Callable]]] = []  # documents not yet sent to the pool
        self.folder = ""
        self.window = 2 * jobs  # tasks in the pool (of ``jobs`` processes) at once

    def add(self, table: str, row: dict) -> None:  # rows of no one document (relations, packages)
        self.files[table].write(row)

    def recall(self, source_id: str, signature: str) -> bool:
        kept = self.store.recall_rows(source_id) if self.store is not None else None
        if not (isinstance(kept, tuple) and len(kept) == 5 and kept[0] == signature):
            return False
        self._send()  # the documents before it first
        self._put([kept], [None])
        return True

    def rows(self, plan: RowPlan, load: Callable[[str], Annotations]) -> None:
        on_worker = self.store.on_worker(plan.source_id) if self.store is not None and self.pool is not None else None
        if on_worker is None:
            self._send()
            self._put([self._made_here(plan, load)], [None])
            return
        self.folder, key, keep = on_worker
        self.batch.append(((key, plan, keep), (plan, load)))
        if len(self.batch) == ROWS_BATCH:
            self._send()

    def _made_here(self, plan: RowPlan, load: Callable[[str], Annotations]) -> tuple:
        made = _rows_made(load(plan.source_id), plan)
        if self.store is not None:
            self.store.keep_rows(plan.source_id, made)
        return made

    def _send(self) -> None:
        """The documents gathered for the pool, sent as one task."""
        if self.batch:
            documents, plans = zip(*self.batch)
            self.batch = []
            self._put(self.pool.submit(_rows_on_worker, self.folder, list(documents)), list(plans))

    def _put(self, made: list[tuple | None] | Future, plans: list[tuple[RowPlan, Callable] | None]) -> None:
        self.pending.append((made, plans))
        while self.pending and (len(self.pending) > self.window or not isinstance(self.pending[0][0], Future) or self.pending[0][0].done()):
            self._write_next()

    def _write_next(self) -> None:
        made, plans = self.pending.popleft()
        if isinstance(made, Future):
            made = made.result()
        for rows, plan in zip(made, plans):
            if rows is None:  # its annotations could not be loaded on the worker
                rows = self._made_here(*plan)
            _signature, texts, counts, context, counted = rows
            for name, text in texts.items():
                self.handles[name].write(text)
                self.counts[name] += counts[name]
            self.context += context
            self.counted += counted
            if self.progress is not None:
                self.progress.wrote()

    @property
    def rows_written(self) -> dict[str, int]:
        return {name: self.files[name].count + self.counts[name] for name in TABLE_COLUMNS}

    def __enter__(self) -> _CsvFiles:
        return self

    def __exit__(self, *error) -> None:
        try:
            if error[0] is None:
                self._send()
                while self.pending:
                    self._write_next()
        finally:
            for made, _plans in self.pending:
                if isinstance(made, Future):
                    made.cancel()
            ok = error[0] is None and not self.pending
            for handle in self.handles.values():
                if ok:
                    handle.flush()
                    os.fsync(handle.fileno())
                    os.fchmod(handle.fileno(), 0o644)
                handle.close()


class _Reporting:
    """Says every few seconds how far linking and writing have got."""

    def __init__(self, store: _Store):
        self.store, self.loaded, self.written, self.last = store, 0, 0, time.monotonic()

    def load(self, source_id: str) -> Annotations:
        self.loaded += 1
        if not self.written:
            self._say("linked", self.loaded)
        return self.store.load(source_id)

    def wrote(self) -> None:
        """One more document's rows written."""
        self.written += 1
        self._say("wrote the rows of", self.written)

    def _say(self, stage: str, done: int) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_SECONDS:
            self.last = now
            log.info("%s %d/%d documents", stage, done, len(self.store.source_ids))


def default_jobs() -> int:
    """The number of cores this process may use."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def rules_version(raw: Path) -> str:
    """A hash of everything besides a document that its annotations depend on: the package's
    source files and the reference tables. Any change to either makes every document new."""
    digest = hashlib.sha256()
    package = Path(funding.__file__).resolve().parent
    reference = raw / "reference"
    files = [(p.relative_to(package).as_posix(), p) for p in package.rglob("*.py")]
    files += [("reference/" + p.relative_to(reference).as_posix(), p) for p in reference.rglob("*") if p.is_file()]
    for name, path in sorted(files):
        digest.update(f"{name}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class _Task:
    """One document to annotate: where it is and its row of sources.csv (None: not listed)."""

    source_id: str
    path: Path
    source: Source | None
    key: str = ""  # its cache key, once known


class _Store:
    """Each document's annotations between the passes of the build, loaded one document at a
    time: from the document cache, or with no cache from a temporary folder (deleted on
    close). A document that could not be read is kept in memory (its one set-aside row).

    Documents still being annotated (``expect``) are waited for when first asked about, in
    source_id order, so that linking takes each document as it is done while the pool
    annotates the next."""

    def __init__(self, cache: Path | None, ref: Reference):
        self._tmp = tempfile.TemporaryDirectory(prefix="funding-annotations-") if cache is None else None
        self.folder = cache if cache is not None else Path(self._tmp.name)
        self.ref = ref
        self.source_ids: list[str] = []
        self.tasks: dict[str, _Task] = {}
        self.kept: dict[str, Annotations] = {}
        self.fresh: set[str] = set()  # documents annotated in this build: no rows of theirs can be in the cache
        self._results: Iterator[tuple] = iter(())  # what annotating each document gives, in source_id order
        self._coming: Iterator[tuple[_Task, tuple]] = iter(())  # (task, that), in the same order
        self._waiting: set[str] = set()  # the documents still to come
        self._progress: _Progress | None = None

    def expect(self, todo: list[_Task], results: Iterator[tuple], progress: _Progress) -> None:
        """``results`` will give what annotating ``todo`` gives, in that order."""
        self._results = results
        self._coming, self._waiting, self._progress = zip(todo, results), {t.source_id for t in todo}, progress

    def _until(self, source_id: str) -> None:
        """Wait until the document is annotated, taking what annotating those before it gave."""
        while source_id in self._waiting:
            task, result = next(self._coming)
            self._waiting.discard(task.source_id)
            self._progress.done()
            self.put(self.tasks[task.source_id], result)

    def wait(self) -> None:
        """Wait until every document is annotated."""
        for source_id in self.source_ids:
            self._until(source_id)

    @property
    def unread(self) -> list[dict]:
        self.wait()
        return [row for source_id in self.source_ids if source_id in self.kept for row in self.kept[source_id].set_aside]

    def add(self, task: _Task) -> _Task:
        """Take a document; its task as the store keys it (in a temporary folder, by its source_id)."""
        if self._tmp is not None:
            task = _Task(task.source_id, task.path, task.source, hashlib.sha256(task.source_id.encode()).hexdigest())
        self.source_ids.append(task.source_id)
        self.tasks[task.source_id] = task
        return task

    def put(self, task: _Task, result: tuple) -> None:
        """What annotating the document gave (``annotate_on_worker``); nothing where it was stored already (``_annotate_into``)."""
        self.fresh.add(task.source_id)
        if not result:
            return
        if isinstance(result[0], bytes):
            _store_annotated(self.folder, task.key, result)
        else:
            self.kept[task.source_id] = _loaded(result)

    def recall_rows(self, source_id: str) -> tuple | None:
        """What ``keep_rows`` kept for the document in an earlier build, or None (no cache,
        not kept, a document not read or annotated in this build, or a damaged file)."""
        self._until(source_id)
        if self._tmp is not None or source_id in self.kept or source_id in self.fresh:
            return None
        return _cached(self.folder, self.tasks[source_id].key + _ROWS)

    def on_worker(self, source_id: str) -> tuple[str, str, bool] | None:
        """Where a worker process loads the document's annotations: (folder, key, whether to keep
        its rows there), or None for a document held in this process (one not read)."""
        self._until(source_id)
        if source_id in self.kept:
            return None
        return str(self.folder), self.tasks[source_id].key, self._tmp is None

    def keep_rows(self, source_id: str, rows: tuple) -> None:
        """Keep a document's rows as written, beside its annotations (only in a cache that outlives the build)."""
        if self._tmp is None and source_id not in self.kept:
            _store(self.folder, self.tasks[source_id].key + _ROWS, pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))

    def load_part(self, source_id: str) -> LinkPart | None:
        """The document's ``LinkPart``, or None where it has none (not read, or a damaged file)."""
        self._until(source_id)
        if source_id in self.kept:
            return None
        part = _cached(self.folder, self.tasks[source_id].key + _PART)
        if isinstance(part, LinkPart) and self._tmp is None:
            part.identity = self.tasks[source_id].key  # it was made from the document's annotations, which the key names
        return part

    def load(self, source_id: str) -> Annotations:
        self._until(source_id)
        if source_id in self.kept:
            return self.kept[source_id]
        task = self.tasks[source_id]
        stored = _cached(self.folder, task.key)
        if stored is None:  # a damaged or foreign cache file: annotate the document again
            result = annotate_on_worker(task, self.ref)
            self.put(task, result)
            stored = self.kept[source_id] if source_id in self.kept else pickle.loads(result[0])
        return stored

    def close(self) -> None:
        results, self._results, self._coming, self._waiting = self._results, iter(()), iter(()), set()
        close = getattr(results, "close", None)  # a generator: close it, cancelling what it would still annotate
        if close is not None:
            close()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> _Store:
        return self

    def __exit__(self, *error) -> None:
        self.close()


def annotate_sources(tasks: Iterable[_Task], ref: Reference, *, jobs: int = 1, cache: Path | None = None, version: str = "",
                     scheduler: str | None = None, pool: Executor | None = None) -> _Store:
    """Every document's annotations in a ``_Store``, to be loaded by source_id: from the cache
    where its key is there, else read and annotated (on ``jobs`` processes, or on the Dask
    cluster whose scheduler is at ``scheduler``) and stored. Annotating goes on after this
    returns: the store waits for a document when first asked for it (``_Store.wait`` for all),
    so the build links each one as it comes. The store gives them in source_id order, so the
    tables are the same wherever the documents were annotated."""
    tasks = list(tasks)
    store = _Store(cache, ref)
    todo: list[_Task] = []
    progress = _Progress(len(tasks))
    for task in sorted(tasks, key=lambda t: t.source_id):
        if cache is not None:
            task = _with_key(task, version)
        task = store.add(task)
        if cache is not None and os.path.isfile(_cache_file(cache, task.key)) and os.path.isfile(_cache_file(cache, task.key + _PART)):
            progress.done(cached=True)
            continue
        todo.append(task)
    try:
        if scheduler:
            results = _on_dask(todo, ref, scheduler)
        elif jobs <= 1 or len(todo) <= 1:
            _start_worker(ref)
            results = map(functools.partial(_annotate_into, str(store.folder)), todo)
        else:
            results = _on_processes(todo, ref, jobs, str(store.folder), pool)
        store.expect(todo, results, progress)  # taken as the build asks for each document
    except BaseException:
        store.close()
        raise
    return store


def _on_processes(todo: list[_Task], ref: Reference, jobs: int, folder: str, pool: Executor | None = None) -> Iterator[tuple]:
    """``_annotate_into(folder, task)`` for each task, in order, on ``pool`` (started with ``ref``:
    ``_worker_pool``), or on a pool of ``jobs`` processes of its own while the results are read."""
    with nullcontext(pool) if pool is not None else _worker_pool(jobs, ref) as pool:
        yield from pool.map(functools.partial(_annotate_into, folder), todo, chunksize=max(1, min(16, len(todo) // (jobs * 8))))


def _on_dask(todo: list[_Task], ref: Reference, address: str) -> Iterator[tuple]:
    """The per-document stage on a Dask cluster: the same function, the reference tables sent
    once to every worker, results taken in the documents' order. The workers need funding
    installed and must see the documents at the same paths (a shared filesystem)."""
    try:
        from distributed import Client
    except ImportError:
        raise ValueError("--scheduler needs Dask's distributed scheduler: pip install 'funding[dask]'") from None
    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ValueError(f"--scheduler {address}: cannot connect to a Dask scheduler there ({error})") from None
    with client:
        shared = client.scatter(ref, broadcast=True)
        futures = client.map(annotate_on_worker, todo, ref=shared, pure=False)
        for future in futures:
            yield future.result()
            future.release()  # let the worker drop the result once taken


def _with_key(task: _Task, version: str) -> _Task:
    try:
        data = task.path.read_bytes()
    except OSError as exc:
        raise DocumentError(task.path, f"cannot be read ({exc.strerror or exc})") from exc
    row = repr((task.source_id, str(task.path.name), task.source))
    key = hashlib.sha256(f"{version}\0{row}\0{hashlib.sha256(data).hexdigest()}".encode()).hexdigest()
    return _Task(task.source_id, task.path, task.source, key)


def _cache_file(cache: Path, key: str) -> str:
    """The cache file of ``key`` (a string: the build asks for three a document, and a Path costs more to make)."""
    return os.path.join(cache, key[:2], f"{key}.pickle")


def _cached(cache: Path, key: str) -> Annotations | None:
    try:
        with open(_cache_file(cache, key), "rb") as file:
            data = file.read()
    except OSError:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # a damaged or foreign file: annotate again and overwrite it
        return None


_REF: Reference | None = None  # the reference tables, set once in each worker


def _start_worker(ref: Reference) -> None:
    global _REF
    _REF = ref


def _annotate_into(folder: str, task: _Task) -> tuple[()] | tuple[_Task, str, str]:
    """``annotate_on_worker`` with the reference tables this process was started with, its
    annotations and ``LinkPart`` stored in ``folder`` here (on the worker, not by the process
    that waits for it): () when stored, or (task, path, reason) for a document that cannot be read."""
    result = annotate_on_worker(task, _REF)
    if not isinstance(result[0], bytes):
        return result
    _store_annotated(folder, task.key, result)
    return ()


def _store_annotated(cache: Path | str, key: str, pickled: tuple[bytes, bytes]) -> None:
    """A document's annotations and its ``LinkPart`` (``annotate_on_worker``), in the cache under ``key``."""
    _store(cache, key, pickled[0])
    _store(cache, key + _PART, pickled[1])


def annotate_on_worker(task: _Task, ref: Reference) -> tuple[bytes, bytes] | tuple[_Task, str, str]:
    """Read and annotate one document: its annotations and its ``build.LinkPart`` pickled, or
    (task, path, reason) for a document that cannot be read. A pure function of the document and ``ref``, so it runs the
    same in this process, in a pool or on a Dask worker."""
    try:
        document = read_document(task.path)
        doc = _document(task, document, ref)
        annotations = annotate_document(doc, ref)
    except DocumentError as error:  # sent back as text, naming the file; never cached
        return (task, str(error.path), error.reason)
    annotations.source = source_row(task, document, doc)
    annotations.source.update(kind=annotations.kind[0], kind_basis=annotations.kind[1])
    part = link_part(annotations)
    return pickle.dumps(annotations, protocol=pickle.HIGHEST_PROTOCOL), pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)


def _store(cache: Path | str, key: str, data: bytes) -> None:
    """Put ``data`` in the cache under ``key``, whole or not at all (written aside, then renamed)."""
    target = _cache_file(cache, key)
    folder = os.path.dirname(target)
    tmp = os.path.join(folder, f".{os.path.basename(target)}.{os.getpid()}.tmp")
    try:
        file = open(tmp, "wb")
    except FileNotFoundError:  # the first file of its folder
        os.makedirs(folder, exist_ok=True)
        file = open(tmp, "wb")
    with file:
        file.write(data)
    os.replace(tmp, target)


def _loaded(result: tuple[_Task, str, str]) -> Annotations:
    """The annotations of a document that could not be read: its one set-aside row, and a warning."""
    task, path, reason = result
    log.warning("warning: %s: %s", path, reason)
    row = dict.fromkeys(SET_ASIDE_COLUMNS, "")
    row.update(source_id=task.source_id, text=Path(path).name, reason=f"{UNREAD}: {reason}")
    return Annotations(task.source_id, [], [row], source_row(task, None, None))


def unread(tables: Tables) -> list[dict]:
    """The set-aside rows of documents that could not be read."""
    return [row for row in tables.set_aside if row["reason"].startswith(UNREAD)]


class _Progress:
    """Says every few seconds how many documents are done (at INFO: silent under -q)."""

    def __init__(self, total: int):
        self.total, self.count, self.cached = total, 0, 0
        self.start = self.last = time.monotonic()

    def done(self, cached: bool = False) -> None:
        self.count += 1
        self.cached += cached
        now = time.monotonic()
        if now - self.last >= PROGRESS_SECONDS or (self.count == self.total and now - self.start >= PROGRESS_SECONDS):
            self.last = now
            log.info("annotated %d/%d documents (%d from the cache)", self.count, self.total, self.cached)


def data_version(clean: Path) -> str:
    """A short fingerprint of the clean tables, shown in the workbook and the report index."""
    digest = hashlib.sha256()
    for path in sorted(clean.glob("*.csv")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]
