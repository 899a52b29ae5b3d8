"""The promises the project makes to a new user: one dependency list, CI runs the README's commands."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~ \[]", r, maxsplit=1)[0].lower() for r in requirements}


def test_environment_yml_has_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    wanted = set(project["dependencies"]) | set(extras["dev"]) | set(extras["dask"])
    lines = (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines()
    pip = [line.strip()[2:] for line in lines if line.startswith("      - ") and not line.strip().startswith("- -e")]
    assert set(pip) == wanted


def test_constraints_pin_every_direct_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = {line.split("==")[0].lower() for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line}
    extras = project["optional-dependencies"]
    assert _names(project["dependencies"] + extras["dev"] + extras["dask"]) <= pinned


def test_ci_runs_the_readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make test" in ci
    assert re.search(r"^make\s", readme, re.M) and "make all" in ci
