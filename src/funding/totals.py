"""Totals that never double count, and say what they counted.

``totals(tables, by=...)`` sums the commitments marked ``counted`` in the clean tables (see
funding.build for the rules: restated money once, a package or its parts but never both,
money inside a later total not again, context never), grouped by theme, department,
programme, source or financial year. Totals by financial year use the commitments phased
over their years, so commitments whose years are unknown are left out, and the statement
says how many and how much. Real-terms totals deflate each year's amount with the GDP
deflator table and are labelled with the base year and the deflator's vintage.

>>> import pandas as pd
>>> commitments = pd.DataFrame({"commitment_id": ["c1", "c2", "c3"], "theme": ["a", "a", "b"],
...     "total_gbp": [10.0, 5.0, 7.0], "counted": [True, False, True], "department": ["X", "X", "Y"]})
>>> totals({"commitments": commitments}, by="theme")[["theme", "amount_gbp", "n_commitments"]].values.tolist()
[['a', 10.0, 1], ['b', 7.0, 1]]
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from funding.describe import counted_statement
from funding.years import fy_label, parse_fy_label
from funding.reference import load_deflator_index

__all__ = ["IMPLAUSIBLE_GBP", "UNCERTAIN_BELOW", "implausible", "at_risk", "GROUPS", "load_tables", "load_deflators", "filter_tables", "filter_years", "departments_in", "unphased", "totals"]

GROUPS = ("theme", "department", "programme", "source_id", "financial_year")
NONE_LABEL = "(none)"


TABLE_NAMES = ("mentions", "commitments", "relations", "commitment_years", "packages", "set_aside", "sources")


def load_tables(clean: Path, columns: dict[str, tuple[str, ...]] | None = None) -> dict[str, pd.DataFrame]:
    """The clean tables as DataFrames, with booleans and numbers typed; with ``columns``, only
    those tables and those of their columns (the build's summary reads a few, not every quote)."""
    tables = {}
    for name in (columns or TABLE_NAMES):
        wanted = list(columns[name]) if columns else None
        frame = pd.read_csv(clean / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False, usecols=wanted)
        for column in ("counted", "reviewed"):
            if column in frame:
                frame[column] = frame[column] == "true"
        for column in ("amount_gbp", "total_gbp", "amount_high_gbp", "components_gbp", "difference_gbp", "certainty"):
            if column in frame:
                frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce")
        tables[name] = frame
    return tables


def departments_in(commitments: pd.DataFrame) -> list[str]:
    """The departments the commitments name, each once, sorted (joint ones split: "DfE;DHSC")."""
    return sorted({d for names in commitments["department"] for d in names.split(";") if d})


def filter_tables(tables: dict[str, pd.DataFrame], theme: str | None = None, department: str | None = None) -> dict[str, pd.DataFrame]:
    """The tables narrowed to one theme and/or department.

    Context figures have neither; those in the paragraphs of the kept commitments are kept,
    and ``mentions.attrs["view"]`` says what the tables were narrowed to.
    """
    if not theme and not department:
        return tables
    commitments = tables["commitments"]
    keep = pd.Series(True, index=commitments.index)
    if theme:
        keep &= commitments["theme"] == theme
    if department:
        keep &= commitments["department"].str.split(";").apply(lambda names: department in names)
    kept = set(commitments.loc[keep, "commitment_id"])
    filtered = dict(tables, commitments=commitments[keep])
    filtered["commitment_years"] = tables["commitment_years"][tables["commitment_years"]["commitment_id"].isin(kept)]
    filtered["mentions"] = _mentions_in_view(tables["mentions"], kept)
    filtered["mentions"].attrs["view"] = ", ".join(filter(None, [theme and f"theme {theme}", department and f"department {department}"]))
    filtered["packages"] = tables["packages"][tables["packages"]["package_id"].isin(kept)]
    filtered["relations"] = tables["relations"][tables["relations"]["from_id"].isin(kept) | tables["relations"]["to_id"].isin(kept)]
    return filtered


def filter_years(tables: dict[str, pd.DataFrame], years: tuple[str, str] | None) -> dict[str, pd.DataFrame]:
    """The tables narrowed to commitments with money phased into financial years ``first`` to ``last``.

    A commitment whose years are unknown cannot be placed in a range, so it is left out. Its
    phased rows are all kept (``totals(years=...)`` picks the years); context mentions are kept,
    as in ``filter_tables``: they have no years.
    """
    if years is None:
        return tables
    first, last = (parse_fy_label(y) for y in years)
    phased = tables["commitment_years"]
    start = phased["financial_year"].map(parse_fy_label)
    kept = set(phased.loc[(start >= first) & (start <= last), "commitment_id"])
    commitments = tables["commitments"]
    narrowed = dict(tables, commitments=commitments[commitments["commitment_id"].isin(kept)])
    narrowed["commitment_years"] = phased[phased["commitment_id"].isin(kept)]
    mentions = tables["mentions"]
    narrowed["mentions"] = mentions[mentions["commitment_id"].isin(kept) | (mentions["role"] == "context")]
    narrowed["packages"] = tables["packages"][tables["packages"]["package_id"].isin(kept)]
    relations = tables["relations"]
    narrowed["relations"] = relations[relations["from_id"].isin(kept) | relations["to_id"].isin(kept)]
    return narrowed


def unphased(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The counted commitments with no known financial years: in cash totals, never in totals by year or real terms."""
    commitments = tables["commitments"]
    counted = commitments[commitments["counted"]]
    return counted[~counted["commitment_id"].isin(tables["commitment_years"]["commitment_id"])]


def _mentions_in_view(mentions: pd.DataFrame, kept: set[str]) -> pd.DataFrame:
    """The mentions of the kept commitments, and the context figures in the same paragraphs.

    A context figure has no theme or department of its own; it belongs to a view when it stands
    in a paragraph (source and line) that states one of the view's commitments.
    """
    own = mentions["commitment_id"].isin(kept)
    paragraphs = set(zip(mentions.loc[own, "source_id"], mentions.loc[own, "line"]))
    beside = pd.Series([p in paragraphs for p in zip(mentions["source_id"], mentions["line"])], index=mentions.index, dtype=bool)
    return mentions[own | ((mentions["role"] == "context") & beside)]


def load_deflators(reference: Path) -> tuple[dict[str, float], str]:
    """GDP deflator index by financial year label, and the vintage label to show with it.

    Read and checked as the build reads them (positive, finite, one row a year; errors name
    the file and line), never loosely."""
    index = load_deflator_index(reference / "gdp_deflators.csv")
    vintage = (reference / "gdp_deflators_vintage.txt").read_text(encoding="utf-8").strip()
    return {fy_label(year): value for year, value in sorted(index.items())}, vintage


def totals(
    tables: dict[str, pd.DataFrame],
    by: str = "theme",
    *,
    basis: str = "cash",
    base_year: str = "2024-25",
    deflators: tuple[dict[str, float], str] | None = None,
    years: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """Total committed money grouped ``by``, counted once; the statement is in ``.attrs``.

    ``basis`` is "cash" or "real" (real needs ``deflators`` and uses phased years only).
    ``years`` = (first, last) keeps financial years in that range (phased years only).
    """
    if by not in GROUPS:
        raise ValueError(f"by must be one of {', '.join(GROUPS)}, not {by!r}")
    if basis not in ("cash", "real"):
        raise ValueError(f"basis must be cash or real, not {basis!r}")
    commitments = tables["commitments"]
    counted = commitments[commitments["counted"]]
    phased = by == "financial_year" or basis == "real" or years is not None
    if phased:
        rows = tables["commitment_years"]
        rows = rows[rows["counted"]].merge(counted.drop(columns=["amount_gbp", "counted"], errors="ignore"), on="commitment_id")
        rows = rows.assign(amount=rows["amount_gbp"].astype(float))
        if years is not None:
            first, last = (parse_fy_label(y) for y in years)
            year_start = rows["financial_year"].map(parse_fy_label)
            rows = rows[(year_start >= first) & (year_start <= last)]
        if basis == "real":
            if deflators is None:
                raise ValueError("real-terms totals need deflators (funding.totals.load_deflators)")
            index, _vintage = deflators
            missing = sorted(set(rows["financial_year"]) - set(index))
            if missing or base_year not in index:
                raise ValueError(f"no deflator for {', '.join(missing or [base_year])}")
            rows = rows.assign(amount=rows["amount"] * index[base_year] / rows["financial_year"].map(index))
        left_out = counted[~counted["commitment_id"].isin(tables["commitment_years"]["commitment_id"])]
    else:
        rows = counted.assign(amount=counted["total_gbp"].astype(float))
        left_out = counted.iloc[0:0]
    key = rows[by].replace("", NONE_LABEL) if by in rows else rows["commitment_id"].map(lambda _: NONE_LABEL)
    result = (
        rows.assign(_group=key)
        .groupby("_group", sort=False)
        .agg(amount_gbp=("amount", "sum"), n_commitments=("commitment_id", "nunique"))
        .reset_index()
        .rename(columns={"_group": by})
    )
    order = [by] if by == "financial_year" else ["amount_gbp", by]
    result = result.sort_values(order, ascending=[True] if by == "financial_year" else [False, True], kind="stable").reset_index(drop=True)
    if basis == "real":
        result = result.rename(columns={"amount_gbp": f"amount_gbp_real_{base_year.replace('-', '_')}"})
    result.attrs["statement"] = _statement(tables, counted, left_out, phased, basis, base_year, deflators)
    result.attrs["basis"] = "cash" if basis == "cash" else f"real terms, {base_year} prices ({deflators[1]})"
    return result


def _statement(tables, counted, left_out, phased, basis, base_year, deflators) -> str:
    mentions = tables.get("mentions")
    context = mentions[mentions["role"] == "context"] if mentions is not None and "role" in mentions else None
    filtered = bool(mentions is not None and mentions.attrs.get("view"))
    statement = counted_statement(tables["commitments"], context, filtered, left_out if phased else None,
                                  basis, base_year, deflators[1] if deflators else "")
    return " ".join([statement, *what_it_rests_on(tables)])


def what_it_rests_on(tables: dict[str, pd.DataFrame], money=None, review: str = "`funding review`") -> list[str]:
    """Sentences on what the counted money rests on: how much of it on uncertain role decisions,
    and every document whose counted money is implausible for one publication. ``money`` writes
    an amount (the reports' £bn words by default; the workbook its £ million), ``review`` names
    the command."""
    if "commitments" not in tables or "mentions" not in tables or "certainty" not in tables["mentions"]:
        return []
    from funding.describe import format_money, plural

    format_money = money or format_money

    _counted, uncertain, n = at_risk(tables)
    said = []
    if n:
        said.append(f"{format_money(uncertain)} of it rests on {plural(n, 'figure')} whose role is less than "
                    f"{UNCERTAIN_BELOW:.1f} certain ({review} lists them first).")
    for source_id, total, top in implausible(tables):
        largest = "; ".join(format_money(amount) for amount, _quote in top)
        said.append(f"Check before sending: {source_id} counts {format_money(total)}, more than one publication commits "
                    f"(its largest counted figures: {largest}).")
    return said


#: A document whose counted money is over this is named wherever its total is shown: no single
#: publication commits £100bn of new money, so such a total counts forecasts, budgets or accounts.
IMPLAUSIBLE_GBP = 100e9
#: Counted money resting on role decisions less certain than this is said in the headline.
UNCERTAIN_BELOW = 0.7


def implausible(tables: dict[str, pd.DataFrame], limit: float = IMPLAUSIBLE_GBP, largest: int = 3) -> list[tuple[str, float, list[tuple[float, str]]]]:
    """(source_id, counted £, its largest counted figures as (£, quote)) for each document whose
    counted money is over ``limit``, largest first.

    >>> c = pd.DataFrame({"source_id": ["a", "a", "b"], "total_gbp": [90e9, 20e9, 5e9],
    ...     "counted": [True, True, True], "quote": ["x", "y", "z"]})
    >>> [(s, t) for s, t, _ in implausible({"commitments": c})]
    [('a', 110000000000.0)]
    """
    c = tables["commitments"]
    counted = c[c["counted"]]
    by_source = counted.groupby("source_id")["total_gbp"].sum()
    over = by_source[by_source > limit].sort_values(ascending=False)
    if over.empty:
        return []
    # each document's largest figures in one pass (a corpus may hold thousands of such documents)
    tops = (counted[counted["source_id"].isin(over.index)].sort_values("total_gbp", ascending=False, kind="stable")
            .groupby("source_id", sort=False).head(largest))
    by_doc = {source_id: rows for source_id, rows in tops.groupby("source_id", sort=False)}
    return [(str(source_id), float(total), [(float(a), str(q)) for a, q in zip(by_doc[source_id]["total_gbp"], by_doc[source_id]["quote"])])
            for source_id, total in over.items()]


def at_risk(tables: dict[str, pd.DataFrame], below: float = UNCERTAIN_BELOW) -> tuple[float, float, int]:
    """(counted £, of it the £ resting on role decisions below ``below`` certainty, how many such figures).

    A commitment's certainty is the highest of its commitment mentions' (one clear statement of
    the money is enough); an analyst's decision is certain.

    >>> m = pd.DataFrame({"commitment_id": ["c1", "c2"], "certainty": [0.6, 0.95]})
    >>> c = pd.DataFrame({"commitment_id": ["c1", "c2"], "total_gbp": [3.0, 7.0], "counted": [True, True]})
    >>> at_risk({"mentions": m, "commitments": c})
    (10.0, 3.0, 1)
    """
    c = tables["commitments"]
    counted = c[c["counted"]]
    m = tables["mentions"]
    if "certainty" not in m:
        return float(counted["total_gbp"].sum()), 0.0, 0
    sure = m[m["commitment_id"] != ""].groupby("commitment_id")["certainty"].max()
    certainty = counted["commitment_id"].map(sure).fillna(1.0)
    uncertain = counted[certainty < below]
    return float(counted["total_gbp"].sum()), float(uncertain["total_gbp"].sum()), int(len(uncertain))
