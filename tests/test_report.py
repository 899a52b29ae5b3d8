"""The report runner: parameters checked before any kernel, HTML without code, skips, failures kept apart."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from funding.report import ParameterError, allowed_values, check_parameters, make_job, notebook_parameters, render_reports

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
    assert '<table class="parameters"><caption>Parameters</caption><tr><th>label</th><td>first</td></tr></table>' in page
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

