"""Where the project's folders are: defined once, found from the current folder upwards."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "RAW", "CLEAN", "REPORTS"]

RAW = Path("data") / "raw"
CLEAN = Path("data") / "clean"
REPORTS = Path("reports")


def project_root(start: Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` holding data/raw/sources.csv ($FUNDING_ROOT first)."""
    if os.environ.get("FUNDING_ROOT"):
        return Path(os.environ["FUNDING_ROOT"])
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / RAW / "sources.csv").exists():
            return folder
    return None
