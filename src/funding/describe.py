"""Every sentence the reports write about numbers, each a function of the data it describes.

A sentence that could end up in a briefing must be true for the frame it is given, so each
template here decides what it may say from the numbers, never from where it is used:

- **Clearly highest.** A year or a bar is called the highest ("peaks", "has the most") only
  when it exceeds the next by more than ``CLEAR_MARGIN`` (1%) of its value. Money split
  evenly over years differs by a few pounds of rounding, and figures stated to the nearest
  million differ by less than 1% of themselves: neither is a peak. Values within 1% of the
  highest are described together as a plateau ("about level at £2.1bn a year from 2022-23 to
  2024-25") or a tie ("DfE and DHSC have about the same, £300m each").
- **One is not the most.** A single bar is "the only department"; a single year "all in
  2021-22"; nothing at all says so in words ("No money in this view has known financial
  years"), so that no report shows an empty chart.
- **Counts are of what is in view.** The context figures left out are those of the theme,
  department or years shown (see ``funding.totals.filter_tables`` for which context figures
  belong to a view); nouns agree with their counts ("1 context figure").
- **Shared money is said to be shared.** A commitment that names several departments
  ("DfE;DHSC") is shown whole, never split, in each of its departments' views and as its own
  bar ("DfE and DHSC (shared)") in a chart by department; the note says how much is shared
  and that department profiles therefore add up to more than the total.
- **A chart by year says what it leaves out.** Its note states how much of the money in
  view has no known financial years (and, with a years filter, how much falls outside it),
  so that the headline and the chart agree or say why not.

Money is written by one formatter, ``format_money`` (£4.8bn, £695m, £1.2m).

>>> import pandas as pd
>>> year_message(pd.Series({"2021-22": 630e6, "2022-23": 2_119e6, "2023-24": 2_119e6 + 9}))
'Committed money is highest and about level at £2.1bn a year from 2022-23 to 2023-24'
"""

from __future__ import annotations

import pandas as pd

from funding.years import parse_fy_label

__all__ = [
    "CLEAR_MARGIN", "format_money", "plural", "join_words", "department_name", "what_for",
    "year_message", "bar_message", "year_coverage", "shared_money", "context_left_out", "counted_statement",
    "package_title", "package_verdict", "bar_alt", "timeline_alt", "package_alt", "report_title", "review_decision",
]

CLEAR_MARGIN = 0.01  # a value is clearly the highest when it exceeds the next by more than 1% of itself


def format_money(value: float) -> str:
    """Money for a label or sentence: £4.8bn, £695m, £1.2m, £500k, £250; at most one decimal place.

    >>> [format_money(v) for v in (4.8e9, 695e6, 1.2e6, 500e3, 250, 0, -2e6)]
    ['£4.8bn', '£695m', '£1.2m', '£500k', '£250', '£0', '-£2m']
    """
    sign = "-" if value < 0 else ""
    value = abs(value)
    for size, unit in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if value >= size:
            number = f"{value / size:,.1f}".removesuffix(".0")
            return f"{sign}£{number}{unit}"
    return f"{sign}£{value:,.0f}"


def plural(n: int, noun: str, nouns: str = "") -> str:
    """``n`` with its noun in the right number.

    >>> plural(1, "context figure"), plural(4, "context figure"), plural(0, "commitment")
    ('1 context figure', '4 context figures', '0 commitments')
    """
    return f"{n:,} {noun if n == 1 else (nouns or noun + 's')}"


def join_words(words: list[str]) -> str:
    """Words joined as in a sentence.

    >>> join_words(["a"]), join_words(["a", "b"]), join_words(["a", "b", "c"])
    ('a', 'a and b', 'a, b and c')
    """
    words = list(words)
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


NO_DEPARTMENT = "no department known"


def department_name(value: str) -> str:
    """A department cell as words: several departments read as shared money.

    >>> department_name("DfE;DHSC"), department_name("HO"), department_name("")
    ('DfE and DHSC (shared)', 'HO', 'no department known')
    """
    names = [n for n in str(value).split(";") if n]
    if not names:
        return NO_DEPARTMENT
    return join_words(names) + " (shared)" if len(names) > 1 else names[0]


def what_for(row: pd.Series | dict, otherwise: str = "") -> str:
    """What a commitment's money is for: its label (the text's words), else its programme, else ``otherwise``.

    The label comes first because it is the figure's own words: a package's parts share its
    programme but each has its own label. Never an id.

    >>> what_for({"programme": "Family Hubs", "label": "breastfeeding support"})
    'Breastfeeding support'
    >>> what_for({"programme": "", "label": ""}, otherwise="£39m package on line 344")
    '£39m package on line 344'
    """
    for key in ("label", "programme"):
        text = " ".join(str(row.get(key, "") or "").split())
        if text:
            return text[:1].upper() + text[1:]
    return otherwise


def _level_with_top(values: pd.Series) -> pd.Series:
    """The values within CLEAR_MARGIN of the highest (the highest itself included)."""
    top = values.max()
    return values[values >= top - CLEAR_MARGIN * abs(top)]


def _consecutive(years: list[str]) -> bool:
    starts = [parse_fy_label(y) for y in years]
    return all(b - a == 1 for a, b in zip(starts, starts[1:]))


def year_message(by_year: pd.Series) -> str:
    """The message of a chart of money by financial year (a series indexed by year label).

    >>> import pandas as pd
    >>> year_message(pd.Series({"2021-22": 630e6, "2022-23": 2.1e9, "2023-24": 2e9}))
    'Committed money is highest in 2022-23, at £2.1bn'
    >>> year_message(pd.Series({"2021-22": 500e6}))
    'All £500m with known years falls in 2021-22'
    """
    by_year = by_year.sort_index(key=lambda i: i.map(parse_fy_label))
    if by_year.empty:
        return "No money in this view has known financial years"
    if len(by_year) == 1:
        return f"All {format_money(by_year.iloc[0])} with known years falls in {by_year.index[0]}"
    top = _level_with_top(by_year)
    years = list(top.index)
    level = format_money(top.mean())
    if len(top) == 1:
        return f"Committed money is highest in {years[0]}, at {format_money(top.iloc[0])}"
    span = f"from {years[0]} to {years[-1]}" if _consecutive(years) else f"in {join_words(years)}"
    if len(top) == len(by_year):
        return f"Committed money is about level at {level} a year {span}"
    return f"Committed money is highest and about level at {level} a year {span}"


def bar_message(values: pd.Series, what: str) -> str:
    """The message of a bar chart of money by ``what`` (a series indexed by display name).

    >>> import pandas as pd
    >>> bar_message(pd.Series({"DCMS": 561e6}), "department")
    'DCMS is the only department in view, with £561m'
    >>> bar_message(pd.Series({"Youth": 561e6, "Education": 10e6}), "theme")
    'Youth has the most money committed, £561m of £571m'
    >>> bar_message(pd.Series({"no department known": 14.7e6, "DfE": 10e6}), "department")
    'Money with no known department is the largest part, £14.7m of £24.7m'
    """
    values = values.sort_values(ascending=False, kind="stable")
    if values.empty:
        return "No money committed in this view"
    if len(values) == 1:
        if values.index[0] == NO_DEPARTMENT:
            return f"No money in view has a known department: {format_money(values.iloc[0])}"
        return f"{values.index[0]} is the only {what} in view, with {format_money(values.iloc[0])}"
    top = _level_with_top(values)
    if len(top) == 1:
        if top.index[0] == NO_DEPARTMENT:
            return f"Money with no known department is the largest part, {format_money(top.iloc[0])} of {format_money(values.sum())}"
        return f"{top.index[0]} has the most money committed, {format_money(top.iloc[0])} of {format_money(values.sum())}"
    return f"{join_words(list(top.index))} have the most money committed, about {format_money(top.mean())} each"


def year_coverage(commitments: pd.DataFrame, commitment_years: pd.DataFrame, shown: float,
                  years: tuple[str, str] | None = None, basis: str = "cash") -> str:
    """The note beside a chart by year: how the money in it relates to the money in view.

    ``commitments`` and ``commitment_years`` are the tables in view; ``shown`` is what the
    chart adds up to. Counted commitments with no phased years are not in any chart by year;
    with ``years``, money phased outside them is not either.
    """
    counted = commitments[commitments["counted"]]
    total = float(counted["total_gbp"].sum())
    phased_ids = set(commitment_years["commitment_id"])
    unknown = counted[~counted["commitment_id"].isin(phased_ids)]
    unknown_amount = float(unknown["total_gbp"].sum())
    parts = []
    if total == 0:
        return "No counted money is in view."
    if basis == "real":
        parts.append(f"The chart is in real terms, so it does not add up to the {format_money(total)} committed in cash.")
    elif years is None:
        if unknown_amount:
            parts.append(f"The chart adds up to {format_money(shown)} of the {format_money(total)} committed.")
        else:
            parts.append(f"Every counted commitment in view has known financial years: the chart adds up to the {format_money(total)} committed.")
    if unknown_amount == total:
        return (f"None of the {format_money(total)} committed here ({plural(len(unknown), 'commitment')}) has known "
                "financial years, so there is no chart by year.")
    if unknown_amount:
        parts.append(f"{format_money(unknown_amount)} of this ({plural(len(unknown), 'commitment')}) has no known "
                     "financial years and is not in the chart.")
    if years is not None and basis == "cash":
        outside = total - unknown_amount - shown
        if round(outside) > 0:
            parts.append(f"{format_money(outside)} falls in years outside {years[0]} to {years[1]}.")
    return " ".join(parts)


def shared_money(commitments: pd.DataFrame, department: str = "") -> str:
    """What part of the counted money in view is shared between departments, and how it is shown.

    In a department's view, ``department`` names it: its shared money is also in the views of
    the other departments it names, so department profiles add up to more than the total.
    """
    counted = commitments[commitments["counted"]]
    shared = counted[counted["department"].str.contains(";", regex=False)]
    if shared.empty:
        return "No money in view is shared between departments." if department else ""
    amount = format_money(float(shared["total_gbp"].sum()))
    n = plural(len(shared), "commitment")
    if department:
        others = sorted({d for names in shared["department"] for d in names.split(";") if d and d != department})
        return (f"{amount} of the {format_money(float(counted['total_gbp'].sum()))} here is shared with "
                f"{join_words(others)} ({n} naming several departments). Shared money is not split: it is shown whole "
                "here and in each other department's profile, so department profiles add up to more than the total.")
    return (f"{amount} ({n}) is shared between departments. Shared money is not split: it is shown as its own bar, "
            "named by all its departments, so the bars add up to the total.")


def context_left_out(context: pd.DataFrame, filtered: bool) -> str:
    """The sentence on the context figures left out of the totals in view."""
    n = len(context)
    if n == 0:
        return "No context figures stand beside these commitments." if filtered else "No figures were set aside as context."
    where = " beside these commitments" if filtered else ""
    return f"Left out {plural(n, 'context figure')}{where} (statistics, baselines, cuts, spending power)."


def counted_statement(commitments: pd.DataFrame, context: pd.DataFrame | None, filtered: bool,
                      unknown_years: pd.DataFrame | None, basis: str = "cash", base_year: str = "",
                      vintage: str = "") -> str:
    """What a total counted and left out: the statement ``funding.totals.totals`` attaches."""
    counted = commitments[commitments["counted"]]
    parts = [f"Counted {len(counted):,} of {plural(len(commitments), 'commitment')}, each once."]
    if context is not None:
        parts.append(context_left_out(context, filtered))
    notes = commitments.loc[~commitments["counted"], "count_note"] if "count_note" in commitments else pd.Series(dtype=str)
    notes = notes.str.replace(r"c[0-9a-f]{12}", "another commitment", regex=True).value_counts().sort_index()
    if len(notes):
        parts.append("Not counted: " + "; ".join(f"{n} {note}" for note, n in notes.items()) + ".")
    if unknown_years is not None and len(unknown_years):
        n = len(unknown_years)
        parts.append(f"{plural(n, 'counted commitment')} (£{unknown_years['total_gbp'].sum() / 1e6:,.1f}m) "
                     f"{'has' if n == 1 else 'have'} no known financial years and {'is' if n == 1 else 'are'} not in these totals.")
    if basis == "real":
        parts.append(f"Real terms: {base_year} prices, GDP deflator, {vintage}.")
    return " ".join(parts)


def package_verdict(whole: float, summed: float) -> str:
    """Whether a package's components add up to it.

    >>> package_verdict(500e6, 500e6), package_verdict(560e6, 561e6)
    ('The components of the £500m package add up to the package', 'The components of the £560m package come to £561m, £1m more than the package')
    """
    difference = summed - whole
    verdict = "add up to the package" if difference == 0 else (
        f"come to {format_money(summed)}, {format_money(abs(difference))} {'more' if difference > 0 else 'less'} than the package")
    return f"The components of the {format_money(whole)} package {verdict}"


def package_title(name: str, whole: float) -> str:
    """A package chart's title: what the package is for, and its amount.

    >>> package_title("Youth services in England", 560e6), package_title("", 39e6)
    ('Youth services in England: a £560m package', 'A £39m package')
    """
    return f"{name}: a {format_money(whole)} package" if name else f"A {format_money(whole)} package"


def bar_alt(pairs: list[tuple[str, str]], what: str, message: str) -> str:
    """Alt text of a bar chart: its message, then every bar and its amount."""
    if not pairs:
        return f"No chart: no money committed by {what} in this view."
    return f"Bar chart of money committed by {what}. {message}. " + "; ".join(f"{n}: {m}" for n, m in pairs) + "."


def timeline_alt(pairs: list[tuple[str, str]], message: str) -> str:
    """Alt text of a chart by financial year: its message, then every year and its amount."""
    if not pairs:
        return "No chart: no money in this view has known financial years."
    return f"Column chart of money committed by financial year. {message}. " + "; ".join(f"{y}: {m}" for y, m in pairs) + "."


def package_alt(name: str, whole: float, parts: list[tuple[str, float]], summed: float) -> str:
    """Alt text of a package chart: the package, its components, their sum and the verdict."""
    what = f"{name}, a {format_money(whole)} package," if name else f"a {format_money(whole)} package"
    return (f"Bar chart of {what} and its {plural(len(parts), 'component')}: "
            + "; ".join(f"{label}: {format_money(v)}" for label, v in parts)
            + f". Components added up: {format_money(summed)}; package as stated: {format_money(whole)}. "
            + package_verdict(whole, summed) + ".")


#: kind of report (the notebook's ``funding.kind`` metadata) -> what the index groups it under
REPORT_KINDS = {
    "overview": "Overview",
    "theme": "Theme profile",
    "department": "Department profile",
    "data-quality": "Data quality",
    "explore": "Explore",
}


def subject_name(kind: str, key: str, names: dict[str, str]) -> str:
    """A theme or department as a reader names it: "Youth services", "Department for Education (DfE)"."""
    name = names.get(key, key)
    return f"{name} ({key})" if kind == "department" and name != key else name


def report_title(kind: str, name: str = "") -> str:
    """A report's title, naming its theme or department: the page's title and h1, and the notebook's heading.

    >>> report_title("theme", "Youth services"), report_title("overview")
    ('Theme profile: Youth services', 'Overview: money committed in the source documents')
    """
    titles = {
        "overview": "Overview: money committed in the source documents",
        "theme": f"Theme profile: {name}",
        "department": f"Department profile: {name}",
        "data-quality": "Data quality",
        "explore": f"Explore: {name}" if name else "Explore",
    }
    return titles[kind]


FIELD_WORDS = {
    "role": "role set to {value}",
    "context_reason": "reason for context set to “{value}”",
    "repeat_of": "restates {target}",
    "parent_id": "is part of {target}",
    "department": "department set to {value}",
    "programme": "programme set to {value}",
    "theme": "theme set to {value}",
    "fy_start": "first financial year set to {value}",
    "fy_end": "last financial year set to {value}",
    "period_text": "period read as “{value}”",
    "confirm": "automatic {value} confirmed",
}


def review_decision(field: str, value: str, target: str = "") -> str:
    """A review file decision in words; ``target`` describes the commitment or mention an id value names.

    >>> review_decision("parent_id", "c1", "£500m for family services (line 44)")
    'is part of £500m for family services (line 44)'
    >>> review_decision("repeat_of", "", "")
    'is not a restatement of any earlier figure'
    """
    if field == "repeat_of" and not value:
        return "is not a restatement of any earlier figure"
    if field == "parent_id" and not value:
        return "is not part of any package"
    template = FIELD_WORDS.get(field, field.replace("_", " ") + " set to {value}")
    return template.format(value=value.replace("_", " "), target=target or value)
