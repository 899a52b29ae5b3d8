"""Benchmark `funding report --all` against the naive loop of papermill and nbconvert, in one run.

Three timings over the same reports (the overview, one per theme and per department in the
data, and data quality), each into its own empty folder:
1. naive: for each report, the papermill command line then the nbconvert command line
   (`--to html --no-input`), one report after another;
2. `funding report --all` from a cold cache (parallel workers, one per core);
3. `funding report --all` again with nothing changed (every report skipped).

Targets (issue 4): the batch at no more than half the naive loop's time on a 2-core machine,
and the unchanged rerun in under two seconds. Figures are printed, never asserted.

    python benchmarks/bench_report.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from funding.report import allowed_values, plan_all

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(command: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


def main() -> int:
    jobs = plan_all(ROOT, allowed_values(ROOT))
    with tempfile.TemporaryDirectory() as folder:
        naive_out = Path(folder) / "naive"
        naive_out.mkdir()
        print(f"naive loop over {len(jobs)} reports ...", file=sys.stderr)
        start = time.perf_counter()
        for job in jobs:
            executed = naive_out / f"{job.slug}.ipynb"
            params = [arg for name, value in job.parameters.items() for arg in ("-p", name, str(value))]
            subprocess.run([str(BIN / "papermill"), str(job.notebook), str(executed), *params, "--cwd", str(ROOT / "notebooks")],
                           check=True, capture_output=True)
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], check=True, capture_output=True)
        naive = time.perf_counter() - start
        out = Path(folder) / "batch"
        print("funding report --all, cold ...", file=sys.stderr)
        cold = timed([str(BIN / "funding"), "-q", "report", "--all", "--out", str(out)], cwd=ROOT)
        print("funding report --all, unchanged ...", file=sys.stderr)
        rerun = timed([str(BIN / "funding"), "-q", "report", "--all", "--out", str(out)], cwd=ROOT)
    print(f"\nReports: {len(jobs)} notebooks rendered to HTML on {os.cpu_count()} cores\n")
    print(f"  naive loop (papermill CLI + nbconvert CLI, one after another): {naive:6.1f} s")
    print(f"  funding report --all, cold cache:                               {cold:6.1f} s  ({cold / naive:.2f} of naive; target <= 0.5)")
    print(f"  funding report --all, nothing changed:                          {rerun:6.2f} s  (target < 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
