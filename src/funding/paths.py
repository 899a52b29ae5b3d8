"""Where the project's folders are: defined once, found from the current folder upwards."""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["project_root", "safe_name", "RAW", "CLEAN", "REPORTS"]

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


def safe_name(value: object) -> str:
    """A value made safe for a file name: letters, digits and hyphens only, at most 40 characters.

    >>> safe_name("../../etc/passwd"), safe_name("2022-23:2024-25"), safe_name("")
    ('etc-passwd', '2022-23-2024-25', 'x')
    """
    return re.sub(r"[^A-Za-z0-9-]+", "-", str(value)).strip("-")[:40] or "x"
