"""The public bodies table is derived from the GOV.UK register by walking parents to a department."""

from __future__ import annotations

import csv
from pathlib import Path

from funding.bodies import public_bodies

REGISTER_COLUMNS = ["slug", "title", "abbreviation", "format", "parent_organisations", "superseded_organisations"]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_bodies_reach_their_department_through_their_parents(tmp_path):
    departments = _write(tmp_path / "departments.csv", ["dept_id", "abbreviation", "name", "valid_from", "valid_to", "successor", "aliases"], [
        ["DfT", "DfT", "Department for Transport", "2002-05-29", "", "", "Department for Transport;DfT"],
        ["OLD", "OLD", "Department of Old Things", "1990-01-01", "2000-01-01", "DfT", "Department of Old Things"],
    ])
    register = _write(tmp_path / "register.csv", REGISTER_COLUMNS, [
        ["department-for-transport", "Department for Transport", "DfT", "Ministerial department", "", ""],
        ["roads-agency", "Roads Agency", "RA", "Executive agency", "department-for-transport", ""],
        ["roads-agency-north", "Roads Agency North", "RANTH", "Sub organisation", "roads-agency", ""],
        ["road-advice-panel", "Road Advice Panel", "RAP", "Advisory non-departmental public body", "department-for-transport", ""],
        ["lonely-body", "Lonely Body", "", "Other", "", ""],
    ])
    rows = public_bodies(register, departments)
    assert [(r["name"], r["abbreviation"], r["department"]) for r in rows] == [
        ("Roads Agency", "", "DfT"),  # "RA": too short to tell from an ordinary word
        ("Roads Agency North", "RANTH", "DfT"),  # its parent's parent
    ]  # the advisory panel's figures are advice; a body with no parent reaches no department


def test_the_projects_table_names_only_departments_it_knows():
    root = Path(__file__).resolve().parents[1] / "data" / "raw" / "reference"
    known = {row["dept_id"] for row in csv.DictReader((root / "departments.csv").open(encoding="utf-8"))}
    bodies = list(csv.DictReader((root / "public_bodies.csv").open(encoding="utf-8")))
    assert bodies and {row["department"] for row in bodies} <= known
    by_name = {row["name"]: row["department"] for row in bodies}
    assert by_name["Environment Agency"] == "DEFRA" and by_name["NHS England"] == "DHSC"
