"""The report runner: parameters checked before any kernel, HTML without code, skips, failures kept apart."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from funding.output import atomic_writer
from funding.report import (CACHE, ParameterError, allowed_values, check_parameters, choose_kernel, make_job, notebook_parameters,
                            read_cache, render_reports, subject_names)

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "fixture-report.ipynb"
FUNDING = Path(sys.executable).with_name("funding")
ALLOWED = allowed_values(ROOT)


def test_parameters_are_read_with_types_defaults_and_comments():
    found = notebook_parameters(ROOT / "notebooks" / "02-theme.ipynb")
    assert list(found) == ["theme", "basis", "base_year", "years", "include_components"]
    assert (found["theme"].type, found["theme"].default) == (str, "early-help")
    assert "themes.csv" in found["theme"].comment


@pytest.mark.parametrize(
    "values, message",
    [
        pytest.param({"colour": "red"}, "has no parameter 'colour'; its parameters are: theme, basis, base_year, years, include_components", id="unknown-name"),
        pytest.param({"theme": "yuoth"}, "theme 'yuoth' is not one of: early-help, family-hubs", id="unknown-theme"),
        pytest.param({"basis": "nominal"}, "basis 'nominal' is not one of: cash, real", id="unknown-basis"),
        pytest.param({"years": "2022"}, "years '2022' must be FIRST:LAST", id="bad-years"),
    ],
)
def test_bad_parameters_are_refused(values, message):
    with pytest.raises(ParameterError) as caught:
        check_parameters(ROOT / "notebooks" / "02-theme.ipynb", values, ALLOWED)
    assert message in str(caught.value)


def test_types_are_checked_and_converted():
    assert check_parameters(ROOT / "notebooks" / "01-overview.ipynb", {"top_n": "3"}, ALLOWED) == {"top_n": 3}
    with pytest.raises(ParameterError, match="parameter 'top_n' must be int, not 'three'"):
        check_parameters(ROOT / "notebooks" / "01-overview.ipynb", {"top_n": "three"}, ALLOWED)
    assert check_parameters(FIXTURE, {"fail": "true"}, ALLOWED) == {"fail": True}


def test_parameter_values_never_reach_a_path_unsanitised():
    job = make_job(FIXTURE, {"label": "../../../etc/passwd"})
    assert "/" not in job.slug and ".." not in job.slug


def test_render_skip_and_keep_the_last_good_report_on_failure(tmp_path):
    notebook = tmp_path / "notebooks" / "fixture-report.ipynb"
    notebook.parent.mkdir()
    shutil.copy(FIXTURE, notebook)
    out = tmp_path / "reports"
    job = make_job(notebook, {"label": "first"})

    first = render_reports([job], ROOT, out)
    assert first[0].status == "rendered"
    page = (out / f"{job.slug}.html").read_text(encoding="utf-8")
    assert "report for first" in page and "raise RuntimeError" not in page and 'print(f"report' not in page
    assert ('<table class="parameters"><caption class="visually-hidden">Parameters</caption>'
            '<tr><th scope="row">label</th><td>first</td></tr></table>') in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{job.slug}.html">A fixture notebook for the report runner&#x27;s tests</a>' in index and "label = first" in index

    assert render_reports([job], ROOT, out)[0].status == "skipped"
    assert render_reports([job], ROOT, out, force=True)[0].status == "rendered"
    page = (out / f"{job.slug}.html").read_text(encoding="utf-8")  # the last good report now

    content = json.loads(notebook.read_text(encoding="utf-8"))
    content["cells"][-1]["source"] = "raise RuntimeError('deliberate failure')"
    notebook.write_text(json.dumps(content), encoding="utf-8")
    failed = render_reports([job], ROOT, out)[0]
    assert failed.status == "failed"
    # parameters cell [1], papermill's injected parameters [2], print [3], the raise [4]
    assert "the cell numbered [4] in the executed copy: RuntimeError: deliberate failure" in failed.error
    assert failed.executed == out / "failed" / f"{job.slug}.ipynb" and failed.executed.exists()
    assert (out / f"{job.slug}.html").read_text(encoding="utf-8") == page  # the last good report is untouched


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(FUNDING), "report", *args], cwd=ROOT, capture_output=True, text=True)


def test_command_refuses_bad_parameters_before_any_kernel():
    result = run("02-theme", "-p", "theme", "yuoth")
    assert result.returncode == 2 and "is not one of: early-help" in result.stderr
    result = run("no-such-notebook")
    assert result.returncode == 2 and "choose one of: 01-overview, 02-theme" in result.stderr


def test_a_fixed_report_clears_its_failure(tmp_path):
    notebook = tmp_path / "notebooks" / "fixture-report.ipynb"
    notebook.parent.mkdir()
    shutil.copy(FIXTURE, notebook)
    out = tmp_path / "reports"
    bad = make_job(notebook, {"fail": True})
    assert render_reports([bad], ROOT, out)[0].status == "failed"
    assert (out / "failed" / f"{bad.slug}.ipynb").exists() and not (out / f"{bad.slug}.html").exists()
    content = json.loads(notebook.read_text(encoding="utf-8"))
    content["cells"][-1]["source"] = "print('fixed')"
    notebook.write_text(json.dumps(content), encoding="utf-8")
    assert render_reports([bad], ROOT, out)[0].status == "rendered"
    assert not (out / "failed" / f"{bad.slug}.ipynb").exists()



# --- kernels ---------------------------------------------------------------------------------

def spec(*argv: str) -> dict:
    return {"resource_dir": "/somewhere", "spec": {"argv": list(argv), "language": "python"}}


@pytest.mark.parametrize(
    "specs, expected",
    [
        pytest.param({"funding": spec(sys.executable, "-m", "ipykernel_launcher"), "python3": spec("python")}, "funding", id="funding-kernel-first"),
        pytest.param({"funding": spec("/no/such/venv/bin/python"), "python3": spec("python")}, "python3", id="funding-kernel-of-a-deleted-venv"),
        pytest.param({"python3": spec("python", "-m", "ipykernel_launcher")}, "python3", id="ipykernel-own-python3"),
        pytest.param({"python3": spec("/usr/bin/env"), "mine": spec(sys.executable)}, "mine", id="python3-of-another-python"),
        pytest.param({"ir": spec("R"), "python3": spec("/usr/bin/env")}, None, id="none-runs-this-python"),
        pytest.param({}, None, id="no-kernels"),
    ],
)
def test_kernel_choice(specs, expected):
    assert choose_kernel(specs, sys.executable) == expected


def test_a_kernel_is_written_for_the_run_when_none_runs_this_python(tmp_path, monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    import funding.report as report

    monkeypatch.setattr(KernelSpecManager, "get_all_specs", lambda self: {"ir": spec("R")})
    name, env = report._kernel_for_run(tmp_path)
    written = json.loads((tmp_path / "kernels" / name / "kernel.json").read_text(encoding="utf-8"))
    assert written["argv"][0] == sys.executable and env["JUPYTER_PATH"].split(os.pathsep)[0] == str(tmp_path)


# --- cache, lock, concurrent and interrupted runs -------------------------------------------

def fixture_project(tmp_path: Path) -> tuple[Path, Path]:
    notebook = tmp_path / "notebooks" / "fixture-report.ipynb"
    notebook.parent.mkdir()
    shutil.copy(FIXTURE, notebook)
    return notebook, tmp_path / "reports"


@pytest.mark.parametrize("content", ['{"01-overview": {"key": "abc"', "not json at all", "[1, 2]", '{"x": 3}', "\xff\xfe"],
                         ids=["cut-short", "not-json", "a-list", "entries-not-tables", "not-utf8"])
def test_a_corrupt_cache_is_discarded_with_a_warning(content, tmp_path, caplog):
    path = tmp_path / CACHE
    path.write_bytes(content.encode("latin-1"))
    with caplog.at_level(logging.WARNING, logger="funding.report"):
        assert read_cache(path) == {}
    assert "cannot be read" in caplog.text and "every report renders again" in caplog.text


def test_a_run_after_a_corrupt_cache_renders_and_mends_it(tmp_path):
    notebook, out = fixture_project(tmp_path)
    job = make_job(notebook, {"label": "mend"})
    out.mkdir()
    (out / CACHE).write_text('{"half": {"key": "x"', encoding="utf-8")  # a run killed mid-write, before writes were atomic
    assert render_reports([job], ROOT, out)[0].status == "rendered"
    assert job.slug in json.loads((out / CACHE).read_text(encoding="utf-8"))


def test_atomic_writer_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "index.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as handle:
            handle.write("half a new")
            raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["index.html"]
    with atomic_writer(target) as handle:
        handle.write("new")
    assert target.read_text(encoding="utf-8") == "new"


def test_two_runs_at_once_both_succeed(tmp_path):
    notebook, out = fixture_project(tmp_path)
    runs = [subprocess.Popen([str(FUNDING), "report", str(notebook), "-p", "label", label, "--out", str(out), "--root", str(ROOT)],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for label in ("one", "two")]
    for run_ in runs:
        _, err = run_.communicate(timeout=300)
        assert run_.returncode == 0, err
    cache = json.loads((out / CACHE).read_text(encoding="utf-8"))
    slugs = {make_job(notebook, {"label": label}).slug for label in ("one", "two")}
    assert slugs <= set(cache)  # neither run lost the other's entry
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{slug}.html"' in index for slug in slugs)
    assert not list(out.glob(".run-*"))  # each run's working folder is gone


def test_an_interrupted_run_stops_its_kernel_and_keeps_the_last_good_report(tmp_path):
    notebook, out = fixture_project(tmp_path)
    job = make_job(notebook, {"label": "slow"})
    assert render_reports([job], ROOT, out)[0].status == "rendered"
    good = (out / f"{job.slug}.html").read_text(encoding="utf-8")
    pid_file = tmp_path / "kernel.pid"
    content = json.loads(notebook.read_text(encoding="utf-8"))
    content["cells"][-1]["source"] = (f"import os, pathlib, time\npathlib.Path({str(pid_file)!r}).write_text(str(os.getpid()))\n"
                                      "time.sleep(120)")
    notebook.write_text(json.dumps(content), encoding="utf-8")
    run_ = subprocess.Popen([str(FUNDING), "report", str(notebook), "-p", "label", "slow", "--out", str(out), "--root", str(ROOT)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    # write_text makes the file, then writes it: wait for the number, not only for the file
    while not (pid_file.exists() and pid_file.read_text().strip()) and time.monotonic() < deadline and run_.poll() is None:
        time.sleep(0.2)
    assert pid_file.exists() and pid_file.read_text().strip(), run_.communicate()[1]
    kernel = int(pid_file.read_text())
    run_.send_signal(signal.SIGTERM)
    _, err = run_.communicate(timeout=60)
    assert run_.returncode == 130 and "interrupted" in err
    deadline = time.monotonic() + 15
    while alive(kernel) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(kernel), "the kernel outlived its run"
    assert (out / f"{job.slug}.html").read_text(encoding="utf-8") == good
    assert not (out / "failed" / f"{job.slug}.ipynb").exists() and not list(out.glob(".run-*"))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())  # a zombie has stopped


# --- arguments checked before any kernel ------------------------------------------------------

NAMES = subject_names(ROOT)


@pytest.mark.parametrize(
    "notebook, values, expected",
    [
        pytest.param("03-department", {"department": "dfe"}, {"department": "DfE"}, id="department-in-lower-case"),
        pytest.param("03-department", {"department": "Home Office"}, {"department": "HO"}, id="department-by-name"),
        pytest.param("02-theme", {"theme": "YOUTH"}, {"theme": "youth"}, id="theme-in-capitals"),
        pytest.param("02-theme", {"theme": "Youth services"}, {"theme": "youth"}, id="theme-by-name"),
        pytest.param("01-overview", {"top_n": "1"}, {"top_n": 1}, id="top-n-lowest"),
    ],
)
def test_names_are_matched_in_any_case(notebook, values, expected):
    assert check_parameters(ROOT / "notebooks" / f"{notebook}.ipynb", values, ALLOWED, NAMES) == expected


@pytest.mark.parametrize(
    "notebook, values, message",
    [
        pytest.param("01-overview", {"top_n": "-3"}, "top_n must be from 1 to 100, not -3", id="negative-top-n"),
        pytest.param("01-overview", {"top_n": "0"}, "top_n must be from 1 to 100, not 0", id="zero-top-n"),
        pytest.param("01-overview", {"top_n": "101"}, "top_n must be from 1 to 100, not 101", id="huge-top-n"),
        pytest.param("02-theme", {"theme": "yuoth"}, "did you mean 'youth'?", id="misspelt-theme"),
        pytest.param("03-department", {"department": "DfF"}, "did you mean 'DfE'?", id="misspelt-department"),
    ],
)
def test_out_of_range_and_misspelt_values_are_refused(notebook, values, message):
    with pytest.raises(ParameterError) as caught:
        check_parameters(ROOT / "notebooks" / f"{notebook}.ipynb", values, ALLOWED, NAMES)
    assert message in str(caught.value)


def test_departments_offered_are_those_in_the_data():
    commitments = [{"department": "DfE;DHSC"}, {"department": "HO"}, {"department": ""}]  # departments_in splits joint ones
    import pandas as pd

    from funding.totals import departments_in

    allowed = {"department": departments_in(pd.DataFrame(commitments))}
    with pytest.raises(ParameterError) as caught:
        check_parameters(ROOT / "notebooks" / "03-department.ipynb", {"department": "DCMS"}, allowed, NAMES)
    assert str(caught.value).endswith("department 'DCMS' is not one of: DHSC, DfE, HO")


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(["--all", "-p", "theme", "youth"], "-p sets a parameter of one NOTEBOOK", id="p-with-all"),
        pytest.param(["02-theme", "--all"], "give a NOTEBOOK or --all, not both", id="notebook-and-all"),
        pytest.param(["02-theme", "--prune"], "give it alone or with --all, not with a NOTEBOOK", id="notebook-and-prune"),
        pytest.param([], "give a NOTEBOOK (such as 02-theme), --all or --prune", id="nothing-to-do"),
        pytest.param(["01-overview", "-p", "top_n", "-3"], "top_n must be from 1 to 100, not -3", id="top-n-negative"),
        pytest.param(["01-overview", "-p", "top_n", "three"], "parameter 'top_n' must be int, not 'three'", id="top-n-not-a-number"),
        pytest.param(["--all", "--jobs", "0"], "argument --jobs: '0' must be a whole number, 1 or more", id="jobs-zero"),
        pytest.param(["--all", "--jobs", "-2"], "argument --jobs: '-2' must be a whole number, 1 or more", id="jobs-negative"),
        pytest.param(["02-theme", "-p", "theme", "yuoth"], "did you mean 'youth'?", id="theme-misspelt"),
        pytest.param(["03-department", "-p", "department", "DCSF"], "department 'DCSF' is not one of:", id="department-not-in-data"),
        pytest.param(["02-theme", "-p", "colour", "red"], "02-theme.ipynb has no parameter 'colour'", id="unknown-parameter"),
        pytest.param(["/etc/hostname"], "/etc/hostname: not a Jupyter notebook (.ipynb)", id="not-a-notebook"),
        pytest.param(["notebooks"], "notebooks: is a folder; give a notebook (.ipynb)", id="a-folder"),
        pytest.param(["no-such-notebook"], "choose one of: 01-overview, 02-theme", id="no-such-notebook"),
    ],
)
def test_command_refusals(args, message, tmp_path):
    result = run(*args, "--out", str(tmp_path / "reports"))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert not (tmp_path / "reports").exists()  # refused before any kernel or file


def test_departments_offered_by_the_command_are_only_those_in_the_data():
    result = run("03-department", "-p", "department", "DCSF")
    listed = result.stderr.split("is not one of: ")[1].split(";")[0].strip().split(", ")
    assert "DCSF" not in listed and "DfE" in listed  # DCSF is in departments.csv, but no commitment names it
