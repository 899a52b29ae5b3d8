"""The development corpus as a ratchet: the automatic rules must not score below what they reached.

The corpus (../shared/devset beside the project: eleven hand-labelled documents and score.py) is
not part of the project; where it is missing the test skips and says so. The thresholds are the
scores reached when each was last raised, rounded down: raise them when a change does better,
never lower them to let a change through.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT.parent / "shared" / "devset"

# metric -> lowest acceptable score (total_ratio also has a ceiling: above 1 is double counting)
REACHED = {
    "mention_recall": 1.0,
    "mention_precision": 1.0,
    "role_acc": 0.985,
    "same_f1": 0.94,  # a Budget's sections take its date and HM Treasury's voice; its figures
    "part_f1": 0.88,  # the department whose work the sentence is about (department_terms.csv)
    "dept_acc": 0.93,
    "fy_acc": 0.98,
    "total_ratio": 0.95,
}
TOTAL_RATIO_MAX = 1.05


def scores_reach(tmp_path, docs_folder: Path, gold: Path, reached: dict[str, float], ratio_max: float) -> None:
    """Extract ``docs_folder`` with the automatic rules and score it with the corpus's score.py at the ratchet."""
    docs = sorted(str(p) for p in docs_folder.glob("*.txt"))
    subprocess.run([sys.executable, "-m", "funding", "extract", *docs, "--out", str(tmp_path), "-q"],
                   cwd=ROOT, check=True, capture_output=True)
    limits = [arg for key, value in reached.items() for arg in ("--min", f"{key}={value}")]
    result = subprocess.run(
        [sys.executable, str(DEVSET / "score.py"), str(gold), str(tmp_path), *limits, "--max", f"total_ratio={ratio_max}"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.skipif(not (DEVSET / "score.py").exists(), reason=f"no development corpus at {DEVSET}")
def test_corpus_scores_do_not_fall(tmp_path):
    scores_reach(tmp_path, DEVSET / "docs", DEVSET / "gold.csv", REACHED, TOTAL_RATIO_MAX)


# The out-of-domain fixture (tests/fixtures/ood: four invented documents on transport, housing, the
# NHS, energy and devolved budgets, labelled from the text before the program ran on them), scored
# with the development corpus's score.py. A ratchet like the one above, at the figures reached.
OOD = ROOT / "tests" / "fixtures" / "ood"
OOD_REACHED = {
    "mention_recall": 1.0,
    "mention_precision": 1.0,
    "role_acc": 0.96,
    "same_f1": 0.82,
    "part_f1": 0.79,
    "dept_acc": 0.98,
    "fy_acc": 0.93,
}
OOD_TOTAL_RATIO_MAX = 1.12  # reached 1.10: what is left is restatements the linker misses ("£26 billion", later "£25.7 billion")


@pytest.mark.skipif(not (DEVSET / "score.py").exists(), reason=f"no score.py at {DEVSET} to score the fixture with")
def test_out_of_domain_scores_do_not_fall(tmp_path):
    scores_reach(tmp_path, OOD / "docs", OOD / "gold.csv", OOD_REACHED, OOD_TOTAL_RATIO_MAX)


# The second out-of-domain fixture (tests/fixtures/ood2: three invented documents on police, justice
# and defence, farming and floods, culture, sport and local government, labelled before the program
# ran on them): a fix that fits only one of the two fixtures is suspect. A ratchet at the figures reached.
OOD2 = ROOT / "tests" / "fixtures" / "ood2"
OOD2_REACHED = {
    "mention_recall": 1.0,
    "mention_precision": 1.0,
    "role_acc": 0.98,
    "same_f1": 0.95,
    "part_f1": 0.84,
    "dept_acc": 0.94,
    "fy_acc": 0.84,
}
OOD2_TOTAL_RATIO_MAX = 1.08  # reached 1.06


@pytest.mark.skipif(not (DEVSET / "score.py").exists(), reason=f"no score.py at {DEVSET} to score the fixture with")
def test_second_out_of_domain_scores_do_not_fall(tmp_path):
    scores_reach(tmp_path, OOD2 / "docs", OOD2 / "gold.csv", OOD2_REACHED, OOD2_TOTAL_RATIO_MAX)


# The fourth out-of-domain fixture (tests/fixtures/ood4: real public text, annual reports and
# accounts, sector strategies, allocation tables), labelled before the program was run on it.
# Run blind on 7 December 2026 (the rules of that morning): role 0.88, same 0.11, part 0.27,
# department 0.39, years 0.71, counted total 1.90. Since then its errors have been read and
# rules written for the patterns of the genre they showed, so these floors are no longer blind.
OOD4 = ROOT / "tests" / "fixtures" / "ood4"
OOD4_REACHED = {
    "mention_recall": 1.0,
    "mention_precision": 1.0,
    "role_acc": 0.96,
    "same_f1": 0.65,
    "part_f1": 0.80,  # a table column's cells join the total stated above the table (0.11 before)
    "dept_acc": 0.84,
    "fy_acc": 0.97,
}
OOD4_TOTAL_RATIO_MAX = 1.26  # reached 1.24


@pytest.mark.skipif(not (DEVSET / "score.py").exists(), reason=f"no score.py at {DEVSET} to score the fixture with")
def test_fourth_out_of_domain_scores_do_not_fall(tmp_path):
    scores_reach(tmp_path, OOD4 / "docs", OOD4 / "gold.csv", OOD4_REACHED, OOD4_TOTAL_RATIO_MAX)


# The fifth out-of-domain fixture (tests/fixtures/ood5: real public text, Spending Review and Budget
# chapters, the devolved governments' budgets, departmental reports and cost estimates), labelled
# by a helper that never ran the program. Run blind on 7 December 2026 (commit 5ced2b9): role
# 0.86, same 0.21, part 0.46, department 0.47, years 0.90, counted total 26.0 (one "£4 trillion"
# of all public spending counted). These floors are after its errors were read, so not blind.
OOD5 = ROOT / "tests" / "fixtures" / "ood5"
OOD5_REACHED = {
    "mention_recall": 1.0,
    "mention_precision": 1.0,
    "role_acc": 0.87,
    "same_f1": 0.97,
    "part_f1": 0.55,
    "dept_acc": 0.90,  # 0.48 before the devolved governments' budget names were their aliases
    "fy_acc": 0.92,
}
OOD5_TOTAL_RATIO_MAX = 2.4  # reached 2.38: far off, the devolved budgets' totals and their parts


@pytest.mark.skipif(not (DEVSET / "score.py").exists(), reason=f"no score.py at {DEVSET} to score the fixture with")
def test_fifth_out_of_domain_scores_do_not_fall(tmp_path):
    scores_reach(tmp_path, OOD5 / "docs", OOD5 / "gold.csv", OOD5_REACHED, OOD5_TOTAL_RATIO_MAX)
