"""Measure Splink's same-money linkage against a naive baseline on an extract folder.

Runs with a separate interpreter that has Splink installed; Splink is not a dependency of the
project. Usage (from the project folder):

    PYTHONPATH=src .venv/bin/python -m funding extract DOCS/*.txt --out /tmp/out
    SPLINK_PYTHON benchmarks/linkage_splink.py /tmp/out \
        --score SCORE.py --gold GOLD.csv [--work /tmp/splink-runs] [--thresholds 0.5 0.8 0.95]

where SPLINK_PYTHON is a Python with splink and pandas installed (python3.11 -m venv /tmp/splink &&
/tmp/splink/bin/pip install splink pandas).

What it does:
1. Takes the commitment mentions (role == commitment) of mentions.csv and derives features from
   each mention's sentence alone, with no corpus phrases: the amount key (amount_gbp and rate),
   the document and line, capitalised name phrases and the abbreviations the document defines
   ("Some Named Fund (SNF)" makes a later "SNF" the same token), financial-year tokens, the
   departments named (reference departments.csv aliases), the themes named (reference themes.csv
   keywords), and whether the figure is referred back ("this £X", "the £X").
2. Trains a Fellegi-Sunter model with Splink on DuckDB, three ways (VARIANTS): u always by
   random sampling over all pairs and the match prior from the amount block taken as 70% recall;
   m by expectation maximisation over an amount block and a year block; m by EM over the amount
   block only, with the amount and position m (which that block cannot train) fixed by judgement;
   or every m fixed by judgement (PRIOR_M). Predictions are blocked on document and amount key
   (the gold links only within a document, and a restatement with another value cannot be
   reached by an amount block).
3. Clusters the pairwise predictions at each threshold, writes a copy of the extract folder with
   the commitment ids replaced by cluster ids, and scores it with the corpus scorer.
4. Scores the same way a naive baseline (equal amount key in one document = one cluster), the
   extract as it stands, and, when --gold is given, the ceiling of any amount-blocked linker
   (the gold clusters cut by amount key).
Prints one table: method, threshold, same_precision, same_recall, same_f1, seconds.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import logging
import re
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "raw" / "reference"

# A name phrase: two or more capitalised words, joined by at most one lower-case link word.
NAME_PHRASE = re.compile(
    r"""(?:[A-Z][\w'’-]*[a-z][\w'’-]*|[A-Z]{2,})          # a capitalised word or an acronym
        (?:\s+(?:of|and|for|the|&|in|on|to)?\s*          # an optional link word
           (?:[A-Z][\w'’-]*[a-z][\w'’-]*|[A-Z]{2,}))+     # further capitalised words
    """,
    re.VERBOSE,
)
DEFINED_ABBREVIATION = re.compile(r"\(([A-Z][A-Za-z&]{1,9})\)")  # "(HNPCA)" after the long name
ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,9}s?\b")
# Financial years: 2023/24, 2023-24, 2023–24, 2024/5, 2003–06 (a span), the 2022 to 2023 financial year.
FY_SHORT = re.compile(r"\b((?:19|20)\d\d)\s*[/–-]\s*(\d{1,2})\b(?![/–-]\d)")
FY_LONG = re.compile(r"\b((?:19|20)\d\d) to ((?:19|20)\d\d) financial year", re.IGNORECASE)
# "this £X", "the £X", "that additional £X": a definite determiner just before the figure.
REFERRED_BACK = re.compile(
    r"\b(?:this|that|the|these)\s+(?:(?:additional|extra|new|further|total|same|whole|full)\s+)?"
    r"(?:(?:over|nearly|almost|around|approximately)\s+)?$",
    re.IGNORECASE,
)
# Words that make a capitalised phrase a heading, a title or a date rather than a name.
NOT_NAME_WORDS = {
    "the", "this", "that", "these", "in", "on", "for", "and", "of", "to", "a", "an", "we", "our", "it",
    "mr", "mrs", "ms", "dr", "rt", "hon", "mp", "minister", "secretary", "state", "parliamentary",
    "under-secretary", "government", "department", "question", "answer", "source", "house", "commons",
    "lords", "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
}


def load_departments() -> list[tuple[re.Pattern, str]]:
    """Each alias of departments.csv as a pattern, naming the department's abbreviation."""
    patterns = []
    for row in csv.DictReader(open(REFERENCE / "departments.csv", encoding="utf-8")):
        for alias in filter(None, (a.strip() for a in row["aliases"].split(";"))):
            flags = 0 if alias.isupper() or len(alias) <= 4 else re.IGNORECASE
            patterns.append((re.compile(rf"\b{re.escape(alias)}\b", flags), row["abbreviation"]))
    return patterns


def load_themes() -> list[tuple[re.Pattern, str]]:
    """Each keyword of themes.csv as a case-insensitive pattern, naming the theme."""
    patterns = []
    for row in csv.DictReader(open(REFERENCE / "themes.csv", encoding="utf-8")):
        for word in filter(None, (w.strip() for w in row["keywords"].split(";"))):
            patterns.append((re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE), row["theme_id"]))
    return patterns


def financial_years(sentence: str) -> list[str]:
    """Financial-year tokens 'YYYY-YY' named in a sentence; a span such as 2003-06 gives each year."""
    years = set()
    for m in FY_SHORT.finditer(sentence):
        start = int(m.group(1))
        end_digits = m.group(2)
        end = (start // 10) * 10 + int(end_digits) if len(end_digits) == 1 else (start // 100) * 100 + int(end_digits)
        if end < start:
            end += 100
        if 1 <= end - start <= 5:
            years.update(range(start, end))
    for m in FY_LONG.finditer(sentence):
        if int(m.group(2)) - int(m.group(1)) == 1:
            years.add(int(m.group(1)))
    return sorted(f"{y}-{(y + 1) % 100:02d}" for y in years)


def normalise_name(phrase: str) -> str | None:
    """A name phrase lower-cased without leading determiners; None when it is only title or date words."""
    words = phrase.split()
    while words and words[0].lower() in {"the", "this", "that", "these", "our", "a", "an", "at", "in", "on",
                                         "for", "from", "by", "through", "under", "since", "to"}:
        words = words[1:]
    if len(words) < 1 or all(w.lower().strip("'’") in NOT_NAME_WORDS or w.isdigit() for w in words):
        return None
    return " ".join(words).lower()


def defined_abbreviations(sentences: list[str]) -> dict[str, str]:
    """Abbreviation -> normalised long name, for every 'Long Name (LN)' in a document."""
    found = {}
    for sentence in sentences:
        for m in DEFINED_ABBREVIATION.finditer(sentence):
            before = sentence[: m.start()].rstrip()
            names = [n for n in NAME_PHRASE.finditer(before) if n.end() == len(before)]
            if names:
                name = normalise_name(names[-1].group(0))
                if name:
                    found.setdefault(m.group(1), name)
    return found


def programme_tokens(sentence: str, abbreviations: dict[str, str], department_words: set[str]) -> list[str]:
    """Name phrases and abbreviations in a sentence, abbreviations replaced by the names they stand for."""
    tokens = set()
    for m in NAME_PHRASE.finditer(sentence):
        name = normalise_name(m.group(0))
        if name and name not in department_words:
            tokens.add(name)
    for m in ACRONYM.finditer(sentence):
        word = m.group(0)
        if word in abbreviations:
            tokens.add(abbreviations[word])
        elif word.lower() not in department_words and len(word) >= 3:
            tokens.add(word.lower())
    for name in list(tokens):  # "Name (ABBR)" also yields "name abbr" as one phrase: keep the name only
        for abbreviation, long_name in abbreviations.items():
            if name == f"{long_name} {abbreviation.lower()}":
                tokens.discard(name)
                tokens.add(long_name)
    return sorted(tokens)


def referred_back(sentence: str, text: str, occurrence: int) -> bool:
    """Whether the occurrence-th copy of the figure in the sentence follows 'this', 'the'..."""
    position = -1
    for _ in range(occurrence + 1):
        position = sentence.find(text, position + 1)
        if position < 0:
            return False
    return bool(REFERRED_BACK.search(sentence[:position]))


def mention_features(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per commitment mention with the features Splink compares (lists are None when empty)."""
    departments, themes = load_departments(), load_themes()
    department_words = {p.pattern.replace("\\b", "").replace("\\", "").lower() for p, _ in departments}
    commitments = mentions[mentions["role"] == "commitment"].copy()
    commitments["start_int"] = commitments["start"].astype(int)
    commitments = commitments.sort_values(["source_id", "start_int"], kind="stable")
    rows = []
    for source_id, doc in commitments.groupby("source_id", sort=True):
        abbreviations = defined_abbreviations(list(dict.fromkeys(doc["sentence"])))
        seen: dict[tuple[str, str], int] = {}
        for m in doc.itertuples():
            occurrence = seen.get((m.sentence, m.text), 0)
            seen[(m.sentence, m.text)] = occurrence + 1
            rows.append({
                "mention_id": m.mention_id,
                "source_id": source_id,
                "line": int(m.line),
                "amount_key": f"{float(m.amount_gbp):.2f}|{m.rate}",
                "names": programme_tokens(m.sentence, abbreviations, department_words) or None,
                "fys": financial_years(m.sentence) or None,
                "depts": sorted({d for p, d in departments if p.search(m.sentence)}) or None,
                "themes": sorted({t for p, t in themes if p.search(m.sentence)}) or None,
                "referred_back": referred_back(m.sentence, m.text, occurrence),
            })
    features = pd.DataFrame(rows)
    features["fy_first"] = features["fys"].map(lambda v: v[0] if v else None)
    return features


# m probabilities set by judgement, for the non-null levels of each comparison in order: used where EM
# cannot train a comparison, or for the whole model.
PRIOR_M = {
    "amount_key": [0.85, 0.15],            # the same money is usually restated with the same figure
    "position": [0.10, 0.25, 0.35, 0.30],  # same line, within 3, within 20 lines, further
    "names": [0.30, 0.30, 0.40],           # two or more shared names, one, none shared
    "fys": [0.90, 0.10],                   # a shared year, different years
    "depts": [0.90, 0.10],                 # a shared department, different departments
    "themes": [0.85, 0.15],                # a shared theme, different themes
    "referred_back": [0.35, 0.65],         # one of the two refers back, neither
}
VARIANTS = {  # name -> (EM blocking rules, comparisons whose m stays at PRIOR_M)
    "em: amount block + year block": (["source_id+amount_key", "source_id+fy_first"], []),
    "em: amount block, amount+position fixed": (["source_id+amount_key"], ["amount_key", "position"]),
    "fixed priors, no EM": ([], list(PRIOR_M)),
}


def splink_settings(fixed: list[str]):
    """Comparisons and prediction blocking (one amount block per document); fixed comparisons take PRIOR_M."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    position = cl.CustomComparison(
        output_column_name="position",
        comparison_levels=[
            {"sql_condition": "source_id_l = source_id_r AND line_l = line_r", "label_for_charts": "same line"},
            {"sql_condition": "source_id_l = source_id_r AND abs(line_l - line_r) <= 3",
             "label_for_charts": "within 3 lines"},
            {"sql_condition": "source_id_l = source_id_r AND abs(line_l - line_r) <= 20",
             "label_for_charts": "within 20 lines"},
            cll.ElseLevel(),
        ],
    )
    referred = cl.CustomComparison(
        output_column_name="referred_back",
        comparison_levels=[
            {"sql_condition": "referred_back_l OR referred_back_r", "label_for_charts": "one refers back"},
            cll.ElseLevel(),
        ],
    )
    comparisons = {
        "amount_key": cl.ExactMatch("amount_key").configure(term_frequency_adjustments=True),
        "position": position,
        "names": cl.ArrayIntersectAtSizes("names", [2, 1]),
        "fys": cl.ArrayIntersectAtSizes("fys", [1]),
        "depts": cl.ArrayIntersectAtSizes("depts", [1]),
        "themes": cl.ArrayIntersectAtSizes("themes", [1]),
        "referred_back": referred,
    }
    for name in fixed:
        comparisons[name].configure(m_probabilities=PRIOR_M[name])
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="mention_id",
        comparisons=list(comparisons.values()),
        blocking_rules_to_generate_predictions=[block_on("source_id", "amount_key")],
        retain_intermediate_calculation_columns=True,
    )


def train_and_predict(features: pd.DataFrame, em_rules: list[str], fixed: list[str], log_level: int):
    """Train the model (u sampled, prior from the amount block, m by EM) and score the blocked pairs."""
    from splink import DuckDBAPI, Linker, block_on

    db_api = DuckDBAPI()
    table = db_api.register(features)
    linker = Linker(table, splink_settings(fixed), log_level=log_level)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("source_id", "amount_key")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    sessions = []
    for rule in em_rules:
        try:
            sessions.append(linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule.split("+"))))
        except Exception as error:  # a session that cannot train is reported, not fatal
            print(f"EM on {rule} failed: {type(error).__name__}: {error}", file=sys.stderr)
    predictions = linker.inference.predict()
    return linker, predictions, sessions


def write_clustered(extract: Path, out: Path, clusters: dict[str, str]) -> Path:
    """A copy of the extract folder whose commitment mentions carry the given cluster ids."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(extract, out)
    mentions = pd.read_csv(out / "mentions.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    is_commitment = mentions["role"] == "commitment"
    mentions.loc[is_commitment, "commitment_id"] = mentions.loc[is_commitment, "mention_id"].map(
        lambda mid: clusters.get(mid, f"single-{mid}"))
    mentions.to_csv(out / "mentions.csv", index=False, encoding="utf-8-sig")
    return out


def same_scores(score_py: Path, gold: Path, folder: Path) -> dict[str, float]:
    """same_precision, same_recall and same_f1 of a folder, from the corpus scorer's output."""
    output = subprocess.run([sys.executable, str(score_py), str(gold), str(folder)],
                            capture_output=True, text=True, check=False).stdout
    scores = dict(line.split(": ") for line in output.splitlines() if line.startswith("same_"))
    return {k: float(v) for k, v in scores.items()}


def baseline_clusters(features: pd.DataFrame) -> dict[str, str]:
    """Equal amount key in one document: one cluster."""
    return {r.mention_id: f"{r.source_id}|{r.amount_key}" for r in features.itertuples()}


def ceiling_clusters(features: pd.DataFrame, score_py: Path, gold_path: Path, extract: Path) -> dict[str, str]:
    """The gold clusters cut by amount key: the best any linker blocked on exact amount can do."""
    spec = importlib.util.spec_from_file_location("devset_score", score_py)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    gold = score.load_gold(str(gold_path), False)
    mentions, _, _ = score.load_tables(str(extract))
    pairs = score.match(gold, mentions)
    root_of = {}
    for g in gold:
        r = g
        while r.get("same_ref") is not None:
            r = r["same_ref"]
        if g["gid"] in pairs and g["commit"]:  # gold context mentions stay single, as the scorer ignores them
            root_of[pairs[g["gid"]]["mention_id"]] = r["gid"]
    key = dict(zip(features["mention_id"], features["amount_key"]))
    return {mid: f"{root_of[mid]}|{key[mid]}" if mid in root_of else f"context|{mid}"
            for mid in features["mention_id"]}


def gold_same(pairs: pd.DataFrame, ceiling: dict[str, str]) -> list[bool]:
    """For each predicted pair, whether the gold (cut by amount key) calls it the same money."""
    return [ceiling[left] == ceiling[right] for left, right in zip(pairs["mention_id_l"], pairs["mention_id_r"])]


def pair_ranking(pairs: pd.DataFrame, ceiling: dict[str, str]) -> str:
    """How well match_probability orders the blocked pairs of gold commitments: same vs different money (AUC)."""
    scored = pairs[~pairs["mention_id_l"].map(ceiling).str.startswith("context|")
                   & ~pairs["mention_id_r"].map(ceiling).str.startswith("context|")]
    scored = scored.assign(same=gold_same(scored, ceiling))
    positives = scored.loc[scored["same"], "match_probability"]
    negatives = scored.loc[~scored["same"], "match_probability"]
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    auc = wins / (len(positives) * len(negatives)) if len(positives) and len(negatives) else float("nan")
    return (f"gold-same pairs {len(positives)} (median p {positives.median():.3f}), gold-different "
            f"{len(negatives)} (median p {negatives.median():.3f}); AUC {auc:.3f}")


def describe_model(linker, sessions, features: pd.DataFrame) -> None:
    """Print what training found: the prior, m and u per level, and the EM histories."""
    settings = linker._settings_obj
    print(f"records: {len(features)}; prior P(match) = {settings._probability_two_random_records_match:.5f}")
    for comparison in settings.comparisons:
        for level in comparison.comparison_levels:
            if level.is_null_level:
                continue
            m, u = level.m_probability, level.u_probability
            bf = f"{level._bayes_factor:.2f}" if m is not None and u not in (None, 0) else "-"
            print(f"  {comparison.output_column_name:14s} {level.label_for_charts[:34]:34s} "
                  f"m={m if m is None else round(m, 4)} u={u if u is None else round(u, 5)} bf={bf}")
    for session in sessions:
        history = session._core_model_settings_history
        print(f"  EM on {session._blocking_rule_for_training.blocking_rule_sql}: {len(history)} iterations recorded")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extract", type=Path, help="folder written by `funding extract --out`")
    parser.add_argument("--score", type=Path, required=True, help="the corpus scorer, score.py")
    parser.add_argument("--gold", type=Path, required=True, help="the corpus gold.csv")
    parser.add_argument("--work", type=Path, default=Path("/tmp/splink-runs"), help="where scored copies go")
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.1, 0.2, 0.5, 0.8, 0.95])
    parser.add_argument("--quiet", action="store_true", help="silence Splink's log")
    args = parser.parse_args(argv)

    mentions = pd.read_csv(args.extract / "mentions.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    table = []

    def record(method, threshold, clusters, seconds):
        scores = same_scores(args.score, args.gold, write_clustered(
            args.extract, args.work / re.sub(r"\W+", "-", f"{method}-{threshold}"), clusters))
        table.append((method, threshold, scores["same_precision"], scores["same_recall"], scores["same_f1"], seconds))

    started = time.perf_counter()
    features = mention_features(mentions)
    feature_seconds = time.perf_counter() - started

    table.append(("extract as is", "-", *same_scores(args.score, args.gold, args.extract).values(), 0.0))
    started = time.perf_counter()
    naive = baseline_clusters(features)
    record("naive amount block", "-", naive, feature_seconds + time.perf_counter() - started)
    ceiling = ceiling_clusters(features, args.score, args.gold, args.extract)
    record("ceiling of amount block", "-", ceiling, 0.0)

    for variant, (em_rules, fixed) in VARIANTS.items():
        print(f"\n===== splink, {variant} =====")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            started = time.perf_counter()
            linker, predictions, sessions = train_and_predict(
                features, em_rules, fixed, logging.WARNING if args.quiet else logging.INFO)
            train_seconds = feature_seconds + time.perf_counter() - started
            pairs = predictions.as_pandas_dataframe()
            describe_model(linker, sessions, features)
            print(f"blocked pairs scored: {len(pairs)}; match_probability quantiles: "
                  f"{pairs['match_probability'].quantile([0, .25, .5, .75, 1]).round(3).tolist()}")
            print(pair_ranking(pairs, ceiling))
            args.work.mkdir(parents=True, exist_ok=True)
            pairs.assign(gold_same=gold_same(pairs, ceiling)).to_csv(
                args.work / ("pairs-" + re.sub(r"\W+", "-", variant) + ".csv"), index=False)
            for threshold in args.thresholds:
                started = time.perf_counter()
                clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
                    predictions, threshold_match_probability=threshold).as_pandas_dataframe()
                clusters = dict(zip(clustered["mention_id"], clustered["cluster_id"].astype(str)))
                record(f"splink {variant}", threshold, clusters, train_seconds + time.perf_counter() - started)
        for w in caught:
            print(f"warning: {w.category.__name__}: {str(w.message)[:200]}", file=sys.stderr)

    print()
    print(pd.DataFrame(table, columns=["method", "threshold", "same_precision", "same_recall", "same_f1",
                                       "seconds"]).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
