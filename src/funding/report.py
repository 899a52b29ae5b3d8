"""Render notebooks into reports: checked parameters, parallel workers, no code, an index, no wasted work.

Papermill runs a notebook with parameters but only warns about a misspelt name and never
checks a type; nbconvert's report mode leaves code in HTML; each kernel start costs a second
or two. ``render_reports`` fills those gaps:

- parameters are read from the notebook's tagged ``parameters`` cell (``name: type = default
  # comment``) and every requested value is checked for name, type, range (``RANGES``) and
  allowed value (a theme in themes.csv, a department in the data, cash or real, FIRST:LAST
  years) before any kernel starts. Names are matched without regard to case (``dfe`` is DfE,
  a theme by its id or its name), and an unknown one is an error listing the valid ones with
  the closest as "did you mean";
- the kernel is the project's ``funding`` kernel when it is installed, else one that runs
  this very Python (ipykernel's own ``python3``), else one written for the run
  (``choose_kernel``), so that reports render however the package was installed;
- reports render in parallel worker processes, each run in its own working folder
  (``reports/.run-PID-*``), with a progress bar; papermill's and the kernels' logs go to a
  file in that folder unless ``verbose``;
- each report is one HTML page from one template (``funding.pages``), with no code, the
  parameters as a small table, and the executed notebook beside it;
- a report whose notebook, parameters, clean data, library version and page template are
  unchanged since its last good render is skipped (``force`` renders anyway);
- a failing notebook leaves its executed copy in ``reports/failed/``, keeps the last good
  report in place, lets the others finish, and is marked in the index with the failing cell;
- the render cache and the index are read and written under a lock (``reports/.lock``) and
  written atomically, so two runs at once both finish; a cache that cannot be read is
  discarded with a warning (every report renders again);
- an interrupted run (Ctrl-C, SIGTERM) stops its workers, whose kernels are shut down, and
  leaves the last good reports and an index of them;
- parameter values reach file names only through ``safe_name``.
"""

from __future__ import annotations

import ast
import concurrent.futures
import datetime as dt
import difflib
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from funding import __version__
from funding.describe import REPORT_KINDS, subject_name
from funding.describe import report_title as report_title_of
from funding.output import atomic_writer
from funding.paths import CLEAN, RAW, safe_name

__all__ = [
    "Parameter", "ParameterError", "Job", "Result", "RANGES", "notebook_parameters", "allowed_values", "subject_names",
    "check_parameters", "make_job", "plan_all", "choose_kernel", "read_cache", "locked", "render_reports", "prune_reports",
]

log = logging.getLogger(__name__)
TYPES = {"str": str, "int": int, "float": float, "bool": bool}
CACHE = ".render-cache.json"
LOCK = ".lock"
KERNEL = "funding"  # the project's kernel (make install writes it into .venv)
#: Inclusive (lowest, highest) values of numeric parameters, by name, in any notebook; None: no bound.
RANGES: dict[str, tuple[float | None, float | None]] = {"top_n": (1, 100)}
#: Parameters whose value names what a report is about, shown in its title ("Theme profile: Youth").
SUBJECTS = ("theme", "department")


class ParameterError(ValueError):
    """A parameter that the notebook does not take, or a value it cannot use."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: type
    default: object
    comment: str


@dataclass(frozen=True)
class Job:
    notebook: Path
    parameters: dict = field(hash=False)
    slug: str


@dataclass
class Result:
    job: Job
    status: str  # "rendered", "skipped", "failed", "interrupted"
    html: Path | None = None
    executed: Path | None = None
    error: str = ""
    seconds: float = 0.0


# --- parameters -------------------------------------------------------------------------------


def read_notebook(path: Path) -> dict:
    """A notebook's JSON; ParameterError if the file is not a Jupyter notebook."""
    path = Path(path)
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        notebook = None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise ParameterError(f"{path}: not a Jupyter notebook (.ipynb); give a notebook name such as 02-theme, or a path to one")
    return notebook


def notebook_parameters(path: Path) -> dict[str, Parameter]:
    """The typed parameters of a notebook's ``parameters`` cell, in order."""
    cells = [c for c in read_notebook(path)["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(f"{path}: needs exactly one cell tagged 'parameters', has {len(cells)}")
    source = "".join(cells[0]["source"])
    comments = {i + 1: line.split("#", 1)[1].strip() for i, line in enumerate(source.splitlines()) if "#" in line}
    found = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and isinstance(node.annotation, ast.Name)):
            raise ParameterError(f"{path}: parameters cell line {node.lineno}: write `name: type = default  # comment`")
        kind = TYPES.get(node.annotation.id)
        if kind is None:
            raise ParameterError(f"{path}: parameter {node.target.id!r} has type {node.annotation.id}; use one of {', '.join(TYPES)}")
        found[node.target.id] = Parameter(node.target.id, kind, ast.literal_eval(node.value), comments.get(node.lineno, ""))
    return found


def allowed_values(root: Path) -> dict[str, list[str]]:
    """The values a parameter of each name may take, from the reference tables and the data."""
    import pandas as pd

    from funding.reference import load_reference
    from funding.totals import departments_in

    ref = load_reference(root / RAW)
    commitments = pd.read_csv(root / CLEAN / "commitments.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    departments = departments_in(commitments)
    return {"theme": list(ref.themes), "department": departments, "basis": ["cash", "real"],
            "base_year": sorted(f"{y}-{(y + 1) % 100:02d}" for y in ref.deflators)}


def subject_names(root: Path) -> dict[str, dict[str, str]]:
    """Readers' names of themes and departments, by id: for titles, and for matching what a user types."""
    from funding.reference import load_reference

    ref = load_reference(root / RAW)
    return {"theme": {t.theme_id: t.theme for t in ref.themes.values()},
            "department": {d.abbreviation: d.name for d in ref.departments.values()}}


_YEARS = re.compile(r"((?:19|20)\d\d)-(\d\d):((?:19|20)\d\d)-(\d\d)")


def closest_choice(value: str, choices: list[str], names: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    """(the choice ``value`` names, ignoring case or by its reader's name, None) or (None, the closest choice or None)."""
    if value in choices:
        return value, None
    folded = {c.casefold(): c for c in choices}
    folded.update({n.casefold(): c for c, n in (names or {}).items() if c in choices and n.casefold() not in folded})
    if value.casefold() in folded:
        return folded[value.casefold()], None
    close = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.6)
    return None, (folded[close[0]] if close else None)


def match_choice(value: str, choices: list[str], names: dict[str, str] | None = None) -> str:
    """The choice ``value`` names, ignoring case (or by its reader's name); ValueError with the closest one."""
    found, close = closest_choice(value, choices, names)
    if found is not None:
        return found
    hint = f"; did you mean {close!r}?" if close else ""
    raise ValueError(f"{value!r} is not one of: {', '.join(choices)}{hint}")


def _convert(value: object, kind: type) -> object:
    if kind is bool and isinstance(value, str):
        if value.lower() not in {"true", "false"}:
            raise ValueError
        return value.lower() == "true"
    if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
        return kind(value)
    return value


def _check_range(name: str, value: object) -> None:
    low, high = RANGES.get(name, (None, None))
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"from {low} to {high}" if low is not None and high is not None else (f"at least {low}" if low is not None else f"at most {high}")
        raise ValueError(f"{name} must be {bounds}, not {value!r}")


def check_parameters(path: Path, values: dict[str, object], allowed: dict[str, list[str]],
                     names: dict[str, dict[str, str]] | None = None) -> dict[str, object]:
    """The values, converted to the notebook's types; ParameterError naming what is wrong and what is right."""
    declared = notebook_parameters(path)
    where = Path(path).name
    checked = {}
    for name, value in values.items():
        if name not in declared:
            raise ParameterError(f"{where} has no parameter {name!r}; its parameters are: {', '.join(declared)}")
        kind = declared[name].type
        try:
            value = _convert(value, kind)
        except (TypeError, ValueError):
            raise ParameterError(f"{where}: parameter {name!r} must be {kind.__name__}, not {value!r}") from None
        try:
            if kind in (int, float):
                _check_range(name, value)
            if name in allowed and not (value == "" and declared[name].default == ""):
                value = match_choice(value, allowed[name], (names or {}).get(name))
        except ValueError as error:
            raise ParameterError(f"{where}: {error}" if str(error).startswith(name) else f"{where}: {name} {error}") from None
        if name == "years" and value and not _YEARS.fullmatch(str(value)):
            raise ParameterError(f"{where}: years {value!r} must be FIRST:LAST, such as 2022-23:2024-25, or empty")
        checked[name] = value
    return checked


def make_job(notebook: Path, parameters: dict) -> Job:
    slug = notebook.stem + "".join(f"--{safe_name(k)}-{safe_name(v)}" for k, v in sorted(parameters.items()))
    return Job(notebook, parameters, slug)


def plan_all(root: Path, allowed: dict[str, list[str]]) -> list[Job]:
    """The overview, one report per theme and per department present in the data, and data quality."""
    import pandas as pd

    notebooks = root / "notebooks"
    commitments = pd.read_csv(root / CLEAN / "commitments.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    themes = [t for t in allowed["theme"] if t in set(commitments["theme"])]
    jobs = [make_job(notebooks / "01-overview.ipynb", {})]
    jobs += [make_job(notebooks / "02-theme.ipynb", {"theme": t}) for t in themes]
    jobs += [make_job(notebooks / "03-department.ipynb", {"department": d}) for d in allowed["department"]]
    jobs.append(make_job(notebooks / "04-data-quality.ipynb", {}))
    return jobs


def notebook_heading(notebook: Path) -> str:
    """The notebook's first heading (its kind of report, such as "Theme profile")."""
    for cell in read_notebook(notebook)["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    return line.lstrip("# ").strip()
    return notebook.stem


def notebook_kind(notebook: Path) -> str | None:
    """The kind of report a notebook makes (its ``funding.kind`` metadata: "theme", "overview", ...), if it says."""
    kind = read_notebook(notebook).get("metadata", {}).get("funding", {}).get("kind")
    return kind if kind in REPORT_KINDS else None


def report_group(notebook: Path) -> str:
    """What the index lists the report under: its kind ("Theme profile"), else the notebook's first heading."""
    kind = notebook_kind(notebook)
    return REPORT_KINDS[kind] if kind else notebook_heading(notebook)


def report_title(job: Job, names: dict[str, dict[str, str]]) -> str:
    """The report's title, naming the theme or department it is about (funding.describe.report_title).

    The subject is the parameter given, else the notebook's default ("Theme profile: Youth
    services"). A notebook that does not say its kind is titled by its first heading and subject.
    """
    defaults = {p.name: p.default for p in notebook_parameters(job.notebook).values()}
    values = {**defaults, **job.parameters}
    subjects = [subject_name(s, str(values[s]), names.get(s, {})) for s in SUBJECTS if values.get(s)]
    kind = notebook_kind(job.notebook)
    if kind:
        return report_title_of(kind, ", ".join(subjects))
    heading = notebook_heading(job.notebook)
    return f"{heading}: {', '.join(subjects)}" if subjects else heading


# --- kernels ----------------------------------------------------------------------------------

_GENERIC_PYTHON = {"python", f"python{sys.version_info[0]}", "python%d.%d" % sys.version_info[:2]}


def _runs(argv0: str, executable: str) -> bool:
    """Whether a kernelspec's interpreter is ``executable`` (jupyter_client runs a bare "python" as itself)."""
    if argv0 in _GENERIC_PYTHON:
        return True
    try:
        return os.path.samefile(argv0, executable)
    except OSError:
        return False


def choose_kernel(specs: dict[str, dict], executable: str = sys.executable) -> str | None:
    """The kernel to render with: ``funding`` if installed and its Python exists, else one running ``executable``.

    ``specs`` is what ``KernelSpecManager().get_all_specs()`` returns. "python3" (ipykernel's own
    kernel) is preferred among the others; None when no kernel runs this Python.

    >>> here = {"spec": {"argv": ["python", "-m", "ipykernel_launcher"]}}
    >>> choose_kernel({"python3": here, "ir": {"spec": {"argv": ["R"]}}})
    'python3'
    """
    funding = (specs.get(KERNEL, {}).get("spec", {}).get("argv") or [""])[0]
    if funding and (funding in _GENERIC_PYTHON or Path(funding).is_file()):
        return KERNEL
    for name in ["python3", *sorted(specs)]:
        argv = specs.get(name, {}).get("spec", {}).get("argv") or [""]
        if name != KERNEL and _runs(argv[0], executable):
            return name
    return None


def _kernel_for_run(workdir: Path) -> tuple[str, dict[str, str]]:
    """A kernel name and the environment that makes it exist: an installed one, else one written to ``workdir``."""
    from jupyter_client.kernelspec import KernelSpecManager

    name = choose_kernel(KernelSpecManager().get_all_specs())
    if name is not None:
        return name, {}
    name = "funding-run"
    spec = workdir / "kernels" / name / "kernel.json"
    spec.parent.mkdir(parents=True)
    spec.write_text(json.dumps({"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                                "display_name": "Python (this funding)", "language": "python"}), encoding="utf-8")
    log.info("no installed Jupyter kernel runs %s: using one for this run only", sys.executable)
    return name, {"JUPYTER_PATH": os.pathsep.join(filter(None, [str(workdir), os.environ.get("JUPYTER_PATH", "")]))}


# --- cache and lock ---------------------------------------------------------------------------


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the reports folder's lock (its index and render cache) for the block; waits for another run."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK, "a+b") as handle:
        if os.name == "nt":  # pragma: no cover - Windows
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # the lock goes with the file's closing


def read_cache(path: Path) -> dict:
    """The render cache, or an empty one (with a warning) when it is missing pieces or is not JSON."""
    if not path.exists():
        return {}
    try:
        cache = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(cache, dict) and all(isinstance(e, dict) for e in cache.values()):
            return cache
        problem = "not a table of reports"
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        problem = str(error)
    log.warning("warning: %s cannot be read (%s); discarding it: every report renders again", path, problem)
    return {}


def _write_cache(path: Path, cache: dict) -> None:
    with atomic_writer(path) as handle:
        handle.write(json.dumps(cache, indent=1, sort_keys=True) + "\n")


def _template_key() -> str:
    from funding import pages

    return hashlib.sha256(Path(pages.__file__).read_bytes()).hexdigest()[:12]


def _key(job: Job, version: str) -> str:
    digest = hashlib.sha256(job.notebook.read_bytes())
    digest.update(json.dumps(job.parameters, sort_keys=True).encode())
    digest.update(f"{version}|{__version__}|{_template_key()}".encode())
    return digest.hexdigest()


def _clear_stale_runs(out: Path) -> None:
    """Delete working folders of runs whose process is gone (killed outright)."""
    for folder in out.glob(".run-*"):
        try:
            pid = int(folder.name.split("-")[1])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, IndexError, PermissionError):
            continue


# --- rendering (in worker processes) ------------------------------------------------------------


def _start_worker(env: dict[str, str], log_file: str | None) -> None:
    """Set up a worker: the kernel's environment, and its and papermill's output to the run's log."""
    os.environ.update(env)
    if log_file is not None:
        descriptor = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(descriptor, 1)
        os.dup2(descriptor, 2)  # kernels inherit it too
        os.close(descriptor)


def _render(job: Job, page: dict, out: Path, workdir: Path, cwd: Path, kernel: str, verbose: bool) -> Result:
    """Run one notebook in ``workdir`` and put its HTML page and executed copy in ``out``."""
    import time

    import papermill

    from funding.pages import report_page

    start = time.perf_counter()
    if (workdir / "STOP").exists():
        return Result(job, "interrupted")
    attempt = workdir / f"{job.slug}.ipynb"  # nothing replaces a good report until it succeeds
    try:
        papermill.execute_notebook(str(job.notebook), str(attempt), parameters=job.parameters, cwd=str(cwd),
                                   kernel_name=kernel, progress_bar=False, log_output=verbose)
    except papermill.PapermillExecutionError as error:
        if (workdir / "STOP").exists():
            return Result(job, "interrupted")
        failed = out / "failed" / f"{job.slug}.ipynb"
        failed.parent.mkdir(parents=True, exist_ok=True)
        os.replace(attempt, failed)
        return Result(job, "failed", executed=failed, seconds=time.perf_counter() - start,
                      error=f"the cell numbered [{error.exec_count}] in the executed copy: {error.ename}: {error.evalue}")
    except Exception as error:  # the kernel did not start or died: no executed copy to keep
        status = "interrupted" if (workdir / "STOP").exists() else "failed"
        return Result(job, status, seconds=time.perf_counter() - start, error=f"{type(error).__name__}: {error}")
    target = out / f"{job.slug}.html"
    with atomic_writer(target) as handle:  # the last good report is replaced only by a good one
        handle.write(report_page(attempt, **page))
    executed = out / f"{job.slug}.ipynb"
    os.replace(attempt, executed)
    (out / "failed" / f"{job.slug}.ipynb").unlink(missing_ok=True)  # failed/ holds only what fails now
    return Result(job, "rendered", html=target, executed=executed, seconds=time.perf_counter() - start)


# --- a run --------------------------------------------------------------------------------------


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops a run as Ctrl-C does (in the main thread; elsewhere the default stays)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop_workers(pool: concurrent.futures.ProcessPoolExecutor, workdir: Path) -> None:
    """Tell the workers to stop: queued reports are not started, running ones shut their kernels down."""
    (workdir / "STOP").touch()
    for process in list(getattr(pool, "_processes", {}).values()):  # the executor has no public way
        if process.is_alive():
            process.terminate()  # nbclient shuts the kernel down on SIGTERM; ipykernel also exits with its parent
    pool.shutdown(wait=True, cancel_futures=True)


def _record(cache: dict, result: Result, key: str, page: dict, version: str) -> None:
    """Put one result into the render cache: a good render replaces the entry, a failure marks it."""
    entry = cache.setdefault(result.job.slug, {})
    entry.update(notebook=result.job.notebook.name, title=page["title"], kind=page["kind"], parameters=result.job.parameters)
    now = dt.datetime.now().replace(microsecond=0).isoformat()
    if result.status == "rendered":
        entry.update(key=key, data_version=version, rendered=now)
        entry.pop("failed", None)
    elif result.status == "failed":
        entry["failed"] = {"error": result.error, "when": now,
                           "executed": f"failed/{result.executed.name}" if result.executed else ""}


def _say(bar, result: Result, done: int, total: int, root: Path) -> None:
    if result.status == "failed":
        log.error("FAILED %s: %s", result.job.slug, result.error)
    elif bar.disable and result.status == "rendered":
        shown = result.html.relative_to(root) if result.html.is_relative_to(root) else result.html
        log.info("[%d/%d] %s (%.1f s)", done, total, shown, result.seconds)
    bar.update(1)


def render_reports(jobs: list[Job], root: Path, out: Path, *, force: bool = False, workers: int | None = None,
                   verbose: bool = False) -> list[Result]:
    """Render ``jobs`` (parameters already checked), skipping unchanged ones; update the cache and the index.

    KeyboardInterrupt (Ctrl-C or SIGTERM) stops the workers and their kernels, records what was
    rendered, and is raised again.
    """
    from funding.pipeline import data_version

    out.mkdir(parents=True, exist_ok=True)
    version = data_version(root / CLEAN)
    names = subject_names(root)
    with locked(out):
        _clear_stale_runs(out)
        cache = read_cache(out / CACHE)
    pages, keys, results, todo = {}, {}, [], []
    today = dt.date.today()
    for job in jobs:
        pages[job.slug] = {"title": report_title(job, names), "kind": report_group(job.notebook),
                           "parameters": job.parameters, "data_version": version, "rendered": today}
        keys[job.slug] = _key(job, version)
        if not force and cache.get(job.slug, {}).get("key") == keys[job.slug] and (out / f"{job.slug}.html").exists():
            results.append(Result(job, "skipped", html=out / f"{job.slug}.html"))
        else:
            todo.append(job)
    workdir = Path(tempfile.mkdtemp(prefix=f".run-{os.getpid()}-", dir=out))
    try:
        if todo:
            _run_jobs(todo, pages, root, out, workdir, workers, verbose, results)
        else:
            log.info("nothing to render: every report is unchanged (--force to render anyway)")
    finally:
        with locked(out):
            cache = read_cache(out / CACHE)  # another run may have written it meanwhile
            for result in results:
                if result.status in ("rendered", "failed"):
                    _record(cache, result, keys[result.job.slug], pages[result.job.slug], version)
            _write_cache(out / CACHE, cache)
            write_index(root, out, cache)
        shutil.rmtree(workdir, ignore_errors=True)
    order = {job.slug: i for i, job in enumerate(jobs)}
    return sorted(results, key=lambda r: order[r.job.slug])


def _run_jobs(todo: list[Job], pages: dict, root: Path, out: Path, workdir: Path, workers: int | None, verbose: bool,
              results: list[Result]) -> None:
    """Render ``todo`` in worker processes, with a progress bar, adding each result to ``results`` as it comes."""
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    kernel, env = _kernel_for_run(workdir)
    workers = workers or min(len(todo), os.cpu_count() or 1)
    log.info("rendering %d of %d reports in %d worker process%s with the %r kernel", len(todo), len(pages), workers,
             "" if workers == 1 else "es", kernel)
    log_file = None if verbose else str(workdir / "kernels.log")
    quiet = not log.isEnabledFor(logging.INFO)
    with _sigterm_interrupts(), logging_redirect_tqdm(), \
            tqdm(total=len(todo), unit="report", disable=True if quiet else None, file=sys.stderr) as bar:
        pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(env, log_file))
        futures, seen = [], set()
        try:
            futures = [pool.submit(_render, job, pages[job.slug], out, workdir, root / "notebooks", kernel, verbose) for job in todo]
            for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
                seen.add(future)
                results.append(future.result())
                _say(bar, results[-1], done, len(todo), root)
        except KeyboardInterrupt:
            log.error("interrupted: stopping the workers and their kernels; the last good reports stay")
            _stop_workers(pool, workdir)
            results += [f.result() for f in futures if f not in seen and f.done() and not f.cancelled() and f.exception() is None]
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


# --- the index and pruning ---------------------------------------------------------------------


def scheduled_slugs(root: Path) -> set[str]:
    """The slugs of the scheduled set (``--all``); empty when the project cannot say."""
    try:
        return {job.slug for job in plan_all(root, allowed_values(root))}
    except (OSError, ValueError, KeyError) as error:
        log.warning("warning: cannot list the scheduled reports (%s): every report shows as ad hoc", error)
        return set()


def write_index(root: Path, out: Path, cache: dict) -> Path:
    """Write ``out/index.html`` from the cache (call under ``locked``)."""
    from funding.pages import index_page
    from funding.pipeline import data_version
    from funding.totals import load_tables, totals

    by_theme = totals(load_tables(root / CLEAN), by="theme")
    headline = {"amount": float(by_theme["amount_gbp"].sum()), "statement": by_theme.attrs.get("statement", ""),
                "data_version": data_version(root / CLEAN)}
    present = {slug: entry for slug, entry in cache.items() if (out / f"{slug}.html").exists() or "failed" in entry}
    workbooks = sorted(out.glob("*.xlsx"))
    target = out / "index.html"
    with atomic_writer(target) as handle:
        handle.write(index_page(present, scheduled_slugs(root), headline, workbooks, today=dt.date.today()))
    return target


def prune_reports(root: Path, out: Path) -> list[str]:
    """Delete ad-hoc renders (parameters not in the scheduled set) and their cache entries; rewrite the index."""
    scheduled = scheduled_slugs(root)
    if not scheduled:
        raise ValueError("the scheduled set is unknown, so nothing can be called ad hoc; nothing deleted")
    with locked(out):
        cache = read_cache(out / CACHE)
        stems = {p.stem for p in (root / "notebooks").glob("*.ipynb")}
        on_disk = {p.stem for p in out.glob("*.html") if p.stem.split("--")[0] in stems}
        pruned = sorted((set(cache) | on_disk) - scheduled)
        for slug in pruned:
            for path in (out / f"{slug}.html", out / f"{slug}.ipynb", out / "failed" / f"{slug}.ipynb"):
                path.unlink(missing_ok=True)
            cache.pop(slug, None)
        _write_cache(out / CACHE, cache)
        write_index(root, out, cache)
    return pruned
