"""Render notebooks into reports: checked parameters, parallel workers, no code, an index, no wasted work.

Papermill runs a notebook with parameters but only warns about a misspelt name and never
checks a type; nbconvert's report mode leaves code in HTML; each kernel start costs a second
or two. ``render_reports`` fills those gaps:

- parameters are read from the notebook's tagged ``parameters`` cell (``name: type = default
  # comment``) and every requested value is checked for name, type and allowed value (a theme
  in themes.csv, a department in the data, cash or real, FIRST:LAST years) before any kernel
  starts; an unknown theme is an error listing the valid ones;
- reports render in parallel worker processes, progress logged as each finishes;
- each report is HTML with no code (nbconvert with input excluded), the parameters shown as a
  small table, with the executed notebook beside it;
- a report whose notebook, parameters, clean data and library version are unchanged since its
  last good render is skipped (``force`` renders anyway);
- a failing notebook leaves its executed copy in ``reports/failed/`` (work in progress sits in
  ``reports/.running/``), keeps the last good
  report in place, lets the others finish, and is reported with the failing cell;
- parameter values reach file names only through ``safe_name``;
- ``reports/index.html`` lists every report with its parameters, data version and time.
"""

from __future__ import annotations

import ast
import concurrent.futures
import datetime as dt
import hashlib
import html
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from funding import __version__
from funding.paths import safe_name

__all__ = ["Parameter", "ParameterError", "Job", "Result", "notebook_parameters", "check_parameters", "plan_all", "render_reports"]

log = logging.getLogger(__name__)
TYPES = {"str": str, "int": int, "float": float, "bool": bool}
CACHE = ".render-cache.json"


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
    status: str  # "rendered", "skipped", "failed"
    html: Path | None = None
    executed: Path | None = None
    error: str = ""
    seconds: float = 0.0


def notebook_parameters(path: Path) -> dict[str, Parameter]:
    """The typed parameters of a notebook's ``parameters`` cell, in order."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = [c for c in notebook["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
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

    from funding.paths import CLEAN, RAW
    from funding.reference import load_reference
    from funding.totals import departments_in

    ref = load_reference(root / RAW)
    commitments = pd.read_csv(root / CLEAN / "commitments.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    departments = departments_in(commitments)
    return {"theme": list(ref.themes), "department": departments, "basis": ["cash", "real"],
            "base_year": sorted(f"{y}-{(y + 1) % 100:02d}" for y in ref.deflators)}


_YEARS = re.compile(r"((?:19|20)\d\d)-(\d\d):((?:19|20)\d\d)-(\d\d)")


def check_parameters(path: Path, values: dict[str, object], allowed: dict[str, list[str]]) -> dict[str, object]:
    """The values, converted to the notebook's types; ParameterError naming what is wrong and what is right."""
    declared = notebook_parameters(path)
    checked = {}
    for name, value in values.items():
        if name not in declared:
            raise ParameterError(f"{Path(path).name} has no parameter {name!r}; its parameters are: {', '.join(declared)}")
        kind = declared[name].type
        try:
            if kind is bool and isinstance(value, str):
                if value.lower() not in {"true", "false"}:
                    raise ValueError
                value = value.lower() == "true"
            elif not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
                value = kind(value)
        except (TypeError, ValueError):
            raise ParameterError(f"{Path(path).name}: parameter {name!r} must be {kind.__name__}, not {value!r}") from None
        if name in allowed and value not in allowed[name] and not (value == "" and declared[name].default == ""):
            raise ParameterError(f"{Path(path).name}: {name} {value!r} is not one of: {', '.join(allowed[name])}")
        if name == "years" and value and not _YEARS.fullmatch(str(value)):
            raise ParameterError(f"{Path(path).name}: years {value!r} must be FIRST:LAST, such as 2022-23:2024-25, or empty")
        checked[name] = value
    return checked


def make_job(notebook: Path, parameters: dict) -> Job:
    slug = notebook.stem + "".join(f"--{safe_name(k)}-{safe_name(v)}" for k, v in sorted(parameters.items()))
    return Job(notebook, parameters, slug)


def plan_all(root: Path, allowed: dict[str, list[str]]) -> list[Job]:
    """The overview, one report per theme and per department present in the data, and data quality."""
    import pandas as pd

    notebooks = root / "notebooks"
    commitments = pd.read_csv(root / "data" / "clean" / "commitments.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    themes = [t for t in allowed["theme"] if t in set(commitments["theme"])]
    jobs = [make_job(notebooks / "01-overview.ipynb", {})]
    jobs += [make_job(notebooks / "02-theme.ipynb", {"theme": t}) for t in themes]
    jobs += [make_job(notebooks / "03-department.ipynb", {"department": d}) for d in allowed["department"]]
    jobs.append(make_job(notebooks / "04-data-quality.ipynb", {}))
    return jobs


def _key(job: Job, version: str) -> str:
    digest = hashlib.sha256(job.notebook.read_bytes())
    digest.update(json.dumps(job.parameters, sort_keys=True).encode())
    digest.update(f"{version}|{__version__}".encode())
    return digest.hexdigest()


def _render(job: Job, out: Path, cwd: Path) -> Result:
    """Run one notebook and write its HTML (in a worker process)."""
    import time

    import papermill
    from nbconvert import HTMLExporter

    start = time.perf_counter()
    executed = out / f"{job.slug}.ipynb"
    attempt = out / ".running" / f"{job.slug}.ipynb"  # nothing replaces a good report until it succeeds
    attempt.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(str(job.notebook), str(attempt), parameters=job.parameters, cwd=str(cwd),
                                   progress_bar=False, log_output=False)
    except papermill.PapermillExecutionError as error:
        failed = out / "failed" / f"{job.slug}.ipynb"
        failed.parent.mkdir(parents=True, exist_ok=True)
        os.replace(attempt, failed)
        return Result(job, "failed", executed=failed, seconds=time.perf_counter() - start,
                      error=f"the cell numbered [{error.exec_count}] in the executed copy: {error.ename}: {error.evalue}")
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_filename(str(attempt))
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in sorted(job.parameters.items()))
    table = f'<table class="parameters"><caption>Parameters</caption>{rows}</table>' if rows else ""
    body = body.replace("<html>", '<html lang="en">', 1)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + table, body, count=1)
    target = out / f"{job.slug}.html"
    tmp = out / f".{job.slug}.html.tmp"
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, target)  # the last good report is replaced only by a good one
    os.replace(attempt, executed)
    (out / "failed" / f"{job.slug}.ipynb").unlink(missing_ok=True)  # failed/ holds only what fails now
    return Result(job, "rendered", html=target, executed=executed, seconds=time.perf_counter() - start)


def render_reports(jobs: list[Job], root: Path, out: Path, *, force: bool = False, workers: int | None = None) -> list[Result]:
    """Render ``jobs`` (parameters already checked), skipping unchanged ones; write the index."""
    out.mkdir(parents=True, exist_ok=True)
    from funding.pipeline import data_version

    version = data_version(root / "data" / "clean")
    cache_path = out / CACHE
    cache = json.loads(cache_path.read_text(encoding="utf-8")) if cache_path.exists() else {}
    results: list[Result] = []
    todo = []
    for job in jobs:
        key = _key(job, version)
        if not force and cache.get(job.slug, {}).get("key") == key and (out / f"{job.slug}.html").exists():
            results.append(Result(job, "skipped", html=out / f"{job.slug}.html"))
        else:
            todo.append((job, key))
    if todo:
        workers = workers or min(len(todo), os.cpu_count() or 1)
        log.info("rendering %d report(s) in %d worker(s); %d unchanged", len(todo), workers, len(results))
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_render, job, out, root / "notebooks"): (job, key) for job, key in todo}
            for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
                job, key = futures[future]
                result = future.result()
                results.append(result)
                if result.status == "rendered":
                    cache[job.slug] = {"key": key, "notebook": job.notebook.name, "title": _title(job.notebook), "parameters": job.parameters,
                                       "data_version": version, "rendered": dt.datetime.now().replace(microsecond=0).isoformat()}
                    log.info("[%d/%d] %s (%.1f s)", done, len(todo), result.html.relative_to(root) if result.html.is_relative_to(root) else result.html, result.seconds)
                else:
                    log.error("[%d/%d] FAILED %s: %s; see %s", done, len(todo), job.slug, result.error, result.executed)
    else:
        log.info("all %d report(s) unchanged; nothing to render (--force to render anyway)", len(results))
    cache_path.write_text(json.dumps(cache, indent=1, sort_keys=True), encoding="utf-8")
    _write_index(out, cache)
    order = {job.slug: i for i, job in enumerate(jobs)}
    return sorted(results, key=lambda r: order[r.job.slug])


def _title(notebook: Path) -> str:
    """The notebook's first heading, for the index."""
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    return line.lstrip("# ").strip()
    return notebook.stem


def _write_index(out: Path, cache: dict) -> None:
    rows = []
    for slug, entry in sorted(cache.items()):
        if not (out / f"{slug}.html").exists():
            continue
        params = ", ".join(f"{k} = {v}" for k, v in sorted(entry["parameters"].items())) or "defaults"
        title = entry.get("title", entry["notebook"])
        rows.append(f'<tr><td><a href="{html.escape(slug)}.html">{html.escape(title)}</a></td>'
                    f"<td>{html.escape(params)}</td><td>{html.escape(entry['data_version'])}</td><td>{html.escape(entry['rendered'])}</td></tr>")
    page = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>funding reports</title></head><body>'
            "<h1>funding reports</h1><table><thead><tr><th>Report</th><th>Parameters</th><th>Data version</th>"
            f"<th>Rendered</th></tr></thead><tbody>{''.join(rows)}</tbody></table></body></html>\n")
    (out / "index.html").write_text(page, encoding="utf-8")
