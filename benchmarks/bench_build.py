"""Benchmark `funding build` at several corpus sizes, against `funding extract` in the same run.

For each kind of corpus (``benchmarks/corpus.py``: ``varied`` real text with its amounts,
names, years and structure changed, 10% of documents restating an earlier one; ``copies``
of data/raw/documents, the worst case for linking) and each size, it runs in a child process,
over the same files:

- ``funding build --root CORPUS`` from a cold start (no clean tables, no document cache):
  seconds, MB/s, peak memory (the child's maximum resident set, from ``os.wait4``);
- ``funding extract`` over the same documents (written to /dev/null): the ratio of the
  build's throughput to it;
- with ``--rebuild``: one new document added, ``funding build`` again (unchanged documents
  come from the cache), its seconds and share of the full build's;
- with ``--speedup``: the smallest size built again from cold with ``--jobs 1``, for the
  speed-up of the build's process pool; with ``--rounds N``, N times each way, taking turns,
  the medians compared (one run of each varies by 5 to 10% on the 2-core machine).

Then it makes one million synthetic commitments (and their phased years) and times the totals
API grouped by theme, by department and by financial year (``--commitments 0`` skips it).

Targets (issue 11): seconds per MB at 400 MB within 1.2 times that at 25 MB; peak memory under
500 MiB at 200 MB of varied text and at 400 MB of copies; the build at least half extract's
throughput; a rebuild after one new document under 10% of a full build. Figures are printed,
never asserted.

    python benchmarks/bench_build.py [--sizes 5,10] [--kinds varied,copies] [--rebuild] [-- BUILD-ARGS]
    python benchmarks/bench_build.py --sizes 25,50,100,200,400 --rebuild -- --jobs 2
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from corpus import corpus, extra_document, remove_extra

EXTRACT = """
import sys, contextlib, os
from pathlib import Path
from funding.cli import main
paths = sorted(str(p) for p in Path(sys.argv[1]).iterdir())
with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
    status = main(["-q", "extract", *paths])
sys.exit(status)
"""


# Linux counts in a child's peak memory the memory of the process it was forked from, until it
# runs its own program; this benchmark grows large making corpora, so the build is started from
# a small Python process that reports its child's own figures.
TRAMPOLINE = """
import json, os, subprocess, sys
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
print(json.dumps([os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime, usage.ru_maxrss]))
"""


def child(command: list[str]) -> tuple[float, float, float]:
    """Run ``command``; its wall seconds, CPU seconds (its own and its workers') and peak
    resident memory in MiB of its largest process (it must succeed)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", TRAMPOLINE, *command], stdout=subprocess.PIPE, text=True, check=True)
    seconds = time.perf_counter() - start
    code, cpu, peak = json.loads(done.stdout.strip().splitlines()[-1])
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(command[:6])} ...")
    return seconds, cpu, peak / 1024  # ru_maxrss is in KiB on Linux


def build(folder: Path, build_args: list[str]) -> tuple[float, float, float]:
    return child([sys.executable, "-m", "funding", "-q", "build", "--root", str(folder), *build_args])


def mentions_in(folder: Path) -> int:
    with open(folder / "data" / "clean" / "mentions.csv", encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def cold(folder: Path) -> None:
    for stale in (folder / "data" / "clean", folder / "data" / ".cache"):
        shutil.rmtree(stale, ignore_errors=True)


def measure(kind: str, size: float, build_args: list[str], rebuild: bool, speedup: bool = False, rounds: int = 1) -> dict:
    folder, summary = corpus(kind, size)
    cold(folder)
    mb = summary["bytes"] / 1e6
    print(f"{kind} {size:g} MB: {summary['documents']} documents ({summary['restating']} restating) ...", file=sys.stderr)
    seconds, cpu, peak = build(folder, build_args)
    row = {"kind": kind, "mb": mb, "documents": summary["documents"], "mentions": mentions_in(folder), "seconds": seconds, "cpu": cpu, "peak": peak}
    row["extract"], row["extract_cpu"], row["extract_peak"] = child([sys.executable, "-c", EXTRACT, str(folder / "data" / "raw" / "documents")])
    if speedup:  # the same build on one process, cold, for the speed-up of the pool; in rounds, the two taking turns
        row["pool_runs"], row["one_job_runs"] = [seconds], []
        for n in range(rounds):
            if n:
                cold(folder)
                row["pool_runs"].append(build(folder, build_args)[0])
            cold(folder)
            row["one_job_runs"].append(build(folder, [*build_args, "--jobs", "1"])[0])
        row["one_job"] = statistics.median(row["one_job_runs"])
    if rebuild:
        added = extra_document(folder)
        try:
            row["rebuild"], _, _ = build(folder, build_args)
        finally:
            remove_extra(folder, added)
    print(f"  build {seconds:.1f} s ({cpu:.1f} s CPU), {peak:.0f} MiB; extract {row['extract']:.1f} s", file=sys.stderr)
    return row


def print_table(rows: list[dict]) -> None:
    print("\n| corpus | MB | documents | mentions | build s | CPU s | MB/s | s per MB | peak MiB | MiB per MB | extract s | extract CPU s | build / extract (wall, CPU) | rebuild s (share) | 1 job s (speed-up) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        rebuild = f"{r['rebuild']:.1f} ({r['rebuild'] / r['seconds']:.0%})" if "rebuild" in r else ""
        one = f"{r['one_job']:.1f} ({r['one_job'] / statistics.median(r['pool_runs']):.2f}x)" if "one_job" in r else ""
        print(f"| {r['kind']} | {r['mb']:.0f} | {r['documents']:,d} | {r['mentions']:,d} | {r['seconds']:.1f} | {r['cpu']:.1f} | {r['mb'] / r['seconds']:.2f} "
              f"| {r['seconds'] / r['mb']:.3f} | {r['peak']:,.0f} | {r['peak'] / r['mb']:.2f} | {r['extract']:.1f} | {r['extract_cpu']:.1f} "
              f"| {r['extract'] / r['seconds']:.2f}, {r['extract_cpu'] / r['cpu']:.2f} | {rebuild} | {one} |")
    for r in rows:
        if len(r.get("one_job_runs", ())) > 1:
            pairs = [one / pool for one, pool in zip(r["one_job_runs"], r["pool_runs"])]
            print(f"{r['kind']} {r['mb']:.0f} MB, {len(pairs)} rounds taking turns: the pool {', '.join(f'{s:.1f}' for s in r['pool_runs'])} s, "
                  f"one job {', '.join(f'{s:.1f}' for s in r['one_job_runs'])} s; speed-up by round {', '.join(f'{p:.2f}' for p in pairs)}, "
                  f"of the medians {r['one_job'] / statistics.median(r['pool_runs']):.2f}x")
    for kind in dict.fromkeys(r["kind"] for r in rows):
        mine = [r for r in rows if r["kind"] == kind]
        if len(mine) > 1:
            first, last = mine[0], mine[-1]
            slope = (last["peak"] - first["peak"]) / (last["mb"] - first["mb"])
            print(f"{kind}: seconds per MB at {last['mb']:.0f} MB / at {first['mb']:.0f} MB = "
                  f"{(last['seconds'] / last['mb']) / (first['seconds'] / first['mb']):.2f} (target <= 1.2); "
                  f"memory slope {slope:.2f} MiB per MB, so 10 GB would need about {last['peak'] + slope * (10_000 - last['mb']):,.0f} MiB "
                  f"and {last['seconds'] / last['mb'] * 10_000 / 3600:.1f} h at the largest size's pace")


def synthetic(n: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    themes = np.array(["early-help", "family-hubs", "mental-health", "youth", "serious-violence", "domestic-abuse", "education", "local-government"])
    departments = np.array(["DfE", "DHSC", "DLUHC", "DCMS", "HO", "MoJ", "DWP", "DfE;DHSC"])
    ids = np.char.add("c", np.arange(n).astype(str))
    amount = rng.integers(1, 1000, n) * 1_000_000.0
    commitments = pd.DataFrame({
        "commitment_id": ids, "theme": themes[rng.integers(0, len(themes), n)],
        "department": departments[rng.integers(0, len(departments), n)], "programme": "",
        "source_id": np.char.add("doc", rng.integers(0, 500, n).astype(str)),
        "total_gbp": amount, "amount_gbp": amount, "counted": rng.random(n) < 0.8, "count_note": "counted",
    })
    first = rng.integers(2015, 2028, n)
    span = rng.integers(1, 4, n)
    rows = np.repeat(np.arange(n), span)
    offset = np.concatenate([np.arange(s) for s in span]) if n < 10 else np.arange(len(rows)) - np.repeat(np.cumsum(span) - span, span)
    year = first[rows] + offset
    labels = pd.Series(year).map(lambda y: f"{y}-{(y + 1) % 100:02d}")
    years = pd.DataFrame({
        "commitment_id": ids[rows], "financial_year": labels.to_numpy(), "amount_gbp": (amount[rows] / span[rows]),
        "allocation": "even split", "counted": commitments["counted"].to_numpy()[rows],
    })
    return {"commitments": commitments, "commitment_years": years}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    build_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5,10", help="corpus sizes in MB, comma-separated (default 5,10: a few minutes; "
                        "the README's figures: 25,50,100,200,400)")
    parser.add_argument("--kinds", default="varied,copies", help="corpus kinds, comma-separated (default varied,copies)")
    parser.add_argument("--rebuild", action="store_true", help="also time a rebuild after adding one document")
    parser.add_argument("--speedup", action="store_true", help="also build the smallest size of each kind with --jobs 1 (the speed-up of the pool)")
    parser.add_argument("--rounds", type=int, default=1, help="with --speedup: build the smallest size this many times each way, "
                        "taking turns, and give the medians (default 1)")
    parser.add_argument("--commitments", type=int, default=1_000_000, help="synthetic commitments for totals (default 1,000,000; 0 skips)")
    args = parser.parse_args(argv)

    rows = []
    for kind in args.kinds.split(","):
        for n, size in enumerate(float(s) for s in args.sizes.split(",")):
            rows.append(measure(kind, size, build_args, args.rebuild, args.speedup and n == 0, args.rounds))
    print(f"\nfunding build {' '.join(build_args)} (one run each, {os.cpu_count()} cores)")
    print_table(rows)
    if args.commitments:
        from funding.totals import totals

        print(f"\nmaking {args.commitments:,d} synthetic commitments ...", file=sys.stderr)
        tables = synthetic(args.commitments)
        print(f"\ntotals API over {args.commitments:,d} commitments ({len(tables['commitment_years']):,d} phased years); target < 2 s each")
        for by in ("theme", "department", "financial_year"):
            start = time.perf_counter()
            result = totals(tables, by=by)
            print(f"  by {by:15s} {time.perf_counter() - start:6.3f} s  ({len(result)} groups)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
