"""Time the build's per-document stage against the money finder alone, in one process.

For the documents of a project folder (data/raw/documents/, sources.csv, reference/), read
once the way ``funding build`` reads them (``funding.pipeline``), then times over the same
texts:

- extract: ``funding.extract.extract_text`` (what ``funding extract`` does, less writing);
- annotate: ``funding.annotate.document.annotate_document`` (extract_text, then role, period,
  department, programme, part of every figure).

Reading the files is not timed. Target (issue 11): annotate at no less than half of
extract's throughput. The figures are printed, never asserted.

    python benchmarks/bench_annotate.py FOLDER [--repeat 3] [--profile] [--top 30]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from pathlib import Path

from funding.annotate.document import annotate_document
from funding.extract import extract_text
from funding.pipeline import _checked_reference, _document, _tasks
from funding.read import DocumentError, read_document


def load(folder: Path):
    raw = folder / "data" / "raw"
    ref = _checked_reference(raw)
    docs = []
    for task in _tasks(raw, ref):
        try:
            docs.append(_document(task, read_document(task.path), ref))
        except DocumentError:
            continue
    return docs, ref


def timed(run, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a project folder (holding data/raw)")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    parser.add_argument("--profile", action="store_true", help="run cProfile over annotate and print the top functions")
    parser.add_argument("--top", type=int, default=30, help="how many functions the profile prints")
    parser.add_argument("--sort", default="tottime", help="profile sort key (tottime, cumulative)")
    args = parser.parse_args(argv)

    docs, ref = load(args.folder)
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6

    def extract() -> None:
        for d in docs:
            extract_text(d.text, d.source_id, d.pages)

    def annotate() -> None:
        for d in docs:
            annotate_document(d, ref)

    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(annotate)
        pstats.Stats(profile, stream=sys.stdout).sort_stats(args.sort).print_stats(args.top)
        return 0
    t_extract = timed(extract, args.repeat)
    t_annotate = timed(annotate, args.repeat)
    print(f"{args.folder.name}: {len(docs)} documents, {mb:.2f} MB")
    print(f"  extract_text       {t_extract:7.2f} s  {mb / t_extract:6.2f} MB/s")
    print(f"  annotate_document  {t_annotate:7.2f} s  {mb / t_annotate:6.2f} MB/s")
    print(f"  ratio annotate/extract throughput: {t_extract / t_annotate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
