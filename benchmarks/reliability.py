"""Is the role's certainty what it says? The reliability table of funding.annotate.role, on labelled sets.

usage: python benchmarks/reliability.py [--errors] [SET ...]

Each SET is a folder holding docs/*.txt and gold.csv in the development corpus's format
(default: ../shared/devset and every tests/fixtures/ood*). The documents are extracted with the
automatic rules (``funding extract --out``), each gold mention matched to the figure on its line
with its amount (as the corpus's score.py does), and the figures printed by certainty band: how
many, and the share whose role (commitment or context) is right. Calibrated means the share right
in each band is close to the band's certainty. With ``--errors`` every figure whose role is wrong
is printed with its evidence.

Also printed, per set: the counted total against the honest one, and the review effort: how many
review decisions, taken from the top of ``funding review``'s queue (money at risk, (1 - certainty)
x amount, largest first), bring the counted total within 5% of the honest one.
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BANDS = [(0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 0.99), (0.99, 1.01)]


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def matched(gold: list[dict], mentions: list[dict]) -> list[tuple[dict, dict]]:
    """(gold row, mention row) pairs: same document, line and amount, in order."""
    pool = defaultdict(list)
    for m in mentions:
        if m["amount_gbp"]:
            pool[(m["source_id"], int(m["line"]), round(float(m["amount_gbp"]), 2))].append(m)
    pairs = []
    for g in gold:
        key = (g["doc"], int(g["line"]), round(float(g["amount_gbp"]), 2))
        if pool.get(key):
            pairs.append((g, pool[key].pop(0)))
    return pairs


def honest_total(gold: list[dict]) -> float:
    """Each distinct top-level commitment once (score.py's total): commitments not same_as or part_of another."""
    return sum(float(g["amount_gbp"]) for g in gold if g["is_commitment"] == "yes" and not g["same_as"] and not g["part_of"])


def counted_total(out: Path) -> float:
    return sum(float(c["amount_gbp"] or 0) for c in _rows(out / "commitments.csv") if c["counted"] == "true")


def review_effort(pairs: list[tuple[dict, dict]], out: Path, honest: float) -> tuple[int, float]:
    """Decisions from the top of the money-at-risk queue until the counted total is within 5%.

    A decision sets a figure's role to the gold one: a wrongly counted commitment is taken out
    of the total, a missed one put in (at its amount; its links are not redone here)."""
    commitments = {c["commitment_id"]: c for c in _rows(out / "commitments.csv")}
    total = counted_total(out)
    queue = sorted(pairs, key=lambda p: -(1 - float(p[1]["certainty"] or 1)) * float(p[1]["amount_gbp"] or 0))
    decisions = 0
    for g, m in queue:
        if total and abs(total / honest - 1) <= 0.05:
            break
        decisions += 1
        is_commitment = m["role"] == "commitment"
        if is_commitment and g["is_commitment"] != "yes":
            c = commitments.get(m["commitment_id"])
            if c is not None and c["counted"] == "true" and c["first_mention_id"] == m["mention_id"]:
                total -= float(c["amount_gbp"] or 0)
        elif not is_commitment and g["is_commitment"] == "yes" and not g["same_as"] and not g["part_of"]:
            total += float(g["amount_gbp"])
    return decisions, total


def fit_scale(pairs: list[tuple[dict, dict]]) -> float:
    """The scale of the evidence's bits that makes the certainties likeliest on these figures:
    p = 1 / (1 + 2 ** (-scale * |score|)) of the decided side, a grid from 0.30 to 4.00."""
    import math

    scored = []
    for g, m in pairs:
        weights = [float(w) for w in re.findall(r"\(([+-]\d+(?:\.\d+)?)\)", m["role_evidence"])]
        if weights:
            scored.append((abs(sum(weights)), (m["role"] == "commitment") == (g["is_commitment"] == "yes")))

    def loss(scale: float) -> float:
        total = 0.0
        for score, right in scored:
            p = min(max(1 / (1 + 2 ** (-scale * score)), 1e-9), 1 - 1e-9)
            total -= math.log(p if right else 1 - p)
        return total

    return min((loss(k / 100), k / 100) for k in range(30, 401, 5))[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", type=Path, help="folders with docs/*.txt and gold.csv")
    parser.add_argument("--errors", action="store_true", help="print every figure whose role is wrong, with its evidence")
    parser.add_argument("--fit", action="store_true", help="also fit funding.annotate.role.CERTAINTY_SCALE on the first set (the development corpus) and print it")
    args = parser.parse_args()
    sets = args.sets or [ROOT.parent / "shared" / "devset", *sorted((ROOT / "tests" / "fixtures").glob("ood*"))]
    overall: dict[tuple[float, float], list[int]] = defaultdict(lambda: [0, 0, 0.0])
    for folder in sets:
        if not (folder / "gold.csv").exists():
            print(f"{folder}: no gold.csv, skipped")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            docs = sorted(str(p) for p in (folder / "docs").glob("*.txt"))
            subprocess.run([sys.executable, "-m", "funding", "extract", *docs, "--out", str(out), "-q"], cwd=ROOT, check=True)
            gold = _rows(folder / "gold.csv")
            pairs = matched(gold, _rows(out / "mentions.csv"))
            bands: dict[tuple[float, float], list[int]] = defaultdict(lambda: [0, 0, 0.0])
            if args.fit and folder == sets[0]:
                print(f"{folder.name}: CERTAINTY_SCALE fitted by maximum likelihood: {fit_scale(pairs):.2f}")
            for g, m in pairs:
                right = (m["role"] == "commitment") == (g["is_commitment"] == "yes")
                c = float(m["certainty"] or 1)
                band = next(b for b in BANDS if b[0] <= c < b[1])
                for table in (bands, overall):
                    table[band][0] += 1
                    table[band][1] += right
                    table[band][2] += c
                if args.errors and not right:
                    print(f"  WRONG {g['doc']}:{g['line']} {g['quote']} gold={g['is_commitment']} got={m['role']} ({c}): {m['role_evidence']}")
            honest = honest_total(gold)
            counted = counted_total(out)
            decisions, after = review_effort(pairs, out, honest)
            right = sum(v[1] for v in bands.values())
            print(f"\n{folder.name}: {len(pairs)} figures, role right {right / max(1, len(pairs)):.3f}; "
                  f"counted £{counted / 1e6:,.1f}m against honest £{honest / 1e6:,.1f}m (ratio {counted / honest if honest else float('nan'):.2f}); "
                  f"{decisions} review decision(s) from the top of the queue bring it to ratio {after / honest if honest else float('nan'):.2f}")
            _print_bands(bands)
    print("\nall sets")
    _print_bands(overall)
    return 0


CALIBRATED_WITHIN = 0.1  # a band of 20 or more figures is calibrated if its share right is this close to its mean certainty
BAND_FIGURES = 20


def _print_bands(bands: dict[tuple[float, float], list]) -> None:
    print(f"  {'certainty':<12}{'figures':>8}{'mean':>8}{'share right':>13}")
    for band in BANDS:
        n, right, certainty = bands.get(band, (0, 0, 0.0))
        if n:
            label = f"{band[0]:.2f}-{min(band[1], 1.0):.2f}"
            off = n >= BAND_FIGURES and abs(right / n - certainty / n) > CALIBRATED_WITHIN
            print(f"  {label:<12}{n:>8}{certainty / n:>8.2f}{right / n:>13.2f}" + ("  <- more than 0.1 from its certainty" if off else ""))


if __name__ == "__main__":
    sys.exit(main())
