"""Benchmark the money finder against a bare regular-expression scan, in one run.

Builds a corpus of at least --size-mb megabytes from the real text of the documents in
data/raw/documents/ (one file per copy, so that documents are streamed one at a time as in
real use), then measures over the same files:

- bare scan: read each file as UTF-8 and collect every match of a plain "£ amount" regex;
- finder: ``funding.extract.extract_paths`` (decode, find, qualify, sentence, id, row);
- peak memory of the finder (tracemalloc) over half the corpus and over all of it.

Target (issue 2): the finder at no less than a quarter of the bare scan's throughput, and
memory that does not grow with corpus size. The figures are printed, never asserted.

    python benchmarks/bench_extract.py [--size-mb 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import re
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from funding.extract import extract_paths

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "data" / "raw" / "documents"

# What one would write first: a "£", a number, maybe a scale word.
BARE = re.compile(r"£\s?\d[\d,]*(?:\.\d+)?\s?(?:million|billion|bn|m|k)?")


def build_corpus(folder: Path, size_mb: float) -> list[Path]:
    """Write copies of the real documents into ``folder`` until they total ``size_mb``."""
    sources = sorted(DOCUMENTS.glob("*.md"))
    texts = [p.read_bytes() for p in sources]
    paths, total, i = [], 0, 0
    while total < size_mb * 1e6:
        data = texts[i % len(texts)]
        path = folder / f"{i:05d}-{sources[i % len(sources)].stem}.md"
        path.write_bytes(data)
        paths.append(path)
        total += len(data)
        i += 1
    return paths


def bare_scan(paths: list[Path]) -> int:
    count = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        count += len([(m.start(), m.end(), m.group()) for m in BARE.finditer(text)])
    return count


def finder(paths: list[Path]) -> int:
    count = 0
    for result in extract_paths(paths):
        count += len([m.row() for m in result.mentions])
    return count


def timed(function, paths: list[Path], repeat: int) -> tuple[float, int]:
    """Best wall time of ``repeat`` runs, and the count the function returned."""
    best, count = float("inf"), 0
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        count = function(paths)
        best = min(best, time.perf_counter() - start)
    return best, count


def peak_memory(paths: list[Path]) -> float:
    gc.collect()
    tracemalloc.start()
    finder(paths)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=50.0, help="corpus size in MB (default 50)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each, best kept (default 3)")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="funding-bench-"))
    try:
        print(f"building a {args.size_mb:g} MB corpus from {DOCUMENTS.relative_to(ROOT)} ...", file=sys.stderr)
        paths = build_corpus(folder, args.size_mb)
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"corpus: {len(paths)} documents, {size:.1f} MB", file=sys.stderr)

        bare_time, bare_count = timed(bare_scan, paths, args.repeat)
        print(f"bare scan done ({bare_time:.2f} s)", file=sys.stderr)
        find_time, find_count = timed(finder, paths, args.repeat)
        print(f"finder done ({find_time:.2f} s)", file=sys.stderr)
        half = paths[: len(paths) // 2]
        half_peak, full_peak = peak_memory(half), peak_memory(paths)

        ratio = bare_time / find_time
        print(f"\nMoney finder benchmark: {len(paths)} documents, {size:.1f} MB, best of {args.repeat} runs\n")
        print(f"{'':24}{'seconds':>10}{'MB/s':>10}{'mentions':>11}{'mentions/s':>13}")
        for name, seconds, count in (("bare regex scan", bare_time, bare_count), ("funding finder", find_time, find_count)):
            print(f"{name:24}{seconds:10.2f}{size / seconds:10.1f}{count:11,d}{count / seconds:13,.0f}")
        print(f"\nfinder throughput / bare scan throughput: {ratio:.3f} (target >= 0.25)")
        print(f"finder peak memory (tracemalloc): {half_peak:.2f} MB over {size / 2:.0f} MB, {full_peak:.2f} MB over {size:.0f} MB")
        per_document = (full_peak - half_peak) * 1e6 / (len(paths) - len(half))
        print(f"memory growth from half to full corpus: {full_peak / half_peak:.2f}x, that is "
              f"{per_document:,.0f} bytes per extra document (its path in the sorted list and its "
              f"source_id in the set that catches duplicate names), "
              f"against {size * 1e6 / len(paths):,.0f} bytes of text per document")
        print(f"mentions found: finder {find_count:,d}, bare scan {bare_count:,d} (the bare scan misses ranges, codes, words, other currencies)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
