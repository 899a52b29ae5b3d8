"""The one error every reader raises: a document that cannot be read, naming the file and why."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DocumentError"]


class DocumentError(Exception):
    """A document that cannot be read as text; the message names the file and says why."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason
