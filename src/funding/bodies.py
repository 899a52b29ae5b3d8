"""Derive ``data/raw/reference/public_bodies.csv`` from the GOV.UK organisation register.

GOV.UK lists every organisation it publishes for (agencies, non-departmental public bodies,
public corporations, sub-organisations) with its parent organisations. A figure a body gives
is its department's money: the Environment Agency's flood schemes are Defra's, NHS England's
allocations the health department's. This walks each body's parents up to a department of
``departments.csv`` and writes one row per body::

    name,abbreviation,department,format,govuk_slug

Left out, because their figures are not the government's money given: advisory bodies,
tribunals, courts, independent monitoring bodies and ad-hoc advisory groups (their formats),
and bodies that reach no department of the table. An abbreviation is kept only where it
cannot be an ordinary word or a short code (three or more characters, two or more capitals).

Run (the register's provenance is in its README, and must be carried with the result)::

    python -m funding.bodies ../shared/reference/govuk_organisations.csv \\
        --departments data/raw/reference/departments.csv > data/raw/reference/public_bodies.csv
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

__all__ = ["EXCLUDED_FORMATS", "DEPARTMENT_FORMATS", "public_bodies", "main"]

#: Formats whose figures are advice, judgments or scrutiny, not money the government gives.
EXCLUDED_FORMATS = frozenset({
    "Advisory non-departmental public body", "Tribunal", "Court", "Independent monitoring body", "Ad-hoc advisory group",
})
#: Formats that are departments in their own right (matched to departments.csv by name).
DEPARTMENT_FORMATS = frozenset({"Ministerial department", "Non-ministerial department", "Devolved government"})
_DISTINCT = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Za-z0-9&]{3,}$")
MAX_DEPTH = 10  # parents followed before a body is left out (the register has no cycles; this guards one)


def _normal(name: str) -> str:
    return " ".join(name.replace("&", " and ").replace("The ", "", 1).lower().split())


def _department_ids(departments_csv: Path) -> dict[str, str]:
    """normalised name or alias -> dept_id, for departments in force (no valid_to)."""
    names = {}
    with departments_csv.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["valid_to"]:
                continue
            for name in (row["name"], *row["aliases"].split(";")):
                if name.strip():
                    names[_normal(name)] = row["dept_id"]
    return names


def public_bodies(register_csv: Path, departments_csv: Path) -> list[dict[str, str]]:
    """One row per body of the register that reaches a department, sorted by name."""
    with register_csv.open(encoding="utf-8-sig", newline="") as handle:
        register = {row["slug"]: row for row in csv.DictReader(handle)}
    dept_of_name = _department_ids(departments_csv)

    def department(slug: str) -> str:
        for _ in range(MAX_DEPTH):
            row = register.get(slug)
            if row is None:
                return ""
            found = dept_of_name.get(_normal(row["title"]))
            if found:
                return found
            parents = [p for p in row["parent_organisations"].split(";") if p]
            if not parents:
                return ""
            slug = parents[0]  # the first parent is the sponsoring one on GOV.UK
        return ""

    rows = []
    for slug, row in register.items():
        if row["format"] in EXCLUDED_FORMATS or _normal(row["title"]) in dept_of_name:
            continue
        dept = department(slug)
        if not dept:
            continue
        abbreviation = row["abbreviation"].strip()
        rows.append({
            "name": row["title"].strip(),
            "abbreviation": abbreviation if _DISTINCT.match(abbreviation) and abbreviation != row["title"].strip() else "",
            "department": dept,
            "format": row["format"],
            "govuk_slug": slug,
        })
    return sorted(rows, key=lambda r: (r["name"].lower(), r["govuk_slug"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m funding.bodies", description=__doc__.split("\n\n")[0])
    parser.add_argument("register", type=Path, help="the GOV.UK organisation register (CSV)")
    parser.add_argument("--departments", type=Path, default=Path("data/raw/reference/departments.csv"))
    args = parser.parse_args(argv)
    writer = csv.DictWriter(sys.stdout, ["name", "abbreviation", "department", "format", "govuk_slug"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(public_bodies(args.register, args.departments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
