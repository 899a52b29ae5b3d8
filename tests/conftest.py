"""Shared fixtures: real reports rendered once per test session, for the tests that read pages."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: A few scheduled reports, one of each kind, and one rendered by hand with other parameters.
SAMPLE = [("01-overview", {}), ("02-theme", {"theme": "youth"}), ("03-department", {"department": "DfE"}),
          ("04-data-quality", {}), ("01-overview", {"top_n": 3})]


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> Path:
    """A reports folder holding SAMPLE rendered from the real data, a workbook beside them, and the index."""
    from funding.report import make_job, render_reports

    out = tmp_path_factory.mktemp("reports")
    (out / "funding.xlsx").write_bytes(b"PK\x03\x04 stands in for a workbook")
    jobs = [make_job(ROOT / "notebooks" / f"{name}.ipynb", parameters) for name, parameters in SAMPLE]
    results = render_reports(jobs, ROOT, out)
    assert [r.status for r in results] == ["rendered"] * len(SAMPLE), [r.error for r in results]
    return out
