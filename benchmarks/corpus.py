"""Benchmark corpora: real document text varied (amounts, names, dates, structure), or copied.

Each corpus is a small project (``data/raw/documents``, ``sources.csv``, a copy of the
reference tables) that ``funding build --root`` can build, written under
``benchmarks/.corpus/KIND-SIZE/`` (ignored by git: generated, never committed) and reused
while its recipe is unchanged.

- ``varied``: each document is a template (data/raw/documents and, where present,
  /work/shared/devset/docs, or the folders given) changed so that most figures are distinct,
  as in a real corpus: every amount in it scaled by one factor of its own (so restatements and
  sums within it still hold), every year moved by a few years (with its financial year),
  programme names swapped for others from programmes.csv, some paragraphs dropped and its
  sections reordered. A known share of documents (``RESTATE``, 10%) restate an earlier one:
  the same template, factor, years and names, in their own structure, so their figures are
  restatements of the earlier document's.
- ``copies``: the templates in data/raw/documents copied unchanged, the worst case for
  linking (every figure restated hundreds of times).

    python benchmarks/corpus.py varied 25     # writes benchmarks/.corpus/varied-25
"""

from __future__ import annotations

import csv
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
CORPORA = ROOT / "benchmarks" / ".corpus"
TEMPLATE_FOLDERS = (RAW / "documents", Path("/work/shared/devset/docs"))
RESTATE = 0.10  # share of documents that restate an earlier one
DROP = 0.10  # share of paragraphs a varied document leaves out
RECIPE = 4  # bump when the generator changes, so that stored corpora are made again

SOURCE_COLUMNS = ("source_id", "file", "title", "publisher", "published_from", "published_to", "date_estimated")

# A sum of money: a currency sign, then the number the generator rescales.
MONEY = re.compile(r"""
    (?P<sign>[£$€]\s?)              # the currency sign, maybe a space
    (?P<number>\d[\d,]*(?:\.\d+)?)  # the figure, with thousands commas or decimals
    (?P<scale>\s?(?:million|billion|bn|m|k)\b)?  # its scale word, if any
""", re.VERBOSE)
# A year from 1990 to 2039, maybe with the end of its financial year ("2022-23", "2022/23").
YEAR = re.compile(r"""
    (?<![\d£$€.,])                  # not inside a number or an amount
    (?P<year>(?:19|20)\d\d)         # the year
    (?:(?P<dash>[-–/])(?P<end>\d\d)(?!\d))?  # the end of a financial year
    (?![\d,])
""", re.VERBOSE)


@dataclass(frozen=True)
class Template:
    name: str
    suffix: str
    text: str


@dataclass(frozen=True)
class Variation:
    """What makes one varied document: its template and how it is changed."""

    template: int
    factor: Decimal  # every amount is multiplied by it
    shift: int  # every year moves by it
    names: tuple[tuple[str, str], ...]  # programme names swapped (from, to)
    restates: int | None  # the earlier document it restates, if any


def templates(folders: tuple[Path, ...] = TEMPLATE_FOLDERS) -> list[Template]:
    """The template documents found in ``folders`` (missing folders are skipped), sorted."""
    found = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix in {".md", ".txt"}:
                    found.append(Template(path.stem, path.suffix, path.read_text(encoding="utf-8-sig")))
    return found


def programme_names(raw: Path = RAW) -> list[str]:
    with open(raw / "reference" / "programmes.csv", encoding="utf-8-sig", newline="") as handle:
        return sorted({row["programme"] for row in csv.DictReader(handle) if row["programme"]})


def variation(i: int, rng: random.Random, earlier: list[Variation], n_templates: int, names: list[str], text_of) -> Variation:
    """Document ``i``'s variation: a restatement of an earlier one (RESTATE), else new."""
    if earlier and rng.random() < RESTATE:
        j = rng.randrange(len(earlier))
        return Variation(**{**earlier[j].__dict__, "restates": j if earlier[j].restates is None else earlier[j].restates})
    template = i % n_templates
    factor = Decimal(rng.randrange(5_000, 200_000)) / 10_000  # 0.5 to 20, four decimals: most figures distinct
    present = [n for n in names if n in text_of(template)]
    swaps = tuple((n, rng.choice([m for m in names if m != n])) for n in present if rng.random() < 0.5)
    return Variation(template, factor, rng.randrange(-8, 4), swaps, None)


def vary(text: str, v: Variation, rng: random.Random) -> str:
    """The template's text with ``v`` applied, its structure varied by ``rng``."""
    text = MONEY.sub(lambda m: _scaled(m, v.factor), text)
    text = YEAR.sub(lambda m: _shifted(m, v.shift), text)
    for old, new in v.names:
        text = text.replace(old, new)
    return _restructure(text, rng)


def _scaled(match: re.Match, factor: Decimal) -> str:
    number = Decimal(match["number"].replace(",", "")) * factor
    if match["scale"] or number < 100:
        written = f"{number:.1f}".removesuffix(".0")
    else:
        written = f"{round(number):,d}"
    return f"{match['sign']}{written}{match['scale'] or ''}"


def _shifted(match: re.Match, shift: int) -> str:
    year = int(match["year"]) + shift
    if match["end"] is None:
        return str(year)
    return f"{year}{match['dash']}{(int(match['end']) + shift) % 100:02d}"


def _restructure(text: str, rng: random.Random) -> str:
    """Drop some paragraphs and reorder the sections (Markdown headings) after the first."""
    paragraphs = text.split("\n\n")
    kept = paragraphs[:1] + [p for p in paragraphs[1:] if rng.random() >= DROP]
    sections: list[list[str]] = [[]]
    for paragraph in kept:
        if paragraph.startswith("#") and sections[-1]:
            sections.append([])
        sections[-1].append(paragraph)
    rest = sections[1:]
    rng.shuffle(rest)
    return "\n\n".join(p for section in [sections[0], *rest] for p in section)


def write_project(folder: Path, documents: list[tuple[str, str]]) -> None:
    """A project holding ``documents`` ((file name, text)): sources.csv, reference, no review."""
    raw = folder / "data" / "raw"
    (raw / "documents").mkdir(parents=True, exist_ok=True)
    shutil.copytree(RAW / "reference", raw / "reference", dirs_exist_ok=True)
    for name, text in documents:
        (raw / "documents" / name).write_text(text, encoding="utf-8")
    write_sources(raw)


def write_sources(raw: Path) -> None:
    """sources.csv with one row per document in documents/, dated 1 July of the year its text
    names most often (an estimate, as an analyst would make from the text)."""
    with open(raw / "sources.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SOURCE_COLUMNS)
        for path in sorted((raw / "documents").iterdir()):
            day = f"{_usual_year(path.read_text(encoding='utf-8'))}-07-01"
            writer.writerow((path.stem, f"documents/{path.name}", path.stem, "benchmark", day, day, "true"))


def _usual_year(text: str) -> int:
    years = sorted(int(m["year"]) for m in YEAR.finditer(text))
    return max(set(years), key=lambda y: (years.count(y), y)) if years else 2020


def varied_documents(size_mb: float, seed: int = 0, folders: tuple[Path, ...] = TEMPLATE_FOLDERS) -> tuple[list[tuple[str, str]], dict]:
    """Varied documents totalling at least ``size_mb`` MB, and a summary (how many restate)."""
    found = templates(folders)
    names = programme_names()
    documents, variations, total, i = [], [], 0, 0
    while total < size_mb * 1e6:
        rng = random.Random(f"{seed}-{i}")
        v = variation(i, rng, variations, len(found), names, lambda t: found[t].text)
        variations.append(v)
        template = found[v.template]
        text = vary(template.text, v, rng)
        documents.append((f"{i:06d}-{template.name[:40]}{template.suffix}", text))
        total += len(text.encode("utf-8"))
        i += 1
    restating = sum(v.restates is not None for v in variations)
    return documents, {"documents": len(documents), "restating": restating, "templates": len(found), "bytes": total}


def copied_documents(size_mb: float) -> tuple[list[tuple[str, str]], dict]:
    """Copies of data/raw/documents totalling at least ``size_mb`` MB."""
    found = templates((RAW / "documents",))
    documents, total, i = [], 0, 0
    while total < size_mb * 1e6:
        template = found[i % len(found)]
        documents.append((f"{i:06d}-{template.name}{template.suffix}", template.text))
        total += len(template.text.encode("utf-8"))
        i += 1
    return documents, {"documents": len(documents), "restating": len(documents) - len(found), "templates": len(found), "bytes": total}


def corpus(kind: str, size_mb: float, seed: int = 0) -> tuple[Path, dict]:
    """The project folder of a ``kind`` corpus ("varied" or "copies") of ``size_mb``, made if needed."""
    folder = CORPORA / f"{kind}-{size_mb:g}"
    recipe = {"kind": kind, "size_mb": size_mb, "seed": seed, "recipe": RECIPE}
    stamp = folder / "corpus.json"
    if stamp.exists():
        summary = json.loads(stamp.read_text())
        if summary["recipe"] == recipe:
            return folder, summary
    shutil.rmtree(folder, ignore_errors=True)
    documents, summary = varied_documents(size_mb, seed) if kind == "varied" else copied_documents(size_mb)
    write_project(folder, documents)
    summary = {**summary, "recipe": recipe}
    stamp.write_text(json.dumps(summary, indent=1))
    return folder, summary


def extra_document(folder: Path, seed: int = 1) -> Path:
    """Add one new varied document to a corpus (for "rebuild after adding one document")."""
    documents, _ = varied_documents(0.000001, seed=seed)
    name, text = documents[0]
    path = folder / "data" / "raw" / "documents" / f"zz-extra-{name}"
    path.write_text(text, encoding="utf-8")
    write_sources(folder / "data" / "raw")
    return path


def remove_extra(folder: Path, path: Path) -> None:
    path.unlink()
    write_sources(folder / "data" / "raw")


if __name__ == "__main__":
    kind, size = sys.argv[1], float(sys.argv[2])
    where, summary = corpus(kind, size)
    print(where, summary)
