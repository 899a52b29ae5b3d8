"""Benchmark funding's PDF reading against pdftotext (poppler-utils), in one run, same files.

The files: the PDF fixtures with a text layer (tests/fixtures/pdf/*.pdf, and the Word helper's
tests/fixtures/documents/*.pdf where present) and a long PDF of the two source documents
repeated to at least --pages pages, printed by Chromium into benchmarks/.corpus/pdf/ (ignored
by git; made once, reused). Each side reads every file --repeat times and its best time
counts (the machine's noise shows least in the minimum), the two sides taking turns:

- pdftotext: ``pdftotext FILE -`` (its default reading-order mode), one process a file, as an
  analyst would run it;
- funding: ``funding.read.read_document`` (PDFium text, the layout pass, tables), in this
  process; the interpreter's start and imports are not counted, pdftotext's process start is.

Target (issue 9): funding at no less than half of pdftotext's pages per second. The figures
are printed, never asserted.

    python benchmarks/bench_pdf.py [--pages 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from funding.read import read_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "benchmarks" / ".corpus" / "pdf"
FIXTURES = [ROOT / "tests" / "fixtures" / "pdf", ROOT / "tests" / "fixtures" / "documents"]
UNREADABLE = {"scanned.pdf", "encrypted.pdf", "truncated.pdf"}  # errors, not text: not timed


def long_pdf(pages: int) -> Path:
    """The source documents repeated into one PDF of at least ``pages`` pages (made once)."""
    sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "pdf"))
    import make_pdfs

    target = CORPUS / f"sources-{pages}.pdf"
    if target.exists():
        return target
    CORPUS.mkdir(parents=True, exist_ok=True)
    sources = [p.read_text(encoding="utf-8") for p in sorted(make_pdfs.SOURCES.glob("*.md"))]
    copies = 1
    while True:
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "sources.html"
            page.write_text(make_pdfs.markdown_to_html("\n\n".join(sources * copies), "Sources repeated"), encoding="utf-8")
            make_pdfs.print_pdf(page, target)
        made = len(pdfium.PdfDocument(target))
        if made >= pages:
            return target
        copies = copies * pages // made + 1


def files(pages: int) -> list[Path]:
    found = [p for folder in FIXTURES if folder.is_dir() for p in sorted(folder.glob("*.pdf")) if p.name not in UNREADABLE]
    return found + [long_pdf(pages)]


def page_count(paths: list[Path]) -> int:
    return sum(len(pdfium.PdfDocument(p)) for p in paths)


def best_of(runs: dict, repeat: int) -> dict[str, float]:
    """Each run's best time over ``repeat`` rounds; the runs alternate within a round, so a busy
    machine slows both sides alike."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100, help="pages in the long PDF (default 100)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side; the best counts (default 5)")
    args = parser.parse_args()
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        sys.exit("bench_pdf: pdftotext is needed (Debian package poppler-utils)")
    paths = files(args.pages)
    pages = page_count(paths)

    def poppler() -> None:
        for path in paths:
            subprocess.run([pdftotext, str(path), "-"], check=True, stdout=subprocess.DEVNULL)

    def funding() -> None:
        for path in paths:
            read_document(path)

    funding()  # warm: imports, PDFium's fonts
    print(f"{len(paths)} PDFs, {pages} pages: " + ", ".join(p.name for p in paths))
    print(f"{'reader':<12} {'pages':>6} {'seconds':>8} {'pages/s':>8}")
    rates = {}
    for name, seconds in best_of({"pdftotext": poppler, "funding": funding}, args.repeat).items():
        rates[name] = pages / seconds
        print(f"{name:<12} {pages:>6} {seconds:>8.3f} {rates[name]:>8.1f}")
    print(f"ratio funding/pdftotext: {rates['funding'] / rates['pdftotext']:.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
