"""The pages in a real browser: axe-core's WCAG 2.2 AA rules in headless Chromium, over the index and every report.

Needs Chromium (Debian's `chromium` package) and axe-core (npm: `make axe` installs it into
.cache/axe); skipped with a message where either is missing. The browser is driven through the
Chrome DevTools Protocol on a pipe (--remote-debugging-pipe): no port, no extra package. Pages
are the sample rendered for the tests (tests/conftest.py) and, when $FUNDING_REPORTS names a
folder (CI sets it to reports/ after `make`), every page in it.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AXE = Path(os.environ.get("AXE_CORE_JS", ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"))
CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome") if shutil.which(name)), None)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = (
    "axe.run(document, {runOnly: {type: 'tag', values: %s}}).then(r => JSON.stringify(r.violations.map(v => "
    "({id: v.id, impact: v.impact, help: v.help, where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))" % json.dumps(TAGS)
)

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium): browser check skipped"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is not installed at {AXE} (make axe): browser check skipped"),
]


class Browser:
    """Headless Chromium driven over the DevTools protocol on its stdin and stdout (fds 3 and 4 inside)."""

    def __init__(self, profile: Path):
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-pipe",
                   f"--user-data-dir={profile}"]
        self.process = subprocess.Popen(["sh", "-c", 'exec "$@" 3<&0 4>&1 0</dev/null 1>/dev/null', "sh", *command],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buffer, self.last_id, self.events = b"", 0, []

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60) -> dict:
        self.last_id += 1
        message = {"id": self.last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.process.stdin.write(json.dumps(message).encode() + b"\0")
        self.process.stdin.flush()
        while True:
            reply = self._read(timeout)
            if reply.get("id") == self.last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, event: str, session: str, timeout: float = 60) -> None:
        while not any(e.get("method") == event and e.get("sessionId") == session for e in self.events):
            self.events.append(self._read(timeout))

    def _read(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(self.process.stdout.fileno(), 1 << 16) if ready else b""
            if not chunk:
                raise TimeoutError("Chromium did not answer") if not ready else EOFError("Chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def axe(self, page: Path, source: str) -> list[dict]:
        """axe-core's violations on ``page``."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable", session=session)
        self.send("Page.navigate", {"url": page.as_uri()}, session=session)
        self.wait_for("Page.loadEventFired", session)
        self.send("Runtime.evaluate", {"expression": source}, session=session)
        result = self.send("Runtime.evaluate", {"expression": RUN_AXE, "awaitPromise": True, "returnByValue": True}, session=session)
        self.send("Target.closeTarget", {"targetId": target})
        if "exceptionDetails" in result:
            raise RuntimeError(f"axe failed on {page}: {result['exceptionDetails']}")
        return json.loads(result["result"]["value"])

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


def pages(rendered: Path) -> list[Path]:
    found = sorted(rendered.glob("*.html"))
    if os.environ.get("FUNDING_REPORTS"):
        found += sorted(Path(os.environ["FUNDING_REPORTS"]).resolve().glob("*.html"))
    return found


def test_every_page_passes_axe(rendered, browser):
    source = AXE.read_text(encoding="utf-8")
    checked = pages(rendered)
    assert any(p.name == "index.html" for p in checked) and len(checked) > 1
    violations = {page.name: found for page in checked if (found := browser.axe(page, source))}
    assert violations == {}, json.dumps(violations, indent=1)


def test_the_check_can_fail(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<html><body><img src="x.png"><p style="color:#bbb;background:#fff">faint</p></body></html>', encoding="utf-8")
    found = {v["id"] for v in browser.axe(page, AXE.read_text(encoding="utf-8"))}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= found
