"""Benchmark the commitment model: `funding build` end to end, and the totals API.

1. Builds a corpus of at least --size-mb megabytes from the real text of data/raw/documents
   (one file per copy), then runs the build end to end over it: read and decode each
   document, find, classify, resolve periods, attribute, link across all documents, count,
   phase over years, render every table and write them. Prints throughput, and peak memory
   (tracemalloc) over half the corpus and over all of it.
2. Makes one million synthetic commitments (and their phased years) and times the totals
   API grouped by theme, by department and by financial year.

Targets (issue 3): at least 1 MB/s end to end, memory flat in corpus size, totals in under
two seconds. Figures are printed, never asserted.

    python benchmarks/bench_build.py [--size-mb 50] [--commitments 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from bench_extract import DOCUMENTS, ROOT, build_corpus
from funding.build import Document, build_tables
from funding.documents import read_document
from funding.pipeline import render_tables, write_tables
from funding.reference import load_reference
from funding.review import Review
from funding.totals import totals


def build_corpus_tables(paths: list[Path], out: Path) -> int:
    ref = load_reference(ROOT / "data" / "raw", with_sources=False)
    day = dt.date(2022, 2, 15)
    documents = (Document(path.stem, read_document(path).text, day, day) for path in paths)  # read one at a time
    tables = build_tables(documents, ref, Review())
    write_tables(render_tables(tables), out)
    return len(tables.mentions)


def peak_memory(paths: list[Path], out: Path) -> float:
    gc.collect()
    tracemalloc.start()
    build_corpus_tables(paths, out)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=50.0, help="corpus size in MB (default 50)")
    parser.add_argument("--commitments", type=int, default=1_000_000, help="synthetic commitments for totals (default 1,000,000)")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="funding-bench-build-"))
    try:
        print(f"building a {args.size_mb:g} MB corpus from {DOCUMENTS.relative_to(ROOT)} ...", file=sys.stderr)
        corpus = folder / "corpus"
        corpus.mkdir()
        paths = build_corpus(corpus, args.size_mb)
        size = sum(p.stat().st_size for p in paths) / 1e6
        start = time.perf_counter()
        n_mentions = build_corpus_tables(paths, folder / "clean")
        seconds = time.perf_counter() - start
        print(f"build done ({seconds:.1f} s); measuring memory ...", file=sys.stderr)
        half = paths[: len(paths) // 2]
        half_peak, full_peak = peak_memory(half, folder / "clean-half"), peak_memory(paths, folder / "clean-full")
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"\nfunding build over {len(paths)} documents, {size:.1f} MB, {n_mentions:,d} mentions")
    print(f"  end to end: {seconds:.2f} s, {size / seconds:.2f} MB/s (target >= 1 MB/s)")
    print(f"  peak memory (tracemalloc): {half_peak:.0f} MB over {size / 2:.0f} MB, {full_peak:.0f} MB over {size:.0f} MB "
          f"({full_peak / half_peak:.2f}x; about {(full_peak - half_peak) * 1e6 / (n_mentions / 2):,.0f} bytes per mention: "
          f"linking across documents keeps every commitment in memory, documents are read one at a time)")

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
